//! The tap inside the container's namespace: made by the same engine as
//! `tuntapctl add` under a temporary name, renamed to CNI_IFNAME, then
//! brought up with the IPAM plugin's addresses and routes. Any failure
//! removes it again. Every function here runs inside CNI_NETNS.

use std::hash::BuildHasher;

use super::config::NetConf;
use super::error::{CniError, CniResult, Code};
use super::ipam::Allocation;
use crate::commands::{AddRequest, Context};
use crate::netlink::{Address, Change, Link, LinkChange};
use crate::request::AroundRequest;
use crate::validate::around::MasterSpec;
use crate::validate::{IfAddr, IfName};

/// A name no one else picks: "tt" and 8 hex digits.
fn temporary_name() -> CniResult<IfName> {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let n = std::collections::hash_map::RandomState::new().hash_one((std::process::id(), seed));
    // 10 bytes of [0-9a-f] after "tt": always a valid name.
    IfName::parse(&format!("tt{:08x}", n as u32)).map_err(engine)
}

fn engine(e: crate::error::Error) -> CniError {
    CniError::from_engine(&e)
}

/// Make the tap, named `ifname`, with the config's settings and the
/// allocation's addresses and routes. Returns the link as the kernel has it.
pub fn create(conf: &NetConf, ifname: &IfName, alloc: &Allocation) -> CniResult<Link> {
    let ctx = Context::new();
    if ctx.link_by_name(ifname.as_str()).map_err(engine)?.is_some() {
        return Err(CniError::new(
            Code::InvalidEnvironment,
            format!(
                "CNI_IFNAME {ifname}: a device of that name already exists in the container's network namespace; nothing was changed"
            ),
        )
        .details("choose another CNI_IFNAME, or DEL the attachment that made it first"));
    }
    let temp = temporary_name()?;
    let req = AddRequest {
        name: temp.clone(),
        mode: conf.mode,
        owner: conf.owner.clone(),
        group: conf.group.clone(),
        pi: false,
        vnet_hdr: conf.vnet_hdr,
        multi_queue: conf.multi_queue,
        mac: conf.mac,
        mtu: conf.mtu,
        txqueuelen: conf.txqueuelen,
        addresses: vec![],
        up: false,
        exist_ok: false,
        brief: false,
        dry_run: false,
        around: AroundRequest {
            master: conf.bridge.clone().map(MasterSpec::Set),
            alias: conf.alias.clone(),
            addrgenmode: conf.addrgenmode,
            rename: None,
            move_to: None,
        },
    };
    if let Some(label) = &conf.selinux_context {
        super::selinux::apply(label)?;
    }
    crate::commands::add(&ctx, &req).map_err(engine)?;
    let made = ctx
        .link_by_name(temp.as_str())
        .map_err(engine)?
        .ok_or_else(|| {
            CniError::new(
                Code::Io,
                format!("the new tap {temp} vanished before it was renamed to {ifname}"),
            )
        })?;
    let result = configure(&ctx, made.index, ifname, alloc);
    if let Err(e) = result {
        // Leave nothing: the tap goes, whatever its name is by now.
        let _ = ctx
            .netlink()
            .map(|nl| nl.apply_one(Change::DelLink(made.index)));
        return Err(e);
    }
    crate::netlink::link_by_index(made.index)
        .ok()
        .flatten()
        .ok_or_else(|| {
            CniError::new(
                Code::Io,
                format!("{ifname} vanished while it was being configured"),
            )
        })
}

/// Rename, then up, addresses and routes.
fn configure(ctx: &Context, index: u32, ifname: &IfName, alloc: &Allocation) -> CniResult<()> {
    let nl = ctx.netlink().map_err(engine)?;
    let rename = LinkChange {
        rename: Some(ifname.as_str().to_string()),
        ..Default::default()
    };
    nl.apply_one(Change::Link(index, rename)).map_err(|errno| {
        CniError::new(
            Code::Io,
            format!(
                "cannot rename the new tap to CNI_IFNAME {ifname}: {}",
                crate::error::errno_text(errno as i32)
            ),
        )
    })?;
    let mut changes = vec![Change::Link(
        index,
        LinkChange {
            up: Some(true),
            ..Default::default()
        },
    )];
    for ip in &alloc.ips {
        changes.push(Change::AddAddress(
            index,
            IfAddr {
                address: ip.address,
                prefix_len: ip.prefix_len,
                peer: None,
            },
        ));
    }
    for (change, result) in changes.clone().into_iter().zip(nl.apply(changes)) {
        if let Err(errno) = result {
            let what = match change {
                Change::AddAddress(_, a) => format!("add address {a} to"),
                _ => "bring up".to_string(),
            };
            return Err(CniError::new(
                Code::Io,
                format!(
                    "cannot {what} {ifname}: {}",
                    crate::error::errno_text(errno as i32)
                ),
            ));
        }
    }
    // A route without a gateway goes through the gateway of the first
    // address of its family, as the upstream plugins' ConfigureIface does.
    let routes: Vec<crate::netlink::Route> = alloc
        .routes
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if r.gateway.is_none() {
                r.gateway = alloc
                    .ips
                    .iter()
                    .filter_map(|ip| ip.gateway)
                    .find(|g| g.is_ipv4() == r.dst.is_ipv4());
            }
            r
        })
        .collect();
    for (route, result) in routes.iter().zip(nl.add_routes(index, &routes)) {
        if let Err(errno) = result {
            let via = route
                .gateway
                .map(|g| format!(" via {g}"))
                .unwrap_or_default();
            return Err(CniError::new(
                Code::Io,
                format!(
                    "cannot add route {}/{}{via} through {ifname}: {}",
                    route.dst,
                    route.prefix_len,
                    crate::error::errno_text(errno as i32)
                ),
            )
            .details("check the IPAM configuration's routes and gateway"));
        }
    }
    Ok(())
}

/// Remove the tap named `ifname` if there is one. A device of that name
/// that is not a tun/tap was not made by us and is left alone.
pub fn delete(ifname: &str) -> CniResult<()> {
    let ctx = Context::new();
    let Some(link) = ctx.link_by_name(ifname).map_err(engine)? else {
        return Ok(());
    };
    if !link.is_tun() {
        return Ok(());
    }
    match ctx
        .netlink()
        .map_err(engine)?
        .apply_one(Change::DelLink(link.index))
    {
        Ok(()) | Err(nix::errno::Errno::ENODEV) => Ok(()),
        Err(errno) => Err(CniError::new(
            Code::Io,
            format!(
                "cannot delete {ifname}: {}",
                crate::error::errno_text(errno as i32)
            ),
        )),
    }
}

/// The device and its addresses, for CHECK; None when it is missing.
pub fn inspect(ifname: &str) -> CniResult<Option<(Link, Vec<Address>)>> {
    let ctx = Context::new();
    let Some(link) = ctx.link_by_name(ifname).map_err(engine)? else {
        return Ok(None);
    };
    let addresses = ctx
        .addresses()
        .map_err(engine)?
        .into_iter()
        .filter(|a| a.index == link.index)
        .collect();
    Ok(Some((link, addresses)))
}
