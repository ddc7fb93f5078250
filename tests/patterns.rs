//! `list [PATTERN...]` and `show [PATTERN...]` (SPEC §6): names or shell
//! globs; `show` without one shows every tun/tap; a pattern that matches
//! nothing is exit 3 for `show`, an empty result for `list`. Names are
//! checked against `ip -j link`.

mod common;

use common::*;
use serde_json::Value;

#[track_caller]
fn ok(ns: &Netns, args: &[&str]) -> std::process::Output {
    let out = ns.tt(args);
    assert_code(&out, 0);
    out
}

#[track_caller]
fn names(ns: &Netns, args: &[&str]) -> Vec<String> {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    json(&ok(ns, &all))
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect()
}

fn setup() -> Option<Netns> {
    let ns = common::Netns::new()?;
    for name in ["tap-vm1", "tap-vm2", "tap-vm10", "tun0"] {
        ok(&ns, &["add", name]);
    }
    // A veth is not a tun/tap: never matched.
    let out = ns.run(
        "ip",
        &[
            "link",
            "add",
            "tap-vmveth",
            "type",
            "veth",
            "peer",
            "name",
            "vethpeer",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = ns.run("ip", &["-j", "link", "show"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 7, "lo, 4 tun/tap, 2 veth");
    Some(ns)
}

macro_rules! setup_or_skip {
    () => {
        match setup() {
            Some(ns) => ns,
            None => {
                eprintln!(
                    "SKIPPED {}: cannot create a network namespace",
                    module_path!()
                );
                return;
            }
        }
    };
}

#[test]
fn list_takes_names_and_globs() {
    let ns = setup_or_skip!();
    assert_eq!(
        names(&ns, &["list", "tap-vm*"]),
        ["tap-vm1", "tap-vm2", "tap-vm10"]
    );
    assert_eq!(names(&ns, &["list", "tap-vm?"]), ["tap-vm1", "tap-vm2"]);
    assert_eq!(
        names(&ns, &["list", "tap-vm[!2]*"]),
        ["tap-vm1", "tap-vm10"]
    );
    assert_eq!(
        names(&ns, &["list", "tun0", "tap-vm2"]),
        ["tap-vm2", "tun0"]
    );
    assert_eq!(names(&ns, &["list", "t*", "--mode", "tun"]), ["tun0"]);
    assert_eq!(names(&ns, &["list"]).len(), 4);
    // Nothing matches: an empty result, not an error.
    assert!(names(&ns, &["list", "nomatch*"]).is_empty());
    assert!(names(&ns, &["list", "tap9"]).is_empty());
    let out = ok(&ns, &["list", "nomatch*"]);
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("match"), "{}", stderr(&out));
    // A literal that cannot be a name is a usage error.
    assert_code(&ns.tt(&["list", "a/b"]), 2);
    // Plain table, one line per match.
    let out = ok(&ns, &["list", "tap-vm1*"]);
    assert_eq!(stdout(&out).lines().count(), 3, "{}", stdout(&out));
}

#[test]
fn show_takes_names_and_globs_and_defaults_to_all() {
    let ns = setup_or_skip!();
    assert_eq!(
        names(&ns, &["show"]),
        ["tap-vm1", "tap-vm2", "tap-vm10", "tun0"]
    );
    // In the order asked, each once.
    assert_eq!(
        names(&ns, &["show", "tun0", "tap-vm*", "tap-vm2"]),
        ["tun0", "tap-vm1", "tap-vm2", "tap-vm10"]
    );
    let text = stdout(&ok(&ns, &["show"]));
    for n in ["tap-vm1", "tap-vm2", "tap-vm10", "tun0"] {
        assert!(text.contains(&format!("{n}: index")), "{text}");
    }
    let out = ns.tt(&["show", "tap-vm1", "zz*"]);
    assert_code(&out, 3);
    assert!(stderr(&out).contains("zz*"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    // A glob that matches only a veth matches no tun/tap.
    assert_code(&ns.tt(&["show", "tap-vmv*"]), 3);
    assert_code(&ns.tt(&["show", "nosuch0"]), 3);
    assert_code(&ns.tt(&["show", "vethpeer"]), 4);
}

#[test]
fn a_name_holding_glob_characters_is_found_by_itself() {
    let ns = netns_or_skip!();
    ok(&ns, &["add", "vm[1]"]);
    ok(&ns, &["add", "vm1"]);
    assert_eq!(names(&ns, &["show", "vm[1]"]), ["vm[1]", "vm1"]);
    assert_eq!(names(&ns, &["list", "vm\\[1]"]), ["vm[1]"]);
}

#[test]
fn no_interfaces_says_so_without_match() {
    let ns = netns_or_skip!();
    let out = ok(&ns, &["list"]);
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("no tun/tap interfaces") && !err.contains("match"),
        "{err}"
    );
    let out = ok(&ns, &["list", "--mode", "tun"]);
    assert!(stderr(&out).contains("match"), "{}", stderr(&out));
    assert_eq!(json(&ok(&ns, &["show", "--json"])), serde_json::json!([]));
    let out = ok(&ns, &["show"]);
    assert!(
        stderr(&out).contains("no tun/tap interfaces"),
        "{}",
        stderr(&out)
    );
    assert!(ok(&ns, &["-q", "list"]).stderr.is_empty());
}
