//! The caller's side: `add`, `set` and `del` without CAP_NET_ADMIN go to
//! the service, and qemu's bridge helper asks it for a tap fd.

use std::io::{Read, Write};
use std::net::Shutdown;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use crate::error::{Error, ExitStatus, Result};

use super::peer;
use super::serve::DEFAULT_SOCKET;
use super::wire::{MAX_RESPONSE, Request, Response, VERSION};

/// How long the client waits for the service's answer.
const WAIT: Duration = Duration::from_secs(30);

/// The service's socket: `--socket`, else $TUNTAPCTL_SOCKET, else the default.
pub fn socket_path(option: Option<&str>) -> String {
    option
        .map(str::to_string)
        .or_else(|| {
            std::env::var("TUNTAPCTL_SOCKET")
                .ok()
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| DEFAULT_SOCKET.to_string())
}

/// Should this command go through the service? Only add, set and del, only
/// without CAP_NET_ADMIN, and only when the socket is there.
pub fn wanted(socket: &str) -> bool {
    !peer::has_net_admin() && std::fs::symlink_metadata(socket).is_ok()
}

fn connect(socket: &str) -> Result<UnixStream> {
    let stream = UnixStream::connect(socket).map_err(|e| {
        Error::permission(format!(
            "cannot reach the tuntapctl service at {socket}: {e}"
        ))
        .fix("ask the admin to start it (systemctl enable --now tuntapctl.socket), or run as root")
    })?;
    let _ = stream.set_read_timeout(Some(WAIT));
    let _ = stream.set_write_timeout(Some(WAIT));
    Ok(stream)
}

fn send(stream: &UnixStream, req: &Request) -> Result<()> {
    let bytes = serde_json::to_vec(req).unwrap_or_default();
    (&*stream)
        .write_all(&bytes)
        .and_then(|()| stream.shutdown(Shutdown::Write))
        .map_err(|e| {
            Error::failed(format!(
                "cannot send the request to the tuntapctl service: {e}"
            ))
        })
}

fn decode(bytes: &[u8]) -> Result<Response> {
    serde_json::from_slice(bytes).map_err(|e| {
        Error::failed(format!(
            "the tuntapctl service sent an answer that is not valid ({e})"
        ))
        .fix("check the service's log (journalctl -u tuntapctl)")
    })
}

/// Forward `command` with its arguments (as typed, global options such as
/// --json included, --socket left out); print what root would have seen.
pub fn forward(socket: &str, command: &str, args: Vec<String>) -> Result<i32> {
    let request = Request {
        version: VERSION,
        command: command.to_string(),
        args,
        bridge: None,
        vnet_hdr: false,
    };
    let response = with_retries(|| exchange(socket, &request))?;
    let mut out = std::io::stdout().lock();
    for line in &response.stdout {
        if writeln!(out, "{}", crate::text::printable(line)).is_err() {
            break;
        }
    }
    for line in &response.stderr {
        let text: Vec<String> = line
            .split('\n')
            .map(|l| crate::text::printable(l).into_owned())
            .collect();
        eprintln!("tuntapctl: {}", text.join("\n"));
    }
    Ok(response.exit)
}

/// One connection: send the request, read the whole answer.
fn exchange(socket: &str, request: &Request) -> Result<Response> {
    let stream = connect(socket)?;
    let sent = send(&stream, request);
    let mut bytes = Vec::new();
    let read = (&stream).take(MAX_RESPONSE as u64).read_to_end(&mut bytes);
    // A refusal may come before the whole request went out: read it first.
    if let Ok(response) = decode(&bytes) {
        return Ok(response);
    }
    sent?;
    read.map_err(|e| Error::failed(format!("no answer from the tuntapctl service: {e}")))?;
    decode(&bytes)
}

/// The service refuses a caller's connections beyond a few at once, with
/// `retry`: try again for a few seconds, with growing pauses.
fn with_retries<T>(mut attempt: impl FnMut() -> Result<T>) -> Result<T>
where
    T: Retry,
{
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut pause = Duration::from_millis(10);
    loop {
        let result = attempt();
        let again = matches!(&result, Ok(r) if r.retry());
        if !again || std::time::Instant::now() + pause > deadline {
            return result;
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(500));
    }
}

trait Retry {
    fn retry(&self) -> bool;
}

impl Retry for Response {
    fn retry(&self) -> bool {
        self.retry
    }
}

impl Retry for (Response, Option<OwnedFd>) {
    fn retry(&self) -> bool {
        self.0.retry
    }
}

/// qemu's helper: get a tap for `bridge` from the service and pass its fd
/// to qemu over the inherited socket `fd` (SCM_RIGHTS, one byte of data, as
/// qemu-bridge-helper does).
pub fn bridge_helper(socket: &str, bridge: &str, fd: i32, vnet_hdr: bool) -> Result<String> {
    let qemu = peer::inherited_socket(fd).ok_or_else(|| {
        Error::usage(format!("--fd={fd} is not an open socket"))
            .fix("this helper is run by qemu (-netdev bridge,helper=...), which passes its socket")
    })?;
    let request = Request {
        version: VERSION,
        command: "bridge-tap".to_string(),
        args: Vec::new(),
        bridge: Some(bridge.to_string()),
        vnet_hdr,
    };
    let (response, tap) = with_retries(|| {
        let stream = connect(socket)?;
        send(&stream, &request)?;
        receive_with_fd(&stream)
    })?;
    if response.exit != 0 {
        let message = response.stderr.join("; ");
        let status = [1, 2, 3, 4, 5, 6]
            .into_iter()
            .zip([
                ExitStatus::Failed,
                ExitStatus::Usage,
                ExitStatus::NotFound,
                ExitStatus::Conflict,
                ExitStatus::Permission,
                ExitStatus::Busy,
            ])
            .find(|(n, _)| *n == response.exit)
            .map_or(ExitStatus::Failed, |(_, s)| s);
        return Err(Error::new(status, message));
    }
    let tap: OwnedFd =
        tap.ok_or_else(|| Error::failed("the tuntapctl service answered without a tap fd"))?;
    peer::send_with_fd(qemu.as_fd(), &[0u8], tap.as_fd())
        .map_err(|e| Error::failed(format!("cannot pass the tap to qemu over fd {fd}: {e}")))?;
    Ok(response.name.unwrap_or_default())
}

fn receive_with_fd(stream: &UnixStream) -> Result<(Response, Option<OwnedFd>)> {
    let mut bytes = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut tap = None;
    loop {
        let (n, fd) = peer::recv_with_fd(stream.as_fd(), &mut buf)
            .map_err(|e| Error::failed(format!("no answer from the tuntapctl service: {e}")))?;
        if tap.is_none() {
            tap = fd;
        }
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buf[..n]);
        if bytes.len() > MAX_RESPONSE {
            return Err(Error::failed("the tuntapctl service's answer is too long"));
        }
    }
    Ok((decode(&bytes)?, tap))
}
