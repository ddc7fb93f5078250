//! The read path: one blocking NETLINK_ROUTE socket per query, parsed
//! straight from the receive buffer by the same parsers for dumps and single
//! lookups. `list` of thousands of links spends its time here, so it avoids
//! the async codec and fully typed messages.

use nix::errno::Errno;
use rtnetlink::packet_core::{NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST};
use rtnetlink::sys::protocols::NETLINK_ROUTE;
use rtnetlink::sys::{Socket, SocketAddr};

use super::wire::*;
use super::{Address, Link};
use crate::kernel_features::{Feature, simulated_absence};

/// One receive buffer for a whole dump. The kernel packs a dump into chunks of
/// at most 32 KiB (more only for links with very many VFs); the rest of the
/// capacity is never touched, so it costs no memory.
const RECV_BUFFER: usize = 1 << 20;
/// A dump that raced with a change (NLM_F_DUMP_INTR) is taken again.
const DUMP_ATTEMPTS: usize = 3;
const SEQ: u32 = 1;

fn io_errno(e: std::io::Error) -> Errno {
    Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO))
}

/// Send one request on a fresh socket and hand every reply message's
/// (type, payload) to `each`, until the dump's end or the request's
/// acknowledgement. Returns true when the kernel flagged the dump as
/// interrupted by a concurrent change.
fn exchange(request: &[u8], mut each: impl FnMut(u16, &[u8])) -> Result<bool, Errno> {
    let socket = Socket::new(NETLINK_ROUTE).map_err(io_errno)?;
    socket
        .send_to(request, &SocketAddr::new(0, 0), 0)
        .map_err(io_errno)?;
    let mut buf: Vec<u8> = Vec::with_capacity(RECV_BUFFER);
    let mut interrupted = false;
    loop {
        buf.clear();
        // MSG_TRUNC: the real length comes back even if it did not fit.
        let len = match socket.recv(&mut buf, libc::MSG_TRUNC) {
            Ok(len) => len,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_errno(e)),
        };
        if len > buf.len() {
            return Err(Errno::EMSGSIZE);
        }
        for msg in messages(&buf[..len]) {
            let msg = msg.map_err(|()| Errno::EBADMSG)?;
            if msg.seq != SEQ {
                continue;
            }
            if msg.flags & NLM_F_DUMP_INTR != 0 {
                interrupted = true;
            }
            // NLMSG_DONE carries the dump's status, NLMSG_ERROR the
            // request's (0 is the acknowledgement): both end the exchange.
            let status = || ne_u32(msg.payload).map_or(-libc::EIO, |v| v as i32);
            match msg.kind {
                NLMSG_DONE | NLMSG_ERROR => {
                    let status = status();
                    return if status < 0 {
                        Err(Errno::from_raw(-status))
                    } else {
                        Ok(interrupted)
                    };
                }
                NLMSG_NOOP | NLMSG_OVERRUN => {}
                kind => each(kind, msg.payload),
            }
        }
    }
}

/// Run a dump and parse every message of `msg_type`; a dump the kernel
/// flags as interrupted (the set changed meanwhile) is retried.
fn dump_parsed<T>(
    request: &[u8],
    msg_type: u16,
    parse: fn(&[u8]) -> Option<T>,
) -> Result<Vec<T>, Errno> {
    let mut items = Vec::new();
    for attempt in 1..=DUMP_ATTEMPTS {
        items.clear();
        let interrupted = exchange(request, |kind, payload| {
            if kind == msg_type
                && let Some(item) = parse(payload)
            {
                items.push(item);
            }
        })?;
        if !interrupted || attempt == DUMP_ATTEMPTS {
            break;
        }
    }
    Ok(items)
}

fn ext_mask(stats: bool) -> (u16, Vec<u8>) {
    let mask = if stats { 0 } else { RTEXT_FILTER_SKIP_STATS };
    (IFLA_EXT_MASK, mask.to_ne_bytes().to_vec())
}

