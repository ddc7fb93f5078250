//! qemu's `-netdev bridge,helper=` with our helper, run as nobody with no
//! setuid anywhere: the tap is on the bridge, owned by nobody, not
//! persistent, and gone when qemu exits.

mod common;
#[path = "delegate/harness.rs"]
mod harness;

use std::time::{Duration, Instant};

use common::*;
use harness::*;

const POLICY_TEXT: &str =
    "[[allow]]\ngroup = \"nogroup\"\nnames = \"vm-{user}-*\"\nmax = 2\nmasters = [\"br0\"]\n";

fn qemu_or_skip() -> bool {
    let found = std::process::Command::new("qemu-system-x86_64")
        .arg("--version")
        .output()
        .is_ok();
    if !found {
        eprintln!(
            "SKIPPED: qemu-system-x86_64 is not installed (scripts/test.sh installs qemu-system-x86)"
        );
    }
    found
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// nsenter's arguments that start qemu paused as nobody, with `netdev`, in
/// the mount namespace of process `pid` (the service's).
fn qemu_args<'a>(pid: &'a str, netdev: &'a str) -> Vec<&'a str> {
    vec![
        "-t",
        pid,
        "-m",
        "--",
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--init-groups",
        "qemu-system-x86_64",
        "-machine",
        "none",
        "-S",
        "-nodefaults",
        "-display",
        "none",
        "-monitor",
        "none",
        "-serial",
        "none",
        "-netdev",
        netdev,
    ]
}

/// Start qemu paused as nobody, in the service's mount namespace.
fn qemu_as_nobody(ns: &Netns, svc: &Service, helper: &str) -> std::process::Child {
    let pid = svc.pid().to_string();
    let netdev = format!("bridge,id=n0,br=br0,helper={helper}");
    ns.spawn("nsenter", &qemu_args(&pid, &netdev))
}

fn check_one_vm(ns: &Netns, svc: &Service, helper: &str, mtu: u32) {
    let mut qemu = qemu_as_nobody(ns, svc, helper);
    wait_for("the tap", || {
        !taps(ns).is_empty() || qemu.try_wait().unwrap().is_some()
    });
    let found = taps(ns);
    if found.is_empty() {
        let out = qemu.wait_with_output().unwrap();
        panic!("qemu exited: {}\nservice: {}", stderr(&out), svc.log_text());
    }
    assert_eq!(found.len(), 1, "{found:?}");
    let (name, user, persist) = &found[0];
    assert_eq!(name, "vm-nobody-0");
    assert!(is_user(user, NOBODY, "nobody"), "{user}");
    assert!(!persist);
    let l = ns.link(name).unwrap();
    assert_eq!(l["master"], "br0");
    assert_eq!(l["mtu"], mtu);
    assert_eq!(l["linkinfo"]["info_data"]["vnet_hdr"], true);
    assert!(
        l["flags"].as_array().unwrap().iter().any(|f| f == "UP"),
        "{l}"
    );
    qemu.kill().unwrap();
    qemu.wait().unwrap();
    wait_for("the tap to go", || taps(ns).is_empty());
}

#[test]
fn qemu_gets_a_tap_on_the_bridge_from_the_helper() {
    let ns = netns_or_skip!();
    if !qemu_or_skip() {
        return;
    }
    ns.run("ip", &["link", "add", "br0", "type", "bridge"]);
    ns.run("ip", &["link", "set", "br0", "mtu", "1400"]);
    let svc = Service::start(&ns, POLICY_TEXT);
    // As qemu-bridge-helper (a symlink), run directly by qemu.
    let dir = tempdir("helper");
    let link = dir.join("qemu-bridge-helper");
    std::os::unix::fs::symlink(BIN, &link).unwrap();
    check_one_vm(&ns, &svc, link.to_str().unwrap(), 1400);
    // A helper string with a space: qemu runs it through /bin/sh -c.
    check_one_vm(&ns, &svc, &format!("{BIN} bridge-helper"), 1400);
    // A bridge not in the rule's masters: qemu fails to start, no tap.
    ns.run("ip", &["link", "add", "br1", "type", "bridge"]);
    let pid = svc.pid().to_string();
    let out = ns.run(
        "nsenter",
        &qemu_args(
            &pid,
            &format!("bridge,id=n0,br=br1,helper={}", link.display()),
        ),
    );
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("refused by the delegation policy"),
        "{}",
        stderr(&out)
    );
    assert!(taps(&ns).is_empty());
    // Bridge taps count towards max (2): with two taps of nobody's, qemu
    // gets none.
    for name in ["vm-nobody-5", "vm-nobody-6"] {
        assert_code(&svc.tt_as(&ns, NOBODY, &["add", name]), 0);
    }
    let netdev = format!("bridge,id=n0,br=br0,helper={}", link.display());
    let out = ns.run("nsenter", &qemu_args(&pid, &netdev));
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("already owns 2 taps"),
        "{}",
        stderr(&out)
    );
    assert_eq!(taps(&ns).len(), 2);
    svc.wait_for_log("command=bridge-tap names=br0,vm-nobody-0 verdict=done");
}
