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
    pub fn from_message(msg: &LinkMessage) -> Link {
        let mut link = Link {
            index: msg.header.index,
            name: String::new(),
            kind: None,
            tun: None,
            mac: None,
            mtu: 0,
            min_mtu: None,
            max_mtu: None,
            txqueuelen: 0,
            up: msg.header.flags.contains(LinkFlags::Up),
            carrier: msg.header.flags.contains(LinkFlags::LowerUp),
            operstate: "unknown".into(),
            group: 0,
        };
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
}

impl Address {
    pub fn from_message(msg: &AddressMessage) -> Option<Address> {
        let mut local = None;
        let mut address = None;
        for attr in &msg.attributes {
            match attr {
                AddressAttribute::Local(ip) => local = Some(*ip),
                AddressAttribute::Address(ip) => address = Some(*ip),
                _ => {}
            }
        }
        // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer
        // when they differ (point-to-point), else the same address.
        let (own, peer) = match (local, address) {
            (Some(l), Some(a)) if l != a => (l, Some(a)),
            (Some(l), _) => (l, None),
            (None, Some(a)) => (a, None),
            (None, None) => return None,
        };
        Some(Address {
            index: msg.header.index,
            address: own,
            prefix_len: msg.header.prefix_len,
            peer,
            scope: scope_name(&msg.header.scope),
        })
    }

    pub fn family(&self) -> &'static str {
        if self.address.is_ipv4() {
            "inet"
        } else {
            "inet6"
        }
    }

    /// True for an address the kernel made itself (IPv6 link-local).
    pub fn is_kernel_link_local(&self) -> bool {
        matches!(self.address, IpAddr::V6(v6) if v6.segments()[0] & 0xffc0 == 0xfe80)
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
                Error::failed(format!("cannot open a netlink socket (NETLINK_ROUTE): {e}"))
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

    /// Dump every link in the namespace.
    pub fn links(&self) -> Result<Vec<Link>> {
        let handle = self.handle.clone();
        let replies = self
            .runtime
            .block_on(Self::request_all(
                handle,
                RouteNetlinkMessage::GetLink(LinkMessage::default()),
                NLM_F_REQUEST | NLM_F_DUMP,
            ))
            .map_err(|e| lookup_error("links", e))?;
        Ok(replies
            .iter()
            .filter_map(|m| match m {
                RouteNetlinkMessage::NewLink(l) => Some(Link::from_message(l)),
                _ => None,
            })
            .collect())
    }

    /// Dump every address in the namespace.
    pub fn addresses(&self) -> Result<Vec<Address>> {
        let handle = self.handle.clone();
        let replies = self
            .runtime
            .block_on(Self::request_all(
                handle,
                RouteNetlinkMessage::GetAddress(AddressMessage::default()),
                NLM_F_REQUEST | NLM_F_DUMP,
            ))
            .map_err(|e| lookup_error("addresses", e))?;
        Ok(replies
            .iter()
            .filter_map(|m| match m {
                RouteNetlinkMessage::NewAddress(a) => Address::from_message(a),
                _ => None,
            })
            .collect())
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
