//! `set`: change an existing tun/tap.

use super::around::{already_there, check_master_for_mode, move_link, resolve_master};
use super::converge::{Desired, converge};
use super::{Action, Context, Outcome, SetRequest};
use crate::error::kernel::LinkStep;
use crate::error::{Error, Result};

pub fn set(ctx: &Context, req: &SetRequest) -> Result<Outcome> {
    let name = req.name.as_str();
    let (owner, group, mac) = ctx.resolve(req.owner.as_ref(), req.group.as_ref(), req.mac)?;
    let around = &req.around;
    let mut moving = around.move_to.as_deref();
    if let Some(to) = moving
        && already_there(to)?
    {
        ctx.warn(format!(
            "warning: {name}: is already in the network namespace {}; not moved",
            crate::text::printable(to)
        ));
        moving = None;
    }
    let mut desired = Desired {
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
        master: None,
        alias: around.alias.clone(),
        addrgenmode: around.addrgenmode.map(|m| m.value()),
        // With a move, the new name goes in the move's own request.
        rename: match moving {
            Some(_) => None,
            None => around.rename.as_ref().map(|n| n.to_string()),
        },
    };
    if desired == Desired::default() && around.move_to.is_none() && around.master.is_none() {
        return Err(Error::usage(format!(
            "{name}: nothing to change: give at least one of --user, --group, --mac, --mtu, --txqueuelen, --up, --down, --address, --del-address, --flush-addresses, --carrier, --master, --nomaster, --alias, --addrgenmode, --rename, --move-to"
        )));
    }
    let link = ctx.tun_link(name)?;
    // Everything that can fail without changing anything, first.
    desired.master = around
        .master
        .as_ref()
        .map(|m| resolve_master(ctx, name, m))
        .transpose()?;
    if let Some(m) = &desired.master {
        check_master_for_mode(name, link.mode(), m)?;
    }
    let mut changes = converge(ctx, &link, &desired)?;
    let mut final_name = name.to_string();
    if let Some(new) = desired.rename.as_ref().filter(|n| n.as_str() != name) {
        // Reported under the new name, so say where it came from.
        let step = LinkStep::Rename { to: new.clone() }.text();
        if let Some(c) = changes.iter_mut().find(|c| **c == step) {
            *c = format!("renamed from {}", crate::text::printable(name));
        }
        final_name = new.clone();
    }
    if let Some(to) = moving {
        let rename = around.rename.as_ref().map(|n| n.as_str());
        let moved = move_link(ctx, &link, to, rename).map_err(|e| {
            if changes.is_empty() {
                e
            } else {
                e.note(format!(" (already changed: {})", changes.join(", ")))
            }
        })?;
        if let Some(new) = rename.filter(|n| *n != name) {
            final_name = new.to_string();
            changes.push(format!("renamed from {}", crate::text::printable(name)));
        }
        changes.push(moved);
    }
    let summary = link.mode().map(|m| m.to_string()).unwrap_or_default();
    Ok(Outcome {
        name: final_name,
        summary,
        action: if changes.is_empty() {
            Action::Unchanged
        } else {
            Action::Updated(changes)
        },
    })
}
