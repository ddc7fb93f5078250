//! Which processes hold which tun/tap devices: one pass over /proc/*/fd,
//! reading fdinfo only for fds that are the tun character device (10:200).
//! Cost grows with the number of fds plus the number of holders.

use std::collections::HashMap;
use std::fs;
use std::io::ErrorKind;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;

use nix::fcntl::AtFlags;
use nix::sys::stat::fstatat;

use serde::{Deserialize, Serialize};

use crate::tun;

/// A process holding a device.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Holder {
    pub pid: u32,
    pub command: String,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Process names are chosen by the process (prctl): escaped.
        write!(
            f,
            "{} (pid {})",
            crate::text::printable(&self.command),
            self.pid
        )
    }
}

/// Interface name → holders, for devices in this network namespace.
#[derive(Debug, Default)]
pub struct Holders {
    pub by_name: HashMap<String, Vec<Holder>>,
    /// Processes whose fds could not be read (for one warning).
    pub unreadable: usize,
}

impl Holders {
    pub fn of(&self, name: &str) -> &[Holder] {
        self.by_name.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// One line for stderr when some processes could not be inspected.
    pub fn warning(&self) -> Option<String> {
        (self.unreadable > 0).then(|| {
            format!(
                "warning: could not read the open files of {} process{} (permission denied); attached processes may be missing (run as root to see all)",
                self.unreadable,
                if self.unreadable == 1 { "" } else { "es" }
            )
        })
    }
}

const TUN_MAJOR: u64 = 10;
const TUN_MINOR: u64 = 200;

fn is_tun_device(mode: libc::mode_t, rdev: libc::dev_t) -> bool {
    mode & libc::S_IFMT == libc::S_IFCHR
        && libc::major(rdev) as u64 == TUN_MAJOR
        && libc::minor(rdev) as u64 == TUN_MINOR
}

/// The interface name in a tun fd's fdinfo (`iff:\tNAME`).
fn iff_name(fdinfo: &str) -> Option<&str> {
    fdinfo
        .lines()
        .find_map(|line| line.strip_prefix("iff:"))
        .map(str::trim)
        .filter(|name| !name.is_empty())
}

/// The calling thread's network namespace (setns is per thread, so
/// /proc/self, the main thread's, may be another one).
fn netns_inode_of_self() -> Option<u64> {
    fs::metadata("/proc/thread-self/ns/net")
        .or_else(|_| fs::metadata("/proc/self/ns/net"))
        .ok()
        .map(|m| m.ino())
}

/// Scan /proc. Only devices in our network namespace are reported: a holder in
/// another namespace may hold a different device of the same name.
///
/// Per process: one open and a few getdents of /proc/PID/fd. Per fd: one
/// fstatat relative to that directory (no path walk through /proc again).
/// Only for tun fds: the fdinfo read, and (once per process) a pidfd to ask
/// the device for its namespace.
pub fn scan() -> Holders {
    let own_netns = netns_inode_of_self();
    let mut holders: HashMap<String, Vec<Holder>> = HashMap::new();
    let mut unreadable = 0;
    let Ok(proc_dir) = fs::read_dir("/proc") else {
        return Holders::default();
    };
    for entry in proc_dir.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let fd_path = format!("/proc/{pid}/fd");
        let fd_dir = match fs::read_dir(&fd_path) {
            Ok(dir) => dir,
            Err(e) if e.kind() == ErrorKind::PermissionDenied => {
                unreadable += 1;
                continue;
            }
            Err(_) => continue, // exited, or a kernel thread
        };
        // The same directory as an fd, for fstatat. Opening it again cannot
        // be refused when reading it was not; if it fails, the process exited.
        let Ok(dir_fd) = fs::File::open(&fd_path) else {
            continue;
        };
        let mut pidfd: Option<Option<OwnedFd>> = None;
        let mut names_here: Vec<String> = Vec::new();
        for fd_entry in fd_dir.flatten() {
            let fd_name = fd_entry.file_name();
            // stat follows the link to the open file: only the tun device
            // (10:200) matters. Some entries are unreadable even for root.
            let Ok(st) = fstatat(&dir_fd, fd_name.as_os_str(), AtFlags::empty()) else {
                continue;
            };
            if !is_tun_device(st.st_mode, st.st_rdev) {
                continue;
            }
            let Some(fd) = fd_name.to_str().and_then(|s| s.parse::<i32>().ok()) else {
                continue;
            };
            let Ok(info) = fs::read_to_string(format!("/proc/{pid}/fdinfo/{fd}")) else {
                continue;
            };
            let Some(name) = iff_name(&info) else {
                continue; // opened but not attached
            };
            if names_here.iter().any(|n| n == name) {
                continue; // another queue of a device already seen here
            }
            if !in_our_netns(pid, &mut pidfd, fd, own_netns) {
                continue;
            }
            names_here.push(name.to_string());
        }
        if names_here.is_empty() {
            continue;
        }
        let command = fs::read_to_string(format!("/proc/{pid}/comm"))
            .map(|c| c.trim_end().to_string())
            .unwrap_or_else(|_| "?".into());
        for name in names_here {
            holders.entry(name).or_default().push(Holder {
                pid,
                command: command.clone(),
            });
        }
    }
    // /proc lists pids in ascending order; keep each list sorted regardless.
    for list in holders.values_mut() {
        list.sort();
    }
    Holders {
        by_name: holders,
        unreadable,
    }
}

