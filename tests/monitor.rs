//! `monitor` against the real kernel, in a namespace of the test's own:
//! a scripted life of a tap (done with ip, tuntapctl and the independent
//! attach helper) must give exactly the expected event list; patterns,
//! signals and lost events (ENOBUFS) are checked too.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use common::*;
use serde_json::{Value, json};

/// A running monitor: its JSON lines arrive on `lines`.
struct Monitor {
    child: Child,
    lines: Receiver<String>,
    stderr: Receiver<String>,
}

impl Monitor {
    /// Start `tuntapctl --json monitor ARGS` in the namespace and wait until
    /// it has subscribed and read the starting state (debug-build hook).
    fn start(ns: &Netns, args: &[&str], env: &[(&str, &str)]) -> Monitor {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut child = ns.within(move || {
            Command::new(BIN)
                .arg("--json")
                .arg("monitor")
                .args(&args)
                .env("TUNTAPCTL_TEST_READY", "1")
                .envs(env)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn monitor")
        });
        let (tx, lines) = channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let (etx, stderr) = channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if etx.send(line).is_err() {
                    break;
                }
            }
        });
        let ready = stderr
            .recv_timeout(Duration::from_secs(10))
            .expect("monitor never became ready");
        assert_eq!(ready, "tuntapctl: monitor: ready");
        Monitor {
            child,
            lines,
            stderr,
        }
    }

    /// The next event, or a failure naming what was expected.
    #[track_caller]
    fn next(&self, expected: &Value) -> Value {
        let line = self
            .lines
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("no event came; expected {expected}"));
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
    }

    fn signal(&self, sig: nix::sys::signal::Signal) {
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(self.child.id() as i32), sig)
            .expect("signal monitor");
    }

    fn wait(mut self) -> (i32, Vec<String>, Vec<String>) {
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().unwrap() {
                let rest: Vec<String> = self.lines.try_iter().collect();
                std::thread::sleep(Duration::from_millis(50));
                let rest: Vec<String> = rest.into_iter().chain(self.lines.try_iter()).collect();
                let err: Vec<String> = self.stderr.try_iter().collect();
                return (status.code().unwrap_or(-1), rest, err);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("monitor did not exit");
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[track_caller]
fn sh(ns: &Netns, program: &str, args: &[&str]) {
    let out = ns.run(program, args);
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        stderr(&out)
    );
}

/// The fields that must match: event, name, and the event's own keys;
/// the time is only checked for its shape, the ifindex for consistency.
fn essence(v: &Value) -> Value {
    let mut v = v.clone();
    let obj = v.as_object_mut().unwrap();
    let time = obj.remove("time").expect("time");
    let t = time.as_str().unwrap();
    assert!(
        t.len() >= 24 && t.as_bytes()[10] == b'T' && t.contains('.'),
        "RFC 3339 time with milliseconds: {t}"
    );
    assert!(obj.remove("ifindex").unwrap().is_u64());
    if obj.get("event") == Some(&json!("mac")) {
        obj.remove("old_mac");
    }
    v
}

#[test]
fn the_life_of_a_tap_exactly() {
    let ns = netns_or_skip!();
    let mon = Monitor::start(&ns, &[], &[]);
    let mut got = Vec::new();
    let mut expect = |mon: &Monitor, want: Value| {
        let ev = mon.next(&want);
        got.push((essence(&ev), want));
    };

    sh(&ns, BIN, &["-q", "add", "tap0", "--user", "nobody"]);
    expect(
        &mon,
        json!({"event": "created", "name": "tap0", "mode": "tap"}),
    );
    // No IPv6 link-local address: its arrival depends on timing.
    sh(&ns, "ip", &["link", "set", "tap0", "addrgenmode", "none"]);
    sh(&ns, "ip", &["link", "set", "tap0", "up"]);
    expect(&mon, json!({"event": "up", "name": "tap0"}));
    let holder = ns.hold("tap0", "tap", &[]);
    expect(&mon, json!({"event": "attached", "name": "tap0"}));
    drop(holder);
    expect(&mon, json!({"event": "detached", "name": "tap0"}));
    sh(&ns, "ip", &["link", "set", "tap0", "mtu", "9000"]);
    expect(
        &mon,
        json!({"event": "mtu", "name": "tap0", "mtu": 9000, "old_mtu": 1500}),
    );
    sh(
        &ns,
        "ip",
        &["link", "set", "tap0", "address", "02:44:00:00:00:01"],
    );
    expect(
        &mon,
        json!({"event": "mac", "name": "tap0", "mac": "02:44:00:00:00:01"}),
    );
    sh(&ns, "ip", &["link", "add", "br0", "type", "bridge"]);
    sh(&ns, "ip", &["link", "set", "tap0", "master", "br0"]);
    expect(
        &mon,
        json!({"event": "master", "name": "tap0", "master": "br0"}),
    );
    sh(&ns, "ip", &["link", "set", "tap0", "nomaster"]);
    expect(
        &mon,
        json!({"event": "master", "name": "tap0", "master": null}),
    );
    sh(&ns, "ip", &["addr", "add", "10.0.0.1/24", "dev", "tap0"]);
    expect(
        &mon,
        json!({"event": "address-added", "name": "tap0", "family": "inet", "address": "10.0.0.1", "prefix_len": 24}),
    );
    // IPv6: the kernel repeats RTM_NEWADDR when duplicate address detection
    // ends; that is one address, one event.
    sh(&ns, "ip", &["addr", "add", "2001:db8::1/64", "dev", "tap0"]);
    expect(
        &mon,
        json!({"event": "address-added", "name": "tap0", "family": "inet6", "address": "2001:db8::1", "prefix_len": 64}),
    );
    sh(&ns, "ip", &["addr", "del", "10.0.0.1/24", "dev", "tap0"]);
    expect(
        &mon,
        json!({"event": "address-removed", "name": "tap0", "family": "inet", "address": "10.0.0.1", "prefix_len": 24}),
    );
    sh(&ns, "ip", &["addr", "del", "2001:db8::1/64", "dev", "tap0"]);
    expect(
        &mon,
        json!({"event": "address-removed", "name": "tap0", "family": "inet6", "address": "2001:db8::1", "prefix_len": 64}),
    );
    // Kernels before 6.2 rename only a device that is down (EBUSY): there,
    // down first (the answer tells, not the version).
    let live = ns.run("ip", &["link", "set", "tap0", "name", "vm1"]);
    let live = live.status.success() || {
        assert!(stderr(&live).contains("busy"), "{}", stderr(&live));
        sh(&ns, "ip", &["link", "set", "tap0", "down"]);
        expect(&mon, json!({"event": "down", "name": "tap0"}));
        sh(&ns, "ip", &["link", "set", "tap0", "name", "vm1"]);
        false
    };
    expect(
        &mon,
        json!({"event": "renamed", "name": "vm1", "old_name": "tap0"}),
    );
    sh(&ns, BIN, &["-q", "del", "vm1"]);
    // Deleting an up link takes it down first.
    if live {
        expect(&mon, json!({"event": "down", "name": "vm1"}));
    }
    expect(
        &mon,
        json!({"event": "deleted", "name": "vm1", "mode": "tap"}),
    );

    std::thread::sleep(Duration::from_millis(300));
    let extra: Vec<String> = mon.lines.try_iter().collect();
    let (got, want): (Vec<Value>, Vec<Value>) = got.into_iter().unzip();
    assert_eq!(got, want);
    assert!(extra.is_empty(), "unexpected events: {extra:?}");
    mon.signal(nix::sys::signal::Signal::SIGTERM);
    let (code, _, _) = mon.wait();
    assert_eq!(code, 0, "SIGTERM ends monitor with exit 0");
}

#[test]
fn count_and_patterns() {
    let ns = netns_or_skip!();
    sh(
        &ns,
        "ip",
        &["link", "add", "veth0", "type", "veth", "peer", "veth1"],
    );
    let mon = Monitor::start(&ns, &["vm-*", "tap1", "--count", "3"], &[]);
    for name in ["tap0", "tap1", "vm-a", "tun7"] {
        sh(&ns, BIN, &["-q", "add", name]);
    }
    // Not a tun/tap: never reported, whatever the pattern.
    sh(&ns, "ip", &["link", "set", "veth0", "name", "vm-veth"]);
    sh(&ns, "ip", &["link", "set", "tap0", "name", "vm-b"]); // matches by its new name
    sh(&ns, BIN, &["-q", "del", "tap1"]);
    let (code, lines, _) = mon.wait();
    assert_eq!(code, 0);
    let events: Vec<(String, String)> = lines
        .iter()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["event"].as_str().unwrap().to_string(),
                v["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = [
        ("created", "tap1"),
        ("created", "vm-a"),
        ("renamed", "vm-b"),
    ]
    .iter()
    .map(|(e, n)| (e.to_string(), n.to_string()))
    .collect();
    assert_eq!(events, want, "--count 3 stops after three matching events");
}

#[test]
fn sigint_ends_with_zero_and_text_lines() {
    let ns = netns_or_skip!();
    // Text output: `HH:MM:SS.mmm name event detail`.
    let mut child = ns.within(|| {
        Command::new(BIN)
            .args(["monitor", "--count", "1"])
            .env("TUNTAPCTL_TEST_READY", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    });
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut ready = String::new();
    err.read_line(&mut ready).unwrap();
    assert_eq!(ready.trim(), "tuntapctl: monitor: ready");
    sh(&ns, BIN, &["-q", "add", "tun3"]);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let (time, rest) = line.split_once(' ').unwrap();
    assert_eq!(rest, "tun3 created tun");
    let b = time.as_bytes();
    assert!(
        time.len() == 12 && b[2] == b':' && b[5] == b':' && b[8] == b'.',
        "HH:MM:SS.mmm: {time}"
    );

    let mon = Monitor::start(&ns, &[], &[]);
    mon.signal(nix::sys::signal::Signal::SIGINT);
    let (code, lines, _) = mon.wait();
    assert_eq!((code, lines.len()), (0, 0));
}

#[test]
fn lost_events_are_said_and_recovered() {
    let ns = netns_or_skip!();
    sh(&ns, BIN, &["-q", "add", "old0"]);
    sh(&ns, BIN, &["-q", "add", "old1"]);
    // The smallest receive buffer the kernel allows, and the monitor stopped
    // while a burst happens: the kernel must drop messages for it.
    let mon = Monitor::start(&ns, &[], &[("TUNTAPCTL_TEST_RCVBUF", "1")]);
    mon.signal(nix::sys::signal::Signal::SIGSTOP);
    let dir = tempdir("monitor-burst");
    let file = dir.join("burst.batch");
    let mut text = String::new();
    for i in 0..300 {
        text.push_str(&format!("add b{i} --user nobody\n"));
    }
    text.push_str("del old0\n");
    text.push_str("set old1 --mtu 1400\n");
    std::fs::write(&file, text).unwrap();
    sh(&ns, BIN, &["-q", "batch", file.to_str().unwrap()]);
    mon.signal(nix::sys::signal::Signal::SIGCONT);

    let mut created = std::collections::BTreeMap::new();
    let mut others = Vec::new();
    while created.len() < 300 || others.len() < 2 {
        let v = mon.next(&json!("300 created events, old0 deleted and old1's mtu"));
        match v["event"].as_str().unwrap() {
            "created" => {
                *created
                    .entry(v["name"].as_str().unwrap().to_string())
                    .or_insert(0) += 1
            }
            _ => others.push((
                v["event"].as_str().unwrap().to_string(),
                v["name"].as_str().unwrap().to_string(),
            )),
        }
    }
    std::thread::sleep(Duration::from_millis(300));
    let extra: Vec<String> = mon.lines.try_iter().collect();
    mon.signal(nix::sys::signal::Signal::SIGTERM);
    let (code, _, err) = mon.wait();
    assert_eq!(code, 0);
    assert!(
        err.iter().any(|l| l.contains("events were lost")),
        "the loss is reported: {err:?}"
    );
    assert_eq!(created.len(), 300);
    assert!(created.values().all(|n| *n == 1), "each created once");
    others.sort();
    assert_eq!(
        others,
        [
            ("deleted".to_string(), "old0".to_string()),
            ("mtu".to_string(), "old1".to_string())
        ]
    );
    assert!(extra.is_empty(), "nothing else: {extra:?}");
}
