//! The write path: changes as typed values, turned into the messages
//! rtnetlink's typed requests would send (its builders, the same flags), sent
//! by `burst` many per sendmsg before the first acknowledgement is read.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::fd::RawFd;

use rtnetlink::packet_core::{NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST, NetlinkMessage};
use rtnetlink::packet_route::RouteNetlinkMessage;
use rtnetlink::packet_route::address::{AddressAttribute, AddressMessage};
use rtnetlink::packet_route::link::{
    AfSpecInet6, AfSpecUnspec, In6AddrGenMode, LinkAttribute, LinkMessage,
};
use rtnetlink::{AddressMessageBuilder, LinkUnspec};

use crate::validate::IfAddr;

/// IFLA_IFALIAS as iproute2 sends it: the bytes without a trailing NUL.
/// The kernel keeps at most IFALIASZ - 1 = 255 bytes and counts a NUL in
/// the attribute against them (rtnetlink's typed IfAlias adds one, so a
/// 255-byte alias was refused with ERANGE). Empty removes the alias.
fn alias_attribute(alias: &str) -> LinkAttribute {
    if alias.is_empty() {
        return LinkAttribute::IfAlias(String::new());
    }
    LinkAttribute::Other(rtnetlink::packet_core::DefaultNla::new(
        IFLA_IFALIAS,
        alias.as_bytes().to_vec(),
    ))
}

const IFLA_IFALIAS: u16 = 20;

/// Link settings for one RTM_SETLINK on an existing index. `None` leaves a
/// setting as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkChange {
    pub mac: Option<[u8; 6]>,
    pub mtu: Option<u32>,
    pub txqueuelen: Option<u32>,
    pub group: Option<u32>,
    pub up: Option<bool>,
    pub carrier: Option<bool>,
    /// The master's index; 0 frees the port.
    pub master: Option<u32>,
    /// An empty alias removes it.
    pub alias: Option<String>,
    /// IFLA_INET6_ADDR_GEN_MODE.
    pub addrgenmode: Option<u8>,
    pub rename: Option<String>,
    /// An fd of the target network namespace.
    pub netns_fd: Option<RawFd>,
}

impl LinkChange {
    pub fn is_empty(&self) -> bool {
        *self == LinkChange::default()
    }

    fn to_message(&self, index: u32) -> LinkMessage {
        let mut b = LinkUnspec::new_with_index(index);
        match self.up {
            Some(true) => b = b.up(),
            Some(false) => b = b.down(),
            None => {}
        }
        if let Some(mac) = self.mac {
            b = b.address(mac.to_vec());
        }
        if let Some(mtu) = self.mtu {
            b = b.mtu(mtu);
        }
        if let Some(q) = self.txqueuelen {
            b = b.txqueuelen(q);
        }
        if let Some(g) = self.group {
            b = b.link_group(g);
        }
        if let Some(c) = self.carrier {
            b = b.carrier(c);
        }
        match self.master {
            Some(0) => b = b.nocontroller(),
            Some(m) => b = b.controller(m),
            None => {}
        }
        if let Some(alias) = &self.alias {
            b = b.append_extra_attribute(alias_attribute(alias));
        }
        if let Some(name) = &self.rename {
            b = b.name(name.clone());
        }
        if let Some(fd) = self.netns_fd {
            b = b.setns_by_fd(fd);
        }
        if let Some(mode) = self.addrgenmode {
            b = b.append_extra_attribute(LinkAttribute::AfSpecUnspec(vec![AfSpecUnspec::Inet6(
                vec![AfSpecInet6::AddrGenMode(In6AddrGenMode::from(mode))],
            )]));
        }
        b.build()
    }
}

/// One change to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Link(u32, LinkChange),
    AddAddress(u32, IfAddr),
    DelAddress(u32, IfAddr),
    DelLink(u32),
    /// Delete every link in an interface group in one kernel pass.
    DelGroup(u32),
}

/// The fault hooks (debug builds, `TUNTAPCTL_TEST_KERNEL_LACKS`): the
/// kernel's answer to a change it cannot do, for a tun driver without
/// carrier changes (before 5.0) and a kernel that renames only devices that
/// are down (before 6.2). None: send it.
pub(super) fn simulated_refusal(change: &Change) -> Option<nix::errno::Errno> {
    use crate::kernel_features::{Feature, simulated_absence};
    let Change::Link(_, c) = change else {
        return None;
    };
    let carrier = c.carrier.and(simulated_absence(Feature::TunCarrier));
    // A move takes the device down before its name is set: no live rename.
    let rename = c
        .rename
        .as_ref()
        .filter(|_| c.netns_fd.is_none())
        .and(simulated_absence(Feature::LiveRename));
    carrier.or(rename)
}

