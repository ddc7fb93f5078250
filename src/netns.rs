//! `--netns`: enter a network namespace before any tun fd or netlink socket is
//! opened (both bind to the namespace of the thread that creates them).

use std::os::fd::{AsRawFd, OwnedFd};
use std::path::PathBuf;

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sched::{CloneFlags, setns};
use nix::sys::stat::{Mode, SFlag};

use crate::kernel_features::{Feature, simulated_absence};
use crate::text::printable;

use crate::error::kernel::{Opening, open_error, setns_error};
use crate::error::{Error, Result};

/// Where a `--netns` argument points: a PID, a path, or a name under /run/netns.
pub fn resolve(spec: &str) -> Result<PathBuf> {
    resolve_for(spec, "--netns")
}

/// Where the namespace of `option` (`--netns`, `--move-to`) points.
fn resolve_for(spec: &str, option: &str) -> Result<PathBuf> {
    if spec.is_empty() {
        return Err(Error::usage(format!(
            "{option} is empty: give a name under /run/netns, a path such as /proc/PID/ns/net, or a PID"
        )));
    }
    if spec.chars().all(|c| c.is_ascii_digit()) {
        return Ok(PathBuf::from(format!("/proc/{spec}/ns/net")));
    }
    if spec.contains('/') {
        return Ok(PathBuf::from(spec));
    }
    if spec == "." || spec == ".." {
        return Err(Error::usage(format!(
            "{option} \"{spec}\" is not a namespace name"
        )));
    }
    Ok(PathBuf::from(format!("/run/netns/{spec}")))
}

/// Open the network namespace that `spec` names (a PID, a path, or a name
/// under /run/netns), for `option` (`--netns`, `--move-to`): the one opener
/// of namespace files. The path is opened without blocking (a FIFO there
/// must not hang us) and the opened fd is asked what it is (NS_GET_NSTYPE):
/// anything but a network namespace is exit 2 at once.
pub fn open(spec: &str, option: &str) -> Result<OwnedFd> {
    open_checked(spec, option).map(|(fd, _)| fd)
}

/// `open`, and the facility whose absence left the kind of namespace to
/// setns (None: NS_GET_NSTYPE proved it a network namespace).
fn open_checked(spec: &str, option: &str) -> Result<(OwnedFd, Option<Feature>)> {
    let path = resolve_for(spec, option)?;
    let shown_spec = printable(spec);
    let shown_path = printable_path(&path);
    let flags = OFlag::O_RDONLY | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC | OFlag::O_NOCTTY;
    let opening = Opening::Netns {
        option,
        spec: &shown_spec,
        path: &shown_path,
    };
    let fd = nix::fcntl::open(&path, flags, Mode::empty()).map_err(|e| open_error(&opening, e))?;
    let unchecked = check_is_netns(&fd).map_err(|what| {
        Error::usage(format!(
            "{option} {shown_spec}: {shown_path} is not a network namespace (it is {what}); give a name under /run/netns, /proc/PID/ns/net, or a PID"
        ))
    })?;
    Ok((fd, unchecked))
}

/// Enter the namespace for this thread. Call before anything else is opened.
pub fn enter(spec: &str) -> Result<()> {
    let (fd, unchecked) = open_checked(spec, "--netns")?;
    setns(&fd, CloneFlags::CLONE_NEWNET).map_err(|errno| match (errno, unchecked) {
        // Without NS_GET_NSTYPE, setns (asked for a network namespace) tells.
        (Errno::EINVAL, Some(feature)) => Error::usage(format!(
            "--netns {}: it is not a network namespace (this kernel lacks {}: setns told); give a name under /run/netns, /proc/PID/ns/net, or a PID",
            printable(spec),
            feature.described()
        )),
        (errno, _) => setns_error(&printable(spec), errno),
    })
}

/// Is `fd` the network namespace this thread is in?
pub fn is_current(fd: &OwnedFd) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(ours) = std::fs::metadata("/proc/thread-self/ns/net") else {
        return false;
    };
    nix::sys::stat::fstat(fd).is_ok_and(|st| st.st_dev == ours.dev() && st.st_ino == ours.ino())
}

fn printable_path(path: &std::path::Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    crate::text::printable_bytes(path.as_os_str().as_bytes())
}

/// Proven on the fd: a namespace file (nsfs) of type network. Err names
/// what it is instead. Ok(Some(NS_GET_NSTYPE)) on a kernel without that
/// ioctl: a namespace file (nsfs) whose kind setns checks.
fn check_is_netns(fd: &OwnedFd) -> std::result::Result<Option<Feature>, String> {
    let st = nix::sys::stat::fstat(fd).map_err(|e| format!("not inspectable ({e})"))?;
    let kind = SFlag::from_bits_truncate(st.st_mode & libc::S_IFMT);
    match kind {
        SFlag::S_IFREG => {}
        SFlag::S_IFIFO => return Err("a FIFO".into()),
        SFlag::S_IFDIR => return Err("a directory".into()),
        SFlag::S_IFCHR | SFlag::S_IFBLK => return Err("a device node".into()),
        SFlag::S_IFSOCK => return Err("a socket".into()),
        _ => return Err("not a namespace file".into()),
    }
    let nstype = match simulated_absence(Feature::NsGetNstype) {
        Some(e) => Err(e),
        // SAFETY: NS_GET_NSTYPE takes no argument and returns the namespace
        // type (a CLONE_NEW* flag) or -1 with ENOTTY for other files; the
        // fd stays ours.
        None => Errno::result(unsafe { libc::ioctl(fd.as_raw_fd(), libc::NS_GET_NSTYPE) }),
    };
    match nstype {
        Ok(t) if t == libc::CLONE_NEWNET => Ok(None),
        Ok(t) => Err(format!("another kind of namespace ({})", ns_kind(t))),
        // Every other file answers ENOTTY too: only a file of nsfs is a
        // namespace whose kernel lacks the ioctl.
        Err(e) if Feature::NsGetNstype.is_absence(e) && on_nsfs(fd) => {
            Ok(Some(Feature::NsGetNstype))
        }
        Err(_) => Err("a regular file".into()),
    }
}

/// Is the file on nsfs, the namespace file system (Linux 3.19)?
fn on_nsfs(fd: &OwnedFd) -> bool {
    nix::sys::statfs::fstatfs(fd)
        .is_ok_and(|fs| fs.filesystem_type() == nix::sys::statfs::NSFS_MAGIC)
}

fn ns_kind(nstype: i32) -> &'static str {
    match nstype {
        libc::CLONE_NEWNS => "mount",
        libc::CLONE_NEWUTS => "uts",
        libc::CLONE_NEWIPC => "ipc",
        libc::CLONE_NEWUSER => "user",
        libc::CLONE_NEWPID => "pid",
        libc::CLONE_NEWCGROUP => "cgroup",
        libc::CLONE_NEWTIME => "time",
        _ => "unknown",
    }
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
