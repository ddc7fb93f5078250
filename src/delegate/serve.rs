//! `tuntapctl serve`: accept connections, bound what each caller can hold,
//! read one request per connection under a deadline, answer, log one line.
//! Plain threads: one per connection served, at most `MAX_TOTAL` at once,
//! at most `PER_UID` per caller uid (counted after accept, from
//! SO_PEERCRED); anything over is refused at once, so one user's flood
//! never delays another user's request.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::text::printable;

use super::handle::{Facts, Shared, handle};
use super::peer;
use super::policy::{Caller, Policy};
use super::wire::{self, MAX_REQUEST, Response};

pub const DEFAULT_SOCKET: &str = "/run/tuntapctl/tuntapctl.sock";
const PER_UID: usize = 4;
const MAX_TOTAL: usize = 128;
/// A client has this long to send its request, and to take the answer.
const DEADLINE: Duration = Duration::from_secs(3);

#[derive(Clone, Debug)]
pub struct ServeRequest {
    pub socket: Option<String>,
    pub policy: String,
    pub check: bool,
}

/// Run the service (never returns on success) or, with --check, validate
/// the policy and return.
pub fn serve(req: &ServeRequest) -> Result<String> {
    let policy = Policy::load(&req.policy)?;
    if req.check {
        return Ok(format!(
            "policy {}: ok ({} allow rules, {} deny rules)",
            req.policy,
            policy.allow.len(),
            policy.deny.len()
        ));
    }
    let listener = match (&req.socket, peer::listen_fd_from_systemd()) {
        (None, Some(l)) => l,
        (socket, _) => bind(socket.as_deref().unwrap_or(DEFAULT_SOCKET))?,
    };
    eprintln!(
        "tuntapctl serve: listening; policy {} ({} allow rules, {} deny rules)",
        req.policy,
        policy.allow.len(),
        policy.deny.len()
    );
    if let Some(errno) = peer::groups_unsupported() {
        let effect = if policy.has_group_rules(false) {
            "every request is refused while it has [[deny]] rules for groups"
        } else if policy.has_group_rules(true) {
            "its [[allow]] rules for groups match only a caller's primary group"
        } else {
            "it names no group, so nothing changes"
        };
        eprintln!(
            "tuntapctl serve: note: {}: policy {}: {effect}; name users in rules instead of groups",
            super::check::unknown_groups_text(errno),
            req.policy
        );
    }
    let shared = Arc::new(Shared::new(policy));
    let counts: Arc<Mutex<HashMap<u32, usize>>> = Arc::default();
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => accept(&shared, &counts, stream),
            // Out of fds or memory for a moment: do not spin.
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    Err(Error::failed("the listening socket failed"))
}

fn bind(path: &str) -> Result<UnixListener> {
    let p = Path::new(path);
    if let Some(dir) = p.parent()
        && !dir.exists()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::failed(format!("cannot create {}: {e}", dir.display())))?;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
    }
    // A stale socket from an earlier run goes; a live one, or anything
    // else, stays.
    if let Ok(meta) = std::fs::symlink_metadata(p)
        && meta.file_type().is_socket()
    {
        if UnixStream::connect(p).is_ok() {
            return Err(Error::conflict(format!(
                "another service already listens on {path}"
            ))
            .fix("stop it first (systemctl stop tuntapctl.socket tuntapctl.service), or give --socket PATH"));
        }
        let _ = std::fs::remove_file(p);
    }
    let listener = UnixListener::bind(p).map_err(|e| {
        Error::failed(format!("cannot listen on {path}: {e}"))
            .fix("is another tuntapctl serve running? give --socket PATH")
    })?;
    // Anyone may connect: the policy decides.
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o666))
        .map_err(|e| Error::failed(format!("cannot chmod {path}: {e}")))?;
    Ok(listener)
}

/// Releases a caller's slot when its connection ends.
struct Slot {
    counts: Arc<Mutex<HashMap<u32, usize>>>,
    uid: u32,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = counts.get_mut(&self.uid) {
            *n -= 1;
            if *n == 0 {
                counts.remove(&self.uid);
            }
        }
        if let Some(total) = counts.get_mut(&u32::MAX) {
            *total -= 1;
        }
    }
}

