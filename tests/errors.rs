//! Every kernel error class that can be provoked in a namespace: the exit
//! code (SPEC §3), the key words of the message (what happened, why, what to
//! do), and that nothing was left half-made.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

use common::*;

/// Only `lo`: nothing was left behind.
#[track_caller]
fn assert_only_lo(ns: &Netns) {
    assert_eq!(ns.link_names(), vec!["lo".to_string()]);
}

#[track_caller]
fn assert_says(o: &Output, words: &[&str]) {
    let err = stderr(o);
    for w in words {
        assert!(err.contains(w), "stderr lacks {w:?}: {err}");
    }
}

/// Run tuntapctl as uid/gid 65534 in the namespace. With `private_node`, a
/// private 0666 /dev/net/tun is bind-mounted in a new mount namespace (the
/// host's node is never touched); without, the host's node (0600) is used.
fn tt_unprivileged(ns: &Netns, private_node: bool, args: &[&str]) -> Output {
    let dir = tempdir("devtun");
    let node = dir.join("tun");
    let setup = if private_node {
        format!(
            "mknod -m 666 {node} c 10 200; mount --bind {node} /dev/net/tun; ",
            node = node.display()
        )
    } else {
        String::new()
    };
    let script = format!(
        "set -e; {setup}exec setpriv --reuid=65534 --regid=65534 --clear-groups {BIN} \"$@\""
    );
    let mut full = vec!["-m", "--propagation", "private", "sh", "-c", &script, "sh"];
    full.extend_from_slice(args);
    let out = ns.run("unshare", &full);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

/// Start tuntapctl in the namespace paused at `step` (debug builds), wait
/// until it says so, run `meanwhile`, then let it go on.
fn tt_paused(ns: &Netns, step: &str, args: &[&str], meanwhile: impl FnOnce()) -> Output {
    let step = step.to_string();
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let mut child = ns.within(move || {
        Command::new(BIN)
            .args(&args)
            .env("TUNTAPCTL_TEST_LOCK_PATH", test_lock_path())
            .env("TUNTAPCTL_TEST_PAUSE_AT", &step)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn tuntapctl")
    });
    let mut line = String::new();
    BufReader::new(child.stderr.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("paused at"), "did not pause: {line}");
    meanwhile();
    child.stdin.as_mut().unwrap().write_all(b"\n").unwrap();
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn debug_only(test: &str) -> bool {
    if !cfg!(debug_assertions) {
        eprintln!("SKIPPED {test}: TUNTAPCTL_TEST_PAUSE_AT works only in debug builds");
    }
    cfg!(debug_assertions)
}

/// EPERM: an unprivileged caller who can open /dev/net/tun cannot create a
/// device (TUNSETIFF) nor delete one (RTM_DELLINK).
#[test]
fn eperm_unprivileged_caller() {
    let ns = netns_or_skip!();
    let out = tt_unprivileged(&ns, true, &["add", "tap0"]);
    assert_code(&out, 5);
    assert_says(&out, &["tap0", "permission denied", "CAP_NET_ADMIN"]);
    assert_only_lo(&ns);

    assert_code(&ns.tt(&["-q", "add", "tap1"]), 0);
    let out = tt_unprivileged(&ns, true, &["del", "--force", "tap1"]);
    assert_code(&out, 5);
    assert_says(
        &out,
        &["tap1", "deleting", "permission denied", "CAP_NET_ADMIN"],
    );
    assert!(ns.link("tap1").is_some(), "tap1 must survive");
}

/// EACCES on /dev/net/tun: the node (0600 root) is not open to the caller.
#[test]
fn eacces_on_dev_net_tun() {
    let ns = netns_or_skip!();
    let out = tt_unprivileged(&ns, false, &["add", "tap0"]);
    assert_code(&out, 5);
    assert_says(
        &out,
        &[
            "tap0",
            "cannot open /dev/net/tun",
            "EACCES",
            "run as root",
            "read-write access",
        ],
    );
    assert_only_lo(&ns);
}

/// ENOENT: /dev/net/tun is missing (an empty tmpfs over /dev/net in a
/// private mount namespace).
#[test]
fn enoent_missing_dev_net_tun() {
    let ns = netns_or_skip!();
    let script = format!("mount -t tmpfs none /dev/net && exec {BIN} add tap0");
    let out = ns.run(
        "unshare",
        &["-m", "--propagation", "private", "sh", "-c", &script],
    );
    assert_code(&out, 1);
    assert_says(
        &out,
        &[
            "tap0",
            "/dev/net/tun does not exist",
            "modprobe tun",
            "mknod /dev/net/tun c 10 200",
        ],
    );
    assert_only_lo(&ns);
}

/// EBUSY from TUNSETIFF with IFF_TUN_EXCL: the name exists (exit 4), for a
/// tun/tap and for another kind of link alike.
#[test]
fn ebusy_existing_name_is_a_conflict() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["-q", "add", "tap0", "--mtu", "1400"]), 0);
    let out = ns.tt(&["add", "tap0", "--mtu", "1300"]);
    assert_code(&out, 4);
    assert_says(&out, &["tap0 already exists", "--exist-ok"]);
    assert_eq!(ns.link("tap0").unwrap()["mtu"], 1400, "left unchanged");

    assert!(
        ns.run("ip", &["link", "add", "br0", "type", "bridge"])
            .status
            .success()
    );
    let out = ns.tt(&["add", "br0"]);
    assert_code(&out, 4);
    assert_says(&out, &["br0", "not a tun/tap", "ip-link(8)"]);
}

