//! The rtnetlink edge: one connection on a current-thread runtime, link and
//! address dumps parsed into plain structs, and configuration requests sent
//! pipelined (all sent, then every acknowledgement checked).

use std::net::IpAddr;

use futures_util::StreamExt;
use futures_util::future::join_all;
use nix::errno::Errno;
use rtnetlink::Handle;
use rtnetlink::packet_core::{
    NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REQUEST, NetlinkMessage, NetlinkPayload,
    Nla,
};
use rtnetlink::packet_route::address::{AddressAttribute, AddressMessage, AddressScope};
use rtnetlink::packet_route::link::{
    InfoData, InfoKind, LinkAttribute, LinkFlags, LinkInfo, LinkMessage, State,
};
use rtnetlink::packet_route::{AddressFamily, RouteNetlinkMessage};
use rtnetlink::sys::protocols::NETLINK_ROUTE;
use rtnetlink::sys::{Socket, SocketAddr};

use crate::error::{Error, NEED_NET_ADMIN, Result};
use crate::validate::{IfAddr, Mode};

/// IFLA_TUN_* attribute numbers (linux/if_link.h).
const IFLA_TUN_OWNER: u16 = 1;
const IFLA_TUN_GROUP: u16 = 2;
const IFLA_TUN_TYPE: u16 = 3;
const IFLA_TUN_PI: u16 = 4;
const IFLA_TUN_VNET_HDR: u16 = 5;
const IFLA_TUN_PERSIST: u16 = 6;
const IFLA_TUN_MULTI_QUEUE: u16 = 7;
const IFLA_TUN_NUM_QUEUES: u16 = 8;
const IFLA_TUN_NUM_DISABLED_QUEUES: u16 = 9;

/// What IFLA_INFO_DATA says about a tun/tap device.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TunAttrs {
    pub mode: Option<Mode>,
    pub owner: Option<u32>,
    pub group: Option<u32>,
    pub pi: bool,
    pub vnet_hdr: bool,
    pub persist: bool,
    pub multi_queue: bool,
    pub num_queues: Option<u32>,
    pub num_disabled_queues: Option<u32>,
}

/// Parse the tun attributes from (type, payload) pairs. Unknown types and
/// short payloads are ignored, never trusted: the input comes from the kernel
/// but the parser must not panic on anything.
pub fn parse_tun_attrs<'a>(attrs: impl IntoIterator<Item = (u16, &'a [u8])>) -> TunAttrs {
    let mut tun = TunAttrs::default();
    let u8_of = |v: &[u8]| v.first().copied();
    let u32_of = |v: &[u8]| {
        v.get(..4)
            .map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
    };
    for (kind, value) in attrs {
        match kind {
            IFLA_TUN_OWNER => tun.owner = u32_of(value),
            IFLA_TUN_GROUP => tun.group = u32_of(value),
            IFLA_TUN_TYPE => {
                tun.mode = match u8_of(value) {
                    Some(1) => Some(Mode::Tun),
                    Some(2) => Some(Mode::Tap),
                    _ => None,
                }
            }
            IFLA_TUN_PI => tun.pi = u8_of(value).unwrap_or(0) != 0,
            IFLA_TUN_VNET_HDR => tun.vnet_hdr = u8_of(value).unwrap_or(0) != 0,
            IFLA_TUN_PERSIST => tun.persist = u8_of(value).unwrap_or(0) != 0,
            IFLA_TUN_MULTI_QUEUE => tun.multi_queue = u8_of(value).unwrap_or(0) != 0,
            IFLA_TUN_NUM_QUEUES => tun.num_queues = u32_of(value),
            IFLA_TUN_NUM_DISABLED_QUEUES => tun.num_disabled_queues = u32_of(value),
            _ => {}
        }
    }
    tun
}

/// IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer when
/// they differ (point-to-point), else the same address.
fn own_and_peer(
    local: Option<IpAddr>,
    address: Option<IpAddr>,
) -> Option<(IpAddr, Option<IpAddr>)> {
    match (local, address) {
        (Some(l), Some(a)) if l != a => Some((l, Some(a))),
        (Some(l), _) => Some((l, None)),
        (None, Some(a)) => Some((a, None)),
        (None, None) => None,
    }
}

/// A link as we need it, from one RTM_NEWLINK message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub index: u32,
    pub name: String,
    /// IFLA_INFO_KIND ("tun" for both tun and tap); None for plain devices.
    pub kind: Option<String>,
    /// Present when kind is "tun".
    pub tun: Option<TunAttrs>,
    pub mac: Option<Vec<u8>>,
    pub mtu: u32,
    pub min_mtu: Option<u32>,
    pub max_mtu: Option<u32>,
    pub txqueuelen: u32,
    pub up: bool,
    pub carrier: bool,
    pub operstate: String,
    pub group: u32,
}

