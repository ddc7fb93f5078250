//! `list` and `show`: one link dump, one address dump, one /proc scan.
//! Everything is linear in the number of links, addresses and open fds: the
//! addresses are grouped by interface once, holders are looked up by name.

use std::collections::HashMap;

use super::{Context, Filter, ListRequest, ShowRequest, not_tun};
use crate::error::{Error, Result};
use crate::model::Interface;
use crate::netlink::{self, Address};
use crate::procscan;

/// Every tun/tap in the namespace, as interface objects, sorted by index.
///
/// The link dump is most of the work (the kernel builds a full message per
/// link); the address dump and the /proc scan run beside it on a second
/// thread. Threads start in the namespace of the thread that spawns them, and
/// the socket and /proc/thread-self follow that, so `--netns` holds.
pub fn fetch_interfaces(ctx: &Context) -> Result<Vec<Interface>> {
    let (links, side) = std::thread::scope(|s| {
        let side = s.spawn(|| (netlink::dump_addresses(), procscan::scan()));
        (netlink::dump_links(true), side.join())
    });
    let Ok((addresses, holders)) = side else {
        return Err(Error::failed(
            "reading addresses and attached processes failed unexpectedly (internal error); please report it",
        ));
    };
    // The kernel filters by kind; a kernel that ignores the filter sends
    // every link, hence the check.
    let mut tuns = links?;
    tuns.retain(|l| l.is_tun());
    if tuns.is_empty() {
        return Ok(Vec::new());
    }
    tuns.sort_by_key(|l| l.index);
    let mut by_index: HashMap<u32, Vec<Address>> = HashMap::new();
    for a in addresses? {
        by_index.entry(a.index).or_default().push(a);
    }
    // The note matters only when a shown interface may have a holder we
    // could not see (SPEC §11, issue 10 item 5).
    if let Some(w) = holders.warning()
        && tuns.iter().any(|l| {
            let mq = l.tun.as_ref().is_some_and(|t| t.multi_queue);
            holders.may_hide_holder(&l.name, l.up, l.carrier, mq)
        })
    {
        ctx.warn(w);
    }
    Ok(tuns
        .iter()
        .map(|l| {
            let own = by_index.get(&l.index).map(Vec::as_slice).unwrap_or(&[]);
            Interface::build(l, own, &holders, &ctx.ids)
        })
        .collect())
}

/// One interface object by name (for add/set JSON output).
pub fn fetch_interface(ctx: &Context, name: &str) -> Result<Interface> {
    fetch_interfaces(ctx)?
        .into_iter()
        .find(|i| i.name == name)
        .ok_or_else(|| {
            Error::not_found(format!(
                "{name}: disappeared before it could be shown (deleted by another process?); see `tuntapctl list`"
            ))
        })
}

pub fn list(ctx: &Context, req: &ListRequest) -> Result<Vec<Interface>> {
    let filter = &req.filter;
    let owner = filter
        .owner
        .as_ref()
        .map(|u| ctx.ids.resolve_user(u))
        .transpose()?;
    let group = filter
        .group
        .as_ref()
        .map(|g| ctx.ids.resolve_group(g))
        .transpose()?;
    let interfaces = fetch_interfaces(ctx)?;
    Ok(interfaces
        .into_iter()
        .filter(|i| matches(i, filter, owner, group))
        .collect())
}

fn matches(i: &Interface, filter: &Filter, owner: Option<u32>, group: Option<u32>) -> bool {
    filter.mode.is_none_or(|m| i.mode == Some(m))
        && owner.is_none_or(|uid| i.owner.as_ref().map(|o| o.uid) == Some(uid))
        && group.is_none_or(|gid| i.group.as_ref().map(|g| g.gid) == Some(gid))
        && filter.up.is_none_or(|up| i.up == up)
}

/// The named interfaces, in the order asked, each once.
pub fn show(ctx: &Context, req: &ShowRequest) -> Result<Vec<Interface>> {
    let interfaces = fetch_interfaces(ctx)?;
    let by_name: HashMap<&str, &Interface> =
        interfaces.iter().map(|i| (i.name.as_str(), i)).collect();
    let mut out: Vec<Interface> = Vec::new();
    for name in &req.names {
        let name = name.as_str();
        match by_name.get(name) {
            Some(i) if out.iter().any(|o| o.ifindex == i.ifindex) => {}
            Some(i) => out.push((*i).clone()),
            // Not a tun/tap: say what it is, or that it does not exist.
            None => {
                return Err(match ctx.netlink()?.link_by_name(name)? {
                    Some(link) if !link.is_tun() => not_tun(&link),
                    Some(_) => Error::not_found(format!(
                        "{name}: appeared while it was being looked up; run tuntapctl show {name} again"
                    )),
                    None => Error::not_found(format!(
                        "{name}: no such interface in this network namespace; see `tuntapctl list`"
                    )),
                });
            }
        }
    }
    Ok(out)
}
