//! `selinuxContext`: the SELinux context the tap is created under. The
//! kernel labels a tun/tap with the context of the task that creates it, so
//! the context is set on this thread (/proc/thread-self/attr/current, a
//! dynamic transition the policy must allow) just before the device is made.

use super::config::shown;
use super::error::{CniError, CniResult, Code};

/// Is SELinux enabled on this host (selinuxfs mounted)?
pub fn present() -> bool {
    std::path::Path::new("/sys/fs/selinux/enforce").exists()
}

/// Refuse the option where SELinux is off, before anything is made.
pub fn check(context: &str) -> CniResult<()> {
    if present() {
        return Ok(());
    }
    Err(CniError::new(
        Code::UnsupportedField,
        format!(
            "selinuxContext {:?} is given but SELinux is not enabled on this host (/sys/fs/selinux is not mounted); remove selinuxContext from the network configuration",
            shown(context)
        ),
    ))
}

/// Take the context for this thread.
pub fn apply(context: &str) -> CniResult<()> {
    std::fs::write("/proc/thread-self/attr/current", context.as_bytes()).map_err(|e| {
        CniError::new(
            Code::Io,
            format!(
                "cannot switch to SELinux context {:?} to create the tap: {e}; the policy must allow this domain to dyntransition to it",
                shown(context)
            ),
        )
    })
}
