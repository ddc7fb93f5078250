//! `monitor`: one rtnetlink multicast subscription (links, IPv4 and IPv6
//! addresses) on a current-thread tokio runtime, turned into tun/tap events
//! by `crate::events`. The state before it starts is taken from a dump and
//! not replayed. On ENOBUFS (the kernel dropped messages for us) it says so,
//! dumps again and reports the differences as events.

use std::io::Write;

use futures_util::{FutureExt, StreamExt, TryStreamExt};
use rtnetlink::Handle;
use rtnetlink::packet_core::NetlinkPayload;
use rtnetlink::packet_route::RouteNetlinkMessage;
use rtnetlink::packet_route::address::AddressMessage;
use rtnetlink::packet_route::link::LinkMessage;

use crate::error::{Error, Result};
mod events;

use crate::request::MonitorRequest;
use events::{Event, State};

/// Follow events until --count is reached or SIGINT/SIGTERM; exit status 0.
/// With `quiet` nothing is printed (`--quiet --count 1` waits for an event).
/// Follow events until interrupted (or `--count` of them): each is printed
/// as it comes. Returns how many were printed.
pub fn run(req: &MonitorRequest, json: bool, quiet: bool) -> Result<u64> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .map_err(|e| Error::failed(format!("monitor: cannot start the event loop: {e}")))?;
    runtime.block_on(follow(req, json, quiet))
}

async fn follow(req: &MonitorRequest, json: bool, quiet: bool) -> Result<u64> {
    use tokio::signal::unix::{SignalKind, signal};
    let signal_error =
        |e: std::io::Error| Error::failed(format!("monitor: cannot catch signals: {e}"));
    let mut sigint = signal(SignalKind::interrupt()).map_err(signal_error)?;
    let mut sigterm = signal(SignalKind::terminate()).map_err(signal_error)?;
    let socket_error = |e: std::io::Error| {
        Error::failed(format!(
            "monitor: cannot subscribe to rtnetlink events: {e}; check that NETLINK_ROUTE sockets are allowed here"
        ))
    };
    let (handle, mut messages) =
        crate::netlink::subscribe(receive_buffer()).map_err(socket_error)?;

    // Subscribed first, dumped second: nothing falls between the two.
    let mut state = State::default();
    let (links, addresses) = dump(&handle).await?;
    state.seed(&links, &addresses);
    announce_ready();

    let limit = req.count.unwrap_or(u64::MAX);
    let mut printed: u64 = 0;
    if limit == 0 {
        return Ok(0);
    }
    let mut out = std::io::stdout().lock();
    loop {
        let message = tokio::select! {
            m = messages.next() => m,
            _ = sigint.recv() => return Ok(printed),
            _ = sigterm.recv() => return Ok(printed),
        };
        let Some((message, _)) = message else {
            return Err(Error::failed(
                "monitor: the netlink socket closed unexpectedly; run tuntapctl monitor again",
            ));
        };
        let events = match message.payload {
            NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewLink(l)) => state.new_link(&l),
            NetlinkPayload::InnerMessage(RouteNetlinkMessage::DelLink(l)) => state.del_link(&l),
            NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewAddress(a)) => {
                state.address(&a, true)
            }
            NetlinkPayload::InnerMessage(RouteNetlinkMessage::DelAddress(a)) => {
                state.address(&a, false)
            }
            NetlinkPayload::Overrun(_) => {
                eprintln!(
                    "tuntapctl: monitor: events were lost (the kernel's queue for us overflowed: ENOBUFS); re-reading the state, the changes since then follow as events"
                );
                // What is still queued is older than the dump that follows:
                // the dump supersedes it (applied after, it would roll the
                // state back).
                tokio::task::yield_now().await; // let the connection read
                while let Some(Some(_)) = messages.next().now_or_never() {}
                let (links, addresses) = dump(&handle).await?;
                state.resync(&links, &addresses)
            }
            _ => vec![],
        };
        for event in events.iter().filter(|e| e.matches(&req.patterns)) {
            if !quiet && print(&mut out, event, json).is_err() {
                return Ok(printed); // stdout closed (| head): nothing more to do
            }
            printed += 1;
            if printed >= limit {
                return Ok(printed);
            }
        }
    }
}

