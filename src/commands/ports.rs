//! `list --master BR`: the ports of a bridge (or bond, vrf).

use super::Context;
use crate::error::{Error, Result};
use crate::text::printable;

/// The master's own name (an altname is resolved); one that does not
/// exist is exit 3 naming it (an empty list would hide a typo).
pub fn master_name(ctx: &Context, master: &str) -> Result<String> {
    match ctx.link_by_name(master)? {
        Some(link) => Ok(link.name),
        None => Err(Error::not_found(format!(
            "master {}: no such device in this network namespace",
            printable(master)
        ))
        .fix("see `ip link show type bridge`")
        .on(master)),
    }
}
