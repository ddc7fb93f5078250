//! The one parser for RTM_NEWLINK / RTM_DELLINK payloads, used by dumps,
//! single lookups and events alike.

use serde::{Deserialize, Serialize};

use super::wire::*;
use crate::validate::Mode;

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

impl TunAttrs {
    /// The queues attached, enabled or not, by the kernel's own count; the
    /// kernel sends it for multi-queue devices only (IFLA_TUN_NUM_QUEUES).
    pub fn attached_queues(&self) -> Option<u32> {
        Some(self.num_queues? + self.num_disabled_queues.unwrap_or(0))
    }
}

/// Parse the tun attributes from (type, payload) pairs. Unknown types and
/// short payloads are ignored, never trusted: the input comes from the kernel
/// but the parser must not panic on anything.
pub fn parse_tun_attrs<'a>(attrs: impl IntoIterator<Item = (u16, &'a [u8])>) -> TunAttrs {
    let mut tun = TunAttrs::default();
    let flag = |v: &[u8]| v.first().is_some_and(|b| *b != 0);
    for (kind, value) in attrs {
        match kind {
            IFLA_TUN_OWNER => tun.owner = ne_u32(value),
            IFLA_TUN_GROUP => tun.group = ne_u32(value),
            IFLA_TUN_TYPE => {
                tun.mode = match value.first() {
                    Some(1) => Some(Mode::Tun),
                    Some(2) => Some(Mode::Tap),
                    _ => None,
                }
            }
            IFLA_TUN_PI => tun.pi = flag(value),
            IFLA_TUN_VNET_HDR => tun.vnet_hdr = flag(value),
            IFLA_TUN_PERSIST => tun.persist = flag(value),
            IFLA_TUN_MULTI_QUEUE => tun.multi_queue = flag(value),
            IFLA_TUN_NUM_QUEUES => tun.num_queues = ne_u32(value),
            IFLA_TUN_NUM_DISABLED_QUEUES => tun.num_disabled_queues = ne_u32(value),
            _ => {}
        }
    }
    tun
}

/// Traffic counters (IFLA_STATS64, struct rtnl_link_stats64).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub rx_packets: u64,
    pub rx_bytes: u64,
    pub rx_errors: u64,
    pub rx_dropped: u64,
    pub tx_packets: u64,
    pub tx_bytes: u64,
    pub tx_errors: u64,
    pub tx_dropped: u64,
}

impl Stats {
    /// The first eight u64 of rtnl_link_stats64, in the kernel's order.
    fn from_bytes(v: &[u8]) -> Option<Stats> {
        let at = |i: usize| ne_u64(v.get(i * 8..)?);
        Some(Stats {
            rx_packets: at(0)?,
            tx_packets: at(1)?,
            rx_bytes: at(2)?,
            tx_bytes: at(3)?,
            rx_errors: at(4)?,
            tx_errors: at(5)?,
            rx_dropped: at(6)?,
            tx_dropped: at(7)?,
        })
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
    /// IFLA_MASTER: the index of the bridge (or bond, vrf) it is a port of.
    pub master: Option<u32>,
    /// IFLA_IFALIAS.
    pub alias: Option<String>,
    /// IFLA_INET6_ADDR_GEN_MODE (0 eui64, 1 none, 2 stable_privacy, 3 random);
    /// None when IPv6 is off for the link.
    pub addrgenmode: Option<u8>,
    /// The IPv6 part of IFLA_AF_SPEC came without the address generation
    /// mode: kernels without the fix of 6.15 (5.10 before .236, 6.1 before .134)
    /// leave it out of answers that
    /// skip counters (RTEXT_FILTER_SKIP_STATS). Ask again with counters.
    pub addrgenmode_unreported: bool,
    /// IFLA_STATS64, present unless the dump asked to skip counters.
    pub stats: Option<Stats>,
}

impl Link {
    /// A link with nothing known but its index and state flags; parsers fill
    /// in the rest from attributes.
    pub(crate) fn bare(index: u32, up: bool, carrier: bool) -> Link {
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
            master: None,
            alias: None,
            addrgenmode: None,
            addrgenmode_unreported: false,
            stats: None,
        }
    }