/// Is the device behind another process's fd in our namespace? Usually the
/// holder lives in the namespace of its device, so a holder in our namespace
/// is taken at its word. Only for a holder in another namespace do we ask the
/// device itself (pidfd_getfd + TUNGETDEVNETNS): that briefly holds a copy of
/// the fd, which would keep a device alive for an instant after its holder
/// closes it, so we do it as rarely as possible, and never to another
/// tuntapctl (whose devices may be half-made and about to vanish).
fn in_our_netns(
    pid: u32,
    pidfd: &mut Option<Option<OwnedFd>>,
    fd: i32,
    own_netns: Option<u64>,
) -> bool {
    let Some(own) = own_netns else {
        return true;
    };
    let process_netns = fs::metadata(format!("/proc/{pid}/ns/net")).map(|m| m.ino());
    match process_netns {
        Ok(ino) if ino == own => return true,
        Err(_) => return true,
        Ok(_) => {}
    }
    let is_tuntapctl = fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|c| c.trim_end() == "tuntapctl")
        .unwrap_or(false);
    if is_tuntapctl {
        return false;
    }
    let pidfd = pidfd.get_or_insert_with(|| open_pidfd(pid));
    if let Some(dup) = pidfd.as_ref().and_then(|p| duplicate_fd(p, fd))
        && let Ok(ns) = tun::device_netns(&dup)
        && let Ok(meta) = fs::File::from(ns).metadata()
    {
        return meta.ino() == own;
    }
    false
}

/// A pidfd for `pid` (pidfd_open, Linux 5.3+), or None.
fn open_pidfd(pid: u32) -> Option<OwnedFd> {
    // SAFETY: pidfd_open takes a pid and flags by value and returns a new fd
    // or -1; no memory is shared.
    let pidfd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, 0) };
    if pidfd < 0 {
        return None;
    }
    // SAFETY: pidfd is a fresh fd that we own and nothing else closes.
    Some(unsafe { OwnedFd::from_raw_fd(pidfd as i32) })
}

/// A copy of another process's fd (pidfd_getfd, Linux 5.6+).
fn duplicate_fd(pidfd: &OwnedFd, fd: i32) -> Option<OwnedFd> {
    // SAFETY: pidfd_getfd takes the pidfd, the target fd number and flags by
    // value and returns a new fd in our table or -1; no memory is shared.
    let dup = unsafe { libc::syscall(libc::SYS_pidfd_getfd, pidfd.as_raw_fd(), fd, 0) };
    if dup < 0 {
        return None;
    }
    // SAFETY: dup is a fresh fd that we own and nothing else closes.
    Some(unsafe { OwnedFd::from_raw_fd(dup as i32) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fdinfo_parse() {
        let info = "pos:\t0\nflags:\t02\nmnt_id:\t25\nino:\t1\niff:\ttap44\n";
        assert_eq!(iff_name(info), Some("tap44"));
        assert_eq!(iff_name("pos:\t0\n"), None);
        assert_eq!(iff_name("iff:\t\n"), None);
    }
}
