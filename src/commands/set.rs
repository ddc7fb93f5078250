//! `set`: change an existing tun/tap.

use super::converge::{Desired, converge};
use super::{Action, Context, Outcome, SetRequest};
use crate::error::{Error, Result};

pub fn set(ctx: &Context, req: &SetRequest) -> Result<Outcome> {
    let name = req.name.as_str();
    let (owner, group, mac) = ctx.resolve(req.owner.as_ref(), req.group.as_ref(), req.mac)?;
    let desired = Desired {
        owner,
        group,
        mac,
        mtu: req.mtu,
        txqueuelen: req.txqueuelen,
        up: req.up,
        carrier: req.carrier,
        add_addresses: req.add_addresses.clone(),
        del_addresses: req.del_addresses.clone(),
        flush_addresses: req.flush_addresses,
    };
    if desired == Desired::default() {
        return Err(Error::usage(format!(
            "{name}: nothing to change: give at least one of --user, --group, --mac, --mtu, --txqueuelen, --up, --down, --address, --del-address, --flush-addresses, --carrier"
        )));
    }
    let link = ctx.tun_link(name)?;
    let changes = converge(ctx, &link, &desired)?;
    let fresh = ctx.link_by_name(name)?.unwrap_or(link);
    let t = fresh.tun.clone().unwrap_or_default();
    Ok(Outcome {
        name: name.to_string(),
        summary: t.mode.map(|m| m.to_string()).unwrap_or_default(),
        action: if changes.is_empty() {
            Action::Unchanged
        } else {
            Action::Updated(changes)
        },
    })
}