    /// A device we have just created and hold: down, no carrier, no
    /// addresses. Values we do not know for sure (the MTU and queue length
    /// the kernel picked) are set to differ from the wanted ones, so that
    /// every requested value is sent rather than skipped as "already so".
    pub fn new_device(
        index: u32,
        name: &str,
        mode: Mode,
        mtu: Option<u32>,
        txqueuelen: Option<u32>,
    ) -> Link {
        Link {
            name: name.to_string(),
            kind: Some("tun".into()),
            tun: Some(TunAttrs {
                mode: Some(mode),
                ..Default::default()
            }),
            mtu: mtu.map_or(0, |m| m.wrapping_add(1)),
            txqueuelen: txqueuelen.map_or(0, |q| q.wrapping_add(1)),
            operstate: "down".into(),
            // Unknown, so that any wanted mode is sent.
            addrgenmode: Some(u8::MAX),
            ..Link::bare(index, false, false)
        }
    }

    /// Parse the payload of one RTM_NEWLINK/RTM_DELLINK message (struct
    /// ifinfomsg, then attributes). None when it is too short to be one.
    pub fn from_bytes(payload: &[u8]) -> Option<Link> {
        let index = ne_u32(payload.get(4..8)?)?;
        let flags = ne_u32(payload.get(8..12)?)?;
        let attrs = payload.get(16..)?;
        let mut link = Link::bare(index, flags & IFF_UP != 0, flags & IFF_LOWER_UP != 0);
        let mut info_data: Option<&[u8]> = None;
        for (kind, value) in attributes(attrs) {
            match kind {
                IFLA_IFNAME => link.name = nul_terminated(value),
                IFLA_ADDRESS => link.mac = Some(value.to_vec()),
                IFLA_MTU => link.mtu = ne_u32(value).unwrap_or(0),
                IFLA_MIN_MTU => link.min_mtu = ne_u32(value),
                IFLA_MAX_MTU => link.max_mtu = ne_u32(value),
                IFLA_TXQLEN => link.txqueuelen = ne_u32(value).unwrap_or(0),
                IFLA_GROUP => link.group = ne_u32(value).unwrap_or(0),
                IFLA_MASTER => link.master = ne_u32(value).filter(|m| *m != 0),
                IFLA_IFALIAS => link.alias = Some(nul_terminated(value)).filter(|a| !a.is_empty()),
                IFLA_STATS64 => link.stats = Stats::from_bytes(value),
                IFLA_AF_SPEC => {
                    link.addrgenmode = inet6_addrgenmode(value);
                    link.addrgenmode_unreported = link.addrgenmode.is_none()
                        && attributes(value).any(|(family, _)| family == libc::AF_INET6 as u16);
                }
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

    pub fn is_tun(&self) -> bool {
        self.kind.as_deref() == Some("tun")
    }

    pub fn mode(&self) -> Option<Mode> {
        self.tun.as_ref().and_then(|t| t.mode)
    }

    /// Can other links be its ports (a bridge, bond, vrf or team)?
    pub fn can_take_ports(&self) -> bool {
        matches!(
            self.kind.as_deref(),
            Some("bridge" | "bond" | "vrf" | "team")
        )
    }

    /// "a veth", "a loopback device": what this link is, for refusals.
    pub fn describe_kind(&self) -> String {
        match self.kind.as_deref() {
            Some("tun") => match self.mode() {
                Some(mode) => format!("a {mode}"),
                None => "a tun/tap".into(),
            },
            Some(kind) => format!("a {kind} device"),
            None if self.name == "lo" => "the loopback device".into(),
            None => "a physical or driver-managed device".into(),
        }
    }
}

/// IFLA_AF_SPEC → AF_INET6 → IFLA_INET6_ADDR_GEN_MODE.
fn inet6_addrgenmode(af_spec: &[u8]) -> Option<u8> {
    let inet6 = attributes(af_spec).find(|(family, _)| *family == libc::AF_INET6 as u16)?;
    attributes(inet6.1)
        .find(|(kind, _)| *kind == IFLA_INET6_ADDR_GEN_MODE)
        .and_then(|(_, v)| v.first().copied())
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

#[cfg(test)]
mod tests {
    use super::*;
    use rtnetlink::packet_core::{DefaultNla, Emitable, Nla, Parseable};
    use rtnetlink::packet_route::link::{
        AfSpecInet6, AfSpecUnspec, InfoData, InfoKind, InfoTun, LinkAttribute, LinkFlags, LinkInfo,
        LinkMessage, State, Stats64,
    };

    /// netlink-packet-route's reading of the same bytes, reduced to a Link:
    /// the reference the byte parser is checked against.
    fn reference(buf: &[u8]) -> Link {
        let msg = LinkMessage::parse(buf).expect("typed parse");
        let mut link = Link::bare(
            msg.header.index,
            msg.header.flags.contains(LinkFlags::Up),
            msg.header.flags.contains(LinkFlags::LowerUp),
        );
        for attr in &msg.attributes {
            match attr {
                LinkAttribute::IfName(name) => link.name = name.clone(),
                LinkAttribute::Address(mac) if !mac.is_empty() => link.mac = Some(mac.clone()),
                LinkAttribute::Mtu(v) => link.mtu = *v,
                LinkAttribute::MinMtu(v) => link.min_mtu = Some(*v),
                LinkAttribute::MaxMtu(v) => link.max_mtu = Some(*v),
                LinkAttribute::TxQueueLen(v) => link.txqueuelen = *v,
                LinkAttribute::Carrier(v) => link.carrier = *v != 0,
                LinkAttribute::Group(v) => link.group = *v,
                LinkAttribute::Controller(v) => link.master = Some(*v),
                LinkAttribute::IfAlias(a) => link.alias = Some(a.clone()),
                LinkAttribute::Stats64(s) => {
                    link.stats = Some(Stats {
                        rx_packets: s.rx_packets,
                        rx_bytes: s.rx_bytes,
                        rx_errors: s.rx_errors,
                        rx_dropped: s.rx_dropped,
                        tx_packets: s.tx_packets,
                        tx_bytes: s.tx_bytes,
                        tx_errors: s.tx_errors,
                        tx_dropped: s.tx_dropped,
                    })
                }
                LinkAttribute::AfSpecUnspec(specs) => {
                    for spec in specs {
                        if let AfSpecUnspec::Inet6(items) = spec {
                            for item in items {
                                if let AfSpecInet6::AddrGenMode(m) = item {
                                    link.addrgenmode = Some(u8::from(m));
                                }
                            }
                        }
                    }
                }
                LinkAttribute::OperState(state) => {
                    link.operstate = state.to_string().to_ascii_lowercase()
                }
                LinkAttribute::LinkInfo(infos) => {
                    for info in infos {
                        match info {
                            LinkInfo::Kind(InfoKind::Tun) => link.kind = Some("tun".into()),
                            LinkInfo::Kind(other) => link.kind = Some(other.to_string()),
                            LinkInfo::Data(InfoData::Tun(items)) => {
                                let raw: Vec<(u16, Vec<u8>)> = items
                                    .iter()
                                    .map(|nla| {
                                        let mut b = vec![0u8; nla.value_len()];
                                        nla.emit_value(&mut b);
                                        (nla.kind(), b)
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
        if link.is_tun() && link.tun.is_none() {
            link.tun = Some(TunAttrs::default());
        }
        link
    }

    fn emit(msg: &LinkMessage) -> Vec<u8> {
        let mut buf = vec![0u8; msg.buffer_len()];
        msg.emit(&mut buf);
        buf
    }

    fn stats64() -> Stats64 {
        let mut s = Stats64::default();
        (s.rx_packets, s.tx_packets, s.rx_bytes, s.tx_bytes) = (1, 2, 3, 4);
        (s.rx_errors, s.tx_errors, s.rx_dropped, s.tx_dropped) = (5, 6, 7, 8);
        s
    }

    fn tap_message() -> LinkMessage {
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
            LinkAttribute::Controller(5),
            LinkAttribute::IfAlias("vm1 eth0".into()),
            LinkAttribute::Stats64(stats64()),
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
        msg
    }

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

    /// The byte parser must agree with netlink-packet-route's on the same bytes.
    #[test]
    fn byte_parser_matches_netlink_packet_route() {
        let buf = emit(&tap_message());
        let raw = Link::from_bytes(&buf).expect("parses");
        assert_eq!(raw, reference(&buf));
        assert_eq!(raw.name, "tap44");
        assert_eq!(raw.operstate, "down");
        assert_eq!(raw.master, Some(5));
        assert_eq!(raw.alias.as_deref(), Some("vm1 eth0"));
        let s = raw.stats.unwrap();
        assert_eq!(
            (s.rx_packets, s.tx_packets, s.rx_dropped, s.tx_dropped),
            (1, 2, 7, 8)
        );
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
        let buf = emit(&lo);
        assert_eq!(Link::from_bytes(&buf).unwrap(), reference(&buf));
    }

    #[test]
    fn addrgenmode_is_read_from_the_inet6_af_spec() {
        use rtnetlink::packet_route::link::In6AddrGenMode;
        let mut msg = LinkMessage::default();
        msg.header.index = 3;
        msg.attributes = vec![
            LinkAttribute::IfName("tap1".into()),
            LinkAttribute::AfSpecUnspec(vec![AfSpecUnspec::Inet6(vec![AfSpecInet6::AddrGenMode(
                In6AddrGenMode::None,
            )])]),
        ];
        let buf = emit(&msg);
        let link = Link::from_bytes(&buf).unwrap();
        assert_eq!(link.addrgenmode, Some(1));
        assert!(!link.addrgenmode_unreported);
        assert_eq!(link, reference(&buf));

        // 5.10 without counters: the IPv6 part, but no mode in it.
        msg.attributes = vec![
            LinkAttribute::IfName("tap1".into()),
            LinkAttribute::AfSpecUnspec(vec![AfSpecUnspec::Inet6(vec![AfSpecInet6::Token(
                std::net::Ipv6Addr::UNSPECIFIED,
            )])]),
        ];
        let link = Link::from_bytes(&emit(&msg)).unwrap();
        assert_eq!(link.addrgenmode, None);
        assert!(link.addrgenmode_unreported);
    }

    #[test]
    fn describes_what_a_link_is() {
        let mut link = Link::bare(1, false, false);
        link.name = "lo".into();
        assert_eq!(link.describe_kind(), "the loopback device");
        link.kind = Some("veth".into());
        assert_eq!(link.describe_kind(), "a veth device");
        link.kind = Some("tun".into());
        assert_eq!(link.describe_kind(), "a tun/tap");
        link.tun = Some(TunAttrs {
            mode: Some(Mode::Tap),
            ..Default::default()
        });
        assert_eq!(link.describe_kind(), "a tap");
        link.name = "eth0".into();
        link.kind = None;
        assert_eq!(link.describe_kind(), "a physical or driver-managed device");
    }

    #[test]
    fn a_new_device_differs_from_every_wanted_value() {
        let d = Link::new_device(7, "tap0", Mode::Tap, Some(9000), None);
        assert_eq!((d.mtu, d.txqueuelen), (9001, 0));
        assert!(d.is_tun() && !d.up && !d.carrier);
        assert_eq!(d.mode(), Some(Mode::Tap));
    }
}
