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

fn batch_file(tag: &str, lines: &[String]) -> String {
    let path = tempdir(tag).join("run.batch");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path.display().to_string()
}

/// Consecutive `del` lines in a batch are deleted together through the
/// group path: with the group delete made to fail, nothing of the run is
/// deleted and the groups are restored.
#[test]
fn consecutive_batch_dels_share_one_group_delete() {
    let ns = netns_or_skip!();
    let names = make_taps(&ns, 12);
    let lines: Vec<String> = names.iter().map(|n| format!("del {n}")).collect();
    let file = batch_file("batchdel", &lines);
    let out = ns.run_env(
        BIN,
        &["batch", &file],
        &[("TUNTAPCTL_TEST_FAIL_GROUP_DELETE", "1")],
    );
    assert_code(&out, 1);
    assert!(stderr(&out).contains("restored"), "{}", stderr(&out));
    for n in &names {
        assert_eq!(ns.link(n).expect("kept")["group"], "default", "{n}");
    }
    let out = ns.tt(&["batch", &file]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out).lines().count(), 12, "{}", stdout(&out));
    assert_eq!(ns.link_names(), ["lo"]);
}

/// Coalescing keeps line-by-line meaning: a name deleted by an earlier line
/// is gone for a later one, and a failing line stops the run with the lines
/// before it done and the lines after it not.
#[test]
fn batch_del_runs_keep_line_by_line_meaning() {
    let ns = netns_or_skip!();
    make_taps(&ns, 6);
    let lines: Vec<String> = [
        "del bk0 bk1",
        "del bk2",
        "del bk1",
        "del bk3",
        "add bk9 --user nobody",
        "del bk4",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let out = ns.tt(&["batch", &batch_file("batchdel2", &lines)]);
    assert_code(&out, 3);
    let err = stderr(&out);
    assert!(
        err.contains("line 3 (del bk1)") && err.contains("bk1: no such interface"),
        "{err}"
    );
    let mut left = ns.link_names();
    left.sort();
    assert_eq!(left, ["bk3", "bk4", "bk5", "lo"], "lines 1-2 done, 4-6 not");
    // --force goes on: the failing line is reported, the rest carried out.
    let out = ns.tt(&["batch", "--force", &batch_file("batchdel3", &lines)]);
    assert_code(&out, 3);
    let mut left = ns.link_names();
    left.sort();
    assert_eq!(left, ["bk5", "bk9", "lo"]);
}
