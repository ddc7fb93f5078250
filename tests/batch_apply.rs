//! batch and apply against the real kernel, each test in its own network
//! namespace, checked with iproute2.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::*;
use serde_json::Value;

/// What ip says about a link, reduced to what apply restores.
fn snapshot(ns: &common::Netns, name: &str) -> Value {
    let l = ns.link(name).unwrap_or_else(|| panic!("{name} exists"));
    let info = &l["linkinfo"]["info_data"];
    let mut addrs: Vec<String> = ns
        .addresses(name)
        .into_iter()
        .filter(|a| !a.starts_with("fe80:"))
        .collect();
    addrs.sort();
    let up = l["flags"].as_array().unwrap().iter().any(|f| f == "UP");
    serde_json::json!({
        "kind": l["linkinfo"]["info_kind"],
        "type": info["type"],
        "user": info["user"],
        "group": info["group"],
        "mac": if info["type"] == "tap" { l["address"].clone() } else { Value::Null },
        "mtu": l["mtu"],
        "txqlen": l["txqlen"],
        "up": up,
        "addresses": addrs,
    })
}

fn write_file(tag: &str, contents: &[u8]) -> String {
    let dir = tempdir(tag);
    let path = dir.join("input");
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

/// Run tuntapctl in the namespace with `input` on stdin.
fn tt_stdin(ns: &common::Netns, args: &[&str], input: &str) -> std::process::Output {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let input = input.to_string();
    ns.within(move || {
        let mut child = Command::new(BIN)
            .args(&args)
            .env("TUNTAPCTL_TEST_LOCK_PATH", test_lock_path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn tuntapctl");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    })
}

fn tun_names(ns: &common::Netns) -> Vec<String> {
    let mut v: Vec<String> = ns.link_names().into_iter().filter(|n| n != "lo").collect();
    v.sort();
    v
}

/// A non-tun link made with ip: a dummy, or a bridge where this kernel has
/// no dummy driver.
fn ip_link_other(ns: &common::Netns, name: &str) {
    if ns
        .run("ip", &["link", "add", name, "type", "dummy"])
        .status
        .success()
    {
        return;
    }
    let out = ns.run("ip", &["link", "add", name, "type", "bridge"]);
    assert!(out.status.success(), "ip link add {name}: {}", stderr(&out));
}

fn user_of(ns: &common::Netns, name: &str) -> Value {
    ns.link(name).unwrap()["linkinfo"]["info_data"]["user"].clone()
}

// ---------------------------------------------------------------- batch

#[test]
fn batch_from_file_with_comments_blank_lines_and_quoting() {
    let ns = netns_or_skip!();
    let file = write_file(
        "batch-file",
        b"# boot-time interfaces\n\
          \n\
          add tap1 --user nobody   # trailing comment\n\
          \t  \n\
          add 'tap2' --user \"nobody\" --mtu 1400 -a \"10.9.0.1/24\" --up\n\
          add tap\\3 --tap\r\n\
          set tap1 --txqueuelen 77\n",
    );
    let out = ns.tt(&["batch", &file]);
    assert_code(&out, 0);
    assert_eq!(tun_names(&ns), ["tap1", "tap2", "tap3"]);
    assert_eq!(user_of(&ns, "tap1"), "nobody");
    assert_eq!(ns.link("tap1").unwrap()["txqlen"], 77);
    let s = snapshot(&ns, "tap2");
    assert_eq!(s["mtu"], 1400);
    assert_eq!(s["up"], true);
    assert_eq!(s["addresses"], serde_json::json!(["10.9.0.1/24"]));
    assert!(stdout(&out).contains("created tap2"), "{}", stdout(&out));
}

#[test]
fn batch_from_stdin() {
    let ns = netns_or_skip!();
    let out = tt_stdin(
        &ns,
        &["batch", "-"],
        "add tap1 --user nobody\nadd tun7 -a 10.7.0.1/32 --peer 10.7.0.2\n",
    );
    assert_code(&out, 0);
    assert_eq!(tun_names(&ns), ["tap1", "tun7"]);
    assert_eq!(
        ns.link("tun7").unwrap()["linkinfo"]["info_data"]["type"],
        "tun"
    );
    assert_eq!(ns.addresses("tun7"), ["10.7.0.1/32"]);
}

#[test]
fn batch_stops_at_first_failing_line() {
    let ns = netns_or_skip!();
    let file = write_file(
        "batch-stop",
        b"add tap1\n# comment\ndel nosuch0\nadd tap2\n",
    );
    let out = ns.tt(&["batch", &file]);
    // del of a missing interface: exit 3 (SPEC 3), and batch passes it on.
    assert_code(&out, 3);
    let err = stderr(&out);
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("del nosuch0"), "{err}");
    assert!(err.contains("nosuch0: no such interface"), "{err}");
    assert_eq!(tun_names(&ns), ["tap1"], "line 1 done, line 4 not");
}

#[test]
fn batch_force_continues_and_names_failed_lines() {
    let ns = netns_or_skip!();
    let file = write_file(
        "batch-force",
        b"add tap1\ndel nosuch0\nadd tap2\nadd tap1\nadd tap3\n",
    );
    let out = ns.tt(&["batch", "--force", &file]);
    assert_ne!(code(&out), 0, "{}", stderr(&out));
    assert_code(&out, 3);
    let err = stderr(&out);
    assert!(err.contains("2 of 5 commands failed"), "{err}");
    assert!(err.contains("lines 2, 4"), "{err}");
    assert!(err.contains("line 4 (add tap1)"), "{err}");
    assert_eq!(tun_names(&ns), ["tap1", "tap2", "tap3"]);
}

#[test]
fn batch_parse_error_runs_nothing() {
    let ns = netns_or_skip!();
    for (tag, bad) in [
        ("unknown-cmd", "frobnicate tap9"),
        ("bad-name", "add tap%d%d"),
        ("bad-mac", "add tap9 --mac 01:00:5e:00:00:01"),
        ("quote", "add 'tap9"),
        ("nested", "batch other"),
        ("help", "--help"),
        ("unknown user", "add tap9 --user no-such-user-xyz"),
    ] {
        let file = write_file(
            "batch-parse",
            format!("add tap1\nadd tap2\n{bad}\nadd tap3\n").as_bytes(),
        );
        let out = ns.tt(&["batch", &file]);
        assert_code(&out, 2);
        let err = stderr(&out);
        assert!(err.contains("line 3"), "{tag}: {err}");
        assert!(
            tun_names(&ns).is_empty(),
            "{tag}: nothing may run: {:?}",
            tun_names(&ns)
        );
    }
}

#[test]
fn batch_netns_on_a_line_is_refused() {
    let ns = netns_or_skip!();
    for line in [
        "--netns 1 add tap2",
        "-N /proc/1/ns/net list",
        "add tap2 --netns 1",
    ] {
        let out = tt_stdin(&ns, &["batch", "-"], &format!("add tap1\n{line}\n"));
        assert_code(&out, 2);
        assert!(
            stderr(&out).contains("--netns is not allowed on a batch line"),
            "{}",
            stderr(&out)
        );
        assert!(tun_names(&ns).is_empty());
    }
}

#[test]
fn batch_json_output() {
    let ns = netns_or_skip!();
    let out = tt_stdin(
        &ns,
        &["--json", "batch", "-"],
        "add tap1 --user nobody\n\nlist\n",
    );
    assert_code(&out, 0);
    let v = json(&out);
    let a = v.as_array().expect("an array");
    assert_eq!(a.len(), 2);
    assert_eq!(a[0]["line"], 1);
    assert_eq!(a[0]["ok"], true);
    assert_eq!(a[0]["output"]["name"], "tap1");
    assert_eq!(a[0]["output"]["changed"], true);
    assert_eq!(a[1]["line"], 3);
    assert_eq!(a[1]["output"][0]["name"], "tap1");

    let out = tt_stdin(
        &ns,
        &["--json", "batch", "--force", "-"],
        "del nosuch0\nadd tap2\n",
    );
    assert_code(&out, 3);
    let v = json(&out);
    assert_eq!(v[0]["ok"], false);
    assert_eq!(v[0]["exit"], 3);
    assert!(v[0]["error"].as_str().unwrap().contains("nosuch0"));
    assert_eq!(v[1]["ok"], true);
    assert!(ns.link("tap2").is_some());
}

// ---------------------------------------------------------------- apply

fn make_set(ns: &common::Netns) {
    assert_code(
        &ns.tt(&[
            "add",
            "tap1",
            "--user",
            "nobody",
            "--group",
            "nogroup",
            "--mac",
            "02:00:00:00:01:01",
            "--mtu",
            "1400",
            "--txqueuelen",
            "321",
            "-a",
            "10.1.0.1/24",
            "-a",
            "fd00:1::1/64",
            "--up",
        ]),
        0,
    );
    assert_code(
        &ns.tt(&[
            "add", "tun1", "--user", "1234", "-a", "10.2.0.1", "--peer", "10.2.0.2",
        ]),
        0,
    );
    assert_code(&ns.tt(&["add", "tap2", "--mtu", "9000"]), 0);
}

/// Wait (without a deadline assertion) until the kernel has given `name`
/// its IPv6 link-local address; returns false if it never does.
fn wait_link_local(ns: &common::Netns, name: &str) -> bool {
    for _ in 0..200 {
        if ns.addresses(name).iter().any(|a| a.starts_with("fe80:")) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    false
}

#[test]
fn apply_restores_a_saved_list() {
    let ns = netns_or_skip!();
    make_set(&ns);
    let names = tun_names(&ns);
    let before: Vec<Value> = names.iter().map(|n| snapshot(&ns, n)).collect();
    let saved = ns.tt(&["list", "--json"]);
    assert_code(&saved, 0);
    let file = write_file("apply-saved", &saved.stdout);
    assert_code(&ns.tt(&["del", "tap1", "tap2", "tun1"]), 0);
    assert!(tun_names(&ns).is_empty());

    let out = ns.tt(&["apply", &file]);
    assert_code(&out, 0);
    assert_eq!(tun_names(&ns), names);
    let after: Vec<Value> = names.iter().map(|n| snapshot(&ns, n)).collect();
    assert_eq!(before, after);
    for n in &names {
        assert!(
            stdout(&out).contains(&format!("created {n}")),
            "{}",
            stdout(&out)
        );
    }
    // And the restored set converges.
    let out = ns.tt(&["apply", &file]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("nothing to change"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn apply_ignores_kernel_link_local_addresses() {
    let ns = netns_or_skip!();
    make_set(&ns);
    // tuntapctl creates without carrier, so an up tap gets its link-local
    // address only once a process attaches (as a VM would).
    let holder = ns.hold("tap1", "tap", &[]);
    assert!(
        wait_link_local(&ns, "tap1"),
        "the kernel never gave tap1 a link-local address"
    );
    let saved = ns.tt(&["list", "--json"]);
    assert!(
        stdout(&saved).contains("fe80:"),
        "the trap is armed: {}",
        stdout(&saved)
    );
    let file = write_file("apply-ll", &saved.stdout);
    let before = snapshot(&ns, "tap1");
    let out = ns.tt(&["apply", &file]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("nothing to change"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains("updated"), "{}", stdout(&out));
    let out = ns.tt(&["--json", "apply", &file]);
    assert_code(&out, 0);
    let v = json(&out);
    assert_eq!(v.as_array().unwrap().len(), 3);
    for item in v.as_array().unwrap() {
        assert_eq!(item["action"], "unchanged", "{v}");
    }
    assert_eq!(snapshot(&ns, "tap1"), before);
    assert!(
        ns.addresses("tap1").iter().any(|a| a.starts_with("fe80:")),
        "link-local kept"
    );

    // Restoring from scratch with the file's fe80 entries: no failure.
    drop(holder);
    assert_code(&ns.tt(&["del", "tap1", "tap2", "tun1"]), 0);
    assert_code(&ns.tt(&["apply", &file]), 0);
    assert_eq!(snapshot(&ns, "tap1"), before);
    let out = ns.tt(&["--json", "apply", &file]);
    assert_code(&out, 0);
    for item in json(&out).as_array().unwrap() {
        assert_eq!(item["action"], "unchanged");
    }
}

#[test]
fn apply_updates_each_field() {
    let ns = netns_or_skip!();
    assert_code(
        &ns.tt(&[
            "add",
            "tap1",
            "--user",
            "1",
            "--group",
            "1",
            "--mac",
            "02:00:00:00:00:01",
            "-a",
            "10.0.0.1/24",
            "-a",
            "10.0.1.1/24",
        ]),
        0,
    );
    let file = write_file(
        "apply-update",
        br#"[{"name":"tap1","owner":"nobody","group":{"gid":65534,"name":"x"},"mac":"02:00:00:00:00:02",
             "mtu":1300,"txqueuelen":42,"addresses":["10.0.0.1/24",{"address":"fd00::5","prefix_len":64}],"up":true}]"#,
    );
    let out = ns.tt(&["apply", &file]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("updated tap1"), "{text}");
    let l = ns.link("tap1").unwrap();
    assert_eq!(l["linkinfo"]["info_data"]["user"], "nobody");
    assert_eq!(l["linkinfo"]["info_data"]["group"], "nogroup");
    assert_eq!(l["address"], "02:00:00:00:00:02");
    assert_eq!(l["mtu"], 1300);
    assert_eq!(l["txqlen"], 42);
    assert!(l["flags"].as_array().unwrap().iter().any(|f| f == "UP"));
    let mut a = snapshot(&ns, "tap1")["addresses"].clone();
    a.as_array_mut().unwrap().sort_by_key(|v| v.to_string());
    assert_eq!(a, serde_json::json!(["10.0.0.1/24", "fd00::5/64"]));
    // Converged.
    let out = ns.tt(&["--json", "apply", &file]);
    assert_code(&out, 0);
    assert_eq!(json(&out)[0]["action"], "unchanged");

    // Down, and a field left out is left alone.
    let file = write_file("apply-down", br#"[{"name":"tap1","up":false}]"#);
    let out = ns.tt(&["--json", "apply", &file]);
    assert_code(&out, 0);
    assert_eq!(json(&out)[0]["action"], "updated");
    let l = ns.link("tap1").unwrap();
    assert!(!l["flags"].as_array().unwrap().iter().any(|f| f == "UP"));
    assert_eq!(l["mtu"], 1300);
    assert_eq!(l["address"], "02:00:00:00:00:02");
}

#[test]
fn apply_prune_deletes_only_tun_tap() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["add", "tap1"]), 0);
    assert_code(&ns.tt(&["add", "tap2"]), 0);
    assert_code(&ns.tt(&["add", "tun2"]), 0);
    ip_link_other(&ns, "dum0");
    assert!(
        ns.run(
            "ip",
            &[
                "link", "add", "veth0", "type", "veth", "peer", "name", "veth1"
            ]
        )
        .status
        .success()
    );
    let file = write_file("apply-prune", br#"[{"name":"tap1"},{"name":"tap3"}]"#);
    let out = ns.tt(&["--json", "apply", "--prune", &file]);
    assert_code(&out, 0);
    let v = json(&out);
    let action = |n: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == n)
            .map(|i| i["action"].clone())
    };
    assert_eq!(action("tap1"), Some("unchanged".into()));
    assert_eq!(action("tap3"), Some("created".into()));
    assert_eq!(action("tap2"), Some("deleted".into()));
    assert_eq!(action("tun2"), Some("deleted".into()));
    assert_eq!(action("dum0"), None);
    assert_eq!(tun_names(&ns), ["dum0", "tap1", "tap3", "veth0", "veth1"]);
}

#[test]
fn apply_dry_run_changes_nothing() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["add", "tap1", "--mtu", "1500"]), 0);
    assert_code(&ns.tt(&["add", "tap2"]), 0);
    let before_names = tun_names(&ns);
    let before = snapshot(&ns, "tap1");
    let file = write_file(
        "apply-dry",
        br#"[{"name":"tap1","mtu":1400,"up":true,"addresses":["10.3.0.1/24"]},{"name":"tap9"}]"#,
    );
    let out = ns.tt(&["apply", "--dry-run", "--prune", &file]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("would be updated tap1: mtu 1400"), "{text}");
    assert!(text.contains("address 10.3.0.1/24"), "{text}");
    assert!(text.contains("would be created tap9"), "{text}");
    assert!(text.contains("would be deleted tap2"), "{text}");
    assert_eq!(tun_names(&ns), before_names);
    assert_eq!(snapshot(&ns, "tap1"), before);
    let out = ns.tt(&["--json", "apply", "--dry-run", "--prune", &file]);
    assert_code(&out, 0);
    assert_eq!(json(&out).as_array().unwrap().len(), 3);
    assert_eq!(tun_names(&ns), before_names);
}