impl Link {
    /// A link with nothing known but its index and state flags; parsers fill
    /// in the rest from attributes.
    fn bare(index: u32, up: bool, carrier: bool) -> Link {
        Link {
            index,
            name: String::new(),
            kind: None,
            tun: None,
            mac: None,
            mtu: 0,
            min_mtu: None,
            max_mtu: None,
            txqueuelen: 0,
            up,
            carrier,
            operstate: "unknown".into(),
            group: 0,
        }
    }

    /// A device we have just created and hold: down, no carrier, no
    /// addresses. Values we do not know for sure (the MAC, MTU and queue
    /// length the kernel picked) are set to differ from `desired`, so that
    /// every requested value is sent rather than skipped as "already so".
    pub fn new_device(
        index: u32,
        name: &str,
        mode: Mode,
        desired: &crate::commands::Desired,
    ) -> Link {
        Link {
            name: name.to_string(),
            kind: Some("tun".into()),
            tun: Some(TunAttrs {
                mode: Some(mode),
                ..Default::default()
            }),
            mtu: desired.mtu.map_or(0, |m| m.wrapping_add(1)),
            txqueuelen: desired.txqueuelen.map_or(0, |q| q.wrapping_add(1)),
            operstate: "down".into(),
            ..Link::bare(index, false, false)
        }
    }

