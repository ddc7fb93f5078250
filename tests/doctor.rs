//! `doctor` against the real kernel: each broken setup is made in a network
//! namespace of the test's own (with a PRIVATE /dev/net/tun node in a
//! private mount namespace, never the host's), then doctor's verdict is
//! compared with the errno of a real attach by that user, made by the
//! independent helper examples/tun_attach under setpriv. The test checks
//! that the two AGREE (exit code <-> errno), not only the wording.

mod common;

use std::process::{Command, Output};

use common::*;
use serde_json::Value;

const NOBODY: u32 = 65534;
const NOGROUP: u32 = 65534;
/// A gid no user of the test machine is in.
const GROUP: u32 = 4242;

/// Run `script` with sh in the namespace, in a new private mount namespace
/// where /dev/net/tun is a fresh node of `mode` (bind-mounted there only).
fn with_private_tun(ns: &Netns, mode: &str, script: &str) -> Output {
    with_private_tun_setup(ns, mode, "true", script)
}

/// The same, running `setup` on the node ($NODE) before it is mounted.
fn with_private_tun_setup(ns: &Netns, mode: &str, setup: &str, script: &str) -> Output {
    let dir = tempdir("doctor-devtun");
    let node = dir.join("tun");
    let full = format!(
        "set -e; NODE={node}; mknod -m {mode} $NODE c 10 200; {setup}; mount --bind $NODE /dev/net/tun; set +e; {script}",
        node = node.display()
    );
    let out = ns.run(
        "unshare",
        &["-m", "--propagation", "private", "sh", "-c", &full],
    );
    let _ = std::fs::remove_dir_all(&dir);
    out
}

fn quote(args: &[&str]) -> String {
    args.iter()
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// doctor --json as root, with the given node mode: (exit code, checks).
fn doctor(ns: &Netns, node_mode: &str, args: &[&str]) -> (i32, Vec<Value>, String) {
    let script = format!("exec '{BIN}' --json doctor {}", quote(args));
    let out = with_private_tun(ns, node_mode, &script);
    let checks: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "doctor printed no JSON ({e}): {}\n{}",
            stdout(&out),
            stderr(&out)
        )
    });
    let checks = checks.as_array().expect("an array of checks").clone();
    for c in &checks {
        let keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["check", "ok", "detail", "fix"], "SPEC §7 shape: {c}");
        if c["ok"] == false {
            assert!(c["fix"].is_string(), "a failing check says its fix: {c}");
        }
    }
    (code(&out), checks, stdout(&out))
}

/// A real attach as uid/gid with `groups` (None: the user's groups from the
/// database, as a login gives them): the helper's first line.
fn attach(
    ns: &Netns,
    node_mode: &str,
    uid: u32,
    gid: u32,
    groups: Option<&[u32]>,
    args: &[&str],
) -> String {
    let groups = match groups {
        None => "--init-groups".to_string(),
        Some([]) => "--clear-groups".to_string(),
        Some(list) => format!(
            "--groups={}",
            list.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",")
        ),
    };
    let script = format!(
        "exec setpriv --reuid={uid} --regid={gid} {groups} '{}' {} </dev/null",
        attach_helper(),
        quote(args)
    );
    let out = with_private_tun(ns, node_mode, &script);
    let line = stdout(&out).lines().next().unwrap_or("").to_string();
    assert!(
        !line.is_empty(),
        "attach helper said nothing: {}",
        stderr(&out)
    );
    line
}

/// The exit status SPEC §7 gives for what a real attach met. Written out
/// here, independently of the code under test.
fn expected_exit(attach_line: &str, device_exists: bool) -> i32 {
    if attach_line.starts_with("attached") {
        return 0;
    }
    match attach_line {
        "error open EACCES" | "error open EPERM" => 5,
        "error EPERM" if !device_exists => 3,
        "error EPERM" => 5,
        "error EINVAL" => 4,
        "error EBUSY" | "error E2BIG" => 6,
        other => panic!("unexpected attach result {other:?}"),
    }
}

fn failing(checks: &[Value]) -> Vec<String> {
    for c in checks.iter().filter(|c| c["ok"] == false) {
        eprintln!("failing check: {c}");
    }
    checks
        .iter()
        .filter(|c| c["ok"] == false)
        .map(|c| c["check"].as_str().unwrap().to_string())
        .collect()
}

