//! `apply`: make the namespace match a declared set of interfaces. Input is
//! what `list --json` prints (or TOML with the same fields). Three parts:
//! `read` validates the whole file, `plan` compares it with what exists (a
//! pure function: `--dry-run` renders it), `execute` carries it out. A rerun
//! converges.

mod created;
mod document;
mod entry;
mod execute;
mod fields;
mod lock;
mod plan;
mod read;

pub use created::summary as created_summary;
pub use plan::plan;
pub use read::{Format, parse_declared, parse_declared_as, parse_declared_toml};

use super::{ApplyRequest, Context, Outcome};
use crate::error::Result;
use crate::validate::around::AddrGenMode;
use crate::validate::{IfAddr, IfName, Mac, Mode};

/// One validated entry of the file.
#[derive(Clone, Debug)]
pub struct Declared {
    pub name: IfName,
    pub mode: Mode,
    pub owner: Option<u32>,
    pub group: Option<u32>,
    /// Flags: None (absent from the file) accepts what an existing device
    /// has, and means off for a new one.
    pub pi: Option<bool>,
    pub vnet_hdr: Option<bool>,
    pub multi_queue: Option<bool>,
    pub mac: Option<Mac>,
    pub mtu: Option<u32>,
    pub txqueuelen: Option<u32>,
    pub up: Option<bool>,
    /// None: leave addresses alone. Some: exactly these (link-local aside).
    pub addresses: Option<Vec<IfAddr>>,
    /// None leaves it; Some("") frees the port.
    pub master: Option<String>,
    /// None leaves it; Some("") removes the alias.
    pub alias: Option<String>,
    pub addrgenmode: Option<AddrGenMode>,
}

pub fn apply(ctx: &Context, req: &ApplyRequest, text: &str) -> Result<Vec<Outcome>> {
    let declared = parse_declared_as(ctx, Format::detect(&req.file, text), text)?;
    // A lock we could not take matters only if the apply goes ahead: when it
    // fails (a user without CAP_NET_ADMIN, say) the error alone is the news.
    let earlier = ctx.take_warnings();
    let _guard = if req.dry_run {
        None
    } else {
        lock::acquire(&|w| ctx.warn(w))?
    };
    let lock_warnings = ctx.take_warnings();
    for w in earlier {
        ctx.warn(w);
    }
    let result = apply_declared(ctx, req, &declared);
    if result.is_ok() {
        for w in lock_warnings {
            ctx.warn(w);
        }
    }
    result
}

fn apply_declared(
    ctx: &Context,
    req: &ApplyRequest,
    declared: &[Declared],
) -> Result<Vec<Outcome>> {
    let links = ctx.links()?;
    super::interrupted::recover(ctx, &links);
    super::altname::refuse_in_apply(ctx, declared.iter().map(|d| d.name.as_str()), &links)?;
    let addrs = ctx.addresses()?;
    // Holders matter only for what --prune would delete.
    let doomed = if req.prune {
        plan::doomed(declared, &links)
    } else {
        Vec::new()
    };
    let holders = (!doomed.is_empty()).then(|| crate::procscan::scan().settle(doomed.clone()));
    // The note matters only for a device --prune would delete.
    if let Some(w) = holders
        .as_ref()
        .and_then(|h| h.note_for(doomed.iter().copied()))
    {
        ctx.warn(w);
    }
    let plan = plan(ctx, declared, &links, &addrs, holders.as_ref(), req.prune)?;
    for w in &plan.warnings {
        ctx.warn(w.clone());
    }
    if req.dry_run {
        return Ok(plan.preview());
    }
    execute::execute(ctx, plan, &addrs)
}
