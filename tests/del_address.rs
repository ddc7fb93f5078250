//! `set --del-address` (SPEC §2, set): a bare ADDR removes that address
//! whatever its prefix; ADDR/PREFIX only that exact one; an address that is
//! not there is `unchanged`; never a success while the named address stays.
//! Checked with `ip -j addr`.

mod common;

use common::*;

#[track_caller]
fn ok(ns: &Netns, args: &[&str]) -> std::process::Output {
    let out = ns.tt(args);
    assert_code(&out, 0);
    out
}

#[track_caller]
fn ip(ns: &Netns, args: &[&str]) {
    let out = ns.run("ip", args);
    assert!(out.status.success(), "ip {args:?}: {}", stderr(&out));
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn bare_address_removes_it_whatever_its_prefix() {
    let ns = netns_or_skip!();
    ok(
        &ns,
        &[
            "add",
            "tap3",
            "-a",
            "10.0.0.1/24",
            "-a",
            "10.1.0.2/24",
            "-a",
            "fd00::1/64",
        ],
    );
    let out = ok(&ns, &["set", "tap3", "--del-address", "10.0.0.1"]);
    assert!(
        stdout(&out).contains("removed address 10.0.0.1/24"),
        "{}",
        stdout(&out)
    );
    assert_eq!(sorted(ns.addresses("tap3")), ["10.1.0.2/24", "fd00::1/64"]);
    ok(&ns, &["set", "tap3", "--del-address", "fd00::1"]);
    assert_eq!(ns.addresses("tap3"), ["10.1.0.2/24"]);
    // JSON says changed.
    let out = ok(&ns, &["--json", "set", "tap3", "--del-address", "10.1.0.2"]);
    assert_eq!(json(&out)["changed"], true);
    assert!(ns.addresses("tap3").is_empty());
}

#[test]
fn prefix_removes_only_that_exact_one() {
    let ns = netns_or_skip!();
    ok(&ns, &["add", "tap3"]);
    // IPv4 lets one address sit on a device with two prefix lengths.
    ip(&ns, &["addr", "add", "10.0.0.1/24", "dev", "tap3"]);
    ip(&ns, &["addr", "add", "10.0.0.1/16", "dev", "tap3"]);
    ok(&ns, &["set", "tap3", "--del-address", "10.0.0.1/16"]);
    assert_eq!(ns.addresses("tap3"), ["10.0.0.1/24"]);

    // The right address with the wrong prefix: an error, not a success
    // that leaves the address in place.
    let out = ns.tt(&["set", "tap3", "--del-address", "10.0.0.1/16"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("tap3") && err.contains("10.0.0.1/24") && err.contains("10.0.0.1/16"),
        "{err}"
    );
    assert_eq!(ns.addresses("tap3"), ["10.0.0.1/24"]);

    // Nothing else given in the same command is changed either.
    let out = ns.tt(&[
        "set",
        "tap3",
        "--mtu",
        "1400",
        "--del-address",
        "10.0.0.1/8",
    ]);
    assert_code(&out, 2);
    assert_eq!(ns.link("tap3").unwrap()["mtu"], 1500);

    // A bare address removes every prefix of it.
    ip(&ns, &["addr", "add", "10.0.0.1/16", "dev", "tap3"]);
    ok(&ns, &["set", "tap3", "--del-address", "10.0.0.1"]);
    assert!(
        ns.addresses("tap3").is_empty(),
        "{:?}",
        ns.addresses("tap3")
    );
}

#[test]
fn absent_address_is_unchanged_and_said() {
    let ns = netns_or_skip!();
    ok(&ns, &["add", "tap3", "-a", "10.0.0.1/24"]);
    for sel in ["10.9.9.9", "10.9.9.9/24"] {
        let out = ok(&ns, &["set", "tap3", "--del-address", sel]);
        assert!(
            stdout(&out).starts_with("unchanged tap3"),
            "{}",
            stdout(&out)
        );
        assert!(stderr(&out).contains(sel), "{}", stderr(&out));
        let out = ok(&ns, &["--json", "set", "tap3", "--del-address", sel]);
        assert_eq!(json(&out)["changed"], false);
    }
    assert_eq!(ns.addresses("tap3"), ["10.0.0.1/24"]);
}