fn check<'a>(checks: &'a [Value], name: &str) -> &'a Value {
    checks
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no {name} check in {checks:?}"))
}

#[track_caller]
fn add(ns: &Netns, args: &[&str]) {
    let mut all = vec!["-q", "add"];
    all.extend_from_slice(args);
    assert_code(&ns.tt(&all), 0);
}

/// The core assertion: doctor's exit agrees with the real attach, and both
/// are what the scenario was built to provoke.
#[track_caller]
fn agree(doctor_exit: i32, attach_line: &str, device_exists: bool, want: i32) {
    assert_eq!(
        doctor_exit,
        expected_exit(attach_line, device_exists),
        "doctor's verdict (exit {doctor_exit}) disagrees with a real attach ({attach_line})"
    );
    assert_eq!(
        doctor_exit, want,
        "the scenario did not provoke what it should"
    );
}

#[test]
fn owner_mismatch() {
    let ns = netns_or_skip!();
    add(&ns, &["tap0", "--user", "daemon"]);
    let (exit, checks, _) = doctor(&ns, "666", &["tap0", "--user", "nobody", "--tap"]);
    let real = attach(&ns, "666", NOBODY, NOGROUP, None, &["tap0", "tap"]);
    agree(exit, &real, true, 5);
    assert_eq!(failing(&checks), ["owner"]);
    let owner = check(&checks, "owner");
    assert!(
        owner["detail"].as_str().unwrap().contains("daemon"),
        "{owner}"
    );
    assert!(
        owner["fix"]
            .as_str()
            .unwrap()
            .contains("tuntapctl set tap0 --user nobody")
    );
    // The owner itself passes, and really attaches.
    let (exit, _, _) = doctor(&ns, "666", &["tap0", "--user", "daemon", "--tap"]);
    let real = attach(&ns, "666", 1, 1, None, &["tap0", "tap"]);
    agree(exit, &real, true, 0);
}

#[test]
fn group_mismatch() {
    // The owner matches, but the device's group is one nobody is not in.
    let ns = netns_or_skip!();
    add(
        &ns,
        &["tap0", "--user", "nobody", "--group", &GROUP.to_string()],
    );
    let (exit, checks, _) = doctor(&ns, "666", &["tap0", "--user", "nobody"]);
    let real = attach(&ns, "666", NOBODY, NOGROUP, None, &["tap0", "tap"]);
    agree(exit, &real, true, 5);
    assert_eq!(failing(&checks), ["group"]);
    // With the group given (a process that has it), both succeed.
    let g = GROUP.to_string();
    let (exit, checks, _) = doctor(&ns, "666", &["tap0", "--user", "nobody", "--group", &g]);
    let real = attach(
        &ns,
        "666",
        NOBODY,
        NOGROUP,
        Some(&[GROUP]),
        &["tap0", "tap"],
    );
    agree(exit, &real, true, 0);
    assert!(
        check(&checks, "group")["detail"]
            .as_str()
            .unwrap()
            .contains("--group")
    );
}

#[test]
fn user_not_in_group() {
    // No owner, only a group: membership alone decides.
    let ns = netns_or_skip!();
    add(&ns, &["tap0", "--group", &GROUP.to_string()]);
    let (exit, checks, _) = doctor(&ns, "666", &["tap0", "--user", "nobody", "--tap"]);
    let real = attach(&ns, "666", NOBODY, NOGROUP, None, &["tap0", "tap"]);
    agree(exit, &real, true, 5);
    assert_eq!(failing(&checks), ["group"]);
    let fix = check(&checks, "group")["fix"].as_str().unwrap().to_string();
    assert!(fix.contains("usermod -aG"), "{fix}");
    // A process with other groups (but not this one) is refused too.
    let (exit, _, _) = doctor(&ns, "666", &["tap0", "--user", "nobody", "--group", "4343"]);
    let real = attach(&ns, "666", NOBODY, NOGROUP, Some(&[4343]), &["tap0", "tap"]);
    agree(exit, &real, true, 5);
}

