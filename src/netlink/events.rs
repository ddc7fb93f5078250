//! The event socket: one rtnetlink connection subscribed to the link and
//! address multicast groups, for `monitor`. Opened here, with every other
//! netlink socket of the program.

use std::os::fd::AsRawFd;

use futures_util::Stream;
use rtnetlink::packet_core::NetlinkMessage;
use rtnetlink::packet_route::RouteNetlinkMessage;
use rtnetlink::sys::{AsyncSocket, SocketAddr};

/// RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR: the bits of the
/// multicast groups RTNLGRP_LINK (1), RTNLGRP_IPV4_IFADDR (5) and
/// RTNLGRP_IPV6_IFADDR (9).
const GROUPS: u32 =
    group_bit(RTNLGRP_LINK) | group_bit(RTNLGRP_IPV4_IFADDR) | group_bit(RTNLGRP_IPV6_IFADDR);
const RTNLGRP_LINK: u32 = 1;
const RTNLGRP_IPV4_IFADDR: u32 = 5;
const RTNLGRP_IPV6_IFADDR: u32 = 9;

/// Group N is bit N-1 of the bind address's group mask.
const fn group_bit(group: u32) -> u32 {
    1 << (group - 1)
}

/// Receive buffer asked for by default (as `ip monitor` does): bursts of a
/// thousand link messages fit.
pub const EVENT_RCVBUF: usize = 4 << 20;

/// Subscribe to link and address events in the current network namespace,
/// on the running tokio runtime (the connection is spawned on it). The
/// handle sends requests (dumps) over the same socket. `rcvbuf` replaces
/// the default receive buffer size (tests make it small to provoke
/// ENOBUFS).
pub fn subscribe(
    rcvbuf: Option<usize>,
) -> std::io::Result<(
    rtnetlink::Handle,
    impl Stream<Item = (NetlinkMessage<RouteNetlinkMessage>, SocketAddr)> + Unpin,
)> {
    let (mut connection, handle, messages) = rtnetlink::new_connection()?;
    {
        let socket = connection.socket_mut().socket_mut();
        socket.bind(&SocketAddr::new(0, GROUPS))?;
        set_receive_buffer(socket.as_raw_fd(), rcvbuf);
    }
    tokio::spawn(connection);
    Ok((handle, messages))
}

/// A given size as SO_RCVBUF; else the default, with SO_RCVBUFFORCE as
/// root (the kernel caps SO_RCVBUF at net.core.rmem_max).
fn set_receive_buffer(fd: std::os::fd::RawFd, rcvbuf: Option<usize>) {
    let clamp = |n: usize| libc::c_int::try_from(n).unwrap_or(libc::c_int::MAX);
    if let Some(n) = rcvbuf {
        setsockopt_int(fd, libc::SO_RCVBUF, clamp(n));
        return;
    }
    let size = clamp(EVENT_RCVBUF);
    if !setsockopt_int(fd, libc::SO_RCVBUFFORCE, size) {
        setsockopt_int(fd, libc::SO_RCVBUF, size);
    }
}

fn setsockopt_int(fd: std::os::fd::RawFd, option: libc::c_int, value: libc::c_int) -> bool {
    // SAFETY: setsockopt reads one c_int from a live local for the length
    // given; fd is the open netlink socket.
    unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            option,
            (&value as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        ) == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_link_and_both_address_families() {
        assert_eq!(GROUPS, 0x1 | 0x10 | 0x100);
    }
}
