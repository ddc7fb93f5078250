//! The rtnetlink edge. Every netlink socket of the program is opened here:
//! - reads (dumps and single lookups) on a blocking socket, parsed by one
//!   byte parser per message kind (`link`, `address`), checked in tests
//!   against netlink-packet-route;
//! - notifications (`events`, for monitor) on a tokio socket, parsed by the
//!   same byte parsers;
//! - changes as typed values (`change`), sent through rtnetlink's typed
//!   requests on one connection, pipelined: all are sent before the first
//!   acknowledgement is awaited.
//!
//! Nothing here knows about commands: errors come back as errnos, and
//! `crate::error` turns them into messages for the step that failed.

mod address;
mod change;
mod events;
mod link;
mod route;
mod socket;
pub mod wire;

use futures_util::future::join_all;
use nix::errno::Errno;

pub use address::{Address, is_ipv6_link_local};
pub use change::{Change, LinkChange};
pub use events::{EVENT_RCVBUF, EventSocket, Notice};
pub use link::{Link, Stats, TunAttrs, parse_tun_attrs};
pub use route::Route;
pub use socket::{dump_addresses, dump_links, link_by_index, link_by_name};

/// An open rtnetlink connection for changes, in the current network
/// namespace (a netlink socket binds to the namespace of the thread that
/// opens it).
pub struct Netlink {
    runtime: tokio::runtime::Runtime,
    handle: rtnetlink::Handle,
}

/// Why a connection could not be opened.
#[derive(Debug)]
pub enum ConnectError {
    Runtime(std::io::Error),
    Socket(std::io::Error),
}

impl Netlink {
    pub fn connect() -> Result<Netlink, ConnectError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .map_err(ConnectError::Runtime)?;
        let handle = runtime.block_on(async {
            let (connection, handle, _) =
                rtnetlink::new_connection().map_err(ConnectError::Socket)?;
            tokio::spawn(connection);
            Ok::<_, ConnectError>(handle)
        })?;
        Ok(Netlink { runtime, handle })
    }

    /// Send every change before waiting for any acknowledgement; the kernel
    /// handles them in order. Returns one result per change, in order.
    pub fn apply(&self, changes: Vec<Change>) -> Vec<Result<(), Errno>> {
        let sends = changes
            .into_iter()
            .map(|c| change::send(self.handle.clone(), c));
        self.runtime.block_on(join_all(sends))
    }

    pub fn apply_one(&self, change: Change) -> Result<(), Errno> {
        self.apply(vec![change]).pop().unwrap_or(Err(Errno::EIO))
    }
}
