//! The one parser for RTM_NEWADDR / RTM_DELADDR payloads.

use std::net::IpAddr;

use super::Link;
use super::wire::*;
use crate::validate::IfAddr;

/// An address from one RTM_NEWADDR message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    pub index: u32,
    pub address: IpAddr,
    pub prefix_len: u8,
    pub peer: Option<IpAddr>,
    pub scope: String,
    /// IFA_PROTO (Linux 5.18+): who made the address; absent for addresses
    /// added by a user (and on older kernels).
    pub protocol: Option<u8>,
}

/// IFA_PROTO value of the IPv6 link-local address the kernel adds itself.
const IFAPROT_KERNEL_LL: u8 = 3;

/// IN6_ADDR_GEN_MODE_EUI64: the kernel's link-local address is made from
/// the MAC, and it makes only that one.
const ADDRGENMODE_EUI64: u8 = 0;

/// Who made an address on a link, as far as the kernel's answer tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The IPv6 link-local address the kernel made itself (and makes again).
    Kernel,
    /// Added by someone: a user, a daemon, tuntapctl.
    Added,
    /// An IPv6 link-local address whose maker the answer does not tell: the
    /// kernel did not tag it (IFA_PROTO) and nothing else settles it.
    Unknown,
}

/// What one address dump of a namespace tells about who made each address.
///
/// Kernels with IFA_PROTO (Linux 5.18) tag the addresses they make (the
/// link-local ones, lo's ::1), so any tag in the dump proves that an untagged
/// link-local address was added by someone. Without a tag anywhere the
/// kernel either lacks IFA_PROTO or made nothing here yet; then the MAC
/// decides where it can: with addrgenmode eui64 the kernel's address is the
/// MAC's EUI-64 one, and when that is there, any other was added. What is
/// left is Unknown, never guessed (SPEC §14): it is kept, with a note.
pub struct Origins<'a> {
    dump: &'a [Address],
    tagged: bool,
}

impl<'a> Origins<'a> {
    pub fn of(dump: &'a [Address]) -> Origins<'a> {
        Origins {
            dump,
            tagged: dump.iter().any(|a| a.protocol.is_some()),
        }
    }

    /// Who made `addr`, an address of `link`.
    pub fn origin(&self, addr: &Address, link: &Link) -> Origin {
        if let Some(p) = addr.protocol {
            return if p == IFAPROT_KERNEL_LL {
                Origin::Kernel
            } else {
                Origin::Added
            };
        }
        if !is_ipv6_link_local(&addr.address) || self.tagged {
            return Origin::Added;
        }
        // Only with eui64 does the MAC say which address is the kernel's.
        let eui64 = link
            .mac
            .as_deref()
            .and_then(eui64_link_local)
            .filter(|_| link.addrgenmode == Some(ADDRGENMODE_EUI64));
        let Some(eui64) = eui64 else {
            return Origin::Unknown;
        };
        if addr.address == eui64 && addr.prefix_len == 64 {
            return Origin::Kernel;
        }
        let kernel_made_its_own = self
            .dump
            .iter()
            .any(|a| a.index == link.index && a.address == eui64);
        if kernel_made_its_own {
            Origin::Added
        } else {
            Origin::Unknown
        }
    }
}

/// The link-local address the kernel makes from a 6-byte MAC with
/// addrgenmode eui64 (RFC 4291 appendix A: ff:fe in the middle, the
/// universal/local bit flipped).
fn eui64_link_local(mac: &[u8]) -> Option<IpAddr> {
    let m: [u8; 6] = mac.try_into().ok()?;
    let mut bytes = [0u8; 16];
    bytes[0] = 0xfe;
    bytes[1] = 0x80;
    bytes[8..16].copy_from_slice(&[m[0] ^ 0x02, m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]]);
    Some(IpAddr::from(bytes))
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

/// Is this an IPv6 link-local address (fe80::/10)? The one place that says so.
pub fn is_ipv6_link_local(ip: &IpAddr) -> bool {
    matches!(ip, IpAddr::V6(v6) if v6.segments()[0] & 0xffc0 == 0xfe80)
}

impl Address {
    /// The address as a user writes it: `ADDR/LEN`, or `ADDR peer PEER/LEN`
    /// for a point-to-point address.
    pub fn cidr(&self) -> String {
        match self.peer {
            Some(peer) => format!("{} peer {peer}/{}", self.address, self.prefix_len),
            None => format!("{}/{}", self.address, self.prefix_len),
        }
    }