fn accept(shared: &Arc<Shared>, counts: &Arc<Mutex<HashMap<u32, usize>>>, stream: UnixStream) {
    let Ok((uid, gid, pid)) = peer::credentials(&stream) else {
        return;
    };
    let slot = {
        let mut c = counts.lock().unwrap_or_else(|p| p.into_inner());
        let mine = c.get(&uid).copied().unwrap_or(0);
        let total = c.get(&u32::MAX).copied().unwrap_or(0);
        if mine >= PER_UID || total >= MAX_TOTAL {
            None
        } else {
            c.insert(uid, mine + 1);
            c.insert(u32::MAX, total + 1);
            Some(Slot {
                counts: counts.clone(),
                uid,
            })
        }
    };
    let Some(slot) = slot else {
        // Refused at once: the answer is small and the write never waits.
        // Whatever of the request is already here is read and dropped, so
        // the close is not a reset for a client that sent it all.
        let _ = stream.set_nonblocking(true);
        let mut sink = [0u8; 8192];
        let mut drained = 0;
        while drained <= MAX_REQUEST {
            match (&stream).read(&mut sink) {
                Ok(n) if n > 0 => drained += n,
                _ => break,
            }
        }
        let _ = (&stream).write(&wire::refused_busy(uid).to_bytes());
        eprintln!(
            "tuntapctl serve: uid={uid} pid={pid} command=- names=- verdict=refused-busy rule=\"none\""
        );
        return;
    };
    let shared = shared.clone();
    let spawned = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let _slot = slot;
            connection(&shared, stream, uid, gid, pid);
        });
    if spawned.is_err() {
        eprintln!("tuntapctl serve: uid={uid} pid={pid}: cannot start a thread");
    }
}

fn connection(shared: &Shared, stream: UnixStream, uid: u32, gid: u32, pid: i32) {
    let started = Instant::now();
    let (groups, unknown_groups) = match peer::groups(&stream) {
        Ok(groups) => (groups, None),
        Err(errno) => (Vec::new(), Some(errno)),
    };
    let caller = Caller {
        uid,
        gid,
        pid,
        groups,
        unknown_groups,
        name: uzers::get_user_by_uid(uid).map(|u| u.name().to_string_lossy().into_owned()),
    };
    let (response, fd, facts) = match read_request(&stream, started) {
        Ok(req) => {
            let h = handle(shared, &caller, req);
            (h.response, h.fd, h.facts)
        }
        Err(e) => (Response::failure(&e, false), None, Facts::default()),
    };
    let _ = stream.set_write_timeout(Some(DEADLINE));
    let bytes = response.to_bytes();
    let sent = match &fd {
        Some(fd) => peer::send_with_fd(stream.as_fd(), &bytes, fd.as_fd())
            .map_err(std::io::Error::from)
            .and_then(|n| (&stream).write_all(&bytes[n..])),
        None => (&stream).write_all(&bytes),
    };
    log(&caller, &facts, &response, sent.is_ok());
}

fn read_request(stream: &UnixStream, started: Instant) -> Result<wire::Request> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 8192];
    loop {
        let left = DEADLINE.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Err(
                Error::usage("request refused: nothing complete arrived within 3 seconds")
                    .fix("send the request and shut down the write side (see tuntapctl-serve(8))"),
            );
        }
        let _ = stream.set_read_timeout(Some(left));
        match (&*stream).read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                if buf.len() > MAX_REQUEST {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => {
                return Err(Error::usage(
                    "request refused: nothing complete arrived within 3 seconds",
                )
                .fix("send the request and shut down the write side (see tuntapctl-serve(8))"));
            }
        }
    }
    wire::decode(&buf)
}

fn log(caller: &Caller, facts: &Facts, response: &Response, sent: bool) {
    let names: Vec<String> = facts
        .names
        .iter()
        .map(|n| printable(n).into_owned())
        .collect();
    let verdict = match response.exit {
        0 => "done".to_string(),
        5 => "refused".to_string(),
        n => format!("failed-{n}"),
    };
    eprintln!(
        "tuntapctl serve: uid={} pid={} command={} names={} verdict={verdict} rule=\"{}\"{}",
        caller.uid,
        caller.pid,
        printable(&crate::text::cut(&facts.command, 20)),
        if names.is_empty() {
            "-".to_string()
        } else {
            names.join(",")
        },
        facts.rule.as_deref().unwrap_or("none"),
        if sent {
            ""
        } else {
            " (client gone before the answer)"
        }
    );
}
