//! Routes: the one place that adds them (the CNI plugin applies the routes
//! an IPAM plugin hands back). Typed rtnetlink messages, sent like every
//! other change (`burst`).

use std::net::IpAddr;

use nix::errno::Errno;
use rtnetlink::RouteMessageBuilder;
use rtnetlink::packet_core::{NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST, NetlinkMessage};
use rtnetlink::packet_route::RouteNetlinkMessage;
use rtnetlink::packet_route::route::RouteMessage;

use super::Netlink;

/// One route through an interface: a destination prefix, and a gateway
/// (None: the destination is on the link).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub dst: IpAddr,
    pub prefix_len: u8,
    pub gateway: Option<IpAddr>,
}

impl Route {
    /// The netlink message, or None when the destination and gateway are of
    /// different families (no such route exists).
    fn to_message(&self, index: u32) -> Option<RouteMessage> {
        let msg = match (self.dst, self.gateway) {
            (IpAddr::V4(dst), gw) => {
                let mut b = RouteMessageBuilder::<std::net::Ipv4Addr>::new()
                    .destination_prefix(dst, self.prefix_len)
                    .output_interface(index);
                match gw {
                    Some(IpAddr::V4(g)) => b = b.gateway(g),
                    Some(IpAddr::V6(_)) => return None,
                    None => {}
                }
                b.build()
            }
            (IpAddr::V6(dst), gw) => {
                let mut b = RouteMessageBuilder::<std::net::Ipv6Addr>::new()
                    .destination_prefix(dst, self.prefix_len)
                    .output_interface(index);
                match gw {
                    Some(IpAddr::V6(g)) => b = b.gateway(g),
                    Some(IpAddr::V4(_)) => return None,
                    None => {}
                }
                b.build()
            }
        };
        Some(msg)
    }
}

impl Netlink {
    /// Add routes through interface `index`, all sent before the first
    /// acknowledgement. One result per route, in order (EAFNOSUPPORT for a
    /// route whose gateway is of another family than its destination).
    pub fn add_routes(&self, index: u32, routes: &[Route]) -> Vec<Result<(), Errno>> {
        // As rtnetlink's RouteAddRequest sends it.
        let msgs = routes
            .iter()
            .map(|r| {
                let mut msg =
                    NetlinkMessage::from(RouteNetlinkMessage::NewRoute(r.to_message(index)?));
                msg.header.flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE;
                Some(msg)
            })
            .map(|m| m.ok_or(Errno::EAFNOSUPPORT))
            .collect();
        self.burst.send_all(msgs)
    }
}