#[test]
fn dev_net_tun_0600() {
    let ns = netns_or_skip!();
    add(&ns, &["tap0", "--user", "nobody"]);
    let (exit, checks, _) = doctor(&ns, "600", &["tap0", "--user", "nobody", "--tap"]);
    let real = attach(&ns, "600", NOBODY, NOGROUP, None, &["tap0", "tap"]);
    assert_eq!(real, "error open EACCES");
    agree(exit, &real, true, 5);
    assert_eq!(failing(&checks), ["/dev/net/tun"]);
    // The same device through a 0666 node is fine: it was the node.
    let (exit, _, _) = doctor(&ns, "666", &["tap0", "--user", "nobody", "--tap"]);
    let real = attach(&ns, "666", NOBODY, NOGROUP, None, &["tap0", "tap"]);
    agree(exit, &real, true, 0);
}

#[test]
fn mode_mismatch() {
    let ns = netns_or_skip!();
    add(&ns, &["tap0", "--user", "nobody"]);
    let (exit, checks, _) = doctor(&ns, "666", &["tap0", "--user", "nobody", "--tun"]);
    let real = attach(&ns, "666", NOBODY, NOGROUP, None, &["tap0", "tun"]);
    agree(exit, &real, true, 4);
    assert_eq!(failing(&checks), ["mode"]);
}

#[test]
fn multi_queue_mismatch() {
    let ns = netns_or_skip!();
    add(&ns, &["tap0", "--user", "nobody", "--multi-queue"]);
    let (exit, checks, _) = doctor(&ns, "666", &["tap0", "--user", "nobody", "--tap"]);
    let real = attach(&ns, "666", NOBODY, NOGROUP, None, &["tap0", "tap"]);
    agree(exit, &real, true, 4);
    assert_eq!(failing(&checks), ["multi-queue"]);
    // Asked the other way round: a single-queue device and IFF_MULTI_QUEUE.
    add(&ns, &["tap1", "--user", "nobody"]);
    let (exit, _, _) = doctor(&ns, "666", &["tap1", "--user", "nobody", "--multi-queue"]);
    let real = attach(
        &ns,
        "666",
        NOBODY,
        NOGROUP,
        None,
        &["tap1", "tap", "multi_queue"],
    );
    agree(exit, &real, true, 4);
}

#[test]
fn busy_with_a_holder() {
    let ns = netns_or_skip!();
    add(&ns, &["tap0", "--user", "nobody"]);
    let holder = ns.hold("tap0", "tap", &[]);
    let (exit, checks, _) = doctor(&ns, "666", &["tap0", "--user", "nobody", "--tap"]);
    let real = attach(&ns, "666", NOBODY, NOGROUP, None, &["tap0", "tap"]);
    agree(exit, &real, true, 6);
    assert_eq!(failing(&checks), ["busy"]);
    let detail = check(&checks, "busy")["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        detail.contains(&format!("tun_attach (pid {})", holder.pid())),
        "the holder is named: {detail}"
    );
    drop(holder);
    let (exit, _, _) = doctor(&ns, "666", &["tap0", "--user", "nobody", "--tap"]);
    let real = attach(&ns, "666", NOBODY, NOGROUP, None, &["tap0", "tap"]);
    agree(exit, &real, true, 0);
}

#[test]
fn queues_full() {
    let ns = netns_or_skip!();
    add(&ns, &["tap0", "--user", "nobody", "--multi-queue"]);
    let _holder = ns.hold("tap0", "tap", &["multi_queue", "queues=256"]);
    let (exit, checks, _) = doctor(&ns, "666", &["tap0", "--user", "nobody", "--multi-queue"]);
    let real = attach(
        &ns,
        "666",
        NOBODY,
        NOGROUP,
        None,
        &["tap0", "tap", "multi_queue"],
    );
    assert_eq!(real, "error E2BIG");
    agree(exit, &real, true, 6);
    assert_eq!(failing(&checks), ["queues"]);
}

#[test]
fn missing_device() {
    let ns = netns_or_skip!();
    let (exit, checks, _) = doctor(&ns, "666", &["tap9", "--user", "nobody", "--tap", "--try"]);
    let real = attach(&ns, "666", NOBODY, NOGROUP, None, &["tap9", "tap"]);
    // The kernel tries to create a missing name, which needs CAP_NET_ADMIN.
    agree(exit, &real, false, 3);
    assert!(ns.link("tap9").is_none(), "nothing was created");
    assert_eq!(failing(&checks), ["device"]);
    assert!(
        check(&checks, "device")["detail"]
            .as_str()
            .unwrap()
            .contains("no such device here")
    );
}

