//! `set`: change an existing tun/tap.

use super::converge::{Desired, converge};
use super::master::{check_master_for_mode, resolve_master};
use super::moves::{already_there, move_link};
use super::{Action, Context, Outcome, SetRequest};
use crate::error::kernel::LinkStep;
use crate::error::{Error, Result};
use crate::netlink::Address;
use crate::validate::{AddrSelector, IfAddr};

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
        del_addresses: Vec::new(),
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
    if desired == Desired::default()
        && req.del_addresses.is_empty()
        && around.move_to.is_none()
        && around.master.is_none()
    {
        return Err(Error::usage(format!(
            "{name}: nothing to change: give at least one of --user, --group, --mac, --mtu, --txqueuelen, --up, --down, --address, --del-address, --flush-addresses, --carrier, --master, --nomaster, --alias, --addrgenmode, --rename, --move-to"
        )));
    }
    let link = ctx.tun_link(name)?;
    if !req.del_addresses.is_empty() {
        let own: Vec<Address> = ctx
            .addresses()?
            .into_iter()
            .filter(|a| a.index == link.index)
            .collect();
        desired.del_addresses = addresses_to_delete(ctx, name, &own, &req.del_addresses)?;
    }
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

/// The exact addresses `--del-address` names on the device. An address
/// that is there with another prefix length is an error (deleting nothing
/// and succeeding would let a typo pass); one that is not there at all is
/// left as it is, with a note.
fn addresses_to_delete(
    ctx: &Context,
    name: &str,
    own: &[Address],
    selectors: &[AddrSelector],
) -> Result<Vec<IfAddr>> {
    let mut out = Vec::new();
    for sel in selectors {
        let chosen: Vec<&Address> = own
            .iter()
            .filter(|a| sel.selects(a.address, a.prefix_len))
            .collect();
        if chosen.is_empty() {
            let other: Vec<String> = own
                .iter()
                .filter(|a| a.address == sel.address)
                .map(Address::cidr)
                .collect();
            if !other.is_empty() {
                return Err(Error::usage(format!(
                    "{name}: --del-address {sel}: {name} has {} with another prefix length, not {sel}; nothing was changed. Give --del-address {} (or {} for any prefix); see `tuntapctl show {name}`",
                    other.join(", "),
                    other[0],
                    sel.address
                ))
                .on(name));
            }
            ctx.warn(format!(
                "{name}: address {sel} is not on {name}, so there was nothing to remove"
            ));
        }
        for a in chosen {
            let exact = IfAddr {
                address: a.address,
                prefix_len: a.prefix_len,
                peer: a.peer,
            };
            if !out.contains(&exact) {
                out.push(exact);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(text: &str) -> Address {
        let a = IfAddr::parse(text).unwrap();
        Address {
            index: 5,
            address: a.address,
            prefix_len: a.prefix_len,
            peer: None,
            scope: "global".into(),
            protocol: None,
        }
    }

    fn pick(own: &[&str], sel: &[&str]) -> Result<Vec<String>> {
        let ctx = Context::new();
        let own: Vec<Address> = own.iter().map(|t| addr(t)).collect();
        let sel: Vec<AddrSelector> = sel
            .iter()
            .map(|t| AddrSelector::parse(t).unwrap())
            .collect();
        addresses_to_delete(&ctx, "tap3", &own, &sel)
            .map(|v| v.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn bare_address_selects_whatever_prefix() {
        assert_eq!(
            pick(&["10.0.0.1/24", "10.0.0.2/24"], &["10.0.0.1"]).unwrap(),
            ["10.0.0.1/24"]
        );
        assert_eq!(pick(&["fd00::1/64"], &["fd00::1"]).unwrap(), ["fd00::1/64"]);
        // The same address twice (IPv4 allows other prefixes): both go.
        assert_eq!(
            pick(&["10.0.0.1/24", "10.0.0.1/16"], &["10.0.0.1"]).unwrap(),
            ["10.0.0.1/24", "10.0.0.1/16"]
        );
    }

    #[test]
    fn prefix_selects_only_that_one() {
        assert_eq!(
            pick(&["10.0.0.1/24", "10.0.0.1/16"], &["10.0.0.1/16"]).unwrap(),
            ["10.0.0.1/16"]
        );
        let e = pick(&["10.0.0.1/24"], &["10.0.0.1/16"]).unwrap_err();
        assert_eq!(e.status.code(), 2);
        assert!(
            e.message.contains("10.0.0.1/24") && e.message.contains("tap3"),
            "{}",
            e.message
        );
    }

    #[test]
    fn absent_address_deletes_nothing() {
        assert!(pick(&["10.0.0.1/24"], &["10.9.9.9"]).unwrap().is_empty());
        assert!(pick(&["10.0.0.1/24"], &["10.9.9.9/24"]).unwrap().is_empty());
        assert!(pick(&[], &["10.0.0.1/32"]).unwrap().is_empty());
    }
}