fn print(out: &mut impl Write, event: &Event, json: bool) -> std::io::Result<()> {
    let (clock, rfc3339) = now();
    let line = if json {
        event.json_line(&rfc3339)
    } else {
        event.text_line(&clock)
    };
    writeln!(out, "{line}")?;
    out.flush()
}

/// Every link and every address, for the starting state and after a loss.
async fn dump(handle: &Handle) -> Result<(Vec<LinkMessage>, Vec<AddressMessage>)> {
    let failed = |what: &str, e: rtnetlink::Error| {
        Error::failed(format!(
            "monitor: cannot dump the {what} of this namespace: {e}"
        ))
    };
    let links: Vec<LinkMessage> = handle
        .link()
        .get()
        .execute()
        .try_collect()
        .await
        .map_err(|e| failed("links", e))?;
    let addresses: Vec<AddressMessage> = handle
        .address()
        .get()
        .execute()
        .try_collect()
        .await
        .map_err(|e| failed("addresses", e))?;
    Ok((links, addresses))
}

/// Debug builds only: TUNTAPCTL_TEST_READY=1 says on stderr when the
/// subscription and the first dump are done, so that tests know from when
/// on every event is reported.
fn announce_ready() {
    #[cfg(debug_assertions)]
    if std::env::var_os("TUNTAPCTL_TEST_READY").is_some() {
        eprintln!("tuntapctl: monitor: ready");
    }
}

/// The receive buffer to ask for: `netlink::EVENT_RCVBUF`, or in debug
/// builds TUNTAPCTL_TEST_RCVBUF=N, so that tests can provoke ENOBUFS.
fn receive_buffer() -> Option<usize> {
    #[cfg(debug_assertions)]
    if let Some(n) = std::env::var("TUNTAPCTL_TEST_RCVBUF")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        return Some(n);
    }
    None
}

/// The time now as `HH:MM:SS.mmm` (local) and RFC 3339 with milliseconds.
fn now() -> (String, String) {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = since.as_secs() as libc::time_t;
    let millis = since.subsec_millis();
    // SAFETY: tm is plain old data; all-zero is a valid value.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: localtime_r reads one time_t and writes one tm, both live
    // locals; it is the thread-safe variant.
    let ok = !unsafe { libc::localtime_r(&secs, &mut tm) }.is_null();
    if !ok {
        return (format!("{secs}.{millis:03}"), format!("{secs}.{millis:03}"));
    }
    format_time(&tm, millis)
}

fn format_time(tm: &libc::tm, millis: u32) -> (String, String) {
    let clock = format!(
        "{:02}:{:02}:{:02}.{millis:03}",
        tm.tm_hour, tm.tm_min, tm.tm_sec
    );
    let offset = tm.tm_gmtoff;
    let zone = if offset == 0 {
        "Z".to_string()
    } else {
        let sign = if offset < 0 { '-' } else { '+' };
        let a = offset.unsigned_abs();
        format!("{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
    };
    let rfc3339 = format!(
        "{:04}-{:02}-{:02}T{clock}{zone}",
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday
    );
    (clock, rfc3339)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_format() {
        // SAFETY: tm is plain old data; all-zero is a valid value.
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        tm.tm_year = 126;
        tm.tm_mon = 11;
        tm.tm_mday = 1;
        tm.tm_hour = 9;
        tm.tm_min = 5;
        tm.tm_sec = 7;
        assert_eq!(
            format_time(&tm, 42),
            ("09:05:07.042".into(), "2026-12-01T09:05:07.042Z".into())
        );
        tm.tm_gmtoff = -(5 * 3600 + 30 * 60);
        assert_eq!(format_time(&tm, 0).1, "2026-12-01T09:05:07.000-05:30");
    }
}
