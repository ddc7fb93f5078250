//! `set tap1 tap2 ... SETTINGS`: the same settings on several interfaces.
//! Every name is looked up (exists, is a tun/tap) before anything changes;
//! then each is set in order, as `set NAME SETTINGS` would. A failure on
//! one stops there and says which were changed and which were not.

use super::{Context, Outcome, SetRequest};
use crate::error::{Error, Result};
use crate::text::printable;
use crate::validate::IfName;

/// Settings only one device can have are refused for several names
/// (`--mac random` draws one MAC per device and is allowed).
pub fn check_set_many(
    rename: &Option<String>,
    move_to: &Option<String>,
    mac: &Option<String>,
    more: &[IfName],
) -> Result<()> {
    if more.is_empty() {
        return Ok(());
    }
    let one_only = if rename.is_some() {
        Some("--rename")
    } else if move_to.is_some() {
        Some("--move-to")
    } else if mac.as_deref().is_some_and(|m| m != "random") {
        Some("--mac")
    } else {
        None
    };
    match one_only {
        Some(option) => Err(Error::usage(format!(
            "{option} gives a value only one interface can have, and several interfaces were named; name one interface (--mac random draws a MAC for each)"
        ))),
        None => Ok(()),
    }
}

pub fn set_many(ctx: &Context, req: &SetRequest) -> Result<Vec<Outcome>> {
    let names: Vec<&IfName> = std::iter::once(&req.name).chain(&req.more).collect();
    for name in &names {
        ctx.tun_link(name.as_str())?;
    }
    let mut outcomes = Vec::with_capacity(names.len());
    for (k, name) in names.iter().enumerate() {
        let one = SetRequest {
            name: (*name).clone(),
            more: Vec::new(),
            ..req.clone()
        };
        match super::set(ctx, &one) {
            Ok(outcome) => outcomes.push(outcome),
            Err(e) => {
                let list = |v: &[&IfName]| {
                    v.iter()
                        .map(|n| printable(n.as_str()).into_owned())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let mut notes = Vec::new();
                if k > 0 {
                    notes.push(format!("{} changed", list(&names[..k])));
                }
                if k + 1 < names.len() {
                    notes.push(format!("{} not changed", list(&names[k + 1..])));
                }
                if notes.is_empty() {
                    return Err(e);
                }
                let mut e = e;
                e.message = format!("{} ({})", e.message, notes.join("; "));
                return Err(e);
            }
        }
    }
    Ok(outcomes)
}
