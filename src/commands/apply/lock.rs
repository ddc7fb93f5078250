//! The apply lock: serialises concurrent `apply` runs on one host (SPEC §11).
//!
//! The lock file is trusted only as far as it is proven: a root-owned (our
//! euid) 0600 regular file, opened with O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC and
//! checked with fstat on the opened fd. A symlink, a FIFO, a device, a file
//! owned by another user or one that others could open (and so flock, which
//! works on a read-only fd) is refused with exit 5. A held lock is waited
//! for with a message naming the holder (from /proc/locks), for a bounded
//! time; then exit 6.

use std::fs::File;
use std::os::fd::OwnedFd;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::fcntl::{Flock, FlockArg, OFlag};
use nix::sys::stat::{Mode, SFlag};

use crate::error::{Error, Result};
use crate::text::printable;

/// Where the lock lives.
const LOCK_PATH: &str = "/run/tuntapctl.lock";

/// How long `apply` waits for another holder before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(30);

/// How often a waiting apply tries again.
const POLL: Duration = Duration::from_millis(50);

/// Held until dropped (closing the fd releases the flock).
#[derive(Debug)]
pub struct ApplyLock {
    _lock: Flock<File>,
}

/// Test builds may point the lock elsewhere and shorten the wait; release
/// builds always use /run/tuntapctl.lock and 30 seconds.
#[cfg(debug_assertions)]
fn settings() -> (String, Duration) {
    let path = std::env::var("TUNTAPCTL_TEST_LOCK_PATH").unwrap_or_else(|_| LOCK_PATH.into());
    let wait = std::env::var("TUNTAPCTL_TEST_LOCK_WAIT_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(LOCK_WAIT);
    (path, wait)
}
#[cfg(not(debug_assertions))]
fn settings() -> (String, Duration) {
    (LOCK_PATH.into(), LOCK_WAIT)
}

/// Take the apply lock. `warn` receives a warning when the lock cannot be
/// made at all (no /run, or an unprivileged namespace that may not write
/// it): then concurrent applies are not serialised, as before.
pub fn acquire(warn: &dyn Fn(String)) -> Result<Option<ApplyLock>> {
    let (path, wait) = settings();
    acquire_at(&path, wait, warn)
}

fn acquire_at(path: &str, wait: Duration, warn: &dyn Fn(String)) -> Result<Option<ApplyLock>> {
    let shown = printable(path);
    let flags =
        OFlag::O_RDWR | OFlag::O_CREAT | OFlag::O_NOFOLLOW | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC;
    let fd: OwnedFd = match nix::fcntl::open(path, flags, Mode::from_bits_truncate(0o600)) {
        Ok(fd) => fd,
        Err(Errno::ELOOP) => {
            return Err(Error::permission(format!(
                "the apply lock {shown} is a symbolic link; refusing to follow it (someone may be trying to make root write elsewhere): remove it (rm {shown}) and retry"
            )));
        }
        Err(e @ (Errno::EACCES | Errno::EPERM | Errno::EROFS | Errno::ENOENT)) => {
            warn(format!(
                "warning: cannot open the apply lock {shown} ({}); concurrent applies are not serialized",
                crate::error::errno_text(e as i32)
            ));
            return Ok(None);
        }
        Err(e) => {
            return Err(Error::permission(format!(
                "cannot open the apply lock {shown}: {}; check what is at that path (it must be a regular file) and remove it if it is not the lock",
                crate::error::errno_text(e as i32)
            )));
        }
    };
    check_trusted(&fd, &shown)?;
    let file = File::from(fd);
    let started = Instant::now();
    let mut file = match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
        Ok(lock) => return Ok(Some(ApplyLock { _lock: lock })),
        Err((file, Errno::EWOULDBLOCK)) => file,
        Err((_, e)) => {
            warn(format!(
                "warning: cannot lock {shown} ({}); concurrent applies are not serialized",
                crate::error::errno_text(e as i32)
            ));
            return Ok(None);
        }
    };
    let holder = describe_holders(&file);
    eprintln!(
        "tuntapctl: waiting for the apply lock {shown}, held by {holder} (giving up after {} s)",
        wait.as_secs_f64()
    );
    loop {
        std::thread::sleep(POLL);
        match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(lock) => return Ok(Some(ApplyLock { _lock: lock })),
            Err((f, Errno::EWOULDBLOCK)) => file = f,
            Err((_, e)) => {
                return Err(Error::failed(format!(
                    "cannot lock {shown}: {}",
                    crate::error::errno_text(e as i32)
                )));
            }
        }
        if started.elapsed() >= wait {
            let holder = describe_holders(&file);
            return Err(Error::busy(format!(
                "the apply lock {shown} is still held by {holder} after {} s; nothing was changed: wait for that apply to finish, or stop the process holding the lock, and retry",
                wait.as_secs_f64()
            )));
        }
    }
}

/// The checks on the opened fd (never on the path, which may change).
fn check_trusted(fd: &OwnedFd, shown: &str) -> Result<()> {
    let st = nix::sys::stat::fstat(fd).map_err(|e| {
        Error::failed(format!(
            "cannot inspect the apply lock {shown}: {}",
            crate::error::errno_text(e as i32)
        ))
    })?;
    check_stat(
        st.st_mode,
        st.st_uid,
        nix::unistd::geteuid().as_raw(),
        shown,
    )
}

