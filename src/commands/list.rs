//! `list` and `show`: one link dump, one address dump, one /proc scan.
//! Everything is linear in the number of links, addresses and open fds: the
//! addresses are grouped by interface once, holders are looked up by name.

use std::collections::HashMap;

use super::{Context, Filter, ListRequest, ShowRequest, not_tun};
use crate::error::{Error, Result};
use crate::model::Interface;
use crate::netlink::{self, Address};
use crate::procscan;
use crate::text::printable;

/// Every tun/tap in the namespace, as interface objects, sorted by index.
///
/// The link dump is most of the work (the kernel builds a full message per
/// link); the address dump and the /proc scan run beside it on a second
/// thread. Threads start in the namespace of the thread that spawns them, and
/// the socket and /proc/thread-self follow that, so `--netns` holds.
pub fn fetch_interfaces(ctx: &Context) -> Result<Vec<Interface>> {
    fetch_interfaces_with(ctx, false)
}

/// As `fetch_interfaces`, with the traffic counters when `stats`.
fn fetch_interfaces_with(ctx: &Context, stats: bool) -> Result<Vec<Interface>> {
    let (links, side) = std::thread::scope(|s| {
        let side = s.spawn(|| (netlink::dump_addresses(), procscan::scan()));
        // IFLA_STATS64 comes even with RTEXT_FILTER_SKIP_STATS (which
        // drops only the per-family IPv4/IPv6 counters, most of a link's
        // message): the counters cost nothing extra (tests/around.rs
        // checks that they are there).
        (netlink::dump_links(true, false), side.join())
    });
    let Ok((addresses, scan)) = side else {
        return Err(Error::failed(
            "reading addresses and attached processes failed unexpectedly (internal error); please report it",
        ));
    };
    // The kernel filters by kind; a kernel that ignores the filter sends
    // every link, hence the check.
    let mut tuns = links.map_err(|e| super::read_error("links", e))?;
    tuns.retain(|l| l.is_tun());
    super::interrupted::recover(ctx, &tuns);
    if tuns.is_empty() {
        return Ok(Vec::new());
    }
    tuns.sort_by_key(|l| l.index);
    let holders = scan.settle(&tuns);
    let mut by_index: HashMap<u32, Vec<Address>> = HashMap::new();
    for a in addresses.map_err(|e| super::read_error("addresses", e))? {
        by_index.entry(a.index).or_default().push(a);
    }
    // The note matters only when a shown interface may have a holder we
    // could not see (SPEC §11, issue 10 item 5).
    if let Some(w) = holders.note_for(&tuns) {
        ctx.warn(w);
    }
    let masters = master_names(&tuns);
    Ok(tuns
        .iter()
        .map(|l| {
            let own = by_index.get(&l.index).map(Vec::as_slice).unwrap_or(&[]);
            let mut i = Interface::build(l, own, &holders, &ctx.ids);
            i.master = l.master.and_then(|m| masters.get(&m).cloned());
            // Shown only when asked.
            if !stats {
                i.stats = None;
            }
            i
        })
        .collect())
}

/// The names of the masters the links are ports of: usually one or two
/// bridges for any number of taps, so one lookup each, not a dump of
/// every link.
fn master_names(links: &[netlink::Link]) -> HashMap<u32, String> {
    let mut names: HashMap<u32, String> = HashMap::new();
    for index in links.iter().filter_map(|l| l.master) {
        if names.contains_key(&index) {
            continue;
        }
        // A master deleted meanwhile is left out (null), not guessed.
        if let Ok(Some(master)) = netlink::link_by_index(index) {
            names.insert(index, master.name);
        }
    }
    names
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
    let master = filter
        .master
        .as_deref()
        .map(|m| super::ports::master_name(ctx, m))
        .transpose()?;
    let interfaces = fetch_interfaces_with(ctx, req.stats)?;
    Ok(interfaces
        .into_iter()
        .filter(|i| matches(i, filter, owner, group))
        .filter(|i| master.is_none() || i.master == master)
        .collect())
}

fn matches(i: &Interface, filter: &Filter, owner: Option<u32>, group: Option<u32>) -> bool {
    (filter.patterns.is_empty() || filter.patterns.iter().any(|p| p.matches(&i.name)))
        && filter.mode.is_none_or(|m| i.mode == Some(m))
        && owner.is_none_or(|uid| i.owner.as_ref().map(|o| o.uid) == Some(uid))
        && group.is_none_or(|gid| i.group.as_ref().map(|g| g.gid) == Some(gid))
        && filter.up.is_none_or(|up| i.up == up)
}

/// The interfaces named or matched, in the order asked (a pattern's
/// matches by index), each once; every tun/tap when none is asked for. A
/// pattern that matches nothing is exit 3, naming it.
pub fn show(ctx: &Context, req: &ShowRequest) -> Result<Vec<Interface>> {
    let interfaces = fetch_interfaces_with(ctx, true)?;
    if req.names.is_empty() {
        return Ok(interfaces);
    }
    let by_name: HashMap<&str, &Interface> =
        interfaces.iter().map(|i| (i.name.as_str(), i)).collect();
    let mut out: Vec<Interface> = Vec::new();
    for pattern in &req.names {
        if pattern.is_glob() {
            let matched: Vec<&Interface> = interfaces
                .iter()
                .filter(|i| pattern.matches(&i.name))
                .collect();
            if matched.is_empty() {
                return Err(Error::not_found(format!(
                    "{:?}: no tun/tap interface in this network namespace matches this pattern; see `tuntapctl list`",
                    pattern.as_str()
                )));
            }
            for i in matched {
                if !out.iter().any(|o| o.ifindex == i.ifindex) {
                    out.push(i.clone());
                }
            }
            continue;
        }
        let name = pattern.as_str();
        match by_name.get(name) {
            Some(i) if out.iter().any(|o| o.ifindex == i.ifindex) => {}
            Some(i) => out.push((*i).clone()),
            // Not a tun/tap: say what it is, or that it does not exist.
            None => {
                return Err(match ctx.link_by_name(name)? {
                    Some(link) if !link.is_tun() => not_tun(&link),
                    Some(_) => Error::not_found(format!(
                        "{}: appeared while it was being looked up",
                        printable(name)
                    ))
                    .fix(format!("run tuntapctl show {} again", printable(name)))
                    .on(name),
                    None => Error::not_found(format!(
                        "{}: no such interface in this network namespace",
                        printable(name)
                    ))
                    .fix("see `tuntapctl list`")
                    .on(name),
                });
            }
        }
    }
    Ok(out)
}
