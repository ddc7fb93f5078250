//! The write path: changes as typed values, sent through rtnetlink's typed
//! requests, all of them before the first acknowledgement is awaited.

use std::os::fd::RawFd;

use nix::errno::Errno;
use rtnetlink::LinkUnspec;
use rtnetlink::packet_route::address::AddressAttribute;
use rtnetlink::packet_route::link::{
    AfSpecInet6, AfSpecUnspec, In6AddrGenMode, LinkAttribute, LinkMessage,
};

use crate::validate::IfAddr;

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

    pub fn to_message(&self, index: u32) -> LinkMessage {
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
            b = b.alias(alias.clone());
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

/// The errno inside an rtnetlink error (EIO when there is none).
pub(super) fn errno_of(e: rtnetlink::Error) -> Errno {
    match e {
        rtnetlink::Error::NetlinkError(msg) => msg
            .code
            .map_or(Errno::EIO, |c| Errno::from_raw(c.get().abs())),
        _ => Errno::EIO,
    }
}

/// Send one change through its typed request and wait for its
/// acknowledgement.
pub(super) async fn send(handle: rtnetlink::Handle, change: Change) -> Result<(), Errno> {
    // The fault hooks: a tun driver without carrier changes (before 5.0),
    // a kernel that renames only devices that are down (before 6.2).
    if let Change::Link(_, c) = &change {
        use crate::kernel_features::{Feature, simulated_absence};
        let carrier = c.carrier.and(simulated_absence(Feature::TunCarrier));
        let rename = c
            .rename
            .as_ref()
            .and(simulated_absence(Feature::LiveRename));
        if let Some(e) = carrier.or(rename) {
            return Err(e);
        }
    }
    let result = match change {
        Change::Link(index, c) => handle.link().set(c.to_message(index)).execute().await,
        Change::AddAddress(index, addr) => {
            let mut req = handle.address().add(index, addr.address, addr.prefix_len);
            shape_address(req.message_mut(), &addr);
            req.execute().await
        }
        Change::DelAddress(index, addr) => {
            let mut req = handle.address().add(index, addr.address, addr.prefix_len);
            shape_address(req.message_mut(), &addr);
            let msg = req.message_mut().clone();
            handle.address().del(msg).execute().await
        }
        Change::DelLink(index) => handle.link().del(index).execute().await,
        Change::DelGroup(group) => {
            let mut req = handle.link().del(0);
            req.message_mut()
                .attributes
                .push(LinkAttribute::Group(group));
            req.execute().await
        }
    };
    result.map_err(errno_of)
}

/// What the address builder lacks: a point-to-point peer (IFA_ADDRESS = the
/// peer), and no IFA_BROADCAST, as `ip addr add` sends it.
fn shape_address(msg: &mut rtnetlink::packet_route::address::AddressMessage, addr: &IfAddr) {
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
        assert!(
            msg.attributes
                .contains(&LinkAttribute::IfAlias("vm1 eth0".into()))
        );
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