    /// Parse the payload of one RTM_NEWADDR/RTM_DELADDR message (struct
    /// ifaddrmsg, then attributes). None for families other than IPv4/IPv6
    /// or short input.
    pub fn from_bytes(payload: &[u8]) -> Option<Address> {
        let header = payload.get(..8)?;
        let (family, prefix_len, scope) = (header[0], header[1], header[3]);
        let index = ne_u32(&header[4..8])?;
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

    /// Does this address satisfy `want`? A wanted peer must match; without
    /// one, any peer does.
    pub fn matches(&self, want: &IfAddr) -> bool {
        self.address == want.address
            && self.prefix_len == want.prefix_len
            && (want.peer.is_none() || self.peer == want.peer)
    }

    pub fn as_ifaddr(&self) -> IfAddr {
        IfAddr {
            address: self.address,
            prefix_len: self.prefix_len,
            peer: self.peer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtnetlink::packet_core::{Emitable, Parseable};
    use rtnetlink::packet_route::AddressFamily;
    use rtnetlink::packet_route::address::{
        AddressAttribute, AddressMessage, AddressProtocol, AddressScope,
    };

    fn message(index: u32, want: &IfAddr, scope: AddressScope) -> AddressMessage {
        let mut msg = AddressMessage::default();
        msg.header.index = index;
        msg.header.prefix_len = want.prefix_len;
        msg.header.scope = scope;
        msg.header.family = if want.address.is_ipv4() {
            AddressFamily::Inet
        } else {
            AddressFamily::Inet6
        };
        msg.attributes.push(AddressAttribute::Local(want.address));
        msg.attributes
            .push(AddressAttribute::Address(want.peer.unwrap_or(want.address)));
        msg
    }

    /// netlink-packet-route's reading of the same bytes.
    fn reference(buf: &[u8]) -> Option<Address> {
        let msg = AddressMessage::parse(buf).ok()?;
        let (mut local, mut address, mut protocol) = (None, None, None);
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
            scope: scope_text(u8::from(msg.header.scope)),
            protocol,
        })
    }

    #[test]
    fn byte_parser_matches_netlink_packet_route() {
        let ptp = IfAddr::parse("10.9.0.1")
            .unwrap()
            .with_peer("10.9.0.2")
            .unwrap();
        for (want, scope) in [
            (ptp, AddressScope::Universe),
            (IfAddr::parse("fe80::1/64").unwrap(), AddressScope::Link),
            (IfAddr::parse("fd00::1/64").unwrap(), AddressScope::Universe),
        ] {
            let mut msg = message(7, &want, scope);
            if scope == AddressScope::Link {
                msg.attributes
                    .push(AddressAttribute::Protocol(AddressProtocol::LinkLocal));
            }
            let mut buf = vec![0u8; msg.buffer_len()];
            msg.emit(&mut buf);
            let raw = Address::from_bytes(&buf).expect("parses");
            assert_eq!(Some(raw.clone()), reference(&buf));
            assert!(raw.matches(&want));
            assert_eq!(raw.as_ifaddr(), want);
            let link = Link::bare(7, true, true);
            let origin = Origins::of(std::slice::from_ref(&raw)).origin(&raw, &link);
            let made_by_kernel = scope == AddressScope::Link;
            assert_eq!(origin == Origin::Kernel, made_by_kernel);
            for n in 0..buf.len() {
                let _ = Address::from_bytes(&buf[..n]);
            }
        }
    }

    #[test]
    fn peers_and_families() {
        assert_eq!(own_and_peer(None, None), None);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert_eq!(own_and_peer(Some(a), Some(a)), Some((a, None)));
        assert_eq!(own_and_peer(Some(a), Some(b)), Some((a, Some(b))));
        assert_eq!(own_and_peer(None, Some(b)), Some((b, None)));
        assert!(is_ipv6_link_local(&"fe80::1".parse().unwrap()));
        assert!(is_ipv6_link_local(&"febf::1".parse().unwrap()));
        assert!(!is_ipv6_link_local(&"fec0::1".parse().unwrap()));
        assert!(!is_ipv6_link_local(&a));
        assert_eq!(scope_text(253), "link");
        assert_eq!(scope_text(7), "7");
    }

    fn addr(index: u32, text: &str, protocol: Option<u8>) -> Address {
        let (ip, len) = text.split_once('/').unwrap();
        Address {
            index,
            address: ip.parse().unwrap(),
            prefix_len: len.parse().unwrap(),
            peer: None,
            scope: "link".into(),
            protocol,
        }
    }

    fn tap(mode: u8) -> Link {
        let mut link = Link::bare(5, true, true);
        link.mac = Some(vec![0x02, 0x00, 0x5e, 0x10, 0x20, 0x30]);
        link.addrgenmode = Some(mode);
        link
    }

    #[test]
    fn the_eui64_address_is_the_macs() {
        let mac = [0x02, 0x00, 0x5e, 0x10, 0x20, 0x30];
        assert_eq!(
            eui64_link_local(&mac),
            Some("fe80::5eff:fe10:2030".parse().unwrap())
        );
        assert_eq!(eui64_link_local(&[1, 2, 3]), None);
    }

    #[test]
    fn who_made_a_link_local_address() {
        let kernel_eui64 = addr(5, "fe80::5eff:fe10:2030/64", None);
        let by_hand = addr(5, "fe80::5/64", None);
        let global = addr(5, "fd00::1/64", None);
        let lo_tagged = addr(1, "::1/128", Some(1));
        let eui64 = tap(ADDRGENMODE_EUI64);
        let random = tap(3);

        // A kernel that tags (lo's ::1 says so): untagged means added.
        let dump = [lo_tagged.clone(), by_hand.clone()];
        let o = Origins::of(&dump);
        assert_eq!(o.origin(&by_hand, &eui64), Origin::Added);
        assert_eq!(o.origin(&by_hand, &random), Origin::Added);
        assert_eq!(
            o.origin(&addr(5, "fe80::9/64", Some(3)), &random),
            Origin::Kernel
        );

        // No tag anywhere (a kernel before 5.18): the MAC decides.
        let dump = [kernel_eui64.clone(), by_hand.clone(), global.clone()];
        let o = Origins::of(&dump);
        assert_eq!(o.origin(&kernel_eui64, &eui64), Origin::Kernel);
        assert_eq!(o.origin(&by_hand, &eui64), Origin::Added);
        assert_eq!(o.origin(&global, &eui64), Origin::Added);
        // Another mode: the kernel's may be any address; not guessed, not
        // even the MAC's EUI-64 one (added by hand, or made before the mode
        // changed).
        assert_eq!(o.origin(&by_hand, &random), Origin::Unknown);
        assert_eq!(o.origin(&kernel_eui64, &random), Origin::Unknown);
        // eui64 but the kernel's own is not there (made under another MAC?).
        let dump = [by_hand.clone()];
        assert_eq!(Origins::of(&dump).origin(&by_hand, &eui64), Origin::Unknown);
        // A tun has no MAC.
        let mut tun = tap(3);
        tun.mac = None;
        assert_eq!(Origins::of(&dump).origin(&by_hand, &tun), Origin::Unknown);
    }

    #[test]
    fn a_wanted_peer_must_match() {
        let have = Address {
            index: 1,
            address: "10.0.0.1".parse().unwrap(),
            prefix_len: 32,
            peer: Some("10.0.0.2".parse().unwrap()),
            scope: "global".into(),
            protocol: None,
        };
        assert!(have.matches(&IfAddr::parse("10.0.0.1/32").unwrap()));
        let other_peer = IfAddr::parse("10.0.0.1")
            .unwrap()
            .with_peer("10.0.0.9")
            .unwrap();
        assert!(!have.matches(&other_peer));
        assert!(!have.matches(&IfAddr::parse("10.0.0.1/24").unwrap()));
        assert_eq!(have.family(), "inet");
    }
}
