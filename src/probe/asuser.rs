//! Do something as another user, for real: fork a child that drops to the
//! user's uid, gid and supplementary groups, opens /dev/net/tun read-write
//! and (optionally) attaches to a device, then reports the errno through a
//! pipe. Mode bits are not enough to predict the open (ACLs, device cgroups,
//! security modules), so we ask the kernel.
//!
//! Between fork and _exit the child calls only async-signal-safe functions
//! (setgroups, setresgid, setresuid, open, ioctl, write, close, _exit) on
//! memory prepared before the fork: it is safe even if other threads hold
//! locks at the time of the fork.

use std::ffi::CString;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use nix::errno::Errno;

/// Who to become.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub uid: u32,
    pub gid: u32,
    pub groups: Vec<u32>,
}

/// Which step failed in the child.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Dropping to the user's ids (only when we are not allowed to).
    Become,
    Open,
    Attach,
}

/// What the child did: Ok, or the step that failed and its errno.
pub type ChildResult = Result<(), (Step, Errno)>;

/// An attach to try after the open.
#[derive(Clone, Debug)]
pub struct AttachSpec {
    pub name: String,
    /// TUNSETIFF flags (IFF_TUN/IFF_TAP, IFF_NO_PI, ...).
    pub flags: libc::c_short,
}

/// Open `path` O_RDWR as `who`, then (with `attach`) TUNSETIFF and close
/// again (detach). Errors of our own (fork, pipe) are `Err` of the outer
/// result; what the child met is the inner one.
pub fn open_and_attach(
    who: &Identity,
    path: &Path,
    attach: Option<&AttachSpec>,
) -> std::io::Result<ChildResult> {
    // Everything the child touches is made before the fork.
    let cpath = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::other("path holds a NUL byte"))?;
    let groups: Vec<libc::gid_t> = who.groups.clone();
    // Already that user (a user checking itself, without root): nothing to
    // switch, and setgroups would need CAP_SETGID.
    let switch = !already(who);
    let mut req = attach.map(|a| {
        // SAFETY: ifreq is plain old data; all-zero is a valid value.
        let mut req: libc::ifreq = unsafe { std::mem::zeroed() };
        for (d, s) in req
            .ifr_name
            .iter_mut()
            .zip(a.name.as_bytes().iter().take(libc::IFNAMSIZ - 1))
        {
            *d = *s as libc::c_char;
        }
        req.ifr_ifru.ifru_flags = a.flags;
        req
    });
    let (read_end, write_end) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
    let write_fd = write_end.as_raw_fd();
    // SAFETY: fork duplicates this process; the child below calls only
    // async-signal-safe functions on memory that was prepared above, and
    // leaves with _exit, never returning into Rust code of the parent.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(std::io::Error::last_os_error());
    }
    if pid == 0 {
        // SAFETY: see the module comment; pointers are to live locals.
        unsafe {
            child(
                write_fd,
                switch.then_some((who.uid, who.gid, groups.as_slice())),
                &cpath,
                req.as_mut(),
            )
        }
    }
    drop(write_end);
    let mut buf = [0u8; 8];
    let n = read_all(&read_end, &mut buf);
    let status = wait_for(pid)?;
    if n != buf.len() {
        return Err(std::io::Error::other(format!(
            "the check child ended without a report ({status})"
        )));
    }
    let step = u32::from_ne_bytes([buf[0], buf[1], buf[2], buf[3]]);
    let errno = i32::from_ne_bytes([buf[4], buf[5], buf[6], buf[7]]);
    Ok(match step {
        0 => Ok(()),
        1 => Err((Step::Become, Errno::from_raw(errno))),
        2 => Err((Step::Open, Errno::from_raw(errno))),
        _ => Err((Step::Attach, Errno::from_raw(errno))),
    })
}

/// The child: become the user, open, maybe attach, report, _exit.
///
/// # Safety
/// Call only in a freshly forked child; all pointers must be valid.
unsafe fn child(
    report: libc::c_int,
    switch_to: Option<(u32, u32, &[libc::gid_t])>,
    path: &CString,
    req: Option<&mut libc::ifreq>,
) -> ! {
    let errno = || Errno::last_raw();
    // Groups before gid before uid: after setresuid we could no longer.
    if let Some((uid, gid, groups)) = switch_to
        // SAFETY: setgroups reads `groups.len()` gids from a live slice.
        && (unsafe { libc::setgroups(groups.len(), groups.as_ptr()) } != 0
            // SAFETY: plain integer arguments.
            || unsafe { libc::setresgid(gid, gid, gid) } != 0
            // SAFETY: plain integer arguments.
            || unsafe { libc::setresuid(uid, uid, uid) } != 0)
    {
        send(report, 1, errno());
    }
    // SAFETY: path is a live NUL-terminated string.
    let fd = unsafe { libc::open(path.as_ptr(), libc::O_RDWR | libc::O_CLOEXEC) };
    if fd < 0 {
        send(report, 2, errno());
    }
    if let Some(req) = req {
        // SAFETY: TUNSETIFF reads and writes one ifreq, which lives in the
        // parent's (copied) stack frame for the whole call.
        if unsafe { libc::ioctl(fd, libc::TUNSETIFF, req as *mut libc::ifreq) } < 0 {
            send(report, 3, errno());
        }
    }
    // Closing the fd detaches (the device is persistent, so it stays).
    // SAFETY: fd is ours.
    unsafe { libc::close(fd) };
    send(report, 0, 0)
}

/// Report (step, errno) to the parent and end the child.
fn send(report: libc::c_int, step: u32, errno: i32) -> ! {
    let mut buf = [0u8; 8];
    buf[..4].copy_from_slice(&step.to_ne_bytes());
    buf[4..].copy_from_slice(&errno.to_ne_bytes());
    // SAFETY: write(2) from a valid buffer of 8 bytes; async-signal-safe.
    unsafe { libc::write(report, buf.as_ptr().cast(), buf.len()) };
    // SAFETY: _exit ends the child without running Rust destructors or
    // atexit handlers that belong to the parent.
    unsafe { libc::_exit(0) }
}

/// Is this process already `who`: real and effective ids, and the same
/// supplementary groups?
fn already(who: &Identity) -> bool {
    use nix::unistd::{getegid, geteuid, getgid, getgroups, getuid};
    let ids = getuid().as_raw() == who.uid
        && geteuid().as_raw() == who.uid
        && getgid().as_raw() == who.gid
        && getegid().as_raw() == who.gid;
    if !ids {
        return false;
    }
    let Ok(groups) = getgroups() else {
        return false;
    };
    let mut have: Vec<u32> = groups.iter().map(|g| g.as_raw()).collect();
    let mut want = who.groups.clone();
    have.sort_unstable();
    have.dedup();
    want.sort_unstable();
    want.dedup();
    have == want
}

fn read_all(fd: &OwnedFd, buf: &mut [u8]) -> usize {
    let mut done = 0;
    while done < buf.len() {
        match nix::unistd::read(fd, &mut buf[done..]) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(Errno::EINTR) => continue,
            Err(_) => break,
        }
    }
    done
}

fn wait_for(pid: libc::pid_t) -> std::io::Result<String> {
    use nix::sys::wait::{WaitStatus, waitpid};
    loop {
        match waitpid(nix::unistd::Pid::from_raw(pid), None) {
            Ok(WaitStatus::Exited(_, code)) => return Ok(format!("exit {code}")),
            Ok(WaitStatus::Signaled(_, sig, _)) => return Ok(format!("killed by {sig}")),
            Ok(_) => continue,
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(std::io::Error::from(e)),
        }
    }
}
