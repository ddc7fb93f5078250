//! The socket edge of delegation: who is on the other end (SO_PEERCRED,
//! SO_PEERGROUPS), passing a tap's fd (SCM_RIGHTS), the socket systemd
//! hands over (LISTEN_FDS), and qemu's fd N. `unsafe` lives only here.

use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::net::{UnixListener, UnixStream};

use nix::errno::Errno;
use nix::sys::socket::{
    ControlMessage, ControlMessageOwned, MsgFlags, getsockopt, recvmsg, sendmsg,
    sockopt::PeerCredentials,
};

use crate::kernel_features::{Feature, simulated_absence};

/// SO_PEERGROUPS (asm-generic/socket.h; the same on x86 and arm).
const SO_PEERGROUPS: libc::c_int = 59;
/// A caller's supplementary groups are read up to this many (NGROUPS_MAX).
const MAX_GROUPS: usize = 65536;

/// The peer's uid, gid and pid as the kernel recorded them at connect.
pub fn credentials(stream: &UnixStream) -> Result<(u32, u32, i32), Errno> {
    let cred = getsockopt(stream, PeerCredentials)?;
    Ok((cred.uid(), cred.gid(), cred.pid()))
}

/// The peer's supplementary groups as the kernel recorded them at connect.
pub fn groups(stream: &UnixStream) -> Result<Vec<u32>, Errno> {
    if let Some(errno) = simulated_absence(Feature::PeerGroups) {
        return Err(errno);
    }
    let mut groups: Vec<libc::gid_t> = vec![0; 64];
    loop {
        let mut len = (groups.len() * std::mem::size_of::<libc::gid_t>()) as libc::socklen_t;
        // SAFETY: the buffer is valid and writable for `len` bytes, and the
        // kernel writes at most `len` bytes and stores the needed size in it.
        let rc = unsafe {
            libc::getsockopt(
                stream.as_raw_fd(),
                libc::SOL_SOCKET,
                SO_PEERGROUPS,
                groups.as_mut_ptr().cast(),
                &mut len,
            )
        };
        let n = len as usize / std::mem::size_of::<libc::gid_t>();
        if rc == 0 {
            groups.truncate(n);
            return Ok(groups);
        }
        let errno = Errno::last();
        if errno != Errno::ERANGE || n <= groups.len() || n > MAX_GROUPS {
            return Err(errno);
        }
        groups.resize(n, 0);
    }
}

/// Does this kernel tell a peer's supplementary groups? Asked of a socket
/// pair of our own: None when it does, else the errno it answers with.
pub fn groups_unsupported() -> Option<Errno> {
    let (a, _b) = UnixStream::pair().ok()?;
    groups(&a).err()
}

/// Send `data` with `fd` attached (SCM_RIGHTS) in one message.
pub fn send_with_fd(sock: BorrowedFd<'_>, data: &[u8], fd: BorrowedFd<'_>) -> Result<usize, Errno> {
    let fds = [fd.as_raw_fd()];
    let cmsg = [ControlMessage::ScmRights(&fds)];
    sendmsg::<()>(
        sock.as_raw_fd(),
        &[IoSlice::new(data)],
        &cmsg,
        MsgFlags::MSG_NOSIGNAL,
        None,
    )
}

/// Receive into `buf`; returns the bytes read and the first fd passed with
/// them, if any (more than one: the rest are closed).
pub fn recv_with_fd(
    sock: BorrowedFd<'_>,
    buf: &mut [u8],
) -> Result<(usize, Option<OwnedFd>), Errno> {
    let mut space = nix::cmsg_space!([RawFd; 4]);
    let mut iov = [IoSliceMut::new(buf)];
    let msg = recvmsg::<()>(
        sock.as_raw_fd(),
        &mut iov,
        Some(&mut space),
        MsgFlags::MSG_CMSG_CLOEXEC,
    )?;
    let mut got: Option<OwnedFd> = None;
    for c in msg.cmsgs()? {
        if let ControlMessageOwned::ScmRights(fds) = c {
            for raw in fds {
                // SAFETY: the kernel just installed this fd in our table for
                // us (SCM_RIGHTS); nothing else owns it.
                let owned = unsafe { OwnedFd::from_raw_fd(raw) };
                if got.is_none() {
                    got = Some(owned);
                }
            }
        }
    }
    Ok((msg.bytes, got))
}

/// The listening socket systemd passed (LISTEN_FDS=1, LISTEN_PID ours): fd 3.
pub fn listen_fd_from_systemd() -> Option<UnixListener> {
    let pid: u32 = std::env::var("LISTEN_PID").ok()?.parse().ok()?;
    let fds: u32 = std::env::var("LISTEN_FDS").ok()?.parse().ok()?;
    if pid != std::process::id() || fds < 1 {
        return None;
    }
    // SAFETY: fstat on a raw number only reads; fd 3 may be anything, which
    // is what we check before taking it.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `st` is a valid, writable stat buffer.
    if unsafe { libc::fstat(3, &mut st) } != 0 || st.st_mode & libc::S_IFMT != libc::S_IFSOCK {
        return None;
    }
    // SAFETY: systemd's protocol hands fd 3 to us, open and ours alone, and
    // we checked it is a socket; it is taken exactly once (the variables
    // are removed so children do not see them).
    let listener = unsafe { UnixListener::from_raw_fd(3) };
    // SAFETY: single-threaded at this point (serve has not started threads).
    unsafe {
        std::env::remove_var("LISTEN_PID");
        std::env::remove_var("LISTEN_FDS");
        std::env::remove_var("LISTEN_FDNAMES");
    }
    Some(listener)
}

/// qemu's `--fd=N`: an inherited socket. Checked to be an open socket
/// before use; taken as ours (closed when dropped).
pub fn inherited_socket(n: RawFd) -> Option<OwnedFd> {
    if n < 3 {
        return None;
    }
    let mut st: libc::stat = {
        // SAFETY: stat is plain old data; all-zero is a valid value.
        unsafe { std::mem::zeroed() }
    };
    // SAFETY: fstat only reads fd `n` and writes the valid buffer `st`.
    if unsafe { libc::fstat(n, &mut st) } != 0 || st.st_mode & libc::S_IFMT != libc::S_IFSOCK {
        return None;
    }
    // SAFETY: the fd is open (fstat succeeded) and was given to this
    // process by its parent to be used and closed by us.
    Some(unsafe { OwnedFd::from_raw_fd(n) })
}

/// Does this process hold CAP_NET_ADMIN (bit 12) in its effective set?
pub fn has_net_admin() -> bool {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return false;
    };
    status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .is_some_and(|caps| caps & (1 << 12) != 0)
}

pub fn borrow(s: &impl AsFd) -> BorrowedFd<'_> {
    s.as_fd()
}
