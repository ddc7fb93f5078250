//! Issue 23 item 2: a device held by a thread whose fd table is not the
//! main thread's is held all the same (list shows the process, del and
//! apply --prune refuse it). Two shapes: the main thread has exited
//! (pthread_exit) while another thread keeps the fd, and a thread that
//! unshared its fd table (CLONE_FILES) before attaching.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{BIN, assert_code, json, stderr, test_lock_path};

fn holder_pids(ns: &common::Netns, name: &str) -> Vec<u64> {
    let out = ns.tt(&["--json", "show", name]);
    assert_code(&out, 0);
    json(&out)[0]["processes"]
        .as_array()
        .expect("processes array")
        .iter()
        .map(|p| p["pid"].as_u64().unwrap())
        .collect()
}

fn prune_to(ns: &common::Netns, keep: &str) -> std::process::Output {
    let input = format!(r#"[{{"name":"{keep}"}}]"#);
    ns.within(move || {
        let mut child = Command::new(BIN)
            .args(["apply", "--prune", "-"])
            .env("TUNTAPCTL_TEST_LOCK_PATH", test_lock_path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn tuntapctl");
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(input.as_bytes()).unwrap();
        drop(stdin);
        child.wait_with_output().unwrap()
    })
}

fn held_by_a_thread(how: &str) {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["-q", "add", "tapT"]), 0);
    assert_code(&ns.tt(&["-q", "add", "tapK"]), 0);
    let holder = ns.hold("tapT", "tap", &[&format!("thread={how}")]);
    let pid = u64::from(holder.pid());
    // Checked independently: the fd is in a thread's table.
    let tasks: Vec<_> = std::fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap()
        .flatten()
        .collect();
    assert!(tasks.len() >= 2, "the helper runs two threads");

    assert_eq!(holder_pids(&ns, "tapT"), [pid], "show names the holder");
    let out = ns.tt(&["--json", "list"]);
    assert_code(&out, 0);
    let list = json(&out);
    let tap = list
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "tapT")
        .expect("tapT listed");
    assert_eq!(tap["processes"][0]["pid"].as_u64(), Some(pid), "{tap}");

    let out = ns.tt(&["del", "tapT"]);
    assert_code(&out, 6);
    assert!(
        stderr(&out).contains(&format!("pid {pid}")),
        "{}",
        stderr(&out)
    );
    assert!(ns.link("tapT").is_some(), "del left the held tap alone");

    let out = prune_to(&ns, "tapK");
    assert_code(&out, 6);
    assert!(stderr(&out).contains("tapT"), "{}", stderr(&out));
    assert!(
        ns.link("tapT").is_some(),
        "apply --prune left the held tap alone"
    );
    drop(holder);
    assert_code(&prune_to(&ns, "tapK"), 0);
    assert!(ns.link("tapT").is_none());
}

#[test]
fn held_by_a_thread_after_the_main_thread_exited() {
    held_by_a_thread("exit");
}

#[test]
fn held_by_a_thread_with_its_own_fd_table() {
    held_by_a_thread("unshare");
}
