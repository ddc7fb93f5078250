//! `del 'tap-vm*'`: a pattern (the rule of list and show: a word with `*`,
//! `?` or `[`) stands for the tun/tap devices it matches, by index order,
//! which are then checked and deleted exactly as if named (a held one is
//! refused, nothing is deleted). A pattern that matches nothing is exit 3
//! naming it, unless --missing-ok.

use super::{Context, DelRequest};
use crate::error::{Error, Result};
use crate::validate::IfName;

/// `req` with its patterns replaced by the names they match; None when it
/// has no pattern.
pub fn expand(ctx: &Context, req: &DelRequest) -> Result<Option<DelRequest>> {
    if req.patterns.is_empty() {
        return Ok(None);
    }
    let mut tuns: Vec<_> = ctx.links()?.into_iter().filter(|l| l.is_tun()).collect();
    tuns.sort_by_key(|l| l.index);
    let mut out = req.clone();
    out.patterns.clear();
    for pattern in &req.patterns {
        let matched: Vec<&str> = tuns
            .iter()
            .map(|l| l.name.as_str())
            .filter(|n| pattern.matches(n))
            .collect();
        if matched.is_empty() && !req.missing_ok {
            return Err(Error::not_found(format!(
                "{:?}: no tun/tap interface in this network namespace matches this pattern; nothing was deleted (use --missing-ok to ignore it)",
                crate::text::cut(pattern.as_str(), 40)
            ))
            .fix("see `tuntapctl list`"));
        }
        for name in matched {
            out.names.push(IfName::lookup(name)?);
        }
    }
    Ok(Some(out))
}
