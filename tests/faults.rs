//! Faults and races against the real kernel: kill -9 in the middle of
//! `apply` and `batch`, then a rerun converges; concurrent add/del/apply/batch
//! of the same names end in a consistent state with documented exit codes.
//! Each test runs in its own network namespace and checks with iproute2.
//! No timing assertions: kill points are approximate (polled), every wait
//! is bounded and generous.

mod common;

use std::collections::BTreeMap;
use std::process::{Child, Output};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};

/// How many taps the kill tests declare.
const COUNT: usize = 300;
/// Bound for every poll; generous so a loaded machine does not fail a test.
const PATIENCE: Duration = Duration::from_secs(120);

/// What ip says about one tun/tap, reduced to what the tests declare.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    kind: String,
    mode: String,
    persist: bool,
    user: Value,
    mtu: u64,
    up: bool,
    addresses: Vec<String>,
}

/// Every link but lo, from one `ip -d -j link` dump and one address dump.
fn state(ns: &Netns) -> BTreeMap<String, Seen> {
    let out = ns.run("ip", &["-d", "-j", "link", "show"]);
    assert!(out.status.success(), "ip link: {}", stderr(&out));
    let links: Value = serde_json::from_slice(&out.stdout).expect("ip -j is JSON");
    let out = ns.run("ip", &["-j", "addr", "show"]);
    assert!(out.status.success(), "ip addr: {}", stderr(&out));
    let addrs: Value = serde_json::from_slice(&out.stdout).expect("ip -j is JSON");
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for l in addrs.as_array().unwrap() {
        let name = l["ifname"].as_str().unwrap().to_string();
        let mut v: Vec<String> = l["addr_info"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|i| format!("{}/{}", i["local"].as_str().unwrap(), i["prefixlen"]))
                    .filter(|a| !a.starts_with("fe80:"))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        by_name.insert(name, v);
    }
    let mut map = BTreeMap::new();
    for l in links.as_array().unwrap() {
        let name = l["ifname"].as_str().unwrap().to_string();
        if name == "lo" {
            continue;
        }
        let info = &l["linkinfo"]["info_data"];
        let seen = Seen {
            kind: l["linkinfo"]["info_kind"]
                .as_str()
                .unwrap_or("")
                .to_string(),
            mode: info["type"].as_str().unwrap_or("").to_string(),
            persist: info["persist"] == true,
            user: info["user"].clone(),
            mtu: l["mtu"].as_u64().unwrap(),
            up: l["flags"].as_array().unwrap().iter().any(|f| f == "UP"),
            addresses: by_name.remove(&name).unwrap_or_default(),
        };
        map.insert(name, seen);
    }
    map
}

fn tap_name(i: usize) -> String {
    format!("fk{i}")
}

fn tap_address(i: usize) -> String {
    format!("10.{}.{}.1/24", 20 + i / 200, i % 200)
}

/// The complete device every declaration asks for.
fn complete(i: usize) -> Seen {
    Seen {
        kind: "tun".into(),
        mode: "tap".into(),
        persist: true,
        user: json!("nobody"),
        mtu: 1400,
        up: true,
        addresses: vec![tap_address(i)],
    }
}

fn index_of(name: &str) -> usize {
    name.strip_prefix("fk")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected interface {name}"))
}

fn declared_json(range: std::ops::Range<usize>) -> String {
    let entries: Vec<Value> = range
        .map(|i| {
            json!({
                "name": tap_name(i),
                "mode": "tap",
                "owner": "nobody",
                "mtu": 1400,
                "addresses": [tap_address(i)],
                "up": true,
            })
        })
        .collect();
    serde_json::to_string_pretty(&entries).unwrap()
}

fn batch_text(range: std::ops::Range<usize>) -> String {
    range
        .map(|i| {
            format!(
                "add {} --exist-ok --tap --user nobody --mtu 1400 -a {} --up\n",
                tap_name(i),
                tap_address(i)
            )
        })
        .collect()
}

