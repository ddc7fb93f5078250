//! The one parser for RTM_NEWADDR / RTM_DELADDR payloads.

use std::net::IpAddr;

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
    /// IFA_PROTO (Linux 6.1+): who made the address; absent for addresses
    /// added by a user (and on older kernels).
    pub protocol: Option<u8>,
}

/// IFA_PROTO value of the IPv6 link-local address the kernel adds itself.
const IFAPROT_KERNEL_LL: u8 = 3;

/// Does this kernel tag the addresses it makes with IFA_PROTO (6.1+)? Then an
/// untagged fe80:: address was added by someone, not by the kernel.
fn kernel_tags_addresses() -> bool {
    static TAGS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TAGS.get_or_init(|| {
        let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
        release_at_least(&release, (6, 1))
    })
}

fn release_at_least(release: &str, want: (u32, u32)) -> bool {
    let mut parts = release
        .trim()
        .split(|c: char| !c.is_ascii_digit())
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let major = parts.next().unwrap_or(0);
    let minor = parts.next().unwrap_or(0);
    (major, minor) >= want
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

    /// True for the IPv6 link-local address the kernel made itself. Kernels
    /// from 6.1 say so (IFA_PROTO kernel_ll), so a link-local address that a
    /// user added is not mistaken for it; older kernels do not, and there
    /// every fe80::/10 address counts.
    pub fn is_kernel_link_local(&self) -> bool {
        match self.protocol {
            Some(p) => p == IFAPROT_KERNEL_LL,
            None => is_ipv6_link_local(&self.address) && !kernel_tags_addresses(),
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
            assert_eq!(raw.is_kernel_link_local(), scope == AddressScope::Link);
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
        assert!(release_at_least("6.18.0-1-amd64", (6, 1)));
        assert!(!release_at_least("5.15.0", (6, 1)));
        assert!(!release_at_least("", (6, 1)));
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
