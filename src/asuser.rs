//! Do something as another user, for real: the one edge that forks a child,
//! drops it to a user's uid, gid and supplementary groups, and lets it open
//! a path (and maybe attach to a tun device). Mode bits are not enough to
//! predict an open (ACLs, device cgroups, security modules), so we ask the
//! kernel. Used by input (under sudo, a FILE is opened as the user who ran
//! sudo, and the fd comes back over SCM_RIGHTS) and by doctor's probe (can
//! this user open /dev/net/tun and attach?).
//!
//! Between fork and _exit the child calls only async-signal-safe functions
//! (setgroups, setresgid, setresuid, open, ioctl, close, sendmsg, _exit) on
//! memory prepared before the fork: it is safe even if other threads hold
//! locks at the time of the fork.

use std::ffi::CString;
use std::fs::File;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
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
type ChildResult = Result<(), (Step, Errno)>;

/// An attach to try after the open.
#[derive(Clone, Debug)]
pub struct AttachSpec {
    pub name: String,
    /// TUNSETIFF flags (IFF_TUN/IFF_TAP, IFF_NO_PI, ...).
    pub flags: libc::c_short,
}

/// Open `path` read-only as `who` (without blocking: a FIFO with no writer
/// must not hang us) and hand the open file back, so that the check and the
/// read are the same file. Errno of the step that failed.
pub fn open_read(who: &Identity, path: &Path) -> Result<File, Errno> {
    let cpath = CString::new(path.as_os_str().as_bytes()).map_err(|_| Errno::EINVAL)?;
    let flags = libc::O_RDONLY | libc::O_CLOEXEC | libc::O_NONBLOCK | libc::O_NOCTTY;
    let (result, fd) = run(who, &cpath, flags, None, true).map_err(io_errno)?;
    result.map_err(|(_, errno)| errno)?;
    fd.map(File::from).ok_or(Errno::EIO)
}

/// Open `path` O_RDWR as `who`, then (with `attach`) TUNSETIFF and close
/// again (detach). Errors of our own (fork, socket) are `Err` of the outer
/// result; what the child met is the inner one.
pub fn open_and_attach(
    who: &Identity,
    path: &Path,
    attach: Option<&AttachSpec>,
) -> std::io::Result<ChildResult> {
    let cpath = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::other("path holds a NUL byte"))?;
    let req = attach.map(|a| {
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
    run(who, &cpath, libc::O_RDWR | libc::O_CLOEXEC, req, false).map(|(result, _)| result)
}

fn io_errno(e: std::io::Error) -> Errno {
    Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO))
}

/// Fork, become `who` in the child, open `path` with `flags`, maybe attach
/// with `req`; with `send_fd` the opened fd comes back (else it is closed,
/// which detaches). Everything the child touches is made here, before the
/// fork.
fn run(
    who: &Identity,
    path: &CString,
    flags: libc::c_int,
    mut req: Option<libc::ifreq>,
    send_fd: bool,
) -> std::io::Result<(ChildResult, Option<OwnedFd>)> {
    use nix::sys::socket::{AddressFamily, SockFlag, SockType, socketpair};
    let groups: Vec<libc::gid_t> = who.groups.clone();
    // Already that user (a user checking itself, without root): nothing to
    // switch, and setgroups would need CAP_SETGID.
    let switch = !already(who);
    let (ours, theirs) = socketpair(
        AddressFamily::Unix,
        SockType::Stream,
        None,
        SockFlag::SOCK_CLOEXEC,
    )?;
    // SAFETY: CMSG_SPACE is pure arithmetic on a size.
    let space = unsafe { libc::CMSG_SPACE(std::mem::size_of::<RawFd>() as u32) } as usize;
    let mut control = vec![0u8; space];
    // SAFETY: fork duplicates this process; the child below calls only
    // async-signal-safe functions on memory that was prepared above, and
    // leaves with _exit, never returning into Rust code of the parent.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(std::io::Error::last_os_error());
    }
    if pid == 0 {
        let job = Job {
            switch_to: switch.then_some((who.uid, who.gid, groups.as_slice())),
            path,
            flags,
            req: req.as_mut(),
            send_fd,
        };
        // SAFETY: see the module comment; pointers are to live locals.
        unsafe { child(theirs.as_raw_fd(), job, &mut control) }
    }
    drop(theirs);
    let received = receive(&ours);
    let status = wait_for(pid)?;
    let (code, fd) = received.map_err(|e| {
        std::io::Error::other(format!(
            "the check child ended without a report ({status}): {e}"
        ))
    })?;
    let step = u32::from_ne_bytes([code[0], code[1], code[2], code[3]]);
    let errno = Errno::from_raw(i32::from_ne_bytes([code[4], code[5], code[6], code[7]]));
    let result = match step {
        0 => Ok(()),
        1 => Err((Step::Become, errno)),
        2 => Err((Step::Open, errno)),
        _ => Err((Step::Attach, errno)),
    };
    Ok((result, fd))
}

