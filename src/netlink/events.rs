//! The event socket: one NETLINK_ROUTE socket subscribed to the link and
//! address multicast groups, for `monitor`, read on the running tokio
//! runtime. Its messages are parsed by the same byte parsers as dumps and
//! lookups (`Link::from_bytes`, `Address::from_bytes`): a monitor sees a
//! link exactly as `list` and `show` do.

use std::collections::VecDeque;
use std::os::fd::AsRawFd;

use rtnetlink::sys::protocols::NETLINK_ROUTE;
use rtnetlink::sys::{AsyncSocket, AsyncSocketExt, SocketAddr, TokioSocket};

use super::wire::*;
use super::{Address, Link};

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

/// One datagram holds one notification (a few KiB at most); the rest of the
/// capacity is never touched.
const DATAGRAM: usize = 1 << 20;

/// What the kernel announced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    NewLink(Link),
    DelLink(Link),
    NewAddress(Address),
    DelAddress(Address),
    /// ENOBUFS: the kernel dropped notifications for us (our receive
    /// buffer was full); what is known must be read again.
    Overrun,
}

/// A subscription to link and address notifications in the current network
/// namespace.
pub struct EventSocket {
    socket: TokioSocket,
    buf: Vec<u8>,
    /// Parsed from the last datagram, not yet handed out.
    pending: VecDeque<Notice>,
}

impl EventSocket {
    /// Subscribe, on the running tokio runtime. `rcvbuf` replaces the
    /// default receive buffer size (tests make it small to provoke ENOBUFS).
    pub fn subscribe(rcvbuf: Option<usize>) -> std::io::Result<EventSocket> {
        let mut socket = TokioSocket::new(NETLINK_ROUTE)?;
        socket.socket_mut().bind(&SocketAddr::new(0, GROUPS))?;
        set_receive_buffer(socket.as_raw_fd(), rcvbuf);
        Ok(EventSocket {
            socket,
            buf: Vec::with_capacity(DATAGRAM),
            pending: VecDeque::new(),
        })
    }