/// EBUSY from attaching to a held single-queue device (set --user): exit 6,
/// naming the holder.
#[test]
fn ebusy_held_single_queue_is_busy() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["-q", "add", "tap0"]), 0);
    let holder = ns.hold("tap0", "tap", &[]);
    let out = ns.tt(&["set", "tap0", "--user", "65534"]);
    assert_code(&out, 6);
    assert_says(
        &out,
        &[
            "tap0",
            "in use by",
            &holder.pid().to_string(),
            "stop that process",
        ],
    );
    let info = &ns.link("tap0").unwrap()["linkinfo"]["info_data"];
    assert!(info.get("user").is_none(), "owner unchanged: {info}");
}

/// E2BIG: a multi-queue device already has the kernel's maximum of 256
/// queues, so set --user cannot attach once more: exit 6.
#[test]
fn e2big_queue_limit_is_busy() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["-q", "add", "tap0", "--multi-queue"]), 0);
    let _holder = ns.hold("tap0", "tap", &["multi_queue", "queues=256"]);
    let out = ns.tt(&["set", "tap0", "--user", "65534"]);
    assert_code(&out, 6);
    assert_says(
        &out,
        &["tap0", "256 queues", "E2BIG", "stop one of the processes"],
    );
    let info = &ns.link("tap0").unwrap()["linkinfo"]["info_data"];
    assert!(info.get("user").is_none(), "owner unchanged: {info}");
}

/// EINVAL from TUNSETOWNER: a uid not mapped in the user namespace
/// (`unshare -r -n`): exit 2, and neither add nor set leaves anything changed.
#[test]
fn einval_unmapped_uid() {
    let probe = Command::new("unshare").args(["-r", "-n", "true"]).status();
    if !probe.map(|s| s.success()).unwrap_or(false) {
        eprintln!("SKIPPED einval_unmapped_uid: unshare -r -n is not available here");
        return;
    }
    let script = format!(
        "{BIN} add tap1 --user 4242; echo add=$?; {BIN} -q add tap2 --user 0; {BIN} set tap2 --user 4242; echo set=$?; ip -d link show"
    );
    let out = Command::new("unshare")
        .args(["-r", "-n", "sh", "-c", &script])
        .output()
        .unwrap();
    let (text, err) = (stdout(&out), stderr(&out));
    assert!(
        text.contains("add=2") && text.contains("set=2"),
        "{text} {err}"
    );
    assert!(err.contains("tap1: cannot set owner uid 4242"), "{err}");
    assert!(err.contains("tap2: cannot set owner uid 4242"), "{err}");
    assert!(err.contains("not mapped in this user namespace"), "{err}");
    assert!(err.contains("nothing was created"), "{err}");
    assert!(!text.contains("tap1"), "half-made device left: {text}");
    assert!(
        text.contains("tap2") && text.contains("user root"),
        "owner kept: {text}"
    );
}

/// EINVAL for names the kernel refuses: our validation refuses them first.
#[test]
fn einval_names_are_refused_before_the_kernel() {
    let ns = netns_or_skip!();
    for (name, words) in [
        ("all", "reserved by the kernel"),
        ("a/b", "contains '/'"),
        ("a%db%d", "%d"),
    ] {
        let out = ns.tt(&["add", name]);
        assert_code(&out, 2);
        assert_says(&out, &[name, "is not valid", words]);
    }
    assert_only_lo(&ns);
}

/// EEXIST from RTM_NEWADDR: an IPv6 address is on the device already with
/// another prefix length.
#[test]
fn eexist_address_with_another_prefix() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["-q", "add", "tap0", "-a", "fd00::1/64"]), 0);
    let out = ns.tt(&["set", "tap0", "-a", "fd00::1/48"]);
    assert_code(&out, 4);
    assert_says(
        &out,
        &[
            "tap0",
            "fd00::1/48",
            "already on tap0",
            "EEXIST",
            "--del-address",
        ],
    );
    let addrs = ns.addresses("tap0");
    assert!(addrs.contains(&"fd00::1/64".to_string()), "{addrs:?}");
    assert!(!addrs.contains(&"fd00::1/48".to_string()), "{addrs:?}");
}

