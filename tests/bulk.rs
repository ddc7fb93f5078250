//! Deleting many interfaces at once goes through a temporary interface
//! group; foreign interfaces must never be caught, and a failure restores
//! the targets' groups.

mod common;

use common::*;

fn make_taps(ns: &Netns, n: usize) -> Vec<String> {
    let names: Vec<String> = (0..n).map(|i| format!("bk{i}")).collect();
    let script: String = names
        .iter()
        .map(|n| format!("add {n} --user nobody\n"))
        .collect();
    let path = tempdir("bulk").join("make.batch");
    std::fs::write(&path, script).unwrap();
    assert_code(&ns.tt(&["-q", "batch", path.to_str().unwrap()]), 0);
    names
}

/// A foreign link (a bridge; this kernel may lack dummy) in a group of its own.
fn foreign(ns: &Netns, name: &str, group: &str) {
    let out = ns.run("ip", &["link", "add", name, "type", "bridge"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = ns.run("ip", &["link", "set", name, "group", group]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn deletes_many_and_spares_foreign_links() {
    let ns = netns_or_skip!();
    let names = make_taps(&ns, 40);
    foreign(&ns, "br-keep", "77");
    foreign(&ns, "br-zero", "0");
    let keep = make_taps_named(&ns, &["bkeep"]);
    let mut args = vec!["del"];
    args.extend(names.iter().map(String::as_str));
    let out = ns.tt(&args);
    assert_code(&out, 0);
    assert_eq!(stdout(&out).lines().count(), 40, "{}", stdout(&out));
    let left = ns.link_names();
    for n in &names {
        assert!(!left.contains(n), "{n} still there: {left:?}");
    }
    for n in ["lo", "br-keep", "br-zero", keep[0].as_str()] {
        assert!(left.iter().any(|l| l == n), "{n} was caught: {left:?}");
    }
    assert_eq!(ns.link("br-keep").unwrap()["group"], "77");
    assert_eq!(ns.link("bkeep").unwrap()["group"], "default");
}

fn make_taps_named(ns: &Netns, names: &[&str]) -> Vec<String> {
    for n in names {
        assert_code(&ns.tt(&["-q", "add", n, "--user", "nobody"]), 0);
    }
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn failed_group_delete_restores_groups_and_deletes_nothing() {
    let ns = netns_or_skip!();
    let names = make_taps(&ns, 5);
    // One target starts in a non-default group: it must get it back.
    assert!(
        ns.run("ip", &["link", "set", "bk2", "group", "9"])
            .status
            .success()
    );
    let mut args = vec!["del"];
    args.extend(names.iter().map(String::as_str));
    let out = ns.run_env(BIN, &args, &[("TUNTAPCTL_TEST_FAIL_GROUP_DELETE", "1")]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("restored"), "{}", stderr(&out));
    for n in &names {
        let link = ns.link(n).unwrap_or_else(|| panic!("{n} was deleted"));
        let want = if n == "bk2" { "9" } else { "default" };
        assert_eq!(link["group"], want, "{n}");
    }
}

#[test]
fn apply_prune_uses_the_same_path() {
    let ns = netns_or_skip!();
    make_taps(&ns, 12);
    foreign(&ns, "br-keep", "5");
    let file = tempdir("prune").join("one.json");
    std::fs::write(&file, r#"[{"name": "bk0"}]"#).unwrap();
    let out = ns.tt(&["apply", "--prune", file.to_str().unwrap()]);
    assert_code(&out, 0);
    let mut left = ns.link_names();
    left.sort();
    assert_eq!(left, ["bk0", "br-keep", "lo"]);
    assert_eq!(ns.link("br-keep").unwrap()["group"], "5");
}
