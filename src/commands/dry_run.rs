//! `add --dry-run` and `del --dry-run`: every check the real run makes
//! (users, groups, the master, an existing name, holders), nothing changed,
//! and the outcomes the real run would report.

use super::{Action, AddRequest, Context, DelRequest, Outcome, not_tun};
use crate::error::Result;

/// What `add` would do: create NAME (with what), or (--exist-ok) update or
/// leave the existing device; the real run's errors otherwise.
pub fn add(ctx: &Context, req: &AddRequest) -> Result<Outcome> {
    let desired = super::add::desired_of(ctx, req)?;
    let name = req.name.as_str();
    let link = if req.name.is_template() {
        None
    } else {
        ctx.link_by_name(name)?
    };
    let Some(link) = link else {
        return Ok(Outcome {
            name: name.to_string(),
            action: Action::Created,
            summary: super::apply::created_summary(&declared_of(req, &desired)),
        });
    };
    if !link.is_tun() {
        return Err(not_tun(&link));
    }
    let name = &super::add::taken_by(ctx, name, &link);
    super::add::refuse_existing(ctx, req, &link)?;
    super::converge::check_against(&link, &desired)?;
    let addresses = if desired.needs_addresses(&link) {
        ctx.addresses()?
    } else {
        Vec::new()
    };
    let changes = super::converge::describe(ctx, &link, &addresses, &desired);
    Ok(Outcome {
        name: name.to_string(),
        action: if changes.is_empty() {
            Action::Unchanged
        } else {
            Action::Updated(changes)
        },
        summary: String::new(),
    })
}

/// The new device `add` would make, as an apply entry (for its summary).
fn declared_of(req: &AddRequest, desired: &super::Desired) -> super::apply::Declared {
    super::apply::Declared {
        name: req.name.clone(),
        mode: req.mode,
        owner: desired.owner,
        group: desired.group,
        pi: Some(req.pi),
        vnet_hdr: Some(req.vnet_hdr),
        multi_queue: Some(req.multi_queue),
        mac: desired.mac,
        mtu: req.mtu,
        txqueuelen: req.txqueuelen,
        up: Some(req.up),
        addresses: Some(req.addresses.clone()),
        master: desired
            .master
            .as_ref()
            .filter(|m| !m.is_free())
            .map(|m| m.name.clone()),
        alias: req.around.alias.clone(),
        addrgenmode: req.around.addrgenmode,
    }
}

/// What `del` would delete, after every check of the real run.
pub fn del(ctx: &Context, req: &DelRequest) -> Result<Vec<Outcome>> {
    let plan = super::plan_del(ctx, req, &Default::default())?;
    Ok(plan.preview(ctx))
}