/// ENODEV from netlink: the device is deleted between set's lookup and its
/// change (a pause point makes the race deterministic): exit 3.
#[test]
fn enodev_set_races_a_delete() {
    if !debug_only("enodev_set_races_a_delete") {
        return;
    }
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["-q", "add", "tap0"]), 0);
    let out = tt_paused(&ns, "configure", &["set", "tap0", "--mtu", "1300"], || {
        assert!(ns.run("ip", &["link", "del", "tap0"]).status.success());
    });
    assert_code(&out, 3);
    assert_says(
        &out,
        &[
            "tap0",
            "deleted by another process",
            "ENODEV",
            "tuntapctl list",
        ],
    );
    assert_only_lo(&ns);
}

/// EBADFD: the device add is building is deleted by another process before
/// its owner is set: our fd is detached; exit 3, nothing left.
#[test]
fn ebadfd_add_races_a_delete() {
    if !debug_only("ebadfd_add_races_a_delete") {
        return;
    }
    let ns = netns_or_skip!();
    let out = tt_paused(&ns, "create", &["add", "tap0", "--user", "0"], || {
        assert!(ns.run("ip", &["link", "del", "tap0"]).status.success());
    });
    assert_code(&out, 3);
    assert_says(&out, &["tap0", "deleted by another process", "owner"]);
    assert!(
        !stderr(&out).contains("EBADFD"),
        "raw errno leaked: {}",
        stderr(&out)
    );
    assert_only_lo(&ns);
}

/// A delete between set's lookup and its attach would make TUNSETIFF create
/// a new transient device: detected, exit 3, nothing left.
#[test]
fn set_user_races_a_delete() {
    if !debug_only("set_user_races_a_delete") {
        return;
    }
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["-q", "add", "tap0"]), 0);
    let out = tt_paused(&ns, "attach", &["set", "tap0", "--user", "65534"], || {
        assert!(ns.run("ip", &["link", "del", "tap0"]).status.success());
    });
    assert_code(&out, 3);
    assert_says(&out, &["tap0", "deleted by another process", "owner"]);
    assert_only_lo(&ns);
}

/// EOPNOTSUPP (a MAC on a tun): refused before the kernel, exit 2.
#[test]
fn eopnotsupp_mac_on_tun_is_refused_first() {
    let ns = netns_or_skip!();
    let out = ns.tt(&["add", "tun0", "--mode", "tun", "--mac", "02:00:00:00:00:01"]);
    assert_code(&out, 2);
    assert_says(&out, &["tun0", "--mac", "no MAC address", "tap"]);
    assert_only_lo(&ns);

    assert_code(&ns.tt(&["-q", "add", "tun1", "--mode", "tun"]), 0);
    let out = ns.tt(&["set", "tun1", "--mac", "02:00:00:00:00:01"]);
    assert_code(&out, 2);
    assert_says(&out, &["tun1", "no MAC address", "only a tap"]);
}

/// EADDRNOTAVAIL (a multicast MAC): refused before the kernel, exit 2.
#[test]
fn eaddrnotavail_multicast_mac_is_refused_first() {
    let ns = netns_or_skip!();
    let out = ns.tt(&["add", "tap0", "--mac", "01:00:5e:00:00:01"]);
    assert_code(&out, 2);
    assert_says(&out, &["tap0", "01:00:5e:00:00:01", "multicast", "unicast"]);
    assert_only_lo(&ns);

    assert_code(
        &ns.tt(&["-q", "add", "tap1", "--mac", "02:00:00:00:00:01"]),
        0,
    );
    let out = ns.tt(&["set", "tap1", "--mac", "03:00:00:00:00:01"]);
    assert_code(&out, 2);
    assert_says(&out, &["multicast", "unicast"]);
    assert_eq!(ns.link("tap1").unwrap()["address"], "02:00:00:00:00:01");
}

/// EACCES from RTM_NEWADDR means IPv6 is disabled on the device, not a
/// missing capability: exit 1 with the sysctl to change.
#[test]
fn ipv6_disabled_is_not_a_permission_error() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["-q", "add", "tap0"]), 0);
    let sysctl = |key: &str| {
        let out = ns.run("sysctl", &["-q", "-w", key]);
        assert!(out.status.success(), "sysctl {key}: {}", stderr(&out));
    };
    sysctl("net.ipv6.conf.tap0.disable_ipv6=1");
    let out = ns.tt(&["set", "tap0", "-a", "fd00::1/64"]);
    assert_code(&out, 1);
    assert_says(
        &out,
        &[
            "tap0",
            "fd00::1/64",
            "IPv6 is disabled",
            "net.ipv6.conf.tap0.disable_ipv6=0",
        ],
    );
    assert!(!stderr(&out).contains("CAP_NET_ADMIN"), "{}", stderr(&out));
    assert!(ns.addresses("tap0").is_empty());

    // A new device inherits net.ipv6.conf.default: add rolls back.
    sysctl("net.ipv6.conf.default.disable_ipv6=1");
    let out = ns.tt(&["add", "tap1", "-a", "fd00::2/64"]);
    assert_code(&out, 1);
    assert_says(&out, &["tap1", "IPv6 is disabled", "nothing was created"]);
    assert!(ns.link("tap1").is_none(), "half-made tap1 left");
}