#[test]
fn not_a_tun() {
    let ns = netns_or_skip!();
    let out = ns.run(
        "ip",
        &["link", "add", "veth0", "type", "veth", "peer", "veth1"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let (exit, checks, _) = doctor(&ns, "666", &["veth0", "--user", "nobody", "--tap"]);
    let real = attach(&ns, "666", NOBODY, NOGROUP, None, &["veth0", "tap"]);
    agree(exit, &real, true, 4);
    assert_eq!(failing(&checks), ["device"]);
}

#[test]
fn try_attaches_for_real_and_changes_nothing() {
    let ns = netns_or_skip!();
    add(&ns, &["tap0", "--user", "nobody", "--pi", "--up"]);
    // The attacher would ask without pi: doctor notes the rewrite, and its
    // own try keeps the device's flags.
    let (exit, checks, _) = doctor(&ns, "666", &["tap0", "--user", "nobody", "--tap", "--try"]);
    assert_eq!(exit, 0, "{checks:?}");
    let t = check(&checks, "try");
    assert_eq!(t["ok"], true);
    assert!(t["detail"].as_str().unwrap().contains("carrier"), "{t}");
    assert!(
        check(&checks, "flags")["detail"]
            .as_str()
            .unwrap()
            .contains("pi on -> off")
    );
    let link = ns.link("tap0").expect("tap0 still there");
    assert_eq!(link["linkinfo"]["info_data"]["pi"], true, "pi kept: {link}");
    // Detached again: a real attach by the user works afterwards.
    let real = attach(&ns, "666", NOBODY, NOGROUP, None, &["tap0", "tap", "pi"]);
    assert!(real.starts_with("attached"), "{real}");
    // A refused try says what the kernel said.
    let (exit, checks, _) = doctor(&ns, "666", &["tap0", "--user", "daemon", "--try"]);
    assert_eq!(exit, 5);
    assert_eq!(failing(&checks), ["owner", "try"]);
}

#[test]
fn text_output_and_usage_errors() {
    let ns = netns_or_skip!();
    add(&ns, &["tap0", "--user", "daemon"]);
    let out = with_private_tun(
        &ns,
        "666",
        &format!("exec '{BIN}' doctor tap0 --user nobody --tap"),
    );
    assert_code(&out, 5);
    let text = stdout(&out);
    assert!(text.contains("FAIL owner"), "{text}");
    assert!(text.contains("fix: give it to nobody"), "{text}");
    assert!(
        text.trim_end()
            .ends_with("fails with Operation not permitted (EPERM) (exit 5)"),
        "{text}"
    );
    // A user may check itself without root; another user needs root.
    add(&ns, &["tap1", "--user", "nobody"]);
    let as_nobody = |args: &str| {
        with_private_tun(
            &ns,
            "666",
            &format!(
                "exec setpriv --reuid=65534 --regid=65534 --init-groups '{BIN}' doctor {args}"
            ),
        )
    };
    let out = as_nobody("tap1 --user nobody --tap --try");
    assert_code(&out, 0);
    assert!(stdout(&out).contains("verdict: nobody can attach to tap1"));
    let out = as_nobody("tap1 --user daemon --tap");
    assert_code(&out, 5);
    assert!(stderr(&out).contains("needs root"), "{}", stderr(&out));
    // An unknown user is a usage error, before anything is tried.
    let out = ns.tt(&["doctor", "tap0", "--user", "no-such-user-here"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("no-such-user-here"));
    // A uid without a passwd entry is checked with gid = uid, saying so
    // (issue 23 item 7; it used to be exit 2 asking for --group).
    let out = ns.tt(&["doctor", "tap0", "--user", "31337"]);
    assert_ne!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "ok   user          uid 31337 has no passwd entry: checked as uid 31337 gid 31337"
        ),
        "{}",
        stdout(&out)
    );
}

#[test]
fn group_added_after_login_is_noted() {
    // A "login session" of nobody (a session leader) that lacks nobody's
    // database group nogroup: as if the group had been added after login.
    let ns = netns_or_skip!();
    add(&ns, &["tap0", "--group", &NOGROUP.to_string()]);
    // setsid (not a group leader here, so it does not fork) makes the
    // session; the Holder kills it when the test ends, even on failure.
    let session = Holder {
        child: ns.spawn(
            "setsid",
            &[
                "setpriv",
                "--reuid=65534",
                "--regid=1",
                "--clear-groups",
                "sleep",
                "30",
            ],
        ),
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    let (exit, checks, _) = doctor(&ns, "666", &["tap0", "--user", "nobody", "--tap"]);
    // A new login has the group, and attaches.
    let real = attach(&ns, "666", NOBODY, NOGROUP, None, &["tap0", "tap"]);
    agree(exit, &real, true, 0);
    let group = check(&checks, "group");
    assert_eq!(group["ok"], true);
    let detail = group["detail"].as_str().unwrap();
    assert!(
        detail.contains(&format!("sleep pid {}", session.pid())) && detail.contains("after"),
        "{detail}"
    );
    assert!(group["fix"].as_str().unwrap().contains("log out"));
    // A process of that old session is refused, as the note warns.
    let stale = attach(&ns, "666", NOBODY, 1, Some(&[]), &["tap0", "tap"]);
    assert_eq!(stale, "error EPERM");
}

#[test]
fn an_acl_counts_not_only_the_mode_bits() {
    // A 0600 node with an ACL entry for nobody: the mode bits say no, the
    // kernel says yes. doctor must ask the kernel (a real open as the user).
    if std::process::Command::new("setfacl")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "SKIPPED an_acl_counts_not_only_the_mode_bits: setfacl is missing (apt-get install acl)"
        );
        return;
    }
    let ns = netns_or_skip!();
    add(&ns, &["tap0"]);
    let acl = "setfacl -m u:nobody:rw $NODE";
    let run_doctor = |user: &str| {
        let out = with_private_tun_setup(
            &ns,
            "600",
            acl,
            &format!("exec '{BIN}' --json doctor tap0 --user {user} --tap"),
        );
        let checks: Value = serde_json::from_slice(&out.stdout).expect("JSON checks");
        (code(&out), checks.as_array().unwrap().clone())
    };
    let real_attach = |uid: u32, gid: u32| {
        let out = with_private_tun_setup(
            &ns,
            "600",
            acl,
            &format!(
                "exec setpriv --reuid={uid} --regid={gid} --init-groups '{}' tap0 tap </dev/null",
                attach_helper()
            ),
        );
        stdout(&out).lines().next().unwrap_or("").to_string()
    };
    let (exit, checks) = run_doctor("nobody");
    agree(exit, &real_attach(NOBODY, NOGROUP), true, 0);
    assert!(failing(&checks).is_empty());
    // daemon has no ACL entry: refused, and doctor says so.
    let (exit, checks) = run_doctor("daemon");
    let real = real_attach(1, 1);
    assert_eq!(real, "error open EACCES");
    agree(exit, &real, true, 5);
    assert_eq!(failing(&checks), ["/dev/net/tun"]);
}

