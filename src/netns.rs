//! `--netns`: enter a network namespace before any tun fd or netlink socket is
//! opened (both bind to the namespace of the thread that creates them).

use std::fs::File;
use std::path::PathBuf;

use nix::errno::Errno;
use nix::sched::{CloneFlags, setns};

use crate::error::{Error, Result};

/// Where a `--netns` argument points: a PID, a path, or a name under /run/netns.
pub fn resolve(spec: &str) -> Result<PathBuf> {
    if spec.is_empty() {
        return Err(Error::usage(
            "--netns is empty: give a name under /run/netns, a path such as /proc/PID/ns/net, or a PID",
        ));
    }
    if spec.chars().all(|c| c.is_ascii_digit()) {
        return Ok(PathBuf::from(format!("/proc/{spec}/ns/net")));
    }
    if spec.contains('/') {
        return Ok(PathBuf::from(spec));
    }
    if spec == "." || spec == ".." {
        return Err(Error::usage(format!(
            "--netns {spec:?} is not a namespace name"
        )));
    }
    Ok(PathBuf::from(format!("/run/netns/{spec}")))
}

/// Enter the namespace for this thread. Call before anything else is opened.
pub fn enter(spec: &str) -> Result<()> {
    let path = resolve(spec)?;
    let file = File::open(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::usage(format!(
            "network namespace {spec:?} not found ({} does not exist); list them with `ip netns list`",
            path.display()
        )),
        std::io::ErrorKind::PermissionDenied => Error::permission(format!(
            "cannot open network namespace {spec:?} ({}): permission denied; run as root",
            path.display()
        )),
        _ => Error::failed(format!(
            "cannot open network namespace {spec:?} ({}): {e}",
            path.display()
        )),
    })?;
    setns(&file, CloneFlags::CLONE_NEWNET).map_err(|errno| match errno {
        Errno::EPERM => Error::permission(format!(
            "cannot enter network namespace {spec:?}: permission denied; entering a namespace needs CAP_SYS_ADMIN (run as root)"
        )),
        Errno::EINVAL => Error::usage(format!(
            "{} is not a network namespace; give a name under /run/netns, /proc/PID/ns/net, or a PID",
            path.display()
        )),
        other => Error::failed(format!(
            "cannot enter network namespace {spec:?}: {}",
            crate::error::errno_text(other as i32)
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves() {
        assert_eq!(resolve("1234").unwrap(), PathBuf::from("/proc/1234/ns/net"));
        assert_eq!(resolve("blue").unwrap(), PathBuf::from("/run/netns/blue"));
        assert_eq!(resolve("/x/y").unwrap(), PathBuf::from("/x/y"));
        assert!(resolve("").is_err());
        assert!(resolve("..").is_err());
    }
}
