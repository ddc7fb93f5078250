//! Routes: the one place that adds them (the CNI plugin applies the routes
//! an IPAM plugin hands back). Typed rtnetlink requests, pipelined like
//! every other change.

use std::net::IpAddr;

use futures_util::future::join_all;
use nix::errno::Errno;
use rtnetlink::RouteMessageBuilder;
use rtnetlink::packet_route::route::RouteMessage;

use super::Netlink;
use super::change::errno_of;

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
        let handle = &self.handle;
        let sends = routes.iter().map(|r| {
            let msg = r.to_message(index);
            let handle = handle.clone();
            async move {
                match msg {
                    Some(m) => handle.route().add(m).execute().await.map_err(errno_of),
                    None => Err(Errno::EAFNOSUPPORT),
                }
            }
        });
        self.runtime.block_on(join_all(sends))
    }
}