/// Dump the links of this network namespace; with `tun_only`, ask the kernel
/// to send only links of kind "tun" (tun and tap). Kernels without that
/// filter send everything, so callers still check `is_tun`. Counters are
/// left out unless `stats`.
pub fn dump_links(tun_only: bool, stats: bool) -> Result<Vec<Link>, Errno> {
    let links = dump_links_once(tun_only, stats)?;
    // A kernel that leaves the IPv6 address generation mode out when
    // counters are skipped (until 6.15 and its backports): its answer
    // tells, ask again.
    if !stats && links.iter().any(|l| l.addrgenmode_unreported) {
        return dump_links_once(tun_only, true);
    }
    Ok(links)
}

fn dump_links_once(tun_only: bool, stats: bool) -> Result<Vec<Link>, Errno> {
    let mut attrs = vec![ext_mask(stats)];
    if tun_only {
        let mut kind = Vec::new();
        push_attribute(&mut kind, IFLA_INFO_KIND, b"tun\0");
        attrs.push((IFLA_LINKINFO, kind));
    }
    let request = request(
        RTM_GETLINK,
        NLM_F_REQUEST | NLM_F_DUMP,
        SEQ,
        &[0u8; 16],
        &attrs,
    );
    let mut links = dump_parsed(&request, RTM_NEWLINK, Link::from_bytes)?;
    // The fault hook: answer as 5.10 does without counters.
    if !stats && simulated_absence(Feature::AddrGenModeWithoutStats).is_some() {
        for link in links.iter_mut().filter(|l| l.addrgenmode.is_some()) {
            link.addrgenmode = None;
            link.addrgenmode_unreported = true;
        }
    }
    Ok(links)
}

/// Dump every address in this network namespace.
pub fn dump_addresses() -> Result<Vec<Address>, Errno> {
    let request = request(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, SEQ, &[0u8; 8], &[]);
    let mut addresses = dump_parsed(&request, RTM_NEWADDR, Address::from_bytes)?;
    // Fault hook: answer as a kernel without IFA_PROTO (before 5.18) does.
    if simulated_absence(Feature::AddressProtocol).is_some() {
        addresses.iter_mut().for_each(|a| a.protocol = None);
    }
    Ok(addresses)
}

/// Look one link up by name, with its counters. None when there is none.
/// Any name the kernel can hold is accepted here (control characters too):
/// validation of new names happens before a device is made, not on lookup.
pub fn link_by_name(name: &str) -> Result<Option<Link>, Errno> {
    let mut ifname = name.as_bytes().to_vec();
    ifname.push(0);
    let request = request(
        RTM_GETLINK,
        NLM_F_REQUEST | NLM_F_ACK,
        SEQ,
        &[0u8; 16],
        &[ext_mask(true), (IFLA_IFNAME, ifname)],
    );
    one_link(&request)
}

/// Look one link up by index, without counters (with them on a kernel
/// that then leaves out the IPv6 address generation mode, as
/// `dump_links`). None when there is none.
pub fn link_by_index(index: u32) -> Result<Option<Link>, Errno> {
    let mut header = [0u8; 16];
    header[4..8].copy_from_slice(&index.to_ne_bytes());
    let ask = |stats: bool| {
        let request = request(
            RTM_GETLINK,
            NLM_F_REQUEST | NLM_F_ACK,
            SEQ,
            &header,
            &[ext_mask(stats)],
        );
        one_link(&request)
    };
    match ask(false)? {
        Some(link) if link.addrgenmode_unreported => ask(true),
        found => Ok(found),
    }
}

/// Send a single-link RTM_GETLINK and parse its answer; None when the
/// kernel says there is no such device (ENODEV).
fn one_link(request: &[u8]) -> Result<Option<Link>, Errno> {
    let mut found = None;
    match exchange(request, |kind, payload| {
        if kind == RTM_NEWLINK && found.is_none() {
            found = Link::from_bytes(payload);
        }
    }) {
        Ok(_) => Ok(found),
        Err(Errno::ENODEV) => Ok(None),
        Err(e) => Err(e),
    }
}