    pub fn from_message(msg: &LinkMessage) -> Link {
        let mut link = Link::bare(
            msg.header.index,
            msg.header.flags.contains(LinkFlags::Up),
            msg.header.flags.contains(LinkFlags::LowerUp),
        );
        for attr in &msg.attributes {
            match attr {
                LinkAttribute::IfName(name) => link.name = name.clone(),
                LinkAttribute::Address(mac) => link.mac = Some(mac.clone()),
                LinkAttribute::Mtu(v) => link.mtu = *v,
                LinkAttribute::MinMtu(v) => link.min_mtu = Some(*v),
                LinkAttribute::MaxMtu(v) => link.max_mtu = Some(*v),
                LinkAttribute::TxQueueLen(v) => link.txqueuelen = *v,
                LinkAttribute::Carrier(v) => link.carrier = *v != 0,
                LinkAttribute::Group(v) => link.group = *v,
                LinkAttribute::OperState(state) => link.operstate = operstate_name(state),
                LinkAttribute::LinkInfo(infos) => {
                    for info in infos {
                        match info {
                            LinkInfo::Kind(kind) => {
                                link.kind = Some(match kind {
                                    InfoKind::Tun => "tun".to_string(),
                                    other => other.to_string(),
                                })
                            }
                            LinkInfo::Data(InfoData::Tun(items)) => {
                                let raw: Vec<(u16, Vec<u8>)> = items
                                    .iter()
                                    .map(|nla| {
                                        let mut buf = vec![0u8; nla.value_len()];
                                        nla.emit_value(&mut buf);
                                        (nla.kind(), buf)
                                    })
                                    .collect();
                                link.tun = Some(parse_tun_attrs(
                                    raw.iter().map(|(k, v)| (*k, v.as_slice())),
                                ));
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        if link.kind.as_deref() == Some("tun") && link.tun.is_none() {
            link.tun = Some(TunAttrs::default());
        }
        // A tun (layer 3) reports no IFLA_ADDRESS, or an empty one.
        if link.mac.as_ref().is_some_and(|m| m.is_empty()) {
            link.mac = None;
        }
        link
    }

    pub fn is_tun(&self) -> bool {
        self.kind.as_deref() == Some("tun")
    }

    /// "a veth", "a loopback device": what this link is, for refusals.
    pub fn describe_kind(&self) -> String {
        match self.kind.as_deref() {
            Some("tun") => match self.tun.as_ref().and_then(|t| t.mode) {
                Some(mode) => format!("a {mode}"),
                None => "a tun/tap".into(),
            },
            Some(kind) => format!("a {kind} device"),
            None if self.name == "lo" => "the loopback device".into(),
            None => "a physical or driver-managed device".into(),
        }
    }
}

fn operstate_name(state: &State) -> String {
    state.to_string().to_ascii_lowercase()
}

/// An address from one RTM_NEWADDR message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    pub index: u32,
    pub address: IpAddr,
    pub prefix_len: u8,
    pub peer: Option<IpAddr>,
    pub scope: String,
    /// IFA_PROTO (Linux 6.1+): who made the address; absent for addresses
    /// added by a user (and on older kernels).
    pub protocol: Option<u8>,
}

/// IFA_PROTO value of the IPv6 link-local address the kernel adds itself.
const IFAPROT_KERNEL_LL: u8 = 3;
const IFA_PROTO: u16 = 11;

/// Does this kernel tag the addresses it makes with IFA_PROTO (6.1+)? Then an
/// untagged fe80:: address was added by someone, not by the kernel.
fn kernel_tags_addresses() -> bool {
    static TAGS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TAGS.get_or_init(|| {
        let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
        let mut parts = release
            .trim()
            .split(|c: char| !c.is_ascii_digit())
            .map(|p| p.parse::<u32>().unwrap_or(0));
        let major = parts.next().unwrap_or(0);
        let minor = parts.next().unwrap_or(0);
        (major, minor) >= (6, 1)
    })
}

impl Address {
    pub fn from_message(msg: &AddressMessage) -> Option<Address> {
        let mut local = None;
        let mut address = None;
        let mut protocol = None;
        for attr in &msg.attributes {
            match attr {
                AddressAttribute::Local(ip) => local = Some(*ip),
                AddressAttribute::Address(ip) => address = Some(*ip),
                AddressAttribute::Protocol(p) => protocol = Some(u8::from(*p)),
                _ => {}
            }
        }
        let (own, peer) = own_and_peer(local, address)?;
        Some(Address {
            index: msg.header.index,
            address: own,
            prefix_len: msg.header.prefix_len,
            peer,
            scope: scope_name(&msg.header.scope),
            protocol,
        })
    }

    /// Parse the payload of one RTM_NEWADDR message (struct ifaddrmsg, then
    /// attributes). None for families other than IPv4/IPv6 or short input.
    pub fn from_bytes(payload: &[u8]) -> Option<Address> {
        if payload.len() < 8 {
            return None;
        }
        let (family, prefix_len, scope) = (payload[0], payload[1], payload[3]);
        let index = ne_u32(&payload[4..8])?;
        let ip = |v: &[u8]| -> Option<IpAddr> {
            match family as i32 {
                libc::AF_INET => <[u8; 4]>::try_from(v).ok().map(IpAddr::from),
                libc::AF_INET6 => <[u8; 16]>::try_from(v).ok().map(IpAddr::from),
                _ => None,
            }
        };
        let mut local = None;
        let mut address = None;
        let mut protocol = None;
        for (kind, value) in attributes(&payload[8..]) {
            match kind {
                IFA_LOCAL => local = ip(value),
                IFA_ADDRESS => address = ip(value),
                IFA_PROTO => protocol = value.first().copied(),
                _ => {}
            }
        }
        let (own, peer) = own_and_peer(local, address)?;
        Some(Address {
            index,
            address: own,
            prefix_len,
            peer,
            scope: scope_text(scope),
            protocol,
        })
    }

    pub fn family(&self) -> &'static str {
        if self.address.is_ipv4() {
            "inet"
        } else {
            "inet6"
        }
    }

    /// True for the IPv6 link-local address the kernel made itself. Kernels
    /// from 6.1 say so (IFA_PROTO kernel_ll), so a link-local address that a
    /// user added is not mistaken for it; older kernels do not, and there
    /// every fe80::/10 address counts.
    pub fn is_kernel_link_local(&self) -> bool {
        let link_local =
            matches!(self.address, IpAddr::V6(v6) if v6.segments()[0] & 0xffc0 == 0xfe80);
        match self.protocol {
            Some(p) => p == IFAPROT_KERNEL_LL,
            None => link_local && !kernel_tags_addresses(),
        }
    }

    pub fn matches(&self, want: &IfAddr) -> bool {
        self.address == want.address
            && self.prefix_len == want.prefix_len
            && (want.peer.is_none() || self.peer == want.peer)
    }
}

fn scope_name(scope: &AddressScope) -> String {
    match scope {
        AddressScope::Universe => "global".into(),
        AddressScope::Site => "site".into(),
        AddressScope::Link => "link".into(),
        AddressScope::Host => "host".into(),
        AddressScope::Nowhere => "nowhere".into(),
        AddressScope::Other(n) => n.to_string(),
        _ => "unknown".into(),
    }
}

/// One configuration request.
#[derive(Clone, Debug)]
pub enum Request {
    SetLink(LinkMessage),
    AddAddress(AddressMessage),
    DelAddress(AddressMessage),
    DelLink(LinkMessage),
}

/// Link settings for one RTM_NEWLINK/SETLINK on an existing index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkChange {
    pub mac: Option<[u8; 6]>,
    pub mtu: Option<u32>,
    pub txqueuelen: Option<u32>,
    pub group: Option<u32>,
    pub up: Option<bool>,
    pub carrier: Option<bool>,
}

impl LinkChange {
    pub fn is_empty(&self) -> bool {
        *self == LinkChange::default()
    }

    pub fn to_message(&self, index: u32) -> LinkMessage {
        let mut msg = LinkMessage::default();
        msg.header.index = index;
        if let Some(up) = self.up {
            msg.header.change_mask = LinkFlags::Up;
            if up {
                msg.header.flags = LinkFlags::Up;
            }
        }
        if let Some(mac) = self.mac {
            msg.attributes.push(LinkAttribute::Address(mac.to_vec()));
        }
        if let Some(mtu) = self.mtu {
            msg.attributes.push(LinkAttribute::Mtu(mtu));
        }
        if let Some(q) = self.txqueuelen {
            msg.attributes.push(LinkAttribute::TxQueueLen(q));
        }
        if let Some(g) = self.group {
            msg.attributes.push(LinkAttribute::Group(g));
        }
        if let Some(c) = self.carrier {
            msg.attributes.push(LinkAttribute::Carrier(c as u8));
        }
        msg
    }
}

pub fn address_message(index: u32, addr: &IfAddr) -> AddressMessage {
    let mut msg = AddressMessage::default();
    msg.header.index = index;
    msg.header.prefix_len = addr.prefix_len;
    msg.header.family = match addr.address {
        IpAddr::V4(_) => AddressFamily::Inet,
        IpAddr::V6(_) => AddressFamily::Inet6,
    };
    msg.attributes.push(AddressAttribute::Local(addr.address));
    msg.attributes
        .push(AddressAttribute::Address(addr.peer.unwrap_or(addr.address)));
    msg
}

pub fn delete_address_message(addr: &Address) -> AddressMessage {
    address_message(
        addr.index,
        &IfAddr {
            address: addr.address,
            prefix_len: addr.prefix_len,
            peer: addr.peer,
        },
    )
}

// The fast read path. `list` and `show` dump every link and address; parsing
// each message into netlink-packet-route's fully typed structures (stats,
// per-family configuration, ...) and queueing it through the async codec
// costs several times what the kernel spends producing the dump. These dumps
// use one blocking socket and read only the attributes a `Link` or `Address`
// needs, straight from the receive buffer.

const NLMSG_HDRLEN: usize = 16;
const NLMSG_NOOP: u16 = 1;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const NLMSG_OVERRUN: u16 = 4;
const NLM_F_DUMP_INTR: u16 = 0x10;
const RTM_NEWLINK: u16 = 16;
const RTM_GETLINK: u16 = 18;
const RTM_NEWADDR: u16 = 20;
const RTM_GETADDR: u16 = 22;
/// Attribute type bits (without NLA_F_NESTED / NLA_F_NET_BYTEORDER).
const NLA_TYPE_MASK: u16 = 0x3fff;

const IFLA_ADDRESS: u16 = 1;
const IFLA_IFNAME: u16 = 3;
const IFLA_MTU: u16 = 4;
const IFLA_TXQLEN: u16 = 13;
const IFLA_OPERSTATE: u16 = 16;
const IFLA_LINKINFO: u16 = 18;
const IFLA_GROUP: u16 = 27;
const IFLA_EXT_MASK: u16 = 29;
const IFLA_CARRIER: u16 = 33;
const IFLA_MIN_MTU: u16 = 50;
const IFLA_MAX_MTU: u16 = 51;
const IFLA_INFO_KIND: u16 = 1;
const IFLA_INFO_DATA: u16 = 2;
const IFA_ADDRESS: u16 = 1;
const IFA_LOCAL: u16 = 2;
/// RTEXT_FILTER_SKIP_STATS: leave out the counters nobody here reads (a
/// quarter of every link message).
const RTEXT_FILTER_SKIP_STATS: u32 = 1 << 3;
const IFF_UP: u32 = 0x1;
const IFF_LOWER_UP: u32 = 0x1_0000;

/// One receive buffer for a whole dump. The kernel packs a dump into chunks of
/// at most 32 KiB (more only for links with very many VFs); the rest of the
/// capacity is never touched, so it costs no memory.
const DUMP_BUFFER: usize = 1 << 20;
/// A dump that raced with a change (NLM_F_DUMP_INTR) is taken again.
const DUMP_ATTEMPTS: usize = 3;
const DUMP_SEQ: u32 = 1;

/// The (type, payload) pairs in a run of netlink attributes. Stops at the
/// first malformed one: the input comes from the kernel, but nothing here
/// may panic or read out of bounds.
fn attributes(mut buf: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        if buf.len() < 4 {
            return None;
        }
        let len = u16::from_ne_bytes([buf[0], buf[1]]) as usize;
        let kind = u16::from_ne_bytes([buf[2], buf[3]]) & NLA_TYPE_MASK;
        if len < 4 || len > buf.len() {
            buf = &[];
            return None;
        }
        let value = &buf[4..len];
        let aligned = (len + 3) & !3;
        buf = buf.get(aligned..).unwrap_or(&[]);
        Some((kind, value))
    })
}

fn ne_u32(v: &[u8]) -> Option<u32> {
    v.get(..4)
        .map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
}

fn nul_terminated(v: &[u8]) -> String {
    let end = v.iter().position(|b| *b == 0).unwrap_or(v.len());
    String::from_utf8_lossy(&v[..end]).into_owned()
}

fn operstate_text(state: u8) -> String {
    match state {
        0 => "unknown".into(),
        1 => "notpresent".into(),
        2 => "down".into(),
        3 => "lowerlayerdown".into(),
        4 => "testing".into(),
        5 => "dormant".into(),
        6 => "up".into(),
        other => other.to_string(),
    }
}

fn scope_text(scope: u8) -> String {
    match scope {
        0 => "global".into(),
        200 => "site".into(),
        253 => "link".into(),
        254 => "host".into(),
        255 => "nowhere".into(),
        other => other.to_string(),
    }
}

impl Link {
    /// Parse the payload of one RTM_NEWLINK message (struct ifinfomsg, then
    /// attributes). None when it is too short to be one.
    pub fn from_bytes(payload: &[u8]) -> Option<Link> {
        if payload.len() < 16 {
            return None;
        }
        let index = ne_u32(&payload[4..8])?;
        let flags = ne_u32(&payload[8..12])?;
        let mut link = Link::bare(index, flags & IFF_UP != 0, flags & IFF_LOWER_UP != 0);
        let mut info_data: Option<&[u8]> = None;
        for (kind, value) in attributes(&payload[16..]) {
            match kind {
                IFLA_IFNAME => link.name = nul_terminated(value),
                IFLA_ADDRESS => link.mac = Some(value.to_vec()),
                IFLA_MTU => link.mtu = ne_u32(value).unwrap_or(0),
                IFLA_MIN_MTU => link.min_mtu = ne_u32(value),
                IFLA_MAX_MTU => link.max_mtu = ne_u32(value),
                IFLA_TXQLEN => link.txqueuelen = ne_u32(value).unwrap_or(0),
                IFLA_GROUP => link.group = ne_u32(value).unwrap_or(0),
                IFLA_CARRIER => {
                    if let Some(c) = value.first() {
                        link.carrier = *c != 0;
                    }
                }
                IFLA_OPERSTATE => {
                    if let Some(s) = value.first() {
                        link.operstate = operstate_text(*s);
                    }
                }
                IFLA_LINKINFO => {
                    for (info, data) in attributes(value) {
                        match info {
                            IFLA_INFO_KIND => link.kind = Some(nul_terminated(data)),
                            IFLA_INFO_DATA => info_data = Some(data),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        if link.is_tun() {
            link.tun = Some(
                info_data
                    .map(|d| parse_tun_attrs(attributes(d)))
                    .unwrap_or_default(),
            );
        }
        // A tun (layer 3) reports no IFLA_ADDRESS, or an empty one.
        if link.mac.as_ref().is_some_and(|m| m.is_empty()) {
            link.mac = None;
        }
        Some(link)
    }
}

/// Run one dump request on a fresh socket and hand every reply message's
/// (type, payload) to `each`. Returns true when the kernel flagged the dump as
/// interrupted by a concurrent change.
fn dump(request: &[u8], mut each: impl FnMut(u16, &[u8])) -> std::result::Result<bool, Errno> {
    let io = |e: std::io::Error| Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO));
    let socket = Socket::new(NETLINK_ROUTE).map_err(io)?;
    socket
        .send_to(request, &SocketAddr::new(0, 0), 0)
        .map_err(io)?;
    let mut buf: Vec<u8> = Vec::with_capacity(DUMP_BUFFER);
    let mut interrupted = false;
    loop {
        buf.clear();
        // MSG_TRUNC: the real length comes back even if it did not fit.
        let len = match socket.recv(&mut buf, libc::MSG_TRUNC) {
            Ok(len) => len,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        if len > buf.len() {
            return Err(Errno::EMSGSIZE);
        }
        let mut rest = &buf[..len];
        while rest.len() >= NLMSG_HDRLEN {
            let msg_len = ne_u32(&rest[0..4]).unwrap_or(0) as usize;
            if msg_len < NLMSG_HDRLEN || msg_len > rest.len() {
                return Err(Errno::EBADMSG);
            }
            let msg_type = u16::from_ne_bytes([rest[4], rest[5]]);
            let flags = u16::from_ne_bytes([rest[6], rest[7]]);
            let seq = ne_u32(&rest[8..12]).unwrap_or(0);
            let payload = &rest[NLMSG_HDRLEN..msg_len];
            rest = rest.get((msg_len + 3) & !3..).unwrap_or(&[]);
            if seq != DUMP_SEQ {
                continue;
            }
            if flags & NLM_F_DUMP_INTR != 0 {
                interrupted = true;
            }
            match msg_type {
                NLMSG_DONE => {
                    // The payload holds the dump's own status (0 or -errno).
                    let status = ne_u32(payload).map(|v| v as i32).unwrap_or(0);
                    return if status < 0 {
                        Err(Errno::from_raw(-status))
                    } else {
                        Ok(interrupted)
                    };
                }
                NLMSG_ERROR => {
                    let code = ne_u32(payload).map(|v| v as i32).unwrap_or(-libc::EIO);
                    if code < 0 {
                        return Err(Errno::from_raw(-code));
                    }
                }
                NLMSG_NOOP | NLMSG_OVERRUN => {}
                _ => each(msg_type, payload),
            }
        }
    }
}

/// A dump request: netlink header, the fixed family header, attributes.
fn dump_request(msg_type: u16, header: &[u8], attrs: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let mut req = vec![0u8; NLMSG_HDRLEN];
    req.extend_from_slice(header);
    for (kind, value) in attrs {
        let len = 4 + value.len();
        req.extend_from_slice(&(len as u16).to_ne_bytes());
        req.extend_from_slice(&kind.to_ne_bytes());
        req.extend_from_slice(value);
        req.resize((req.len() + 3) & !3, 0);
    }
    let total = req.len() as u32;
    req[0..4].copy_from_slice(&total.to_ne_bytes());
    req[4..6].copy_from_slice(&msg_type.to_ne_bytes());
    req[6..8].copy_from_slice(&(NLM_F_REQUEST | NLM_F_DUMP).to_ne_bytes());
    req[8..12].copy_from_slice(&DUMP_SEQ.to_ne_bytes());
    req
}

/// Dump the links of this network namespace; with `tun_only`, ask the kernel
/// to send only links of kind "tun" (tun and tap). Kernels without that
/// filter send everything, so callers still check `is_tun`.
pub fn dump_links(tun_only: bool) -> Result<Vec<Link>> {
    let mut attrs = vec![(
        IFLA_EXT_MASK,
        RTEXT_FILTER_SKIP_STATS.to_ne_bytes().to_vec(),
    )];
    if tun_only {
        let mut kind = Vec::new();
        kind.extend_from_slice(&8u16.to_ne_bytes());
        kind.extend_from_slice(&IFLA_INFO_KIND.to_ne_bytes());
        kind.extend_from_slice(b"tun\0");
        attrs.push((IFLA_LINKINFO, kind));
    }
    let request = dump_request(RTM_GETLINK, &[0u8; 16], &attrs);
    dump_parsed(&request, RTM_NEWLINK, Link::from_bytes, "links")
}

/// Dump every address in this network namespace.
pub fn dump_addresses() -> Result<Vec<Address>> {
    let request = dump_request(RTM_GETADDR, &[0u8; 8], &[]);
    dump_parsed(&request, RTM_NEWADDR, Address::from_bytes, "addresses")
}

/// Run a dump and parse every message of `msg_type`; a dump the kernel
/// flags as interrupted (the set changed meanwhile) is retried.
fn dump_parsed<T>(
    request: &[u8],
    msg_type: u16,
    parse: fn(&[u8]) -> Option<T>,
    what: &str,
) -> Result<Vec<T>> {
    let mut items = Vec::new();
    for attempt in 1..=DUMP_ATTEMPTS {
        items.clear();
        let interrupted = dump(request, |kind, payload| {
            if kind == msg_type
                && let Some(item) = parse(payload)
            {
                items.push(item);
            }
        })
        .map_err(|e| lookup_error(what, e))?;
        if !interrupted || attempt == DUMP_ATTEMPTS {
            break;
        }
    }
    Ok(items)
}

/// An open rtnetlink connection in the current network namespace.
pub struct Netlink {
    runtime: tokio::runtime::Runtime,
    handle: Handle,
}

impl Netlink {
    pub fn connect() -> Result<Netlink> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .map_err(|e| Error::failed(format!("cannot start the netlink event loop: {e}")))?;
        let handle = runtime.block_on(async {
            let (connection, handle, _) = rtnetlink::new_connection().map_err(|e| {
                let fix = match e.kind() {
                    std::io::ErrorKind::PermissionDenied => {
                        "a seccomp, container or security policy forbids netlink sockets here; run tuntapctl where NETLINK_ROUTE sockets are allowed"
                    }
                    _ => "check that the kernel has netlink support and the process may open sockets (ulimit -n)",
                };
                Error::failed(format!(
                    "cannot open a netlink socket (NETLINK_ROUTE): {e}; {fix}"
                ))
            })?;
            tokio::spawn(connection);
            Ok::<_, Error>(handle)
        })?;
        Ok(Netlink { runtime, handle })
    }

    /// Send one request and collect every reply message, or the errno.
    async fn request_all(
        mut handle: Handle,
        msg: RouteNetlinkMessage,
        flags: u16,
    ) -> std::result::Result<Vec<RouteNetlinkMessage>, Errno> {
        let mut req = NetlinkMessage::from(msg);
        req.header.flags = flags;
        let mut stream = handle.request(req).map_err(|_| Errno::EIO)?;
        let mut out = Vec::new();
        while let Some(reply) = stream.next().await {
            match reply.payload {
                NetlinkPayload::InnerMessage(inner) => out.push(inner),
                NetlinkPayload::Error(err) => {
                    if let Some(code) = err.code {
                        return Err(Errno::from_raw(-code.get()));
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// Look one link up by name. None when it does not exist.
    pub fn link_by_name(&self, name: &str) -> Result<Option<Link>> {
        let mut msg = LinkMessage::default();
        msg.attributes.push(LinkAttribute::IfName(name.to_string()));
        let handle = self.handle.clone();
        let replies = self.runtime.block_on(Self::request_all(
            handle,
            RouteNetlinkMessage::GetLink(msg),
            NLM_F_REQUEST,
        ));
        match replies {
            Ok(replies) => Ok(replies.iter().find_map(|m| match m {
                RouteNetlinkMessage::NewLink(l) => Some(Link::from_message(l)),
                _ => None,
            })),
            Err(Errno::ENODEV) => Ok(None),
            Err(e) => Err(lookup_error(name, e)),
        }
    }

    /// Dump every link in the namespace (the fast path; see `dump_links`).
    pub fn links(&self) -> Result<Vec<Link>> {
        dump_links(false)
    }

    /// Dump every address in the namespace (the fast path).
    pub fn addresses(&self) -> Result<Vec<Address>> {
        dump_addresses()
    }

    /// Send every request before waiting for any acknowledgement; the kernel
    /// handles them in order. Returns one result per request, in order.
    pub fn execute(&self, requests: Vec<Request>) -> Vec<std::result::Result<(), Errno>> {
        let futures = requests.into_iter().map(|request| {
            let (msg, flags) = match request {
                Request::SetLink(m) => (RouteNetlinkMessage::SetLink(m), 0),
                Request::AddAddress(m) => (
                    RouteNetlinkMessage::NewAddress(m),
                    NLM_F_CREATE | NLM_F_EXCL,
                ),
                Request::DelAddress(m) => (RouteNetlinkMessage::DelAddress(m), 0),
                Request::DelLink(m) => (RouteNetlinkMessage::DelLink(m), 0),
            };
            let handle = self.handle.clone();
            async move {
                Self::request_all(handle, msg, NLM_F_REQUEST | NLM_F_ACK | flags)
                    .await
                    .map(drop)
            }
        });
        self.runtime.block_on(join_all(futures))
    }

    /// Delete one link by index.
    pub fn delete_link(&self, index: u32) -> std::result::Result<(), Errno> {
        let mut msg = LinkMessage::default();
        msg.header.index = index;
        self.execute(vec![Request::DelLink(msg)]).remove(0)
    }

    /// Delete every link in an interface group in one kernel pass.
    pub fn delete_group(&self, group: u32) -> std::result::Result<(), Errno> {
        let mut msg = LinkMessage::default();
        msg.attributes.push(LinkAttribute::Group(group));
        self.execute(vec![Request::DelLink(msg)]).remove(0)
    }
}

fn lookup_error(what: &str, errno: Errno) -> Error {
    match errno {
        Errno::EPERM | Errno::EACCES => Error::permission(format!(
            "reading {what} over netlink was refused ({errno}); {NEED_NET_ADMIN}"
        )),
        // Raised by our own reply parser, not by the kernel.
        Errno::EMSGSIZE | Errno::EBADMSG => Error::failed(format!(
            "the kernel's reply listing {what} could not be read ({}); this is a bug in tuntapctl: please report it with the output of `uname -r`",
            if errno == Errno::EMSGSIZE {
                "a message larger than the receive buffer"
            } else {
                "a malformed message"
            }
        )),
        _ => Error::failed(format!(
            "reading {what} over netlink failed: {}",
            crate::error::errno_text(errno as i32)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tun_attrs_from_bytes() {
        let owner = 1000u32.to_ne_bytes();
        let queues = 3u32.to_ne_bytes();
        let attrs: Vec<(u16, &[u8])> = vec![
            (IFLA_TUN_OWNER, &owner),
            (IFLA_TUN_TYPE, &[2]),
            (IFLA_TUN_PI, &[0]),
            (IFLA_TUN_VNET_HDR, &[1]),
            (IFLA_TUN_PERSIST, &[1]),
            (IFLA_TUN_MULTI_QUEUE, &[1]),
            (IFLA_TUN_NUM_QUEUES, &queues),
            (99, &[1, 2, 3]),
            (IFLA_TUN_GROUP, &[1, 2]), // short: ignored
        ];
        let t = parse_tun_attrs(attrs);
        assert_eq!(t.mode, Some(Mode::Tap));
        assert_eq!(t.owner, Some(1000));
        assert_eq!(t.group, None);
        assert!(!t.pi && t.vnet_hdr && t.persist && t.multi_queue);
        assert_eq!(t.num_queues, Some(3));
        assert_eq!(parse_tun_attrs([(IFLA_TUN_TYPE, &[][..])]).mode, None);
    }

    /// The raw parser must agree with netlink-packet-route's on the same bytes.
    #[test]
    fn raw_link_parser_matches_typed() {
        use rtnetlink::packet_core::{DefaultNla, Emitable};
        use rtnetlink::packet_route::link::InfoTun;
        let tun_nla = |kind: u16, value: Vec<u8>| InfoTun::Other(DefaultNla::new(kind, value));
        let mut msg = LinkMessage::default();
        msg.header.index = 42;
        msg.header.flags = LinkFlags::Up | LinkFlags::LowerUp;
        msg.attributes = vec![
            LinkAttribute::IfName("tap44".into()),
            LinkAttribute::Address(vec![2, 0x44, 0x44, 0x44, 0x44, 0x44]),
            LinkAttribute::Mtu(9000),
            LinkAttribute::MinMtu(68),
            LinkAttribute::MaxMtu(65521),
            LinkAttribute::TxQueueLen(777),
            LinkAttribute::Group(3),
            LinkAttribute::OperState(State::Down),
            LinkAttribute::Carrier(0),
            LinkAttribute::LinkInfo(vec![
                LinkInfo::Kind(InfoKind::Tun),
                LinkInfo::Data(InfoData::Tun(vec![
                    tun_nla(IFLA_TUN_OWNER, 1000u32.to_ne_bytes().to_vec()),
                    tun_nla(IFLA_TUN_GROUP, 2000u32.to_ne_bytes().to_vec()),
                    tun_nla(IFLA_TUN_TYPE, vec![2]),
                    tun_nla(IFLA_TUN_PI, vec![1]),
                    tun_nla(IFLA_TUN_VNET_HDR, vec![0]),
                    tun_nla(IFLA_TUN_PERSIST, vec![1]),
                    tun_nla(IFLA_TUN_MULTI_QUEUE, vec![1]),
                    tun_nla(IFLA_TUN_NUM_QUEUES, 2u32.to_ne_bytes().to_vec()),
                    tun_nla(IFLA_TUN_NUM_DISABLED_QUEUES, 1u32.to_ne_bytes().to_vec()),
                ])),
            ]),
        ];
        let mut buf = vec![0u8; msg.buffer_len()];
        msg.emit(&mut buf);
        let raw = Link::from_bytes(&buf).expect("parses");
        assert_eq!(raw, Link::from_message(&msg));
        assert_eq!(raw.name, "tap44");
        assert_eq!(raw.operstate, "down");
        assert!(raw.up && !raw.carrier);
        let t = raw.tun.unwrap();
        assert_eq!(
            (t.owner, t.group, t.mode),
            (Some(1000), Some(2000), Some(Mode::Tap))
        );
        assert_eq!((t.num_queues, t.num_disabled_queues), (Some(2), Some(1)));

        // Every truncation of a valid message parses without panicking.
        for n in 0..buf.len() {
            let _ = Link::from_bytes(&buf[..n]);
        }
        // Lo-like: no kind, no tun data.
        let mut lo = LinkMessage::default();
        lo.header.index = 1;
        lo.attributes = vec![LinkAttribute::IfName("lo".into())];
        let mut buf = vec![0u8; lo.buffer_len()];
        lo.emit(&mut buf);
        assert_eq!(Link::from_bytes(&buf).unwrap(), Link::from_message(&lo));
    }

    #[test]
    fn raw_address_parser_matches_typed() {
        use rtnetlink::packet_core::Emitable;
        let ptp = IfAddr::parse("10.9.0.1")
            .unwrap()
            .with_peer("10.9.0.2")
            .unwrap();
        for (want, scope) in [
            (ptp, AddressScope::Universe),
            (IfAddr::parse("fe80::1/64").unwrap(), AddressScope::Link),
            (IfAddr::parse("fd00::1/64").unwrap(), AddressScope::Universe),
        ] {
            let mut msg = address_message(7, &want);
            msg.header.scope = scope;
            if scope == AddressScope::Link {
                msg.attributes.push(AddressAttribute::Protocol(
                    rtnetlink::packet_route::address::AddressProtocol::LinkLocal,
                ));
            }
            let mut buf = vec![0u8; msg.buffer_len()];
            msg.emit(&mut buf);
            let raw = Address::from_bytes(&buf).expect("parses");
            assert_eq!(Some(raw.clone()), Address::from_message(&msg));
            assert!(raw.matches(&want));
            assert_eq!(raw.is_kernel_link_local(), scope == AddressScope::Link);
            for n in 0..buf.len() {
                let _ = Address::from_bytes(&buf[..n]);
            }
        }
    }

    #[test]
    fn attribute_walk_is_bounded() {
        // length shorter than the header, longer than the buffer, odd sizes
        for bad in [&[0u8, 0, 1, 0][..], &[200, 0, 1, 0, 1], &[5, 0, 1, 0, 9]] {
            let _ = attributes(bad).count();
        }
        let two: Vec<(u16, &[u8])> = attributes(&[5, 0, 1, 0, 9, 0, 0, 0, 4, 0, 2, 0]).collect();
        assert_eq!(two, vec![(1, &[9u8][..]), (2, &[][..])]);
    }

    #[test]
    fn link_change_message() {
        let change = LinkChange {
            mac: Some([2, 0, 0, 0, 0, 1]),
            mtu: Some(9000),
            up: Some(false),
            ..Default::default()
        };
        let msg = change.to_message(7);
        assert_eq!(msg.header.index, 7);
        assert_eq!(msg.header.change_mask, LinkFlags::Up);
        assert!(!msg.header.flags.contains(LinkFlags::Up));
        assert!(msg.attributes.contains(&LinkAttribute::Mtu(9000)));
        assert!(LinkChange::default().is_empty());
    }
}
