//! `monitor`: one rtnetlink multicast subscription (links, IPv4 and IPv6
//! addresses, `netlink::EventSocket`) on a current-thread tokio runtime,
//! turned into tun/tap events by `state` and printed by `events`. The state
//! before it starts is taken from a dump (`netlink::dump_links`,
//! `dump_addresses`, the read path of list and show) and not replayed. On
//! ENOBUFS (the kernel dropped messages for us) it says so, dumps again and
//! reports the differences as events.

use std::io::Write;

use crate::error::kernel::{self, Step};
use crate::error::{Error, Result};
use crate::glob::Pattern;
use crate::netlink::{self, Address, EventSocket, Link, Notice};
use crate::request::MonitorRequest;

mod events;
mod state;

use events::Event;
use state::State;

/// Follow events until interrupted (SIGINT/SIGTERM, exit status 0) or
/// `--count` of them: each is printed as it comes. With `quiet` nothing is
/// printed (`--quiet --count 1` waits for an event). Returns how many were
/// printed.
pub fn run(req: &MonitorRequest, json: bool, quiet: bool) -> Result<u64> {
    let patterns = req
        .patterns
        .iter()
        .map(|p| Pattern::parse(p))
        .collect::<Result<Vec<_>>>()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .map_err(|e| Error::failed(format!("monitor: cannot start the event loop: {e}")))?;
    let output = Output {
        patterns,
        limit: req.count.unwrap_or(u64::MAX),
        json,
        quiet,
        printed: 0,
    };
    runtime.block_on(follow(output))
}

/// Where events go: the filter, the format, the count.
struct Output {
    patterns: Vec<Pattern>,
    limit: u64,
    json: bool,
    quiet: bool,
    printed: u64,
}

impl Output {
    /// Print the events the patterns select; false when it is time to stop
    /// (the count reached, or stdout closed as by `| head`).
    fn emit(&mut self, events: &[Event], out: &mut impl Write) -> bool {
        for event in events.iter().filter(|e| e.matches(&self.patterns)) {
            if !self.quiet && print(out, event, self.json).is_err() {
                return false;
            }
            self.printed += 1;
            if self.printed >= self.limit {
                return false;
            }
        }
        true
    }
}

async fn follow(mut output: Output) -> Result<u64> {
    use tokio::signal::unix::{SignalKind, signal};
    let signal_error =
        |e: std::io::Error| Error::failed(format!("monitor: cannot catch signals: {e}"));
    let mut sigint = signal(SignalKind::interrupt()).map_err(signal_error)?;
    let mut sigterm = signal(SignalKind::terminate()).map_err(signal_error)?;
    let mut socket = EventSocket::subscribe(receive_buffer()).map_err(|e| {
        Error::failed(format!(
            "monitor: cannot subscribe to rtnetlink events: {e}; check that NETLINK_ROUTE sockets are allowed here"
        ))
    })?;

    // Subscribed first, dumped second: nothing falls between the two.
    let (links, addresses) = dump()?;
    let mut state = State::seeded(links, &addresses);
    announce_ready();

    if output.limit == 0 {
        return Ok(0);
    }
    let mut out = std::io::stdout().lock();
    loop {
        let notice = tokio::select! {
            n = socket.next() => n,
            _ = sigint.recv() => return Ok(output.printed),
            _ = sigterm.recv() => return Ok(output.printed),
        };
        let notice = notice.map_err(|e| {
            Error::failed(format!(
                "monitor: the netlink socket failed: {e}; run tuntapctl monitor again"
            ))
        })?;
        let events = match notice {
            Notice::Overrun => {
                eprintln!(
                    "tuntapctl: monitor: events were lost (the kernel's queue for us overflowed: ENOBUFS); re-reading the state, the changes since then follow as events"
                );
                socket.discard_queued();
                let (links, addresses) = dump()?;
                state.resync(links, &addresses)
            }
            notice => state.apply(notice),
        };
        if !output.emit(&events, &mut out) {
            return Ok(output.printed);
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
fn dump() -> Result<(Vec<Link>, Vec<Address>)> {
    let failed = |what: &str, e| kernel::error(&Step::Read { what: what.into() }, "", e, &[]);
    let links = netlink::dump_links(false, false).map_err(|e| failed("links", e))?;
    let addresses = netlink::dump_addresses().map_err(|e| failed("addresses", e))?;
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