/// Decision on fstat's answer: a regular file, ours, not open to others.
fn check_stat(mode: libc::mode_t, uid: u32, euid: u32, shown: &str) -> Result<()> {
    let kind = SFlag::from_bits_truncate(mode & libc::S_IFMT);
    if kind != SFlag::S_IFREG {
        let what = match kind {
            SFlag::S_IFIFO => "a FIFO",
            SFlag::S_IFDIR => "a directory",
            SFlag::S_IFCHR | SFlag::S_IFBLK => "a device node",
            SFlag::S_IFSOCK => "a socket",
            _ => "not a regular file",
        };
        return Err(Error::permission(format!(
            "the apply lock {shown} is {what}, not a regular file; refusing to use it: remove it (rm {shown}) and retry"
        )));
    }
    if uid != euid {
        return Err(Error::permission(format!(
            "the apply lock {shown} is owned by uid {uid}, not by us (uid {euid}); another user could hold it to stop apply: remove it (rm {shown}) and retry"
        )));
    }
    if mode & 0o077 != 0 {
        return Err(Error::permission(format!(
            "the apply lock {shown} has mode {:04o}; other users could open and hold it to stop apply: remove it (rm {shown}; apply makes it again with mode 0600) and retry",
            mode & 0o7777
        )));
    }
    Ok(())
}

/// "NAME (pid N)" for every process /proc/locks shows holding a flock on
/// this file, or a fallback when none can be named (a holder in another
/// pid namespace shows no pid).
fn describe_holders(file: &File) -> String {
    let Ok(st) = nix::sys::stat::fstat(file) else {
        return "another process".into();
    };
    let locks = std::fs::read_to_string("/proc/locks").unwrap_or_default();
    let pids = lock_holders(
        &locks,
        libc::major(st.st_dev) as u64,
        libc::minor(st.st_dev) as u64,
        st.st_ino,
    );
    if pids.is_empty() {
        return "another process (not visible in /proc/locks from here)".into();
    }
    pids.iter()
        .map(|pid| {
            let comm = std::fs::read(format!("/proc/{pid}/comm"))
                .map(|c| crate::text::printable_bytes(c.trim_ascii_end()))
                .unwrap_or_else(|_| "?".into());
            format!("{comm} (pid {pid})")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Pids holding (not waiting for) a lock on the file MAJOR:MINOR:INODE, as
/// /proc/locks prints it: `1: FLOCK  ADVISORY  WRITE 1234 00:19:567 0 EOF`,
/// the device numbers in hex; waiters are the lines with `->`.
fn lock_holders(locks: &str, major: u64, minor: u64, inode: u64) -> Vec<u32> {
    let mut pids = Vec::new();
    for line in locks.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.get(1) == Some(&"->") || fields.len() < 6 {
            continue;
        }
        let (Ok(pid), Some(file)) = (fields[4].parse::<i64>(), fields.get(5)) else {
            continue;
        };
        let mut parts = file.split(':');
        let (Some(ma), Some(mi), Some(ino)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let same = u64::from_str_radix(ma, 16).ok() == Some(major)
            && u64::from_str_radix(mi, 16).ok() == Some(minor)
            && ino.parse::<u64>().ok() == Some(inode);
        if same && pid > 0 && !pids.contains(&(pid as u32)) {
            pids.push(pid as u32);
        }
    }
    pids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusts_only_a_private_regular_file() {
        let reg = libc::S_IFREG;
        assert!(check_stat(reg | 0o600, 0, 0, "L").is_ok());
        assert!(check_stat(reg | 0o400, 0, 0, "L").is_ok());
        for bad in [reg | 0o644, reg | 0o604, reg | 0o660, reg | 0o606] {
            let e = check_stat(bad, 0, 0, "L").unwrap_err();
            assert_eq!(e.status.code(), 5);
            assert!(e.message.contains("other users could open"), "{e}");
        }
        let e = check_stat(reg | 0o600, 65534, 0, "L").unwrap_err();
        assert!(e.message.contains("owned by uid 65534"), "{e}");
        let e = check_stat(libc::S_IFIFO | 0o600, 0, 0, "L").unwrap_err();
        assert!(e.message.contains("a FIFO"), "{e}");
        assert_eq!(e.status.code(), 5);
        assert!(check_stat(libc::S_IFCHR | 0o600, 0, 0, "L").is_err());
        assert!(check_stat(libc::S_IFDIR | 0o700, 0, 0, "L").is_err());
    }

    #[test]
    fn reads_holders_from_proc_locks() {
        let locks = "1: FLOCK  ADVISORY  WRITE 4242 00:19:1234 0 EOF\n\
                     1: -> FLOCK  ADVISORY  WRITE 77 00:19:1234 0 EOF\n\
                     2: POSIX  ADVISORY  WRITE 99 fd:01:1234 0 EOF\n\
                     3: OFDLCK ADVISORY  WRITE -1 00:19:1234 0 EOF\n\
                     4: FLOCK  ADVISORY  WRITE 5 00:19:999 0 EOF\n";
        assert_eq!(lock_holders(locks, 0, 0x19, 1234), [4242]);
        assert_eq!(lock_holders(locks, 0xfd, 1, 1234), [99]);
        assert!(lock_holders(locks, 0, 0x19, 1).is_empty());
        assert!(lock_holders("garbage\n\n1:", 0, 0, 0).is_empty());
    }
}