    /// The next notice, waiting for one. An error is the socket's (other
    /// than ENOBUFS, which is `Notice::Overrun`).
    pub async fn next(&mut self) -> std::io::Result<Notice> {
        loop {
            if let Some(notice) = self.pending.pop_front() {
                return Ok(notice);
            }
            self.buf.clear();
            match self.socket.recv(&mut self.buf).await {
                Ok(()) => self.pending.extend(decode(&self.buf)),
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => return Ok(Notice::Overrun),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Throw away everything already received, without waiting: after an
    /// overrun it is older than the dump that follows, which supersedes it
    /// (applied after the dump, it would roll the state back).
    pub fn discard_queued(&mut self) {
        self.pending.clear();
        loop {
            self.buf.clear();
            match self
                .socket
                .socket_ref()
                .recv(&mut self.buf, libc::MSG_DONTWAIT)
            {
                Ok(_) => {}
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return, // EAGAIN: nothing more queued
            }
        }
    }
}

/// The notices in one datagram. Messages of other types, and links whose
/// family is not AF_UNSPEC, are left out: a bridge announces its ports'
/// bridge state as RTM_NEWLINK/DELLINK of family AF_BRIDGE (a DELLINK when
/// a port leaves the bridge), and those are not the link's own messages.
/// A malformed message ends the datagram.
pub fn decode(datagram: &[u8]) -> Vec<Notice> {
    let mut out = Vec::new();
    for msg in messages(datagram) {
        let Ok(msg) = msg else { break };
        let own_link = msg.payload.first() == Some(&(libc::AF_UNSPEC as u8));
        let notice = match msg.kind {
            RTM_NEWLINK if own_link => Link::from_bytes(msg.payload).map(Notice::NewLink),
            RTM_DELLINK if own_link => Link::from_bytes(msg.payload).map(Notice::DelLink),
            RTM_NEWADDR => Address::from_bytes(msg.payload).map(Notice::NewAddress),
            RTM_DELADDR => Address::from_bytes(msg.payload).map(Notice::DelAddress),
            _ => None,
        };
        out.extend(notice);
    }
    out
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
    use crate::validate::Mode;

    #[test]
    fn groups_are_link_and_both_address_families() {
        assert_eq!(GROUPS, 0x1 | 0x10 | 0x100);
    }

    /// One link message: ifinfomsg of `family`, the name, kind "tun" and
    /// IFLA_TUN_TYPE tap.
    fn link_message(kind: u16, family: u8, index: u32, name: &str) -> Vec<u8> {
        let mut header = [0u8; 16];
        header[0] = family;
        header[4..8].copy_from_slice(&index.to_ne_bytes());
        header[8..12].copy_from_slice(&IFF_UP.to_ne_bytes());
        let mut data = Vec::new();
        push_attribute(&mut data, 3, &[2]); // IFLA_TUN_TYPE: tap
        let mut info = Vec::new();
        push_attribute(&mut info, IFLA_INFO_KIND, b"tun\0");
        push_attribute(&mut info, IFLA_INFO_DATA, &data);
        let mut ifname = name.as_bytes().to_vec();
        ifname.push(0);
        request(
            kind,
            0,
            0,
            &header,
            &[(IFLA_IFNAME, ifname), (IFLA_LINKINFO, info)],
        )
    }

    fn address_message(kind: u16, index: u32, ip: [u8; 4], prefix: u8) -> Vec<u8> {
        let mut header = [0u8; 8];
        header[0] = libc::AF_INET as u8;
        header[1] = prefix;
        header[4..8].copy_from_slice(&index.to_ne_bytes());
        request(kind, 0, 0, &header, &[(IFA_ADDRESS, ip.to_vec())])
    }

    #[test]
    fn decodes_links_and_addresses_with_the_shared_parsers() {
        let mut datagram = link_message(RTM_NEWLINK, 0, 7, "tap0");
        datagram.extend(address_message(RTM_NEWADDR, 7, [10, 0, 0, 1], 24));
        datagram.extend(address_message(RTM_DELADDR, 7, [10, 0, 0, 1], 24));
        datagram.extend(link_message(RTM_DELLINK, 0, 7, "tap0"));
        let notices = decode(&datagram);
        assert_eq!(notices.len(), 4);
        let Notice::NewLink(link) = &notices[0] else {
            panic!("{notices:?}")
        };
        assert_eq!(
            (link.index, link.name.as_str(), link.up, link.mode()),
            (7, "tap0", true, Some(Mode::Tap))
        );
        let Notice::NewAddress(a) = &notices[1] else {
            panic!("{notices:?}")
        };
        assert_eq!(
            (a.index, a.address.to_string(), a.prefix_len),
            (7, "10.0.0.1".into(), 24)
        );
        assert!(matches!(&notices[2], Notice::DelAddress(a) if a.index == 7));
        assert!(matches!(&notices[3], Notice::DelLink(l) if l.is_tun() && l.name == "tap0"));
    }

    #[test]
    fn a_bridges_messages_about_its_port_are_not_the_links() {
        let bridge = libc::AF_BRIDGE as u8;
        let mut datagram = link_message(RTM_NEWLINK, bridge, 5, "tap0");
        datagram.extend(link_message(RTM_DELLINK, bridge, 5, "tap0"));
        assert!(decode(&datagram).is_empty());
    }

    #[test]
    fn malformed_input_is_left_out_not_trusted() {
        let good = link_message(RTM_NEWLINK, 0, 7, "tap0");
        // Cut short: the header claims more than there is.
        assert!(decode(&good[..good.len() - 4]).is_empty());
        // A message too short for an ifinfomsg, then a good one.
        let mut datagram = request(RTM_NEWLINK, 0, 0, &[0u8; 4], &[]);
        datagram.extend(&good);
        assert_eq!(decode(&datagram).len(), 1);
        assert!(decode(&[]).is_empty());
        for n in 0..good.len() {
            let _ = decode(&good[..n]);
        }
    }
}