#[test]
fn apply_invalid_files_change_nothing() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["add", "tap1", "--mtu", "1500"]), 0);
    let dir = tempdir("apply-dir");
    let dir_s = dir.display().to_string();
    let missing = dir.join("missing.json").display().to_string();
    let cases: Vec<(&str, String, &str)> = vec![
        ("bad json", write_file("a", br#"[{"name":"tap2"},"#), "not valid JSON"),
        (
            "multicast mac",
            write_file("a", br#"[{"name":"tap2"},{"name":"tap1","mtu":1000},{"name":"tap7","mac":"01:00:5e:00:00:01"}]"#),
            "entry 3 (tap7): mac: ",
        ),
        ("unknown field", write_file("a", br#"[{"name":"tap2"},{"name":"tap3","mtux":1}]"#), "entry 2 (tap3): mtux: unknown field"),
        ("duplicate", write_file("a", br#"[{"name":"tap2"},{"name":"tap2"}]"#), "entry 2 (tap2): name: listed twice"),
        ("template", write_file("a", br#"[{"name":"tap2"},{"name":"tap%d"}]"#), "entry 2"),
        ("non-utf8", write_file("a", b"[{\"name\":\"tap2\"},{\"name\":\"t\xff\"}]"), "not valid UTF-8"),
        (
            "duplicate address",
            write_file("a", br#"[{"name":"tap2"},{"name":"tap3","addresses":["10.0.0.1/24","10.0.0.1/24"]}]"#),
            "entry 2 (tap3): addresses[1]: 10.0.0.1/24 repeats addresses[0]",
        ),
        ("bad owner", write_file("a", br#"[{"name":"tap2"},{"name":"tap3","owner":"no-such-user-xyz"}]"#), "entry 2 (tap3): owner: "),
        ("bad mtu", write_file("a", br#"[{"name":"tap2"},{"name":"tap3","mtu":10}]"#), "entry 2 (tap3): mtu: "),
        ("not an array", write_file("a", br#""tap2""#), "JSON array"),
        ("directory", dir_s.clone(), "is a directory"),
        ("missing", missing.clone(), "does not exist"),
    ];
    for (tag, path, want) in cases {
        let out = ns.tt(&["apply", "--prune", &path]);
        assert_code(&out, 2);
        assert!(stderr(&out).contains(want), "{tag}: {}", stderr(&out));
        assert!(
            !stderr(&out).contains("panicked"),
            "{tag}: {}",
            stderr(&out)
        );
        assert_eq!(tun_names(&ns), ["tap1"], "{tag}: nothing changed");
        assert_eq!(ns.link("tap1").unwrap()["mtu"], 1500, "{tag}");
    }
    let out = ns.tt(&[
        "apply",
        &write_file("a", br#"[{"name":"tap7","mac":"01:00:5e:00:00:01"}]"#),
    ]);
    let err = stderr(&out);
    assert!(
        err.contains("entry 1 (tap7): mac: ")
            && err.contains("01:00:5e:00:00:01")
            && err.contains("multicast"),
        "{err}"
    );
}

#[test]
fn apply_mode_conflict_changes_nothing() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["add", "tapx", "--tun"]), 0);
    let file = write_file(
        "apply-mode",
        br#"[{"name":"tap1"},{"name":"tapx","mode":"tap","mtu":1400}]"#,
    );
    let out = ns.tt(&["apply", &file]);
    assert_code(&out, 4);
    let err = stderr(&out);
    assert!(
        err.contains("entry 2 (tapx)") && err.contains("tun") && err.contains("delete it first"),
        "{err}"
    );
    assert_eq!(tun_names(&ns), ["tapx"]);
    assert_eq!(ns.link("tapx").unwrap()["mtu"], 1500);

    // Not a tun/tap at all.
    ip_link_other(&ns, "tap5");
    let file = write_file("apply-mode", br#"[{"name":"tap1"},{"name":"tap5"}]"#);
    assert_code(&ns.tt(&["apply", &file]), 4);
    assert!(ns.link("tap1").is_none());
}

#[test]
fn apply_twice_at_once() {
    let ns = netns_or_skip!();
    let mut entries = Vec::new();
    for i in 0..40 {
        entries.push(format!(r#"{{"name":"tap{i}","owner":"nobody","mtu":1400,"addresses":["10.5.{i}.1/24"],"up":true}}"#));
    }
    let file = write_file(
        "apply-concurrent",
        format!("[{}]", entries.join(",")).as_bytes(),
    );
    let a = ns.spawn(BIN, &["apply", &file]);
    let b = ns.spawn(BIN, &["apply", &file]);
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert_code(&a, 0);
    assert_code(&b, 0);
    assert_eq!(tun_names(&ns).len(), 40);
    for i in [0, 17, 39] {
        let s = snapshot(&ns, &format!("tap{i}"));
        assert_eq!(s["user"], "nobody");
        assert_eq!(s["mtu"], 1400);
        assert_eq!(s["up"], true);
        assert_eq!(
            s["addresses"],
            serde_json::json!([format!("10.5.{i}.1/24")])
        );
    }
    let out = ns.tt(&["apply", &file]);
    assert!(
        stdout(&out).contains("nothing to change"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn apply_flags_absent_are_left_alone_and_only_multi_queue_conflicts() {
    let ns = netns_or_skip!();
    assert_code(
        &ns.tt(&["add", "mq1", "--tap", "--multi-queue", "--vnet-hdr"]),
        0,
    );
    // No flags in the file: multi_queue and vnet_hdr are left as they are.
    let out = tt_stdin(&ns, &["apply", "-"], r#"[{"name":"mq1","mtu":1400}]"#);
    assert_code(&out, 0);
    assert_eq!(ns.link("mq1").unwrap()["mtu"], 1400);
    // pi and vnet_hdr belong to the attaching process: a difference is a
    // warning and the rest of the entry is applied.
    for (entry, flag) in [
        (
            r#"{"name":"mq1","mtu":1350,"flags":{"vnet_hdr":false}}"#,
            "vnet_hdr",
        ),
        (r#"{"name":"mq1","mtu":1400,"flags":{"pi":true}}"#, "pi"),
    ] {
        let out = tt_stdin(&ns, &["apply", "-"], &format!("[{entry}]"));
        assert_code(&out, 0);
        let err = stderr(&out);
        assert!(
            err.contains(&format!("entry 1 (mq1): flags.{flag}")),
            "{err}"
        );
        assert!(err.contains("set by the process that attaches"), "{err}");
    }
    assert_eq!(ns.link("mq1").unwrap()["mtu"], 1400);
    // multi_queue cannot change in place: a conflict, nothing changed.
    let out = tt_stdin(
        &ns,
        &["apply", "-"],
        r#"[{"name":"tap1"},{"name":"mq1","mtu":1300,"flags":{"multi_queue":false}}]"#,
    );
    assert_code(&out, 4);
    assert!(stderr(&out).contains("entry 2 (mq1)"), "{}", stderr(&out));
    assert_eq!(tun_names(&ns), ["mq1"]);
    assert_eq!(ns.link("mq1").unwrap()["mtu"], 1400);
    let info = ns.link("mq1").unwrap()["linkinfo"]["info_data"].clone();
    assert_eq!(info["multi_queue"], true);
    assert_eq!(info["vnet_hdr"], true);
}

#[test]
fn apply_accepts_a_byte_order_mark() {
    let ns = netns_or_skip!();
    let file = write_file("apply-bom", b"\xef\xbb\xbf[{\"name\":\"tap1\"}]");
    assert_code(&ns.tt(&["apply", &file]), 0);
    assert!(ns.link("tap1").is_some());
}

#[test]
fn apply_prune_refuses_an_interface_in_use() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["add", "tap1"]), 0);
    assert_code(&ns.tt(&["add", "tap2"]), 0);
    let holder = ns.hold("tap2", "tap", &[]);
    let out = tt_stdin(&ns, &["apply", "--prune", "-"], r#"[{"name":"tap3"}]"#);
    assert_code(&out, 6);
    let err = stderr(&out);
    assert!(
        err.contains("tap2") && err.contains(&format!("pid {}", holder.pid())),
        "{err}"
    );
    assert_eq!(tun_names(&ns), ["tap1", "tap2"], "nothing changed");
    drop(holder);
    let out = tt_stdin(&ns, &["apply", "--prune", "-"], r#"[{"name":"tap3"}]"#);
    assert_code(&out, 0);
    assert_eq!(tun_names(&ns), ["tap3"]);
}

#[test]
fn batch_collapses_the_no_owner_warning() {
    let ns = netns_or_skip!();
    let path = tempdir("warn").join("many.batch");
    let script: String = (0..10).map(|i| format!("add nw{i}\n")).collect();
    std::fs::write(&path, script).unwrap();
    let out = ns.tt(&["batch", path.to_str().unwrap()]);
    assert_code(&out, 0);
    let err = stderr(&out);
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("no owner or group"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", stderr(&out));
    assert!(
        warnings[0].contains("10 interfaces have no owner or group (nw0, nw1, nw2, nw3, nw4, ...)"),
        "{}",
        warnings[0]
    );
    assert_eq!(ns.link_names().len(), 11);
}

#[test]
fn apply_reads_toml_by_extension_and_by_content() {
    let ns = netns_or_skip!();
    let dir = tempdir("toml");
    let file = dir.join("taps.toml");
    std::fs::write(
        &file,
        "[[interface]]\nname = \"tomla\"\nowner = \"nobody\"\nmtu = 1400\naddresses = [\"10.44.0.1/24\"]\nup = true\n\n[[interface]]\nname = \"tun-toml\"\n",
    )
    .unwrap();
    let out = ns.tt(&["apply", file.to_str().unwrap()]);
    assert_code(&out, 0);
    let link = ns.link("tomla").expect("tomla made");
    assert_eq!(link["mtu"], 1400);
    assert_eq!(link["linkinfo"]["info_data"]["user"], "nobody");
    assert!(ns.addresses("tomla").contains(&"10.44.0.1/24".to_string()));
    assert_eq!(
        ns.link("tun-toml").unwrap()["linkinfo"]["info_data"]["type"],
        "tun"
    );
    // The same content on stdin is recognised as TOML; nothing changes.
    let text = std::fs::read_to_string(&file).unwrap();
    let out = ns.within(move || {
        use std::io::Write;
        let mut child = std::process::Command::new(BIN)
            .args(["apply", "-"])
            .env("TUNTAPCTL_TEST_LOCK_PATH", test_lock_path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    });
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("nothing to change"),
        "{}",
        stdout(&out)
    );
    // A TOML error names the format and leaves everything as it was.
    std::fs::write(&file, "[[interface]]\nname = \"tomla\"\nmtu = \"big\"\n").unwrap();
    let out = ns.tt(&["apply", file.to_str().unwrap()]);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("entry 1 (tomla): mtu"),
        "{}",
        stderr(&out)
    );
    assert_eq!(ns.link("tomla").unwrap()["mtu"], 1400);
}

/// apply sends every interface's netlink changes in one pipeline; a failure
/// on one entry names it, the others are still updated, and a rerun
/// converges once the cause is gone.
#[test]
fn apply_updates_many_in_one_pipeline_and_names_a_failing_entry() {
    let ns = netns_or_skip!();
    let names: Vec<String> = (0..30).map(|i| format!("pp{i}")).collect();
    let script: String = names
        .iter()
        .map(|n| format!("add {n} --user nobody\n"))
        .collect();
    let batch = write_file("pipeline-make", script.as_bytes());
    assert_code(&ns.tt(&["-q", "batch", &batch]), 0);
    let sysctl = |v: &str| {
        ns.run(
            "sh",
            &[
                "-c",
                &format!("echo {v} > /proc/sys/net/ipv6/conf/pp7/disable_ipv6"),
            ],
        )
    };
    if !sysctl("1").status.success() {
        eprintln!("SKIPPED apply_updates_many_in_one_pipeline...: cannot disable IPv6 on pp7");
        return;
    }
    let entries: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            serde_json::json!({"name": n, "mtu": 1300, "addresses": [format!("fd00:{i}::1/64")], "up": true})
        })
        .collect();
    let file = write_file(
        "pipeline",
        serde_json::to_string(&entries).unwrap().as_bytes(),
    );
    let out = ns.tt(&["apply", &file]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("updating pp7"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("IPv6 is disabled on pp7"),
        "{}",
        stderr(&out)
    );
    for (i, n) in names.iter().enumerate() {
        let link = ns.link(n).unwrap();
        assert_eq!(link["mtu"], 1300, "{n}");
        if n != "pp7" {
            let want: std::net::Ipv6Addr = format!("fd00:{i}::1").parse().unwrap();
            assert!(ns.addresses(n).contains(&format!("{want}/64")), "{n}");
        }
    }
    assert!(sysctl("0").status.success());
    let out = ns.tt(&["--json", "apply", &file]);
    assert_code(&out, 0);
    let actions: Vec<(String, String)> = json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["name"].as_str().unwrap().to_string(),
                o["action"].as_str().unwrap().to_string(),
            )
        })
        .filter(|(_, a)| a != "unchanged")
        .collect();
    assert_eq!(actions, [("pp7".to_string(), "updated".to_string())]);
    assert!(ns.addresses("pp7").contains(&"fd00:7::1/64".to_string()));
}