fn write_file(tag: &str, contents: &str) -> String {
    let dir = tempdir(tag);
    let path = dir.join("input");
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

/// Every tun/tap that exists is complete and persistent; returns how many.
#[track_caller]
fn assert_only_complete(ns: &Netns, context: &str) -> usize {
    let now = state(ns);
    for (name, seen) in &now {
        assert!(
            seen.persist,
            "{context}: {name} is not persistent after its creator was reaped: {seen:?}"
        );
        assert_eq!(
            seen,
            &complete(index_of(name)),
            "{context}: {name} is incomplete"
        );
    }
    now.len()
}

#[track_caller]
fn assert_exactly(ns: &Netns, range: std::ops::Range<usize>, context: &str) {
    let now = state(ns);
    let want: BTreeMap<String, Seen> = range.map(|i| (tap_name(i), complete(i))).collect();
    if now != want {
        let missing: Vec<&String> = want.keys().filter(|k| !now.contains_key(*k)).collect();
        let extra: Vec<&String> = now.keys().filter(|k| !want.contains_key(*k)).collect();
        let wrong: Vec<(&String, &Seen)> = now
            .iter()
            .filter(|(k, v)| want.get(*k).is_some_and(|w| w != *v))
            .collect();
        panic!("{context}: missing {missing:?}, extra {extra:?}, wrong {wrong:?}");
    }
}

/// Number of links other than lo, from `ip -o link`.
fn link_count(ns: &Netns) -> usize {
    let out = ns.run("ip", &["-o", "link", "show"]);
    stdout(&out)
        .lines()
        .filter(|l| !l.contains(": lo:"))
        .count()
}

/// Poll until at least `k` links exist or `child` has exited; true when the
/// child is still running.
fn wait_for_links(ns: &Netns, child: &mut Child, k: usize) -> bool {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if child.try_wait().expect("try_wait").is_some() {
            return false;
        }
        if link_count(ns) >= k {
            return true;
        }
        assert!(
            Instant::now() < deadline,
            "fewer than {k} links after {PATIENCE:?}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// SIGKILL and reap: once wait returns, the kernel has closed its fds.
fn kill9(mut child: Child) {
    let _ = child.kill();
    child.wait().expect("reap the killed process");
}

fn apply_json(ns: &Netns, file: &str) -> Vec<Value> {
    let out = ns.tt(&["--json", "apply", file]);
    assert_code(&out, 0);
    json(&out).as_array().unwrap().clone()
}

#[track_caller]
fn assert_all_unchanged(items: &[Value], n: usize, context: &str) {
    assert_eq!(items.len(), n, "{context}");
    for item in items {
        assert_eq!(item["action"], "unchanged", "{context}: {item}");
    }
}

// ------------------------------------------------------------ kill -9

#[test]
fn kill_apply_midway_then_rerun_converges() {
    let file = write_file("faults-apply", &declared_json(0..COUNT));
    for k in [1, 37, 150, 290] {
        let ns = netns_or_skip!();
        let mut child = ns.spawn(BIN, &["-q", "apply", &file]);
        let running = wait_for_links(&ns, &mut child, k);
        kill9(child);
        let made =
            assert_only_complete(&ns, &format!("apply killed at >= {k} (running {running})"));
        assert!(made <= COUNT);
        eprintln!("apply killed at >= {k}: running {running}, {made} complete devices left");
        // Rerun: exactly the declared state.
        let out = ns.tt(&["apply", &file]);
        assert_code(&out, 0);
        assert_exactly(&ns, 0..COUNT, &format!("rerun after kill at {k}"));
        // A second rerun changes nothing.
        assert_all_unchanged(
            &apply_json(&ns, &file),
            COUNT,
            &format!("second rerun after kill at {k}"),
        );
        assert_exactly(&ns, 0..COUNT, "second rerun");
    }
}

#[test]
fn kill_batch_midway_then_rerun_converges() {
    let file = write_file("faults-batch", &batch_text(0..COUNT));
    let declared = write_file("faults-batch-decl", &declared_json(0..COUNT));
    for k in [1, 60, 200] {
        let ns = netns_or_skip!();
        let mut child = ns.spawn(BIN, &["-q", "batch", &file]);
        let running = wait_for_links(&ns, &mut child, k);
        kill9(child);
        let made =
            assert_only_complete(&ns, &format!("batch killed at >= {k} (running {running})"));
        eprintln!("batch killed at >= {k}: running {running}, {made} complete devices left");
        // Rerun the batch (every line is add --exist-ok): converges.
        let out = ns.tt(&["batch", &file]);
        assert_code(&out, 0);
        assert_exactly(&ns, 0..COUNT, &format!("batch rerun after kill at {k}"));
        // A second batch run reports nothing changed, line by line.
        let out = ns.tt(&["--json", "batch", &file]);
        assert_code(&out, 0);
        let lines = json(&out);
        assert_eq!(lines.as_array().unwrap().len(), COUNT);
        for line in lines.as_array().unwrap() {
            assert_eq!(line["ok"], true, "{line}");
            assert_eq!(line["output"]["changed"], false, "{line}");
        }
        // And apply of the same declaration agrees.
        assert_all_unchanged(&apply_json(&ns, &declared), COUNT, "apply after batch");
    }
}

#[test]
fn kill_apply_while_updating_then_rerun_converges() {
    // Every device exists but differs: the killed run was converging, not
    // creating. Kill it once the first devices are up.
    let n = 120;
    let ns = netns_or_skip!();
    let plain = write_file(
        "faults-upd-plain",
        &serde_json::to_string(
            &(0..n)
                .map(|i| json!({"name": tap_name(i), "mode": "tap"}))
                .collect::<Vec<_>>(),
        )
        .unwrap(),
    );
    assert_code(&ns.tt(&["-q", "apply", &plain]), 0);
    let file = write_file("faults-upd", &declared_json(0..n));
    let mut child = ns.spawn(BIN, &["-q", "apply", &file]);
    let deadline = Instant::now() + PATIENCE;
    while child.try_wait().unwrap().is_none() {
        if state(&ns).values().filter(|s| s.up).count() >= 10 {
            break;
        }
        assert!(Instant::now() < deadline, "apply made no progress");
    }
    kill9(child);
    // Nothing was removed; every device is still persistent.
    let now = state(&ns);
    assert_eq!(now.len(), n);
    assert!(now.values().all(|s| s.persist), "{now:?}");
    assert_code(&ns.tt(&["-q", "apply", &file]), 0);
    assert_exactly(&ns, 0..n, "rerun after a killed update");
    assert_all_unchanged(&apply_json(&ns, &file), n, "second rerun");
}

// ------------------------------------------------------------ races

/// Exit codes allowed for an `add` racing a `del` of the same name.
#[track_caller]
fn check_racing_add(out: &Output, name: &str, round: usize) {
    let c = code(out);
    let err = stderr(out);
    if c == 0 {
        return;
    }
    assert!([3, 4].contains(&c), "round {round}: add exit {c}: {err}");
    assert!(
        err.contains(name),
        "round {round}: message names {name}: {err}"
    );
    assert_eq!(stdout(out), "", "round {round}: no stdout on failure");
}

#[track_caller]
fn check_racing_del(out: &Output, name: &str, round: usize) {
    let c = code(out);
    let err = stderr(out);
    // 0: deleted (complete or half-made); 3: not there yet. Never 6: the
    // only holder is the adding tuntapctl, which del does not count.
    assert!(c == 0 || c == 3, "round {round}: del exit {c}: {err}");
    if c == 3 {
        assert!(
            err.contains(name) && err.contains("no such interface"),
            "{err}"
        );
    }
}

/// Either gone, or complete and persistent.
#[track_caller]
fn assert_consistent(ns: &Netns, name: &str, want: &Seen, round: usize) {
    if let Some(seen) = state(ns).get(name) {
        assert_eq!(seen, want, "round {round}: {name} exists but is incomplete");
    }
}

#[test]
fn del_racing_add_of_the_same_name_is_consistent() {
    let ns = netns_or_skip!();
    let name = "fk7";
    let want = complete(7);
    let addr = tap_address(7);
    let add_args = [
        "add", name, "--user", "nobody", "--mtu", "1400", "-a", &addr, "--up",
    ];
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    for round in 0..50 {
        // Several dels widen the window in which one meets the half-made
        // device.
        let mut children = vec![spawn_gated(&ns, &add_args)];
        children.extend((0..3).map(|_| spawn_gated(&ns, &["del", name])));
        let outs = release_and_wait(children);
        check_racing_add(&outs[0], name, round);
        for d in &outs[1..] {
            check_racing_del(d, name, round);
        }
        assert_consistent(&ns, name, &want, round);
        // Several dels may all exit 0 for one device: the losers of the
        // RTM_DELLINK race get ENODEV, and gone is what they asked for.
        let dels_ok = outs[1..].iter().filter(|o| code(o) == 0).count();
        let exists = state(&ns).contains_key(name);
        if code(&outs[0]) != 0 {
            assert!(!exists, "round {round}: add failed but {name} exists");
        }
        *outcomes
            .entry(format!(
                "add {} del {dels_ok} exists {exists}",
                code(&outs[0])
            ))
            .or_default() += 1;
        assert_code(&ns.tt(&["del", "--missing-ok", name]), 0);
        assert_eq!(state(&ns).len(), 0);
    }
    eprintln!("outcomes: {outcomes:?}");
}

#[test]
fn del_racing_exist_ok_add_is_consistent() {
    // The device exists at the start: --exist-ok converges it while del
    // removes it.
    let ns = netns_or_skip!();
    let name = "fk9";
    let want = complete(9);
    let addr = tap_address(9);
    let add_args = [
        "add",
        name,
        "--exist-ok",
        "--user",
        "nobody",
        "--mtu",
        "1400",
        "-a",
        &addr,
        "--up",
    ];
    for round in 0..30 {
        if round % 2 == 0 {
            assert_code(&ns.tt(&["add", "-q", name]), 0);
        }
        let outs = release_and_wait(vec![
            spawn_gated(&ns, &add_args),
            spawn_gated(&ns, &["del", name]),
        ]);
        check_racing_add(&outs[0], name, round);
        check_racing_del(&outs[1], name, round);
        let now = state(&ns);
        if let Some(seen) = now.get(name) {
            // It survived: del lost (exit 3) or ran first and add recreated it.
            assert!(seen.persist, "round {round}: {seen:?}");
            assert_eq!(seen, &want, "round {round}");
        }
        assert_code(&ns.tt(&["del", "--missing-ok", name]), 0);
    }
}

#[test]
fn apply_racing_del_then_rerun_converges() {
    let ns = netns_or_skip!();
    let n = 6;
    let file = write_file("faults-apply-del", &declared_json(0..n));
    let names: Vec<String> = (0..n).map(tap_name).collect();
    for round in 0..20 {
        let mut del_args = vec!["del".to_string(), "--missing-ok".to_string()];
        del_args.extend(names.iter().cloned());
        let del_args: Vec<&str> = del_args.iter().map(String::as_str).collect();
        let outs = release_and_wait(vec![
            spawn_gated(&ns, &["-q", "apply", &file]),
            spawn_gated(&ns, &del_args),
        ]);
        let (a, d) = (&outs[0], &outs[1]);
        // apply: 0, or a failure naming the interface it was building.
        if code(a) != 0 {
            let err = stderr(a);
            assert!(
                [1, 3].contains(&code(a)) && names.iter().any(|nm| err.contains(nm.as_str())),
                "round {round}: apply exit {}: {err}",
                code(a)
            );
        }
        // del --missing-ok: 0; never busy because of apply's fd.
        assert_code(d, 0);
        // Whatever exists is complete.
        assert_only_complete(&ns, &format!("round {round}"));
        // A rerun converges, and a second changes nothing.
        assert_code(&ns.tt(&["-q", "apply", &file]), 0);
        assert_exactly(&ns, 0..n, &format!("round {round} rerun"));
        assert_all_unchanged(&apply_json(&ns, &file), n, "second rerun");
        assert_code(&ns.tt(&del_args), 0);
    }
}

#[test]
fn overlapping_exist_ok_batches_at_once() {
    let ns = netns_or_skip!();
    let a = write_file("faults-ba", &batch_text(0..40));
    let b = write_file("faults-bb", &batch_text(20..60));
    for round in 0..3 {
        let outs = release_and_wait(vec![
            spawn_gated(&ns, &["--json", "batch", &a]),
            spawn_gated(&ns, &["--json", "batch", &b]),
        ]);
        let mut created: BTreeMap<String, usize> = BTreeMap::new();
        for out in &outs {
            assert_code(out, 0);
            for line in json(out).as_array().unwrap() {
                assert_eq!(line["ok"], true, "{line}");
                if line["output"]["changed"] == true {
                    let name = line["output"]["name"].as_str().unwrap().to_string();
                    *created.entry(name).or_default() += 1;
                }
            }
        }
        assert_exactly(&ns, 0..60, &format!("round {round}"));
        if round == 0 {
            // Each device was made by exactly one of the two runs.
            assert_eq!(created.len(), 60, "{created:?}");
            assert!(created.values().all(|n| *n == 1), "{created:?}");
        } else {
            assert!(created.is_empty(), "round {round}: {created:?}");
        }
    }
}

#[test]
fn concurrent_applies_of_disjoint_and_shared_files() {
    // Applies serialize on a lock; disjoint and overlapping files both end
    // in the union, and every run exits 0.
    let ns = netns_or_skip!();
    let files: Vec<String> = [(0..30), (30..60), (15..45), (0..60)]
        .into_iter()
        .map(|r| write_file("faults-capply", &declared_json(r)))
        .collect();
    let children: Vec<Child> = files
        .iter()
        .map(|f| spawn_gated(&ns, &["-q", "apply", f]))
        .collect();
    for out in release_and_wait(children) {
        assert_code(&out, 0);
    }
    assert_exactly(&ns, 0..60, "after concurrent applies");
    assert_all_unchanged(&apply_json(&ns, &files[3]), 60, "rerun");
}
