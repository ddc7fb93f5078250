//! The write path's socket: typed messages (rtnetlink's builders) serialized
//! back to back and sent many per sendmsg on one blocking NETLINK_ROUTE
//! socket, then every acknowledgement read, matched by sequence number.
//!
//! The kernel handles the messages of one sendmsg in order, each under its
//! own RTNL lock and each answered by its own acknowledgement, exactly as if
//! they had come one per send: a failing message does not stop the ones
//! after it. What this saves over one send per message (netlink-proto's way)
//! is a system call, a future, a channel and an epoll wake-up per change.

use nix::errno::Errno;
use rtnetlink::packet_core::{NetlinkMessage, NetlinkSerializable};
use rtnetlink::sys::protocols::NETLINK_ROUTE;
use rtnetlink::sys::{Socket, SocketAddr};

use super::wire::{NLMSG_ERROR, messages, ne_u32};

/// Most messages per sendmsg. The kernel queues every acknowledgement of one
/// sendmsg before the call returns; one that does not fit in the receive
/// buffer is dropped (ENOBUFS), so a chunk's acknowledgements (about 770
/// bytes of buffer each, an error's a little more) must fit in the default
/// 208 KiB with room to spare.
const CHUNK: usize = 128;
/// The receive buffer asked for (the kernel caps it at net.core.rmem_max).
const RCVBUF: usize = 1 << 20;
/// One acknowledgement is one datagram of 36 bytes (an error's also holds
/// the request, at most a few hundred bytes here).
const RECV_BUFFER: usize = 1 << 16;

fn io_errno(e: std::io::Error) -> Errno {
    Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO))
}

pub(super) struct Burst {
    socket: Socket,
    /// The sequence number of the next message (0 is never used).
    next_seq: std::cell::Cell<u32>,
}

impl Burst {
    pub(super) fn open() -> std::io::Result<Burst> {
        let socket = Socket::new(NETLINK_ROUTE)?;
        // Best effort: a larger buffer is a margin, CHUNK is the guarantee;
        // and an error's acknowledgement need not carry the request back
        // (only its code is read).
        let _ = socket.set_rx_buf_sz(RCVBUF);
        let _ = socket.set_cap_ack(true);
        Ok(Burst {
            socket,
            next_seq: std::cell::Cell::new(1),
        })
    }

    pub(super) fn as_raw_fd(&self) -> std::os::fd::RawFd {
        std::os::fd::AsRawFd::as_raw_fd(&self.socket)
    }

    /// Send every message (CHUNK per sendmsg) and return each one's result,
    /// in order. A message that is already an error is not sent.
    pub(super) fn send_all<T>(
        &self,
        msgs: Vec<Result<NetlinkMessage<T>, Errno>>,
    ) -> Vec<Result<(), Errno>>
    where
        T: NetlinkSerializable + std::fmt::Debug,
    {
        let mut results: Vec<Result<(), Errno>> = Vec::with_capacity(msgs.len());
        let mut msgs = msgs.into_iter().peekable();
        let mut buf = Vec::new();
        let mut recv = Vec::with_capacity(RECV_BUFFER);
        while msgs.peek().is_some() {
            let first_seq = self.next_seq.get();
            buf.clear();
            // The result slot of each message sent in this chunk, in
            // sequence order (first_seq, first_seq + 1, ...).
            let mut slots: Vec<usize> = Vec::with_capacity(CHUNK);
            for msg in msgs.by_ref().take(CHUNK) {
                match msg {
                    Ok(mut m) => {
                        m.header.sequence_number = first_seq.wrapping_add(slots.len() as u32);
                        m.finalize();
                        let at = buf.len();
                        buf.resize(at + m.buffer_len(), 0);
                        m.serialize(&mut buf[at..]);
                        slots.push(results.len());
                        // Until its acknowledgement says otherwise.
                        results.push(Err(Errno::EIO));
                    }
                    Err(e) => results.push(Err(e)),
                }
            }
            self.next_seq
                .set(first_seq.wrapping_add(slots.len() as u32).max(1));
            if slots.is_empty() {
                continue;
            }
            if let Err(e) = self.exchange(&buf, first_seq, &slots, &mut results, &mut recv) {
                // No (more) acknowledgements: every message not yet
                // answered has this error.
                for &slot in &slots {
                    if results[slot] == Err(Errno::EIO) {
                        results[slot] = Err(e);
                    }
                }
            }
        }
        results
    }

    /// One sendmsg of `buf`, then acknowledgements until every slot has one.
    fn exchange(
        &self,
        buf: &[u8],
        first_seq: u32,
        slots: &[usize],
        results: &mut [Result<(), Errno>],
        recv: &mut Vec<u8>,
    ) -> Result<(), Errno> {
        let kernel = SocketAddr::new(0, 0);
        loop {
            match self.socket.send_to(buf, &kernel, 0) {
                Ok(_) => break,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_errno(e)),
            }
        }
        let mut answered = vec![false; slots.len()];
        let mut left = slots.len();
        while left > 0 {
            recv.clear();
            let len = match self.socket.recv(recv, 0) {
                Ok(len) => len.min(recv.len()),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_errno(e)),
            };
            for msg in messages(&recv[..len]) {
                let msg = msg.map_err(|()| Errno::EBADMSG)?;
                if msg.kind != NLMSG_ERROR {
                    continue;
                }
                let offset = msg.seq.wrapping_sub(first_seq) as usize;
                let Some(&slot) = slots.get(offset) else {
                    continue;
                };
                if std::mem::replace(&mut answered[offset], true) {
                    continue;
                }
                let code = ne_u32(msg.payload).map_or(-libc::EIO, |v| v as i32);
                results[slot] = if code < 0 {
                    Err(Errno::from_raw(-code))
                } else {
                    Ok(())
                };
                left -= 1;
            }
        }
        Ok(())
    }
}
