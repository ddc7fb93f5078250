//! `list` and `show`: one link dump, one address dump, one /proc scan.

use super::{Context, Filter, ListRequest, ShowRequest, not_tun};
use crate::error::{Error, Result};
use crate::model::Interface;
use crate::netlink::Link;
use crate::procscan;

/// Every tun/tap in the namespace, as interface objects, sorted by index.
pub fn fetch_interfaces(ctx: &Context) -> Result<(Vec<Link>, Vec<Interface>)> {
    let nl = ctx.netlink()?;
    let links = nl.links()?;
    let tuns: Vec<&Link> = links.iter().filter(|l| l.is_tun()).collect();
    let addresses = if tuns.is_empty() {
        Vec::new()
    } else {
        nl.addresses()?
    };
    let holders = if tuns.is_empty() {
        procscan::Holders::default()
    } else {
        procscan::scan()
    };
    if let Some(w) = holders.warning() {
        ctx.warn(w);
    }
    let interfaces = tuns
        .iter()
        .map(|l| Interface::build(l, &addresses, &holders, &ctx.ids))
        .collect();
    Ok((links, interfaces))
}

/// One interface object by name (for add/set JSON output).
pub fn fetch_interface(ctx: &Context, name: &str) -> Result<Interface> {
    let (_, interfaces) = fetch_interfaces(ctx)?;
    interfaces
        .into_iter()
        .find(|i| i.name == name)
        .ok_or_else(|| Error::not_found(format!("{name}: disappeared before it could be shown")))
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
    let (_, interfaces) = fetch_interfaces(ctx)?;
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

pub fn show(ctx: &Context, req: &ShowRequest) -> Result<Vec<Interface>> {
    let (links, interfaces) = fetch_interfaces(ctx)?;
    let mut out = Vec::new();
    for name in &req.names {
        match interfaces.iter().find(|i| i.name == name.as_str()) {
            Some(i) => out.push(i.clone()),
            None => {
                return Err(match links.iter().find(|l| l.name == name.as_str()) {
                    Some(link) => not_tun(link),
                    None => Error::not_found(format!(
                        "{name}: no such interface in this network namespace; see `tuntapctl list`"
                    )),
                });
            }
        }
    }
    Ok(out)
}