/// The netlink message of one change, as rtnetlink's typed requests build
/// it (the same message, the same flags), for `Burst` to send.
pub(super) fn to_netlink(change: Change) -> NetlinkMessage<RouteNetlinkMessage> {
    let (msg, flags) = match change {
        Change::Link(index, c) => (
            RouteNetlinkMessage::SetLink(c.to_message(index)),
            NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE,
        ),
        Change::AddAddress(index, addr) => (
            RouteNetlinkMessage::NewAddress(address_message(index, &addr)),
            NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE,
        ),
        Change::DelAddress(index, addr) => (
            RouteNetlinkMessage::DelAddress(address_message(index, &addr)),
            NLM_F_REQUEST | NLM_F_ACK,
        ),
        Change::DelLink(index) => {
            let mut msg = LinkMessage::default();
            msg.header.index = index;
            (RouteNetlinkMessage::DelLink(msg), NLM_F_REQUEST | NLM_F_ACK)
        }
        Change::DelGroup(group) => {
            let mut msg = LinkMessage::default();
            msg.attributes.push(LinkAttribute::Group(group));
            (RouteNetlinkMessage::DelLink(msg), NLM_F_REQUEST | NLM_F_ACK)
        }
    };
    let mut msg = NetlinkMessage::from(msg);
    msg.header.flags = flags;
    msg
}

/// An address as `ip addr add` sends it.
fn address_message(index: u32, addr: &IfAddr) -> AddressMessage {
    let mut msg = match addr.address {
        IpAddr::V4(a) => AddressMessageBuilder::<Ipv4Addr>::new()
            .index(index)
            .address(a, addr.prefix_len)
            .build(),
        IpAddr::V6(a) => AddressMessageBuilder::<Ipv6Addr>::new()
            .index(index)
            .address(a, addr.prefix_len)
            .build(),
    };
    shape_address(&mut msg, addr);
    msg
}

/// What the address builder lacks: a point-to-point peer (IFA_ADDRESS = the
/// peer), and no IFA_BROADCAST, as `ip addr add` sends it.
fn shape_address(msg: &mut AddressMessage, addr: &IfAddr) {
    msg.attributes
        .retain(|a| !matches!(a, AddressAttribute::Broadcast(_)));
    if let Some(peer) = addr.peer {
        for a in msg.attributes.iter_mut() {
            if let AddressAttribute::Address(ip) = a {
                *ip = peer;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtnetlink::packet_core::Nla;
    use rtnetlink::packet_route::link::LinkFlags;

    #[test]
    fn link_change_message() {
        let change = LinkChange {
            mac: Some([2, 0, 0, 0, 0, 1]),
            mtu: Some(9000),
            up: Some(false),
            master: Some(0),
            alias: Some("vm1 eth0".into()),
            addrgenmode: Some(1),
            ..Default::default()
        };
        let msg = change.to_message(7);
        assert_eq!(msg.header.index, 7);
        assert_eq!(msg.header.change_mask, LinkFlags::Up);
        assert!(!msg.header.flags.contains(LinkFlags::Up));
        assert!(msg.attributes.contains(&LinkAttribute::Mtu(9000)));
        assert!(msg.attributes.contains(&LinkAttribute::Controller(0)));
        // The alias without a trailing NUL, as iproute2 sends it.
        let mut alias = Vec::new();
        for a in &msg.attributes {
            if let LinkAttribute::Other(nla) = a
                && nla.kind() == IFLA_IFALIAS
            {
                alias = vec![0u8; nla.value_len()];
                nla.emit_value(&mut alias);
            }
        }
        assert_eq!(alias, b"vm1 eth0");
        assert!(
            msg.attributes
                .iter()
                .any(|a| matches!(a, LinkAttribute::AfSpecUnspec(_)))
        );
        assert!(LinkChange::default().is_empty());
        let up = LinkChange {
            up: Some(true),
            master: Some(9),
            ..Default::default()
        }
        .to_message(1);
        assert!(up.header.flags.contains(LinkFlags::Up));
        assert!(up.attributes.contains(&LinkAttribute::Controller(9)));
    }

    #[test]
    fn address_messages_carry_the_peer_and_no_broadcast() {
        use rtnetlink::packet_route::address::AddressMessage;
        let mut msg = AddressMessage::default();
        let ip = "10.0.0.1".parse().unwrap();
        msg.attributes = vec![
            AddressAttribute::Address(ip),
            AddressAttribute::Local(ip),
            AddressAttribute::Broadcast("10.0.0.255".parse().unwrap()),
        ];
        let want = IfAddr::parse("10.0.0.1")
            .unwrap()
            .with_peer("10.0.0.2")
            .unwrap();
        shape_address(&mut msg, &want);
        assert_eq!(
            msg.attributes,
            vec![
                AddressAttribute::Address("10.0.0.2".parse().unwrap()),
                AddressAttribute::Local(ip)
            ]
        );
    }
}
