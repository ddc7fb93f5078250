//! The rtnetlink edge. Every netlink socket of the program is opened here:
//! - reads (dumps and single lookups) on a blocking socket, parsed by one
//!   byte parser per message kind (`link`, `address`), checked in tests
//!   against netlink-packet-route;
//! - notifications (`events`, for monitor) on a tokio socket, parsed by the
//!   same byte parsers;
//! - changes as typed values (`change`), built as rtnetlink's typed
//!   requests build them and sent on one blocking socket (`burst`), many per
//!   sendmsg: all of a chunk are sent before the first acknowledgement is
//!   read.
//!
//! Nothing here knows about commands: errors come back as errnos, and
//! `crate::error` turns them into messages for the step that failed.

mod address;
mod burst;
mod change;
mod events;
mod link;
mod route;
mod socket;
pub mod wire;

use nix::errno::Errno;

pub use address::{Address, Origin, Origins, is_ipv6_link_local};
pub use change::{Change, LinkChange};
pub use events::{EVENT_RCVBUF, EventSocket, Notice};
pub use link::{Link, Stats, TunAttrs, parse_tun_attrs};
pub use route::Route;
pub use socket::{dump_addresses, dump_links, link_by_index, link_by_name};

/// An open rtnetlink socket for changes, in the current network namespace
/// (a netlink socket binds to the namespace of the thread that opens it).
pub struct Netlink {
    burst: burst::Burst,
}

/// Why a connection could not be opened: the socket itself.
#[derive(Debug)]
pub enum ConnectError {
    Socket(std::io::Error),
}

impl Netlink {
    pub fn connect() -> Result<Netlink, ConnectError> {
        let burst = burst::Burst::open().map_err(ConnectError::Socket)?;
        Ok(Netlink { burst })
    }

    /// Send every change before waiting for any acknowledgement (in chunks,
    /// see `burst`); the kernel handles them in order. Returns one result
    /// per change, in order.
    pub fn apply(&self, changes: Vec<Change>) -> Vec<Result<(), Errno>> {
        self.burst.send_all(
            changes
                .into_iter()
                .map(|c| match change::simulated_refusal(&c) {
                    Some(errno) => Err(errno),
                    None => Ok(change::to_netlink(c)),
                })
                .collect(),
        )
    }

    pub fn apply_one(&self, change: Change) -> Result<(), Errno> {
        self.apply(vec![change]).pop().unwrap_or(Err(Errno::EIO))
    }
}

/// The socket, for an ioctl that answers for its network namespace
/// (`tun::interface_index`).
impl std::os::fd::AsRawFd for Netlink {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.burst.as_raw_fd()
    }
}
