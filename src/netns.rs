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
            "--netns \"{spec}\" is not a namespace name"
        )));
    }
    Ok(PathBuf::from(format!("/run/netns/{spec}")))
}

/// Enter the namespace for this thread. Call before anything else is opened.
///
/// The path is opened without blocking (a FIFO there must not hang us) and
/// the opened fd is asked what it is (NS_GET_NSTYPE) before setns: anything
/// but a network namespace is exit 2 at once.
pub fn enter(spec: &str) -> Result<()> {
    let path = resolve(spec)?;
    let shown_spec = printable(spec);
    let shown_path = printable_path(&path);
    let flags = OFlag::O_RDONLY | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC | OFlag::O_NOCTTY;
    let fd = nix::fcntl::open(&path, flags, Mode::empty()).map_err(|e| match e {
        Errno::ENOENT | Errno::ENOTDIR => Error::usage(format!(
            "network namespace \"{shown_spec}\" not found ({shown_path} does not exist); list them with `ip netns list`"
        )),
        Errno::EACCES | Errno::EPERM => Error::permission(format!(
            "cannot open network namespace \"{shown_spec}\" ({shown_path}): permission denied; run as root"
        )),
        other => Error::usage(format!(
            "cannot open network namespace \"{shown_spec}\" ({shown_path}): {}; give a name under /run/netns, /proc/PID/ns/net, or a PID",
            crate::error::errno_text(other as i32)
        )),
    })?;
    let unchecked = check_is_netns(&fd).map_err(|what| {
        Error::usage(format!(
            "{shown_path} is not a network namespace (it is {what}); give a name under /run/netns, /proc/PID/ns/net, or a PID"
        ))
    })?;
    // Without NS_GET_NSTYPE, setns (asked for a network namespace) tells.
    let told = unchecked
        .map(|f| format!(" (this kernel lacks {}: setns told)", f.described()))
        .unwrap_or_default();
    setns(&fd, CloneFlags::CLONE_NEWNET).map_err(|errno| match errno {
        Errno::EPERM => Error::permission(format!(
            "cannot enter network namespace \"{shown_spec}\": permission denied; entering a namespace needs CAP_SYS_ADMIN (run as root)"
        )),
        Errno::EINVAL => Error::usage(format!(
            "{shown_path} is not a network namespace{told}; give a name under /run/netns, /proc/PID/ns/net, or a PID"
        )),
        other => Error::failed(format!(
            "cannot enter network namespace \"{shown_spec}\": {}",
            crate::error::errno_text(other as i32)
        )),
    })
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
