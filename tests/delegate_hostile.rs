//! Hostile callers of `tuntapctl serve` (SPEC §12): bytes that attack the
//! parser, clients that stall, floods. None of them crashes or stalls the
//! service for another caller, and none leaves a device behind.

mod common;
#[path = "delegate/harness.rs"]
mod harness;

use std::io::{ErrorKind, Read};
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use common::*;
use harness::*;

const POLICY_TEXT: &str =
    "[[allow]]\ngroup = \"nogroup\"\nnames = \"vm-{user}-*\"\nmax = 4\nmasters = [\"br0\"]\n";

#[test]
fn garbage_on_the_wire_is_refused_with_exit_2() {
    let ns = netns_or_skip!();
    let svc = Service::start(&ns, POLICY_TEXT);
    let big = format!(
        "{{\"version\":1,\"command\":\"add\",\"args\":[\"{}\"]}}",
        "a".repeat(70 * 1024)
    );
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (big.into_bytes(), "over 65536 bytes"),
        (
            b"{\"version\":1,\"command\":".to_vec(),
            "not a valid request",
        ),
        (b"\xff\xfe\x00garbage".to_vec(), "not a valid request"),
        (Vec::new(), "not a valid request"),
        (
            br#"{"version":7,"command":"add","args":["vm-x-0"]}"#.to_vec(),
            "protocol version 7 is not supported",
        ),
        (
            br#"{"version":1,"command":"apply","args":["/etc/shadow"]}"#.to_vec(),
            "apply does not go through the service",
        ),
        (
            br#"{"version":1,"command":"add","args":["vm-x-0"],"uid":0}"#.to_vec(),
            "unknown field",
        ),
        (
            br#"{"version":1,"command":"add","args":["--help"]}"#.to_vec(),
            "",
        ),
    ];
    for (request, want) in cases {
        let r = svc.raw(&request);
        assert_eq!(r["exit"], 2, "{r}");
        let message = r["stderr"][0].as_str().unwrap();
        assert!(message.contains(want), "{message}");
    }
    // The service still answers, and nothing was made.
    assert_code(&svc.tt_as(&ns, NOBODY, &["add", "vm-nobody-0"]), 0);
    assert_eq!(taps(&ns).len(), 1);
}

#[test]
fn a_client_that_sends_nothing_or_reads_nothing_stalls_no_one() {
    let ns = netns_or_skip!();
    let svc = Service::start(&ns, POLICY_TEXT);
    // Sends nothing and keeps its write side open.
    let mut silent = UnixStream::connect(svc.socket_path()).unwrap();
    // Sends a request and never reads the answer.
    let mut deaf = UnixStream::connect(svc.socket_path()).unwrap();
    std::io::Write::write_all(
        &mut deaf,
        br#"{"version":1,"command":"add","args":["vm-nobody-9"]}"#,
    )
    .unwrap();
    deaf.shutdown(std::net::Shutdown::Write).unwrap();
    // Meanwhile others are served.
    assert_code(&svc.tt_as(&ns, NOBODY, &["add", "vm-nobody-0"]), 0);
    silent.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 4096];
    assert_eq!(
        silent.read(&mut buf).unwrap_err().kind(),
        ErrorKind::WouldBlock,
        "served before its deadline"
    );
    silent.set_nonblocking(false).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let mut answer = Vec::new();
    silent.read_to_end(&mut answer).unwrap();
    let r: serde_json::Value = serde_json::from_slice(&answer).unwrap();
    assert_eq!(r["exit"], 2);
    assert!(
        r["stderr"][0]
            .as_str()
            .unwrap()
            .contains("nothing complete arrived within 3 seconds"),
        "{r}"
    );
    drop(deaf);
    svc.wait_for_log("names=vm-nobody-9");
}

fn raise_fd_limit() {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let (_, hard) = getrlimit(Resource::RLIMIT_NOFILE).unwrap();
    setrlimit(Resource::RLIMIT_NOFILE, hard.min(8192), hard).unwrap();
}

#[test]
fn a_thousand_connections_from_one_user_do_not_delay_another() {
    let ns = netns_or_skip!();
    raise_fd_limit();
    let svc = Service::start(&ns, POLICY_TEXT);
    // root floods: 1000 connections that send nothing.
    let flood: Vec<UnixStream> = (0..1000)
        .map(|_| UnixStream::connect(svc.socket_path()).unwrap())
        .collect();
    // nobody is served while root's slots are all held.
    let started = Instant::now();
    let out = svc.tt_as(&ns, NOBODY, &["add", "vm-nobody-0"]);
    let took = started.elapsed();
    assert_code(&out, 0);
    let (mut held, mut refused) = (0, 0);
    for mut s in flood {
        s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        let r: serde_json::Value = serde_json::from_slice(&answer).unwrap_or_default();
        if r["retry"] == true && r["exit"] == 6 {
            refused += 1;
        } else if r["exit"] == 2 {
            held += 1;
        }
    }
    eprintln!(
        "flood: connections held {held}, refused at once {refused}, another user's add took {} ms, devices left behind by the flood {}",
        took.as_millis(),
        taps(&ns).len() - 1
    );
    assert_eq!((held, refused), (4, 996));
    assert_eq!(taps(&ns).len(), 1);
    // The held ones were answered only at their deadline, after nobody's
    // add: it never waited on them.
    assert!(took < Duration::from_secs(3), "{took:?}");
}