/// Issue 23 item 7: a numeric uid with no passwd entry is checked as a
/// process with just that uid and gid (= uid) has it, saying so, rather
/// than asking for --group.
#[test]
fn numeric_uid_without_passwd_entry() {
    let ns = netns_or_skip!();
    assert!(
        Command::new("getent")
            .args(["passwd", "4242"])
            .output()
            .is_ok_and(|o| !o.status.success()),
        "uid 4242 must have no passwd entry for this test"
    );
    add(&ns, &["tapD", "--user", "4242"]);
    let (exit, checks, _) = doctor(&ns, "666", &["tapD", "--user", "4242", "--tap"]);
    let real = attach(&ns, "666", 4242, 4242, Some(&[]), &["tapD", "tap"]);
    agree(exit, &real, true, 0);
    let user = check(&checks, "user");
    let detail = user["detail"].as_str().unwrap();
    assert!(
        detail.contains("no passwd entry") && detail.contains("gid 4242"),
        "{user}"
    );
    // Another owner: refused, as for the real attach.
    add(&ns, &["tapE", "--user", "daemon"]);
    let (exit, checks, _) = doctor(&ns, "666", &["tapE", "--user", "4242", "--tap"]);
    let real = attach(&ns, "666", 4242, 4242, Some(&[]), &["tapE", "tap"]);
    agree(exit, &real, true, 5);
    assert_eq!(failing(&checks), ["owner"]);
}