/// What the child is to do, all of it prepared before the fork.
struct Job<'a> {
    switch_to: Option<(u32, u32, &'a [libc::gid_t])>,
    path: &'a CString,
    flags: libc::c_int,
    req: Option<&'a mut libc::ifreq>,
    send_fd: bool,
}

/// The child: become the user, open, maybe attach, report, _exit.
///
/// # Safety
/// Call only in a freshly forked child; all pointers must be valid.
unsafe fn child(report: RawFd, job: Job, control: &mut [u8]) -> ! {
    let errno = || Errno::last_raw();
    // Groups before gid before uid: after setresuid we could no longer.
    if let Some((uid, gid, groups)) = job.switch_to
        // SAFETY: setgroups reads `groups.len()` gids from a live slice.
        && (unsafe { libc::setgroups(groups.len(), groups.as_ptr()) } != 0
            // SAFETY: plain integer arguments.
            || unsafe { libc::setresgid(gid, gid, gid) } != 0
            // SAFETY: plain integer arguments.
            || unsafe { libc::setresuid(uid, uid, uid) } != 0)
    {
        send(report, 1, errno(), None, control);
    }
    // SAFETY: path is a live NUL-terminated string.
    let fd = unsafe { libc::open(job.path.as_ptr(), job.flags) };
    if fd < 0 {
        send(report, 2, errno(), None, control);
    }
    if let Some(req) = job.req {
        // SAFETY: TUNSETIFF reads and writes one ifreq, which lives in the
        // parent's (copied) stack frame for the whole call.
        if unsafe { libc::ioctl(fd, libc::TUNSETIFF, req as *mut libc::ifreq) } < 0 {
            send(report, 3, errno(), None, control);
        }
    }
    if job.send_fd {
        send(report, 0, 0, Some(fd), control)
    }
    // Closing the fd detaches (the device is persistent, so it stays).
    // SAFETY: fd is ours.
    unsafe { libc::close(fd) };
    send(report, 0, 0, None, control)
}

/// Report (step, errno), and the fd when there is one, to the parent; then
/// end the child.
fn send(report: RawFd, step: u32, errno: i32, fd: Option<RawFd>, control: &mut [u8]) -> ! {
    let mut buf = [0u8; 8];
    buf[..4].copy_from_slice(&step.to_ne_bytes());
    buf[4..].copy_from_slice(&errno.to_ne_bytes());
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    // SAFETY: msghdr is plain old data; all-zero is a valid value.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    if let Some(fd) = fd {
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = control.len() as _;
        // SAFETY: `control` is CMSG_SPACE(sizeof(int)) bytes, made before
        // the fork, so the first header and its data fit in it.
        unsafe {
            let cmsg = libc::CMSG_FIRSTHDR(&msg);
            (*cmsg).cmsg_level = libc::SOL_SOCKET;
            (*cmsg).cmsg_type = libc::SCM_RIGHTS;
            (*cmsg).cmsg_len = libc::CMSG_LEN(std::mem::size_of::<RawFd>() as u32) as _;
            std::ptr::write_unaligned(libc::CMSG_DATA(cmsg).cast::<RawFd>(), fd);
        }
    }
    // SAFETY: sendmsg reads the message built above from live memory; it is
    // async-signal-safe.
    let sent = unsafe { libc::sendmsg(report, &msg, 0) };
    // SAFETY: _exit ends the child without running Rust destructors or
    // atexit handlers that belong to the parent.
    unsafe { libc::_exit(if sent == buf.len() as isize { 0 } else { 1 }) }
}

/// The child's 8-byte report and the fd it passed, if any.
fn receive(ours: &OwnedFd) -> Result<([u8; 8], Option<OwnedFd>), Errno> {
    use nix::sys::socket::{ControlMessageOwned, MsgFlags, recvmsg};
    use std::io::IoSliceMut;
    let mut code = [0u8; 8];
    let mut space = nix::cmsg_space!([RawFd; 1]);
    let (fd, bytes) = {
        let mut iov = [IoSliceMut::new(&mut code)];
        let msg = recvmsg::<()>(
            ours.as_raw_fd(),
            &mut iov,
            Some(&mut space),
            MsgFlags::MSG_CMSG_CLOEXEC | MsgFlags::MSG_WAITALL,
        )?;
        let mut fd = None;
        for c in msg.cmsgs()? {
            if let ControlMessageOwned::ScmRights(list) = c {
                for raw in list {
                    // SAFETY: SCM_RIGHTS installed `raw` in our table for
                    // us; we own it now (extra ones close when dropped).
                    let owned = unsafe { OwnedFd::from_raw_fd(raw) };
                    fd.get_or_insert(owned);
                }
            }
        }
        (fd, msg.bytes)
    };
    if bytes != code.len() {
        return Err(Errno::EIO);
    }
    Ok((code, fd))
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
