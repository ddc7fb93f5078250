//! Integration tests for `add` and `del`. Every test that touches an
//! interface runs in its own network namespace (made by the harness) and
//! checks the result with iproute2 and the independent attach helper, not
//! with tuntapctl's own output alone.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Output};
use std::time::Duration;

use common::*;
use serde_json::{Value, json};

// ---------------------------------------------------------------- helpers

/// `linkinfo.info_data` of a link as ip shows it.
fn info(link: &Value) -> &Value {
    &link["linkinfo"]["info_data"]
}

fn link_or_panic(ns: &Netns, name: &str) -> Value {
    ns.link(name)
        .unwrap_or_else(|| panic!("{name} should exist; links: {:?}", ns.link_names()))
}

fn ip_flags(link: &Value) -> Vec<String> {
    link["flags"]
        .as_array()
        .map(|a| a.iter().map(|f| f.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn is_up(link: &Value) -> bool {
    ip_flags(link).iter().any(|f| f == "UP")
}

/// Only the loopback device: nothing was created.
#[track_caller]
fn assert_only_lo(ns: &Netns) {
    assert_eq!(
        ns.link_names(),
        vec!["lo".to_string()],
        "no device may be left"
    );
}

/// A device whose creator (or last holder) has exited must be gone. A
/// persistent one is a failure at once. A non-persistent one may outlive its
/// creator for an instant when another process holds a duplicate of the fd:
/// tuntapctl's /proc scan (procscan.rs) copies every tun fd it finds with
/// pidfd_getfd to ask for its namespace, so any tuntapctl scanning at that
/// moment, in any namespace (other tests, other users' runs), keeps it alive
/// until it closes the copy. Wait, bounded, for that copy to go.
#[track_caller]
fn assert_gone(ns: &Netns, name: &str) {
    for _ in 0..1000 {
        match ns.link(name) {
            None => return,
            Some(link) => {
                assert_eq!(
                    info(&link)["persist"],
                    false,
                    "{name} was left behind: {link}"
                );
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
    panic!(
        "{name} is still there long after its creator exited: {:?}",
        ns.link(name)
    );
}

/// The `addr_info` entries of `ip -j addr show dev NAME`.
fn addr_info(ns: &Netns, name: &str) -> Vec<Value> {
    let out = ns.run("ip", &["-j", "addr", "show", "dev", name]);
    assert!(
        out.status.success(),
        "ip addr show {name}: {}",
        stderr(&out)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("ip -j output is JSON");
    v[0]["addr_info"].as_array().cloned().unwrap_or_default()
}

/// Make a link that is not a tun/tap. The spec's example is a dummy; kernels
/// built without CONFIG_DUMMY get a bridge instead. Returns the kind made.
fn add_non_tun(ns: &Netns, name: &str) -> &'static str {
    for kind in ["dummy", "bridge"] {
        if ns
            .run("ip", &["link", "add", name, "type", kind])
            .status
            .success()
        {
            let link = link_or_panic(ns, name);
            assert_eq!(link["linkinfo"]["info_kind"], kind);
            return kind;
        }
    }
    panic!("cannot create a dummy or bridge device {name} in the test namespace");
}

/// Add with an owner, so no warning is printed, and insist on success.
#[track_caller]
fn add_ok(ns: &Netns, args: &[&str]) -> Output {
    let mut all = vec!["add"];
    all.extend_from_slice(args);
    let out = ns.tt(&all);
    assert_code(&out, 0);
    out
}

/// Assert a failure: exit code, every needle in stderr, nothing on stdout.
#[track_caller]
fn assert_fails(out: &Output, want: i32, needles: &[&str]) {
    assert_code(out, want);
    let err = stderr(out);
    for needle in needles {
        assert!(
            err.contains(needle),
            "stderr should mention {needle:?}:\n{err}"
        );
    }
    assert_eq!(stdout(out), "", "nothing on stdout for a failure");
}

/// Run tuntapctl as an unprivileged user through a private /dev/net/tun node
/// (mode 0666, bind-mounted in a new mount namespace: the host's node is never
/// touched), so the kernel's CAP_NET_ADMIN check is what refuses it.
fn tt_as_with_open_tun(ns: &Netns, uid: u32, gid: u32, args: &[&str]) -> Output {
    let dir = tempdir("devtun-tt");
    let node = dir.join("tun");
    let script = format!(
        "set -e; mknod -m 666 {node} c 10 200; mount --bind {node} /dev/net/tun; exec setpriv --reuid={uid} --regid={gid} --clear-groups \"$@\" </dev/null",
        node = node.display()
    );
    let mut all = vec![
        "-m",
        "--propagation",
        "private",
        "sh",
        "-c",
        &script,
        "sh",
        BIN,
    ];
    all.extend_from_slice(args);
    let out = ns.run("unshare", &all);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

// ------------------------------------------------------------- add: names

#[test]
fn add_exact_name_creates_persistent_tap() {
    let ns = netns_or_skip!();
    let out = add_ok(&ns, &["tap44", "--user", "nobody"]);
    assert_eq!(stdout(&out), "created tap44 (tap, owner nobody)\n");
    assert_eq!(stderr(&out), "", "no warning when an owner is given");
    let link = link_or_panic(&ns, "tap44");
    assert_eq!(link["linkinfo"]["info_kind"], "tun");
    assert_eq!(info(&link)["type"], "tap");
    assert_eq!(info(&link)["persist"], true);
    assert_eq!(info(&link)["pi"], false);
    assert_eq!(info(&link)["vnet_hdr"], false);
    assert_eq!(info(&link)["multi_queue"], false);
    assert_eq!(info(&link)["user"], "nobody");
    assert!(info(&link).get("group").is_none(), "no group was asked for");
    assert!(!is_up(&link), "not up without --up");
    assert_eq!(link["mtu"], 1500);
    assert_eq!(link["txqlen"], 1000);
    // The `create` alias does the same.
    assert_code(&ns.tt(&["create", "tap45", "--user", "nobody"]), 0);
    assert_eq!(info(&link_or_panic(&ns, "tap45"))["type"], "tap");
}

#[test]
fn add_template_prints_the_chosen_name() {
    let ns = netns_or_skip!();
    let out = add_ok(&ns, &["vm%d", "--user", "nobody"]);
    assert_eq!(stdout(&out), "created vm0 (tap, owner nobody)\n");
    let out = add_ok(&ns, &["vm%d", "--user", "nobody"]);
    assert_eq!(stdout(&out), "created vm1 (tap, owner nobody)\n");
    assert_eq!(info(&link_or_panic(&ns, "vm0"))["persist"], true);
    assert_eq!(info(&link_or_panic(&ns, "vm1"))["persist"], true);
    // --brief prints the name only, for IF=$(tuntapctl add -b).
    let out = add_ok(&ns, &["-b", "vm%d", "--user", "nobody"]);
    assert_eq!(stdout(&out), "vm2\n");
    let out = add_ok(&ns, &["--brief", "x%dy", "--tun", "--user", "nobody"]);
    assert_eq!(stdout(&out), "x0y\n");
    assert_eq!(info(&link_or_panic(&ns, "x0y"))["type"], "tun");
    let names: BTreeSet<String> = ns.link_names().into_iter().collect();
    let want: BTreeSet<String> = ["lo", "vm0", "vm1", "vm2", "x0y"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(names, want);
}

#[test]
fn add_default_names_follow_the_mode() {
    let ns = netns_or_skip!();
    assert_eq!(stdout(&add_ok(&ns, &["--user", "nobody", "-b"])), "tap0\n");
    assert_eq!(info(&link_or_panic(&ns, "tap0"))["type"], "tap");
    assert_eq!(
        stdout(&add_ok(&ns, &["--tun", "--user", "nobody", "-b"])),
        "tun0\n"
    );
    assert_eq!(info(&link_or_panic(&ns, "tun0"))["type"], "tun");
    assert_eq!(
        stdout(&add_ok(&ns, &["--mode", "tun", "--user", "nobody", "-b"])),
        "tun1\n"
    );
    assert_eq!(info(&link_or_panic(&ns, "tun1"))["type"], "tun");
    assert_eq!(
        stdout(&add_ok(&ns, &["--tap", "--user", "nobody", "-b"])),
        "tap1\n"
    );
    assert_eq!(info(&link_or_panic(&ns, "tap1"))["type"], "tap");
}

#[test]
fn add_mode_flags_and_name_prefix_default() {
    let ns = netns_or_skip!();
    let cases: &[(&[&str], &str, &str)] = &[
        (&["tunA"], "tunA", "tun"), // name starts with "tun"
        (&["vpn0"], "vpn0", "tap"), // anything else: tap
        (&["tunB", "--tap"], "tunB", "tap"),
        (&["vpn1", "--tun"], "vpn1", "tun"),
        (&["vpn2", "--mode", "tun"], "vpn2", "tun"),
        (&["tunC", "-m", "tap"], "tunC", "tap"),
        (&["tunD", "--mode", "tun"], "tunD", "tun"),
    ];
    for (args, name, mode) in cases {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--user", "nobody"]);
        let out = add_ok(&ns, &all);
        assert_eq!(
            stdout(&out),
            format!("created {name} ({mode}, owner nobody)\n"),
            "{args:?}"
        );
        let link = link_or_panic(&ns, name);
        assert_eq!(info(&link)["type"], *mode, "{args:?}");
        let link_type = if *mode == "tun" { "none" } else { "ether" };
        assert_eq!(link["link_type"], link_type, "{args:?}");
    }
    // Contradictory mode arguments are a usage error and create nothing.
    for args in [
        &["add", "x1", "--tun", "--tap"][..],
        &["add", "x2", "--mode", "tun", "--tap"][..],
        &["add", "x3", "--mode", "tup"][..],
    ] {
        assert_code(&ns.tt(args), 2);
    }
    for name in ["x1", "x2", "x3"] {
        assert!(ns.link(name).is_none(), "{name} must not exist");
    }
}

// ---------------------------------------------------- add: owner and group

#[test]
fn add_user_and_group_by_name_and_number() {
    let ns = netns_or_skip!();
    let out = add_ok(&ns, &["tapn", "--user", "nobody", "--group", "nogroup"]);
    assert_eq!(
        stdout(&out),
        "created tapn (tap, owner nobody, group nogroup)\n"
    );
    let link = link_or_panic(&ns, "tapn");
    assert_eq!(info(&link)["user"], "nobody");
    assert_eq!(info(&link)["group"], "nogroup");

    // Numeric ids that resolve are shown by name by ip too.
    add_ok(&ns, &["tapi", "--user", "65534", "--group", "65534"]);
    let link = link_or_panic(&ns, "tapi");
    assert_eq!(info(&link)["user"], "nobody");
    assert_eq!(info(&link)["group"], "nogroup");

    // Ids without a passwd/group entry are kept as numbers.
    let out = add_ok(&ns, &["tapu", "-u", "4242", "-g", "4343"]);
    assert_eq!(stdout(&out), "created tapu (tap, owner 4242, group 4343)\n");
    let link = link_or_panic(&ns, "tapu");
    assert_eq!(info(&link)["user"], 4242);
    assert_eq!(info(&link)["group"], 4343);

    // A group alone.
    let out = ns.tt(&["add", "tapg", "--group", "4343"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "created tapg (tap, no owner, group 4343)\n");
    assert_eq!(stderr(&out), "", "a group restricts attach: no warning");
    let link = link_or_panic(&ns, "tapg");
    assert!(info(&link).get("user").is_none(), "no owner was asked for");
    assert_eq!(info(&link)["group"], 4343);
}

#[test]
fn add_without_owner_warns_unless_quiet() {
    let ns = netns_or_skip!();
    let out = ns.tt(&["add", "tapw"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "created tapw (tap, no owner)\n");
    let err = stderr(&out);
    assert!(
        err.contains("warning: tapw has no owner or group")
            && err.contains("any user who can open /dev/net/tun may attach"),
        "{err}"
    );
    let link = link_or_panic(&ns, "tapw");
    assert!(info(&link).get("user").is_none() && info(&link).get("group").is_none());

    let out = ns.tt(&["-q", "add", "tapq"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "", "--quiet prints nothing on success");
    assert_eq!(stderr(&out), "", "--quiet suppresses the warning");
    assert_eq!(info(&link_or_panic(&ns, "tapq"))["persist"], true);

    // --quiet after the subcommand works too (global option).
    let out = ns.tt(&["add", "tapr", "--quiet", "--user", "nobody", "--up"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "");
    assert_eq!(stderr(&out), "");
    assert!(is_up(&link_or_panic(&ns, "tapr")));
}

// -------------------------------------------------------- add: tun flags

#[test]
fn add_pi_vnet_hdr_multi_queue() {
    let ns = netns_or_skip!();
    add_ok(&ns, &["tapp", "--pi", "--user", "nobody"]);
    let i = info(&link_or_panic(&ns, "tapp")).clone();
    assert_eq!(
        (&i["pi"], &i["vnet_hdr"], &i["multi_queue"]),
        (&json!(true), &json!(false), &json!(false))
    );

    add_ok(&ns, &["tapv", "--vnet-hdr", "--user", "nobody"]);
    let i = info(&link_or_panic(&ns, "tapv")).clone();
    assert_eq!(
        (&i["pi"], &i["vnet_hdr"], &i["multi_queue"]),
        (&json!(false), &json!(true), &json!(false))
    );

    let out = add_ok(&ns, &["tapm", "--multi-queue", "--user", "nobody"]);
    assert_eq!(
        stdout(&out),
        "created tapm (tap, multi_queue, owner nobody)\n"
    );
    let link = link_or_panic(&ns, "tapm");
    let i = info(&link);
    assert_eq!(
        (&i["pi"], &i["vnet_hdr"], &i["multi_queue"]),
        (&json!(false), &json!(false), &json!(true))
    );
    assert_eq!(i["numqueues"], 0, "nothing attached yet");
    assert_eq!(i["persist"], true);

    add_ok(
        &ns,
        &[
            "tunall",
            "--pi",
            "--vnet-hdr",
            "--multi-queue",
            "--user",
            "nobody",
        ],
    );
    let i = info(&link_or_panic(&ns, "tunall")).clone();
    assert_eq!(i["type"], "tun");
    assert_eq!(
        (&i["pi"], &i["vnet_hdr"], &i["multi_queue"]),
        (&json!(true), &json!(true), &json!(true))
    );

    // A multi-queue device takes more than one queue: two attachers at once.
    let _a = ns.hold("tapm", "tap", &["multi_queue"]);
    let _b = ns.hold("tapm", "tap", &["multi_queue"]);
    assert_eq!(info(&link_or_panic(&ns, "tapm"))["numqueues"], 2);
}

// ----------------------------------------------------- add: link settings

#[test]
fn add_fixed_and_random_mac() {
    let ns = netns_or_skip!();
    add_ok(
        &ns,
        &["tapf", "--mac", "02:11:22:33:44:55", "--user", "nobody"],
    );
    assert_eq!(link_or_panic(&ns, "tapf")["address"], "02:11:22:33:44:55");
    add_ok(
        &ns,
        &["tapd", "--mac", "02-AA-bb-CC-dd-EE", "--user", "nobody"],
    );
    assert_eq!(link_or_panic(&ns, "tapd")["address"], "02:aa:bb:cc:dd:ee");

    let mut macs = Vec::new();
    for name in ["tapr0", "tapr1", "tapr2"] {
        add_ok(&ns, &[name, "--mac", "random", "--user", "nobody"]);
        let mac = link_or_panic(&ns, name)["address"]
            .as_str()
            .unwrap()
            .to_string();
        let first = u8::from_str_radix(&mac[..2], 16).unwrap();
        assert_eq!(first & 0x01, 0, "{mac}: unicast");
        assert_eq!(first & 0x02, 0x02, "{mac}: locally administered");
        assert_ne!(mac, "02:00:00:00:00:00");
        macs.push(mac);
    }
    let distinct: BTreeSet<&String> = macs.iter().collect();
    assert_eq!(distinct.len(), macs.len(), "random MACs differ: {macs:?}");
}

#[test]
fn add_mtu_and_txqueuelen() {
    let ns = netns_or_skip!();
    add_ok(
        &ns,
        &[
            "tapm",
            "--mtu",
            "9000",
            "--txqueuelen",
            "77",
            "--user",
            "nobody",
        ],
    );
    let link = link_or_panic(&ns, "tapm");
    assert_eq!(link["mtu"], 9000);
    assert_eq!(link["txqlen"], 77);
    // The limits themselves are accepted: tap 68..65521, tun up to 65535.
    add_ok(&ns, &["tapmax", "--mtu", "65521", "--user", "nobody"]);
    assert_eq!(link_or_panic(&ns, "tapmax")["mtu"], 65521);
    add_ok(
        &ns,
        &[
            "tapmin",
            "--mtu",
            "68",
            "--txqueuelen",
            "0",
            "--user",
            "nobody",
        ],
    );
    let link = link_or_panic(&ns, "tapmin");
    assert_eq!(link["mtu"], 68);
    // ip leaves qlen out when it is 0.
    assert_eq!(link["txqlen"].as_u64().unwrap_or(0), 0, "{link}");
    add_ok(&ns, &["tunmax", "--mtu", "65535", "--user", "nobody"]);
    let link = link_or_panic(&ns, "tunmax");
    assert_eq!(
        (&link["mtu"], &link["txqlen"]),
        (&json!(65535), &json!(500))
    );
}

#[test]
fn add_addresses_v4_v6_and_bare() {
    let ns = netns_or_skip!();
    add_ok(
        &ns,
        &[
            "tapa",
            "-a",
            "10.0.0.1/24",
            "--address",
            "fd00::1/64",
            "-a",
            "10.1.1.1",
            "-a",
            "fd01::1",
            "--user",
            "nobody",
        ],
    );
    let got: BTreeSet<String> = ns.addresses("tapa").into_iter().collect();
    let want: BTreeSet<String> = ["10.0.0.1/24", "fd00::1/64", "10.1.1.1/32", "fd01::1/128"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(got, want);
    assert!(!is_up(&link_or_panic(&ns, "tapa")));

    // On a tun, brought up: the kernel then adds its own fe80:: address too.
    add_ok(
        &ns,
        &[
            "tuna",
            "-a",
            "192.0.2.1/30",
            "-a",
            "2001:db8::1/64",
            "--up",
            "--user",
            "nobody",
        ],
    );
    let got = ns.addresses("tuna");
    assert!(got.contains(&"192.0.2.1/30".to_string()), "{got:?}");
    assert!(got.contains(&"2001:db8::1/64".to_string()), "{got:?}");
    assert!(is_up(&link_or_panic(&ns, "tuna")));
}

#[test]
fn add_peer_makes_the_first_address_point_to_point() {
    let ns = netns_or_skip!();
    add_ok(
        &ns,
        &[
            "tunp",
            "-a",
            "10.9.0.1",
            "--peer",
            "10.9.0.2",
            "-a",
            "10.8.0.1/24",
            "--user",
            "nobody",
        ],
    );
    let info = addr_info(&ns, "tunp");
    let v4: Vec<&Value> = info.iter().filter(|a| a["family"] == "inet").collect();
    assert_eq!(v4.len(), 2, "{info:?}");
    let p2p = v4
        .iter()
        .find(|a| a["local"] == "10.9.0.1")
        .expect("10.9.0.1");
    assert_eq!(p2p["address"], "10.9.0.2", "peer");
    assert_eq!(p2p["prefixlen"], 32);
    let plain = v4
        .iter()
        .find(|a| a["local"] == "10.8.0.1")
        .expect("10.8.0.1");
    assert!(
        plain.get("address").is_none(),
        "only the first has a peer: {plain}"
    );
    assert_eq!(plain["prefixlen"], 24);

    add_ok(
        &ns,
        &[
            "tunq", "-a", "fd00::1", "--peer", "fd00::2", "--user", "nobody",
        ],
    );
    let info = addr_info(&ns, "tunq");
    let p2p = info
        .iter()
        .find(|a| a["local"] == "fd00::1")
        .expect("fd00::1");
    assert_eq!(p2p["address"], "fd00::2");
}

#[test]
fn add_up_brings_the_link_up() {
    let ns = netns_or_skip!();
    add_ok(&ns, &["tapup", "--up", "--user", "nobody"]);
    add_ok(&ns, &["tapdown", "--user", "nobody"]);
    let up = link_or_panic(&ns, "tapup");
    assert!(is_up(&up));
    // Nothing attached: no carrier (LOWER_UP is the carrier itself;
    // NO-CARRIER follows the operstate, which the kernel updates later, in
    // its link watch: seen still UNKNOWN on 6.1 under qemu).
    assert!(!ip_flags(&up).contains(&"LOWER_UP".to_string()), "{up}");
    assert!(!is_up(&link_or_panic(&ns, "tapdown")));
    add_ok(&ns, &["tunup", "--up", "--user", "nobody"]);
    assert!(is_up(&link_or_panic(&ns, "tunup")));
}

#[test]
fn add_json_matches_ip() {
    let ns = netns_or_skip!();
    let out = ns.tt(&[
        "--json",
        "add",
        "tapj",
        "--user",
        "nobody",
        "--group",
        "4343",
        "--mac",
        "02:44:44:44:44:44",
        "--mtu",
        "1400",
        "--txqueuelen",
        "42",
        "--vnet-hdr",
        "-a",
        "10.0.0.1/24",
        "-a",
        "fd00::1/64",
    ]);
    assert_code(&out, 0);
    let j = json(&out);
    let keys: BTreeSet<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
    let want: BTreeSet<&str> = INTERFACE_KEYS.into_iter().chain(["changed"]).collect();
    assert_eq!(keys, want, "{j:#}");
    assert_eq!(j["changed"], true);

    let link = link_or_panic(&ns, "tapj");
    let i = info(&link);
    assert_eq!(j["name"], link["ifname"]);
    assert_eq!(j["ifindex"], link["ifindex"]);
    assert_eq!(j["mode"], i["type"]);
    assert_eq!(j["owner"], json!({"uid": 65534, "name": "nobody"}));
    assert_eq!(i["user"], "nobody");
    assert_eq!(j["group"], json!({"gid": 4343, "name": null}));
    assert_eq!(i["group"], 4343);
    assert_eq!(j["flags"]["pi"], i["pi"]);
    assert_eq!(j["flags"]["vnet_hdr"], i["vnet_hdr"]);
    assert_eq!(j["flags"]["vnet_hdr"], true);
    assert_eq!(j["flags"]["multi_queue"], i["multi_queue"]);
    assert_eq!(j["flags"]["persist"], i["persist"]);
    assert_eq!(j["flags"]["persist"], true);
    assert_eq!(j["mac"], link["address"]);
    assert_eq!(j["mac"], "02:44:44:44:44:44");
    assert_eq!(j["mtu"], link["mtu"]);
    assert_eq!(j["mtu"], 1400);
    assert_eq!(j["txqueuelen"], link["txqlen"]);
    assert_eq!(j["txqueuelen"], 42);
    assert_eq!(j["up"], json!(is_up(&link)));
    assert_eq!(j["up"], false);
    // carrier is not compared: a concurrent /proc scan by another tuntapctl
    // can hold a duplicate of the creating fd for an instant, which keeps a
    // queue attached (and the carrier on) just after add closed it.
    assert!(j["carrier"].is_boolean(), "{j:#}");
    assert_eq!(
        j["operstate"].as_str().unwrap(),
        link["operstate"].as_str().unwrap().to_ascii_lowercase()
    );
    assert_eq!(j["queues"], json!({"attached": 0, "disabled": 0}));
    assert_eq!(j["processes"], json!([]));

    // Addresses: the same set as ip reports, in the §4 shape.
    let from_ip: BTreeSet<(String, String, u64)> = addr_info(&ns, "tapj")
        .iter()
        .map(|a| {
            (
                a["family"].as_str().unwrap().to_string(),
                a["local"].as_str().unwrap().to_string(),
                a["prefixlen"].as_u64().unwrap(),
            )
        })
        .collect();
    let from_json: BTreeSet<(String, String, u64)> = j["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            assert_eq!(a["peer"], Value::Null, "{a}");
            assert_eq!(a["scope"], "global", "{a}");
            (
                a["family"].as_str().unwrap().to_string(),
                a["address"].as_str().unwrap().to_string(),
                a["prefix_len"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(from_json, from_ip);
    assert!(from_json.contains(&("inet".into(), "10.0.0.1".into(), 24)));
    assert!(from_json.contains(&("inet6".into(), "fd00::1".into(), 64)));
}

#[test]
fn add_json_tun_with_peer_and_up() {
    let ns = netns_or_skip!();
    let out = ns.tt(&[
        "add", "tunj", "--json", "-a", "10.9.0.1", "--peer", "10.9.0.2", "--up", "-u", "4242",
    ]);
    assert_code(&out, 0);
    let j = json(&out);
    let link = link_or_panic(&ns, "tunj");
    assert_eq!(j["name"], "tunj");
    assert_eq!(j["ifindex"], link["ifindex"]);
    assert_eq!(j["mode"], "tun");
    assert_eq!(j["mac"], Value::Null, "a tun has no MAC");
    assert_eq!(j["owner"], json!({"uid": 4242, "name": null}));
    assert_eq!(j["group"], Value::Null);
    assert_eq!(j["up"], true);
    assert!(is_up(&link));
    assert!(j["carrier"].is_boolean(), "{j:#}");
    assert_eq!(j["txqueuelen"], 500);
    assert_eq!(j["changed"], true);
    let addrs = j["addresses"].as_array().unwrap();
    let p2p = addrs
        .iter()
        .find(|a| a["address"] == "10.9.0.1")
        .expect("10.9.0.1 in JSON");
    assert_eq!(p2p["peer"], "10.9.0.2");
    assert_eq!(p2p["prefix_len"], 32);
    assert_eq!(p2p["family"], "inet");
    let ip_p2p = addr_info(&ns, "tunj")
        .into_iter()
        .find(|a| a["local"] == "10.9.0.1")
        .expect("10.9.0.1 in ip");
    assert_eq!(ip_p2p["address"], "10.9.0.2");
}

// ------------------------------------------------------------ --exist-ok

#[test]
fn add_existing_without_exist_ok_is_a_conflict() {
    let ns = netns_or_skip!();
    add_ok(&ns, &["tap44", "--user", "nobody"]);
    let before = link_or_panic(&ns, "tap44");
    let out = ns.tt(&[
        "add",
        "tap44",
        "--user",
        "4242",
        "--mtu",
        "1400",
        "--up",
        "-a",
        "10.0.0.1/24",
    ]);
    assert_code(&out, 4);
    assert_eq!(
        stderr(&out),
        "tuntapctl: tap44 already exists (tap, owner nobody); use --exist-ok to update it\n"
    );
    assert_eq!(stdout(&out), "");
    let after = link_or_panic(&ns, "tap44");
    assert_eq!(after, before, "nothing changed");
    assert!(ns.addresses("tap44").is_empty());

    // Same for the other mode and for a template-free tun.
    add_ok(&ns, &["tun44", "--user", "4242", "--group", "4343"]);
    let out = ns.tt(&["add", "tun44", "--tap"]);
    assert_fails(
        &out,
        4,
        &["tun44 already exists (tun, owner 4242, group 4343); use --exist-ok to update it"],
    );
}

#[test]
fn exist_ok_unchanged() {
    let ns = netns_or_skip!();
    add_ok(
        &ns,
        &[
            "tap44",
            "--user",
            "nobody",
            "--mtu",
            "1400",
            "-a",
            "10.0.0.1/24",
            "--up",
        ],
    );
    let before = link_or_panic(&ns, "tap44");
    let args = [
        "add",
        "tap44",
        "--user",
        "nobody",
        "--mtu",
        "1400",
        "-a",
        "10.0.0.1/24",
        "--up",
        "--exist-ok",
    ];
    let out = ns.tt(&args);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "unchanged tap44 (tap, owner nobody)\n");
    let mut jargs = vec!["-j"];
    jargs.extend_from_slice(&args);
    let out = ns.tt(&jargs);
    assert_code(&out, 0);
    let j = json(&out);
    assert_eq!(j["changed"], false);
    assert_eq!(j["name"], "tap44");
    assert_eq!(j["ifindex"], before["ifindex"]);
    // A bare --exist-ok on the existing device is unchanged too.
    let out = ns.tt(&["add", "tap44", "--exist-ok", "-q"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "");
    let after = link_or_panic(&ns, "tap44");
    assert_eq!(after["ifindex"], before["ifindex"], "not re-created");
    assert_eq!(info(&after), info(&before));
    assert_eq!(after["mtu"], 1400);
    assert_eq!(
        ns.addresses("tap44")
            .iter()
            .filter(|a| *a == "10.0.0.1/24")
            .count(),
        1
    );
}

#[test]
fn exist_ok_updates_owner_group_mtu_addresses_up() {
    let ns = netns_or_skip!();
    add_ok(&ns, &["tap44", "--user", "nobody", "--vnet-hdr", "--pi"]);
    let before = link_or_panic(&ns, "tap44");
    let out = ns.tt(&[
        "add",
        "tap44",
        "--exist-ok",
        "--user",
        "4242",
        "--group",
        "4343",
        "--mtu",
        "1400",
        "--txqueuelen",
        "99",
        "--mac",
        "02:00:00:00:00:44",
        "-a",
        "10.0.0.1/24",
        "-a",
        "fd00::44/64",
        "--up",
    ]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.starts_with("updated tap44: "), "{text}");
    for word in [
        "owner 4242",
        "group 4343",
        "mtu 1400",
        "txqueuelen 99",
        "mac 02:00:00:00:00:44",
        "address 10.0.0.1/24",
        "up",
    ] {
        assert!(text.contains(word), "{word} in {text}");
    }
    let after = link_or_panic(&ns, "tap44");
    assert_eq!(after["ifindex"], before["ifindex"], "updated in place");
    let i = info(&after);
    assert_eq!(i["user"], 4242);
    assert_eq!(i["group"], 4343);
    assert_eq!(i["persist"], true);
    assert_eq!(
        (&i["pi"], &i["vnet_hdr"]),
        (&json!(true), &json!(true)),
        "pi/vnet_hdr kept"
    );
    assert_eq!(after["mtu"], 1400);
    assert_eq!(after["txqlen"], 99);
    assert_eq!(after["address"], "02:00:00:00:00:44");
    assert!(is_up(&after));
    let addrs = ns.addresses("tap44");
    assert!(
        addrs.contains(&"10.0.0.1/24".into()) && addrs.contains(&"fd00::44/64".into()),
        "{addrs:?}"
    );
    // The new owner can attach, the old one no longer.
    assert_eq!(ns.attach_as(4242, 4343, "tap44", "tap"), "attached tap44");
    assert_eq!(ns.attach_as(65534, 65534, "tap44", "tap"), "error EPERM");

    // One more change, reported as changed in JSON; then it converges.
    let out = ns.tt(&[
        "-j",
        "add",
        "tap44",
        "--exist-ok",
        "--mtu",
        "1300",
        "-a",
        "10.0.1.1/24",
    ]);
    assert_code(&out, 0);
    let j = json(&out);
    assert_eq!(j["changed"], true);
    assert_eq!(j["mtu"], 1300);
    assert_eq!(link_or_panic(&ns, "tap44")["mtu"], 1300);
    let out = ns.tt(&[
        "-j",
        "add",
        "tap44",
        "--exist-ok",
        "--mtu",
        "1300",
        "-a",
        "10.0.1.1/24",
    ]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["changed"], false);
    let addrs = ns.addresses("tap44");
    assert!(
        addrs.contains(&"10.0.0.1/24".into()) && addrs.contains(&"10.0.1.1/24".into()),
        "addresses are added, not replaced: {addrs:?}"
    );
}

#[test]
fn exist_ok_owner_change_on_a_held_device_is_busy() {
    let ns = netns_or_skip!();
    add_ok(&ns, &["tap44", "--user", "nobody"]);
    let holder = ns.hold("tap44", "tap", &[]);
    let out = ns.tt(&["add", "tap44", "--exist-ok", "--user", "4242"]);
    assert_fails(
        &out,
        6,
        &["tap44", &format!("tun_attach (pid {})", holder.pid())],
    );
    assert_eq!(info(&link_or_panic(&ns, "tap44"))["user"], "nobody");
    // Link settings need no attach: they work while held.
    let out = ns.tt(&["add", "tap44", "--exist-ok", "--mtu", "1400"]);
    assert_code(&out, 0);
    assert_eq!(link_or_panic(&ns, "tap44")["mtu"], 1400);
}

#[test]
fn exist_ok_other_mode_is_refused() {
    let ns = netns_or_skip!();
    add_ok(&ns, &["tap44", "--user", "nobody"]);
    add_ok(&ns, &["tun44", "--user", "nobody"]);
    let before = (link_or_panic(&ns, "tap44"), link_or_panic(&ns, "tun44"));
    let out = ns.tt(&["add", "tap44", "--tun", "--exist-ok", "--mtu", "1400"]);
    assert_fails(
        &out,
        4,
        &[
            "tap44 exists but differs: it is a tap and a tun was asked for",
            "tuntapctl del tap44",
        ],
    );
    let out = ns.tt(&[
        "add",
        "tun44",
        "--mode",
        "tap",
        "--exist-ok",
        "--user",
        "4242",
    ]);
    assert_fails(
        &out,
        4,
        &["tun44 exists but differs: it is a tun and a tap was asked for"],
    );
    assert_eq!(
        (link_or_panic(&ns, "tap44"), link_or_panic(&ns, "tun44")),
        before,
        "untouched"
    );
}

#[test]
fn exist_ok_multi_queue_mismatch_is_refused() {
    let ns = netns_or_skip!();
    add_ok(&ns, &["tapsq", "--user", "nobody"]);
    add_ok(&ns, &["tapmq", "--multi-queue", "--user", "nobody"]);
    let out = ns.tt(&["add", "tapsq", "--multi-queue", "--exist-ok"]);
    assert_fails(
        &out,
        4,
        &["tapsq exists but differs: it is single-queue and --multi-queue was given"],
    );
    let out = ns.tt(&["add", "tapmq", "--exist-ok", "--mtu", "1400"]);
    assert_fails(
        &out,
        4,
        &["tapmq exists but differs: it is multi-queue and --multi-queue was not given"],
    );
    assert_eq!(info(&link_or_panic(&ns, "tapsq"))["multi_queue"], false);
    assert_eq!(info(&link_or_panic(&ns, "tapmq"))["multi_queue"], true);
    assert_eq!(link_or_panic(&ns, "tapmq")["mtu"], 1500);
    // Both differences at once are both named.
    let out = ns.tt(&["add", "tapmq", "--tun", "--exist-ok"]);
    assert_fails(
        &out,
        4,
        &["it is a tap and a tun was asked for", "it is multi-queue"],
    );
    // With the right flag it converges.
    let out = ns.tt(&[
        "add",
        "tapmq",
        "--multi-queue",
        "--exist-ok",
        "--mtu",
        "1400",
    ]);
    assert_code(&out, 0);
    assert_eq!(link_or_panic(&ns, "tapmq")["mtu"], 1400);
}

#[test]
fn add_over_a_non_tun_is_refused() {
    let ns = netns_or_skip!();
    let kind = add_non_tun(&ns, "d0");
    let lo_before = link_or_panic(&ns, "lo");
    let d0_before = link_or_panic(&ns, "d0");
    for exist_ok in [false, true] {
        for (name, what) in [
            (
                "lo",
                "lo: is the loopback device, not a tun/tap interface".to_string(),
            ),
            (
                "d0",
                format!("d0: is a {kind} device, not a tun/tap interface"),
            ),
        ] {
            let mut args = vec!["add", name, "--user", "nobody", "--mtu", "1400", "--up"];
            if exist_ok {
                args.push("--exist-ok");
            }
            let out = ns.tt(&args);
            assert_fails(&out, 4, &[&what]);
        }
    }
    assert_eq!(link_or_panic(&ns, "lo"), lo_before, "lo untouched");
    let d0 = link_or_panic(&ns, "d0");
    assert_eq!(d0, d0_before, "d0 untouched");
    assert_eq!(d0["linkinfo"]["info_kind"], kind);
    let mut names = ns.link_names();
    names.sort();
    assert_eq!(names, vec!["d0".to_string(), "lo".to_string()]);
}

// ---------------------------------------------------- add: invalid input

#[test]
fn add_bad_names_create_nothing() {
    let ns = netns_or_skip!();
    let cases: &[(&str, &str)] = &[
        ("", "is empty"),
        (".", "reserved"),
        ("..", "reserved"),
        ("all", "reserved by the kernel"),
        ("default", "reserved by the kernel"),
        ("a/b", "'/'"),
        ("a:b", "':'"),
        ("a b", "' '"),
        ("a\tb", "'\\t'"),
        ("abcdefghijklmnop", "16 bytes"),
        ("tap%d%d", "more than one %d"),
        ("t%dx%d", "more than one %d"),
        ("tap%s", "'%' may appear only as the %d template"),
    ];
    for (name, why) in cases {
        let out = ns.tt(&["add", name, "--user", "nobody"]);
        assert_fails(
            &out,
            2,
            &[&format!("interface name {name:?} is not valid"), why],
        );
        let out = ns.tt(&["add", name, "--user", "nobody", "--exist-ok"]);
        assert_code(&out, 2);
    }
    // Never truncated: the 15-byte prefix does not appear.
    assert!(ns.link("abcdefghijklmno").is_none());
    assert_only_lo(&ns);
    // 15 bytes is fine, and is kept whole.
    add_ok(&ns, &["abcdefghijklmno", "--user", "nobody"]);
    assert!(ns.link("abcdefghijklmno").is_some());
}

#[test]
fn add_bad_macs() {
    let ns = netns_or_skip!();
    let cases: &[(&str, &str)] = &[
        ("01:00:5e:00:00:01", "multicast"),
        ("03:11:22:33:44:55", "multicast"),
        ("ff:ff:ff:ff:ff:ff", "multicast"),
        ("00:00:00:00:00:00", "all-zero"),
        ("02:11:22:33:44", "six hex bytes"),
        ("02:11:22:33:44:55:66", "six hex bytes"),
        ("zz:11:22:33:44:55", "\"zz\" is not a hex byte"),
        ("002:11:22:33:44:55", "not a hex byte"),
        ("02:11:22-33:44:55", "six hex bytes"),
        ("", "six hex bytes"),
        ("randomly", "six hex bytes"),
    ];
    for (mac, why) in cases {
        let out = ns.tt(&["add", "tapx", "--mac", mac, "--user", "nobody"]);
        assert_fails(
            &out,
            2,
            &[&format!("MAC address {mac:?} is not valid"), why],
        );
    }
    // A tun has no MAC: refused before anything is created.
    for args in [
        &[
            "add",
            "tunx",
            "--mac",
            "02:11:22:33:44:55",
            "--user",
            "nobody",
        ][..],
        &[
            "add", "vpnx", "--tun", "--mac", "random", "--user", "nobody",
        ][..],
        &["add", "--mode", "tun", "--mac", "02:11:22:33:44:55"][..],
    ] {
        let out = ns.tt(args);
        let mac = args[args.iter().position(|a| *a == "--mac").unwrap() + 1];
        assert_fails(&out, 2, &[&format!("--mac {mac} applies only to a tap")]);
    }
    assert_only_lo(&ns);
}

#[test]
fn add_bad_addresses() {
    let ns = netns_or_skip!();
    let cases: &[(&str, &str)] = &[
        ("10.0.0.1/33", "prefix /33 is too long"),
        ("fd00::1/129", "prefix /129 is too long"),
        ("10.0.0.1/", "prefix \"\" is not a number"),
        ("10.0.0.1/x", "prefix \"x\" is not a number"),
        ("10.0.0.1/-1", "is not a number"),
        ("10.0.0/24", "neither an IPv4 nor an IPv6 address"),
        ("300.0.0.1/24", "neither an IPv4 nor an IPv6 address"),
        ("nonsense", "neither an IPv4 nor an IPv6 address"),
        ("224.0.0.1/4", "multicast"),
        ("ff02::1/64", "multicast"),
        ("0.0.0.0/0", "unspecified"),
        ("::/0", "unspecified"),
    ];
    for (addr, why) in cases {
        let out = ns.tt(&[
            "add",
            "tapx",
            "-a",
            "10.9.9.9/24",
            "-a",
            addr,
            "--user",
            "nobody",
        ]);
        assert_fails(&out, 2, &[&format!("address {addr:?} is not valid"), why]);
    }
    // --peer: needs -a, a valid address, and the same family.
    let out = ns.tt(&["add", "tunx", "--peer", "10.0.0.2", "--user", "nobody"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("--address"), "{}", stderr(&out));
    let out = ns.tt(&["add", "tunx", "-a", "10.0.0.1", "--peer", "fd00::2"]);
    assert_fails(&out, 2, &["peer fd00::2", "10.0.0.1", "different families"]);
    let out = ns.tt(&["add", "tunx", "-a", "10.0.0.1", "--peer", "10.0.0"]);
    assert_fails(&out, 2, &["peer address \"10.0.0\" is not valid"]);
    assert_only_lo(&ns);
}

#[test]
fn add_unknown_user_or_group_creates_nothing() {
    let ns = netns_or_skip!();
    let out = ns.tt(&[
        "add",
        "tapx",
        "--user",
        "no-such-user-xyz",
        "-a",
        "10.0.0.1/24",
        "--up",
    ]);
    assert_fails(&out, 2, &["tapx: user \"no-such-user-xyz\" does not exist"]);
    let out = ns.tt(&[
        "add",
        "tapx",
        "--user",
        "nobody",
        "--group",
        "no-such-group-xyz",
    ]);
    assert_fails(
        &out,
        2,
        &["tapx: group \"no-such-group-xyz\" does not exist"],
    );
    // Ids that cannot be set.
    let out = ns.tt(&["add", "tapx", "--user=-1"]);
    assert_fails(&out, 2, &["\"-1\"", "cannot clear"]);
    let out = ns.tt(&["add", "tapx", "--group", "4294967295"]);
    assert_fails(&out, 2, &["4294967295", "out of range"]);
    let out = ns.tt(&["add", "tapx", "--user", ""]);
    assert_fails(&out, 2, &["user is empty"]);
    // A template: nothing made under any number either.
    let out = ns.tt(&["add", "tap%d", "--group", "no-such-group-xyz"]);
    assert_code(&out, 2);
    assert_only_lo(&ns);
}

#[test]
fn add_bad_mtu_and_txqueuelen() {
    let ns = netns_or_skip!();
    let cases: &[(&[&str], &[&str])] = &[
        (&["tapx", "--mtu", "67"], &["67", "out of range"]),
        (&["tapx", "--mtu", "0"], &["MTU 0", "out of range"]),
        (
            &["tapx", "--mtu", "65522"],
            &["tapx", "MTU 65522", "out of range for a tap"],
        ),
        (
            &["tapx", "--mtu", "65535"],
            &["tapx", "MTU 65535", "out of range for a tap"],
        ),
        (&["tunx", "--mtu", "65536"], &["MTU 65536", "out of range"]),
        (&["tapx", "--mtu", "abc"], &["MTU \"abc\" is not a number"]),
        (
            &["tapx", "--mtu", "1500.5"],
            &["MTU \"1500.5\" is not a number"],
        ),
        (&["tapx", "--mtu=-1"], &["MTU \"-1\" is not a number"]),
        (&["tapx", "--mtu", "99999999999"], &["\"99999999999\""]),
        (
            &["tapx", "--txqueuelen", "lots"],
            &["txqueuelen \"lots\" is not valid"],
        ),
        (
            &["tapx", "--txqueuelen=-1"],
            &["txqueuelen \"-1\" is not valid"],
        ),
    ];
    for (args, needles) in cases {
        let mut all = vec!["add"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--user", "nobody"]);
        assert_fails(&ns.tt(&all), 2, needles);
    }
    assert_only_lo(&ns);
}

// ----------------------------------------------------------- add: rollback

#[test]
fn duplicate_address_is_refused_before_anything_is_made() {
    let ns = netns_or_skip!();
    // Given twice, the second address would fail with EEXIST after the
    // device was made; it is refused while validating instead.
    let out = ns.tt(&[
        "add",
        "tapX",
        "--user",
        "nobody",
        "--mtu",
        "1400",
        "-a",
        "10.0.0.1/24",
        "-a",
        "10.0.0.1/24",
        "--up",
    ]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("tapX: address 10.0.0.1 is given twice"),
        "names device and value: {err}"
    );
    assert_eq!(stdout(&out), "");
    assert_gone(&ns, "tapX");
    assert_only_lo(&ns);
}

#[test]
fn failing_ipv6_address_leaves_no_device() {
    let ns = netns_or_skip!();
    // New devices in this namespace get IPv6 disabled: adding an IPv6 address
    // is refused by the kernel after the device exists.
    let out = ns.run(
        "sh",
        &[
            "-c",
            "echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6",
        ],
    );
    if !out.status.success() {
        eprintln!(
            "SKIPPED failing_ipv6_address_leaves_no_device: cannot set disable_ipv6: {}",
            stderr(&out)
        );
        return;
    }
    let out = ns.tt(&[
        "add",
        "tap6",
        "--user",
        "nobody",
        "-a",
        "10.0.0.1/24",
        "-a",
        "fd00::1/64",
    ]);
    assert_ne!(code(&out), 0);
    let err = stderr(&out);
    assert!(err.contains("tap6") && err.contains("fd00::1/64"), "{err}");
    assert!(err.contains("nothing was created"), "{err}");
    assert_gone(&ns, "tap6");
    assert_only_lo(&ns);
}

#[test]
fn crash_at_any_step_before_persist_leaves_no_device() {
    if !cfg!(debug_assertions) {
        eprintln!(
            "SKIPPED crash_at_any_step_before_persist_leaves_no_device: TUNTAPCTL_TEST_ABORT_AFTER works only in debug builds"
        );
        return;
    }
    let ns = netns_or_skip!();
    let args = [
        "add",
        "tapk",
        "--user",
        "nobody",
        "--group",
        "4343",
        "--mtu",
        "1400",
        "-a",
        "10.0.0.1/24",
        "--up",
    ];
    for step in ["create", "owner", "configure"] {
        let out = ns.run_env(BIN, &args, &[("TUNTAPCTL_TEST_ABORT_AFTER", step)]);
        assert_eq!(
            out.status.signal(),
            Some(libc::SIGABRT),
            "aborted after {step}: {:?} {}",
            out.status,
            stderr(&out)
        );
        assert_eq!(stdout(&out), "", "{step}");
        // A crash after this step leaves no device.
        assert_gone(&ns, "tapk");
        assert_only_lo(&ns);
    }
    // Control: with any other value the same command completes.
    let out = ns.run_env(BIN, &args, &[("TUNTAPCTL_TEST_ABORT_AFTER", "persist")]);
    assert_code(&out, 0);
    let link = link_or_panic(&ns, "tapk");
    assert_eq!(info(&link)["persist"], true);
    assert_eq!(link["mtu"], 1400);
}

// --------------------------------------------------- attach as non-root

#[test]
fn owner_may_attach_others_may_not() {
    let ns = netns_or_skip!();
    add_ok(&ns, &["tapN", "--user", "nobody"]);
    assert_eq!(ns.attach_as(65534, 65534, "tapN", "tap"), "attached tapN");
    assert_eq!(ns.attach_as(1, 1, "tapN", "tap"), "error EPERM");
    assert_eq!(
        ns.attach_as(4242, 65534, "tapN", "tap"),
        "error EPERM",
        "the group does not matter"
    );
    // The device survives its users.
    assert_eq!(info(&link_or_panic(&ns, "tapN"))["persist"], true);

    add_ok(&ns, &["tunN", "--user", "4242"]);
    assert_eq!(ns.attach_as(4242, 1, "tunN", "tun"), "attached tunN");
    assert_eq!(ns.attach_as(65534, 65534, "tunN", "tun"), "error EPERM");
}

#[test]
fn group_members_may_attach_others_may_not() {
    let ns = netns_or_skip!();
    add_ok(&ns, &["tapG", "--group", "4343"]);
    assert_eq!(ns.attach_as(1, 4343, "tapG", "tap"), "attached tapG");
    assert_eq!(ns.attach_as(4242, 4343, "tapG", "tap"), "attached tapG");
    assert_eq!(ns.attach_as(1, 1, "tapG", "tap"), "error EPERM");
    add_ok(&ns, &["tapH", "--group", "nogroup"]);
    assert_eq!(ns.attach_as(1, 65534, "tapH", "tap"), "attached tapH");
    assert_eq!(ns.attach_as(65534, 1, "tapH", "tap"), "error EPERM");
}

#[test]
fn owner_and_group_must_both_match() {
    let ns = netns_or_skip!();
    add_ok(&ns, &["tapB", "--user", "4242", "--group", "4343"]);
    assert_eq!(ns.attach_as(4242, 4343, "tapB", "tap"), "attached tapB");
    assert_eq!(ns.attach_as(4242, 1, "tapB", "tap"), "error EPERM");
    assert_eq!(ns.attach_as(1, 4343, "tapB", "tap"), "error EPERM");
    assert_eq!(ns.attach_as(1, 1, "tapB", "tap"), "error EPERM");
}

#[test]
fn no_owner_means_anyone_may_attach() {
    let ns = netns_or_skip!();
    let out = ns.tt(&["add", "tapO"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("warning"), "{}", stderr(&out));
    assert_eq!(ns.attach_as(1, 1, "tapO", "tap"), "attached tapO");
    assert_eq!(ns.attach_as(4242, 4343, "tapO", "tap"), "attached tapO");
}

// -------------------------------------------------- unprivileged caller

#[test]
fn unprivileged_add_is_refused_and_creates_nothing() {
    let ns = netns_or_skip!();
    // With the host's /dev/net/tun, whatever its mode.
    let out = ns.run(
        "setpriv",
        &[
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            BIN,
            "add",
            "tapz",
        ],
    );
    assert_fails(&out, 5, &["tapz", "CAP_NET_ADMIN"]);
    assert_only_lo(&ns);
    // With a world-writable node, the kernel's capability check refuses it.
    let out = tt_as_with_open_tun(&ns, 65534, 65534, &["add", "tapz", "--user", "nobody"]);
    assert_fails(&out, 5, &["tapz", "permission denied", "CAP_NET_ADMIN"]);
    let out = tt_as_with_open_tun(&ns, 65534, 65534, &["add", "tap%d"]);
    assert_fails(&out, 5, &["CAP_NET_ADMIN"]);
    assert_only_lo(&ns);
}

#[test]
fn unprivileged_del_is_refused() {
    let ns = netns_or_skip!();
    add_ok(&ns, &["tapz", "--user", "nobody"]);
    let out = ns.run(
        "setpriv",
        &[
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            BIN,
            "-q",
            "del",
            "tapz",
        ],
    );
    assert_code(&out, 5);
    let err = stderr(&out);
    assert!(
        err.contains("tapz") && err.contains("CAP_NET_ADMIN"),
        "{err}"
    );
    assert!(ns.link("tapz").is_some(), "still there");
}

// ------------------------------------------------------------ concurrency

#[test]
fn concurrent_adds_of_one_name_one_wins() {
    let ns = netns_or_skip!();
    let children: Vec<Child> = (0..8)
        .map(|_| spawn_gated(&ns, &["add", "tapc", "--user", "nobody"]))
        .collect();
    let outs = release_and_wait(children);
    let codes: Vec<i32> = outs.iter().map(code).collect();
    assert_eq!(codes.iter().filter(|c| **c == 0).count(), 1, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == 4).count(), 7, "{codes:?}");
    for out in outs.iter().filter(|o| code(o) == 4) {
        assert!(
            stderr(out).contains("tapc") && stderr(out).contains("already exists"),
            "{}",
            stderr(out)
        );
    }
    let winner = outs.iter().find(|o| code(o) == 0).unwrap();
    assert_eq!(stdout(winner), "created tapc (tap, owner nobody)\n");
    let link = link_or_panic(&ns, "tapc");
    assert_eq!(info(&link)["persist"], true);
    assert_eq!(info(&link)["user"], "nobody");
    let mut names = ns.link_names();
    names.sort();
    assert_eq!(names, vec!["lo".to_string(), "tapc".to_string()]);
}

#[test]
fn concurrent_adds_of_different_names_all_succeed() {
    let ns = netns_or_skip!();
    let names: Vec<String> = (0..16).map(|i| format!("tapc{i}")).collect();
    let children: Vec<Child> = names
        .iter()
        .map(|n| {
            spawn_gated(
                &ns,
                &["add", n, "--user", "nobody", "--up", "--mtu", "1400"],
            )
        })
        .collect();
    let outs = release_and_wait(children);
    for (name, out) in names.iter().zip(&outs) {
        assert_code(out, 0);
        assert_eq!(stdout(out), format!("created {name} (tap, owner nobody)\n"));
        let link = link_or_panic(&ns, name);
        assert_eq!(info(&link)["persist"], true);
        assert_eq!(link["mtu"], 1400);
        assert!(is_up(&link));
    }
    // And templates: 16 at once get 16 distinct numbers.
    let children: Vec<Child> = (0..16)
        .map(|_| spawn_gated(&ns, &["add", "-b", "vm%d", "--user", "nobody"]))
        .collect();
    let outs = release_and_wait(children);
    let mut chosen = BTreeSet::new();
    for out in &outs {
        assert_code(out, 0);
        chosen.insert(stdout(out).trim().to_string());
    }
    let want: BTreeSet<String> = (0..16).map(|i| format!("vm{i}")).collect();
    assert_eq!(chosen, want);
    assert_eq!(ns.link_names().len(), 1 + 16 + 16);
}

// ------------------------------------------------------------------ --netns

#[test]
fn netns_option_acts_in_the_other_namespace() {
    let ns = netns_or_skip!();
    let ns2 = netns_or_skip!();
    let path = ns2.path_for_child();
    let path = path.to_str().unwrap();
    let out = ns.tt(&[
        "--netns",
        path,
        "add",
        "tapnn",
        "--user",
        "nobody",
        "-a",
        "10.0.0.1/24",
    ]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "created tapnn (tap, owner nobody)\n");
    assert_only_lo(&ns);
    let link = link_or_panic(&ns2, "tapnn");
    assert_eq!(info(&link)["persist"], true);
    assert_eq!(ns2.addresses("tapnn"), vec!["10.0.0.1/24".to_string()]);

    // The JSON comes from the other namespace too.
    let out = ns.tt(&["-N", path, "-j", "add", "tunnn", "--user", "nobody"]);
    assert_code(&out, 0);
    assert_eq!(
        json(&out)["ifindex"],
        link_or_panic(&ns2, "tunnn")["ifindex"]
    );
    assert_only_lo(&ns);

    // del there: a same-named device here is not touched.
    add_ok(&ns, &["tapnn", "--user", "4242"]);
    let out = ns.tt(&["del", "tapnn", "--netns", path]);
    assert_code(&out, 0);
    assert!(ns2.link("tapnn").is_none());
    assert_eq!(info(&link_or_panic(&ns, "tapnn"))["user"], 4242);
}

#[test]
fn bad_netns_is_a_clear_usage_error() {
    let ns = netns_or_skip!();
    let cases: &[(&str, &str)] = &[
        (
            "/nonexistent/netns",
            "--netns /nonexistent/netns: network namespace not found",
        ),
        (
            "no-such-netns-xyz",
            "--netns no-such-netns-xyz: network namespace not found (/run/netns/no-such-netns-xyz does not exist)",
        ),
        (
            "999999999",
            "--netns 999999999: network namespace not found (/proc/999999999/ns/net does not exist)",
        ),
        ("/etc/hostname", "/etc/hostname is not a network namespace"),
        ("", "--netns is empty"),
    ];
    for (value, why) in cases {
        let out = ns.tt(&["--netns", value, "add", "tapx", "--user", "nobody"]);
        assert_fails(&out, 2, &[why]);
        let out = ns.tt(&["--netns", value, "del", "lo"]);
        assert_code(&out, 2);
    }
    assert_only_lo(&ns);
}

// ------------------------------------------------------------------- bare

#[test]
fn bare_invocation_prints_help_and_creates_nothing() {
    let ns = netns_or_skip!();
    let out = ns.tt(&[]);
    assert_code(&out, 2);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(text.contains("Usage: tuntapctl"), "{text}");
    assert!(text.contains("add") && text.contains("del"), "{text}");
    assert_only_lo(&ns);
}

// --------------------------------------------------------------------- del

#[test]
fn del_missing_is_not_found_and_makes_no_ghost() {
    let ns = netns_or_skip!();
    let mark = |name: &str| {
        assert_code(&ns.run("ip", &["tuntap", "add", name, "mode", "tap"]), 0);
    };
    mark("markA");
    let monitor = Monitor::start(&ns);
    // Poke markA until the monitor is known to be subscribed.
    monitor.until("markA", |i| {
        let mtu = (1280 + i % 2).to_string();
        ns.run("ip", &["link", "set", "markA", "mtu", &mtu]);
    });

    let out = ns.tt(&["del", "ghost0"]);
    assert_fails(&out, 3, &["ghost0: no such interface", "--missing-ok"]);
    let out = ns.tt(&["del", "ghost1", "--missing-ok"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "ghost1: not present\n");
    let out = ns.tt(&["-j", "del", "ghost2", "--missing-ok"]);
    assert_code(&out, 0);
    assert_eq!(
        json(&out),
        json!([{"name": "ghost2", "action": "unchanged", "changed": false}])
    );
    mark("markB");
    let seen = monitor.until("markB", |_| {});
    assert!(
        !seen.iter().any(|l| l.contains("ghost")),
        "no ghost device: {seen:?}"
    );

    // Control: the monitor does catch a transient device, the kind a
    // ghost-making delete leaves in its wake (attach to a missing name
    // creates it; detaching removes it).
    drop(ns.hold("ghost3", "tap", &[]));
    assert_gone(&ns, "ghost3");
    mark("markC");
    let seen = monitor.until("markC", |_| {});
    assert!(
        seen.iter().any(|l| l.contains("ghost3")),
        "monitor sees ghosts: {seen:?}"
    );
    drop(monitor);
    let mut names = ns.link_names();
    names.sort();
    assert_eq!(names, vec!["lo", "markA", "markB", "markC"]);
}

#[test]
fn del_refuses_non_tun_devices() {
    let ns = netns_or_skip!();
    let kind = add_non_tun(&ns, "d0");
    let before = (link_or_panic(&ns, "lo"), link_or_panic(&ns, "d0"));
    let out = ns.tt(&["del", "lo"]);
    assert_fails(
        &out,
        4,
        &["lo: is the loopback device, not a tun/tap interface"],
    );
    let out = ns.tt(&["del", "d0", "--force", "--missing-ok"]);
    assert_fails(
        &out,
        4,
        &[&format!("d0: is a {kind} device, not a tun/tap interface")],
    );
    assert_eq!((link_or_panic(&ns, "lo"), link_or_panic(&ns, "d0")), before);
}

#[test]
fn del_held_device_is_busy_unless_forced() {
    let ns = netns_or_skip!();
    add_ok(&ns, &["tapH", "--user", "nobody"]);
    let holder = ns.hold("tapH", "tap", &[]);
    let out = ns.tt(&["del", "tapH"]);
    assert_fails(
        &out,
        6,
        &[
            "tapH: is in use by",
            &format!("tun_attach (pid {})", holder.pid()),
            "--force",
        ],
    );
    assert!(ns.link("tapH").is_some(), "not deleted");
    // --missing-ok does not override busy.
    assert_code(&ns.tt(&["del", "tapH", "--missing-ok"]), 6);
    assert!(ns.link("tapH").is_some());

    let out = ns.tt(&["del", "tapH", "--force"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "deleted tapH\n");
    assert!(ns.link("tapH").is_none(), "deleted while held");
    assert_only_lo(&ns);

    // A multi-queue device held on two queues names both holders.
    add_ok(&ns, &["tapM", "--multi-queue", "--user", "nobody"]);
    let a = ns.hold("tapM", "tap", &["multi_queue"]);
    let b = ns.hold("tapM", "tap", &["multi_queue"]);
    let out = ns.tt(&["del", "tapM"]);
    assert_fails(
        &out,
        6,
        &[&format!("pid {}", a.pid()), &format!("pid {}", b.pid())],
    );
    assert_code(&ns.tt(&["del", "tapM", "--force"]), 0);
    assert!(ns.link("tapM").is_none());
}

#[test]
fn del_checks_every_name_before_deleting_any() {
    let ns = netns_or_skip!();
    add_ok(&ns, &["tapA", "--user", "nobody"]);
    add_ok(&ns, &["tapB", "--user", "nobody"]);
    let both = |ns: &Netns| ns.link("tapA").is_some() && ns.link("tapB").is_some();

    let out = ns.tt(&["del", "tapA", "ghost", "tapB"]);
    assert_fails(
        &out,
        3,
        &["ghost: no such interface", "nothing was deleted"],
    );
    assert_eq!(
        stderr(&out).matches("nothing was deleted").count(),
        1,
        "{}",
        stderr(&out)
    );
    assert!(both(&ns), "nothing deleted when one is missing");

    let out = ns.tt(&["del", "tapA", "lo", "tapB"]);
    assert_fails(
        &out,
        4,
        &["lo: is the loopback device", "nothing was deleted"],
    );
    assert!(both(&ns), "nothing deleted when one is not a tun/tap");

    let out = ns.tt(&["del", "tapA", "ghost", "lo"]);
    assert_code(&out, 3);
    assert!(
        stderr(&out).contains("ghost") && stderr(&out).contains("lo:"),
        "all problems named: {}",
        stderr(&out)
    );
    assert!(both(&ns));

    let holder = ns.hold("tapB", "tap", &[]);
    let out = ns.tt(&["del", "tapA", "tapB"]);
    assert_fails(&out, 6, &["tapB: is in use", "nothing was deleted"]);
    assert!(both(&ns), "nothing deleted when one is held");
    drop(holder);

    // Bad names are refused before any lookup.
    let out = ns.tt(&["del", "tapA", "tap%d"]);
    assert_code(&out, 2);
    let out = ns.tt(&["del", "tapA", "abcdefghijklmnop"]);
    assert_fails(&out, 2, &["\"abcdefghijklmnop\"", "16 bytes"]);
    assert!(both(&ns));

    // With --missing-ok the missing one is skipped and the rest go.
    let out = ns.tt(&["del", "tapA", "ghost", "tapB", "tapA", "--missing-ok"]);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "deleted tapA\nghost: not present\ndeleted tapB\n"
    );
    assert_only_lo(&ns);
}

#[test]
fn del_tun_and_tap_without_mode() {
    let ns = netns_or_skip!();
    add_ok(&ns, &["tun1", "--user", "nobody"]);
    add_ok(&ns, &["tap1", "--user", "nobody"]);
    add_ok(
        &ns,
        &["vpn1", "--tun", "--pi", "--vnet-hdr", "--user", "nobody"],
    );
    add_ok(
        &ns,
        &[
            "tapmq",
            "--multi-queue",
            "--user",
            "nobody",
            "--up",
            "-a",
            "10.0.0.1/24",
        ],
    );
    // A device made by another tool.
    assert_code(&ns.run("ip", &["tuntap", "add", "iptun", "mode", "tun"]), 0);
    let out = ns.tt(&["del", "tun1", "tap1", "vpn1", "tapmq", "iptun"]);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "deleted tun1\ndeleted tap1\ndeleted vpn1\ndeleted tapmq\ndeleted iptun\n"
    );
    assert_only_lo(&ns);
    // The aliases and JSON.
    add_ok(&ns, &["tun2", "--user", "nobody"]);
    add_ok(&ns, &["tap2", "--user", "nobody"]);
    assert_code(&ns.tt(&["rm", "tun2"]), 0);
    let out = ns.tt(&["--json", "delete", "tap2"]);
    assert_code(&out, 0);
    assert_eq!(
        json(&out),
        json!([{"name": "tap2", "action": "deleted", "changed": true}])
    );
    assert_only_lo(&ns);
    // Deleting again: gone.
    assert_code(&ns.tt(&["del", "tap2"]), 3);
}

#[test]
fn del_quiet_prints_nothing() {
    let ns = netns_or_skip!();
    add_ok(&ns, &["tapq", "--user", "nobody"]);
    let out = ns.tt(&["-q", "del", "tapq", "ghost", "--missing-ok"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "");
    assert_eq!(stderr(&out), "");
    assert_only_lo(&ns);
}

#[test]
fn concurrent_exist_ok_adds_of_one_name_all_succeed() {
    let ns = netns_or_skip!();
    // Idempotent boot scripts may race: every one must succeed, the device
    // must end up as asked, and no loser may disturb the winner's build.
    let args = [
        "add",
        "tapc",
        "--exist-ok",
        "--user",
        "nobody",
        "--mtu",
        "1400",
        "-a",
        "10.0.0.1/24",
        "--up",
    ];
    let children: Vec<Child> = (0..8).map(|_| spawn_gated(&ns, &args)).collect();
    let outs = release_and_wait(children);
    for out in &outs {
        assert_code(out, 0);
    }
    let texts: Vec<String> = outs.iter().map(stdout).collect();
    assert_eq!(
        texts
            .iter()
            .filter(|t| *t == "created tapc (tap, owner nobody)\n")
            .count(),
        1,
        "{texts:?}"
    );
    assert_eq!(
        texts
            .iter()
            .filter(|t| *t == "unchanged tapc (tap, owner nobody)\n")
            .count(),
        7,
        "{texts:?}"
    );
    let link = link_or_panic(&ns, "tapc");
    assert_eq!(info(&link)["persist"], true);
    assert_eq!(info(&link)["user"], "nobody");
    assert_eq!(link["mtu"], 1400);
    assert!(is_up(&link));
    assert_eq!(
        ns.addresses("tapc")
            .iter()
            .filter(|a| *a == "10.0.0.1/24")
            .count(),
        1
    );
}

#[test]
fn exist_ok_does_not_adopt_a_transient_device() {
    let ns = netns_or_skip!();
    // Attaching to a missing name makes a device that lives only as long as
    // its holder (what a VPN daemon without persist does).
    let holder = ns.hold("tapT", "tap", &[]);
    let before = link_or_panic(&ns, "tapT");
    assert_eq!(info(&before)["persist"], false);
    let out = ns.tt(&[
        "add",
        "tapT",
        "--exist-ok",
        "--mtu",
        "1400",
        "--user",
        "nobody",
    ]);
    assert_fails(
        &out,
        4,
        &[
            "tapT exists but is not persistent",
            &format!("tun_attach (pid {})", holder.pid()),
        ],
    );
    let out = ns.tt(&["add", "tapT", "--user", "nobody"]);
    assert_fails(&out, 4, &["tapT already exists", "not persistent"]);
    assert_eq!(link_or_panic(&ns, "tapT"), before, "untouched");
    drop(holder);
    assert_gone(&ns, "tapT");
    let out = ns.tt(&["add", "tapT", "--exist-ok", "--user", "nobody"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "created tapT (tap, owner nobody)\n");
    assert_eq!(info(&link_or_panic(&ns, "tapT"))["persist"], true);
}

#[test]
fn exist_ok_does_not_trust_a_holder_named_tuntapctl() {
    let ns = netns_or_skip!();
    // A holder that only looks like another tuntapctl building the device
    // (its name, not its executable): a holder like any other, so add
    // --exist-ok refuses at once instead of waiting for it (SPEC §11: never
    // decide by a name). A real tuntapctl is waited for:
    // concurrent_exist_ok_adds_of_one_name_all_succeed.
    let dir = tempdir("fake-tuntapctl");
    let fake = dir.join("tuntapctl");
    // A symlink, not a copy: comm comes from the name exec'd, and a freshly
    // written file could be exec'd while a concurrent fork still holds its
    // write fd (ETXTBSY).
    std::os::unix::fs::symlink(attach_helper(), &fake).expect("link the attach helper");
    let mut child = ns.spawn(fake.to_str().unwrap(), &["tapW", "tap"]);
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "attached tapW");
    let out = ns.tt(&["add", "tapW", "--exist-ok", "--mtu", "1400"]);
    assert_fails(
        &out,
        4,
        &[
            "tapW exists but is not persistent",
            "does not take it over",
            &format!("tuntapctl (pid {})", child.id()),
        ],
    );
    let link = link_or_panic(&ns, "tapW");
    assert_eq!(link["mtu"], 1500, "untouched");
    assert_eq!(info(&link)["persist"], false);
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}

/// `carrier` is the kernel's carrier state (IFLA_CARRIER): on while a
/// process is attached, whether or not the link is up; while up it is ip's
/// LOWER_UP.
#[test]
fn exist_ok_json_carrier_follows_the_documented_meaning() {
    let ns = netns_or_skip!();
    add_ok(&ns, &["tapC", "--user", "nobody"]);
    let out = ns.tt(&["-j", "add", "tapC", "--exist-ok"]);
    assert_eq!(json(&out)["carrier"], false, "nothing attached");
    let _holder = ns.hold("tapC", "tap", &[]);
    let out = ns.tt(&["-j", "add", "tapC", "--exist-ok"]);
    assert_code(&out, 0);
    let j = json(&out);
    assert!(!is_up(&link_or_panic(&ns, "tapC")));
    assert_eq!(j["up"], false);
    assert_eq!(j["carrier"], true, "attached, though down: {j:#}");
    let out = ns.tt(&["-j", "add", "tapC", "--exist-ok", "--up"]);
    assert_code(&out, 0);
    let j = json(&out);
    let link = link_or_panic(&ns, "tapC");
    assert!(ip_flags(&link).contains(&"LOWER_UP".into()), "{link}");
    assert_eq!(j["carrier"], true);
}

/// add configures the device without ever turning its carrier on, so an up
/// link does not start IPv6 autoconfiguration (and tear it down again) and
/// listeners see no carrier flap; the first real attach turns it on.
#[test]
fn add_up_never_raises_the_carrier() {
    let ns = netns_or_skip!();
    let monitor = ns.spawn("ip", &["-o", "monitor", "link", "dev", "tapnc"]);
    std::thread::sleep(std::time::Duration::from_millis(200));
    add_ok(
        &ns,
        &["tapnc", "--user", "nobody", "-a", "10.9.9.1/24", "--up"],
    );
    let link = link_or_panic(&ns, "tapnc");
    assert!(is_up(&link));
    assert!(!ip_flags(&link).contains(&"LOWER_UP".into()), "{link}");
    assert!(
        !ns.addresses("tapnc").iter().any(|a| a.starts_with("fe80:")),
        "no autoconfiguration ran: {:?}",
        ns.addresses("tapnc")
    );
    let mut monitor = monitor;
    let _ = monitor.kill();
    let events = String::from_utf8_lossy(&monitor.wait_with_output().unwrap().stdout).to_string();
    assert!(!events.contains("LOWER_UP"), "carrier flapped: {events}");
    let _holder = ns.hold("tapnc", "tap", &[]);
    assert!(ip_flags(&link_or_panic(&ns, "tapnc")).contains(&"LOWER_UP".into()));
}
