//! Between the host's network namespace (where the IPAM plugin runs, as
//! the runtime started us) and the container's (CNI_NETNS, where the tap
//! lives). Namespaces are per thread, and this plugin is one thread: every
//! netlink socket is opened after the switch it needs.

use std::fs::File;
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;

use nix::sched::{CloneFlags, setns};

use super::config::shown;
use super::error::{CniError, CniResult, Code};
use crate::error::ExitStatus;

/// The namespace we started in, to come back to.
pub struct Home(OwnedFd);

impl Home {
    pub fn save() -> CniResult<Home> {
        File::open("/proc/thread-self/ns/net")
            .map(|f| Home(OwnedFd::from(f)))
            .map_err(|e| {
                CniError::new(
                    Code::Io,
                    format!("cannot open this process's network namespace (/proc/thread-self/ns/net): {e}; is /proc mounted?"),
                )
            })
    }

    /// Back to the namespace we started in.
    pub fn back(&self) -> CniResult<()> {
        setns(self.0.as_fd(), CloneFlags::CLONE_NEWNET).map_err(|e| {
            CniError::new(
                Code::Io,
                format!("cannot return to the runtime's network namespace: {e}"),
            )
        })
    }
}

/// Does the namespace file exist? (DEL of a gone container is success.)
pub fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Enter CNI_NETNS. Missing: code 3 (the container is gone); not a network
/// namespace: code 4; not allowed: code 5.
pub fn enter(path: &Path) -> CniResult<()> {
    let text = path.to_string_lossy();
    if !exists(path) {
        return Err(CniError::new(
            Code::ContainerUnknown,
            format!(
                "CNI_NETNS {} does not exist: the container's network namespace is gone",
                shown(&text)
            ),
        ));
    }
    crate::netns::enter(&text).map_err(|e| {
        let code = match e.status {
            ExitStatus::Usage => Code::InvalidEnvironment,
            _ => Code::Io,
        };
        CniError::new(code, format!("CNI_NETNS: {}", e.message))
    })
}
