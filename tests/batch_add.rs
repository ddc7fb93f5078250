//! Runs of `add` lines in a batch are built together (created and held,
//! configured in one netlink pipeline, persisted in order). These tests hold
//! that to the line-by-line meaning, checked with iproute2.

mod common;

use common::*;
use serde_json::Value;

fn batch_file(tag: &str, lines: &[String]) -> String {
    let path = tempdir(tag).join("batch");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path.display().to_string()
}

/// Every tap the kernel has in the namespace, by name.
fn taps(ns: &Netns) -> Vec<String> {
    let mut names: Vec<String> = ns
        .link_names()
        .into_iter()
        .filter(|n| n.starts_with("tap"))
        .collect();
    names.sort();
    names
}

fn info(ns: &Netns, name: &str) -> Value {
    ns.link(name).unwrap()["linkinfo"]["info_data"].clone()
}

#[test]
fn a_failing_line_stops_the_run_where_it_fails() {
    let ns = netns_or_skip!();
    // Line 3 passes validation but the kernel refuses it at the netlink step
    // (no IPv6 address below an MTU of 1280): the pipeline fails for it alone.
    let lines: Vec<String> = vec![
        "add tap1 --user 65534 -a 10.0.1.1/30 --up".into(),
        "add tap2 --user 65534 -a 10.0.2.1/30".into(),
        "add tap3 --user 65534 --mtu 100 -a fd00::3/64".into(),
        "add tap4 --user 65534".into(),
    ];
    let out = ns.tt(&["batch", &batch_file("batch-add-stop", &lines)]);
    assert_ne!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("line 3"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nothing was created"),
        "{}",
        stderr(&out)
    );
    // The lines before it are done and complete, the line and those after
    // it left nothing behind.
    assert_eq!(taps(&ns), vec!["tap1", "tap2"]);
    for (name, addr) in [("tap1", "10.0.1.1/30"), ("tap2", "10.0.2.1/30")] {
        assert_eq!(info(&ns, name)["persist"], true, "{name}");
        assert_eq!(info(&ns, name)["user"], "nobody", "{name}");
        assert!(ns.addresses(name).contains(&addr.to_string()), "{name}");
    }
    assert!(stdout(&out).contains("created tap2"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("tap4"), "{}", stdout(&out));
}

#[test]
fn with_force_the_others_are_made() {
    let ns = netns_or_skip!();
    let lines: Vec<String> = vec![
        "add tap1 --user 65534 -a 10.0.1.1/30".into(),
        "add tap2 --user 65534 --mtu 100 -a fd00::2/64".into(),
        "add tap3 --user 65534 -a 10.0.3.1/30 --up".into(),
    ];
    let out = ns.tt(&["batch", "--force", &batch_file("batch-add-force", &lines)]);
    assert_ne!(code(&out), 0);
    assert!(
        stderr(&out).contains("1 of 3 commands failed (line 2)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(taps(&ns), vec!["tap1", "tap3"]);
    assert!(ns.addresses("tap3").contains(&"10.0.3.1/30".to_string()));
}

#[test]
fn a_repeated_name_sees_the_first_as_made() {
    let ns = netns_or_skip!();
    let lines: Vec<String> = vec![
        "add tap1 --user 65534".into(),
        "add tap1 --user 0 --exist-ok".into(),
        "add tap2".into(),
    ];
    let out = ns.tt(&["batch", &batch_file("batch-add-repeat", &lines)]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("updated tap1"), "{}", stdout(&out));
    assert_eq!(info(&ns, "tap1")["user"], "root");
    assert_eq!(taps(&ns), vec!["tap1", "tap2"]);
}

/// kill -9 in the middle of a long batch: every tap that survives is
/// complete (persistent, owned, addressed, up); none is half-made. A low fd
/// limit makes the batch work in runs of 64, so some runs are finished when
/// the kill comes; the wait doubles until some are.
#[test]
fn a_killed_batch_leaves_only_complete_taps() {
    let ns = netns_or_skip!();
    let lines: Vec<String> = (0..600)
        .map(|i| {
            format!(
                "add tap{i} --user 65534 -a 10.{}.{}.1/30 --up",
                i / 64,
                (i % 64) * 4
            )
        })
        .collect();
    let file = batch_file("batch-add-kill", &lines);
    let script = format!("ulimit -n 128; exec {BIN} -q batch {file}");
    let mut wait_ms = 50;
    loop {
        let mut child = ns.spawn("sh", &["-c", &script]);
        std::thread::sleep(std::time::Duration::from_millis(wait_ms));
        child.kill().unwrap();
        child.wait().unwrap();
        let all = ns.run("ip", &["-d", "-j", "link", "show", "type", "tun"]);
        let links: Vec<Value> = serde_json::from_slice(&all.stdout).unwrap_or_default();
        for l in &links {
            let name = l["ifname"].as_str().unwrap();
            let d = &l["linkinfo"]["info_data"];
            assert_eq!(d["persist"], true, "{name} survived but is not persistent");
            assert_eq!(d["user"], "nobody", "{name}");
            let up = l["flags"].as_array().unwrap().iter().any(|f| f == "UP");
            assert!(up, "{name} survived but is not up");
            let v4 = ns
                .addresses(name)
                .iter()
                .filter(|a| a.starts_with("10."))
                .count();
            assert_eq!(v4, 1, "{name} survived without its address");
        }
        eprintln!(
            "killed after {wait_ms} ms: {} of 600 taps, all complete",
            links.len()
        );
        if !links.is_empty() || wait_ms > 5000 {
            assert!(!links.is_empty(), "no run finished within {wait_ms} ms");
            break;
        }
        wait_ms *= 2;
    }
}
