//! Issue 23 item 5: a bulk del killed between moving its targets into its
//! temporary interface group (0x70000000 | pid) and deleting the group
//! leaves them there. A later list, apply or bulk del finds such a group
//! whose process is gone and puts the devices back in the default group,
//! saying so.

mod common;

use common::*;

/// The group a bulk del with this pid uses.
fn temp_group(pid: u32) -> u32 {
    0x7000_0000 | pid
}

/// A pid that is certainly not running: a child that has exited and been
/// reaped.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

/// Taps left as a killed bulk del leaves them.
fn leave_in_temp_group(ns: &Netns, names: &[&str]) -> u32 {
    let group = temp_group(dead_pid());
    for n in names {
        assert_code(&ns.tt(&["-q", "add", n]), 0);
        let out = ns.run("ip", &["link", "set", n, "group", &group.to_string()]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    group
}

fn group_of(ns: &Netns, name: &str) -> String {
    let link = ns.link(name).unwrap_or_else(|| panic!("{name} is gone"));
    link["group"]
        .as_str()
        .map(String::from)
        .unwrap_or_else(|| link["group"].to_string())
}

#[test]
fn list_restores_a_killed_bulk_dels_group() {
    let ns = netns_or_skip!();
    let group = leave_in_temp_group(&ns, &["kd0", "kd1", "kd2"]);
    assert_eq!(group_of(&ns, "kd0"), group.to_string());
    let out = ns.tt(&["list"]);
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(
        err.contains("kd0") && err.contains("killed before it finished"),
        "{err}"
    );
    for n in ["kd0", "kd1", "kd2"] {
        assert_eq!(group_of(&ns, n), "default", "{n}");
    }
    // Said once: nothing is left to say the next time.
    assert!(!stderr(&ns.tt(&["list"])).contains("killed before it finished"));
}

#[test]
fn apply_and_bulk_del_restore_it_too() {
    let ns = netns_or_skip!();
    leave_in_temp_group(&ns, &["ka0", "ka1"]);
    let path = tempdir("recover").join("a.json");
    std::fs::write(&path, r#"[{"name":"ka0"},{"name":"ka1"}]"#).unwrap();
    let out = ns.tt(&["apply", path.to_str().unwrap()]);
    assert_code(&out, 0);
    assert!(
        stderr(&out).contains("killed before it finished"),
        "{}",
        stderr(&out)
    );
    assert_eq!(group_of(&ns, "ka0"), "default");

    leave_in_temp_group(&ns, &["kb0"]);
    for n in ["kc0", "kc1", "kc2"] {
        assert_code(&ns.tt(&["-q", "add", n]), 0);
    }
    let out = ns.tt(&["del", "kc0", "kc1", "kc2"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("kb0"), "{}", stderr(&out));
    assert_eq!(group_of(&ns, "kb0"), "default");
    assert!(ns.link("kc0").is_none());
}

#[test]
fn a_running_processs_group_is_left_alone() {
    let ns = netns_or_skip!();
    // A live process whose name is tuntapctl: its bulk del may be under way.
    let dir = tempdir("livegroup");
    let exe = dir.join("tuntapctl");
    std::fs::copy("/bin/sleep", &exe).unwrap();
    // Another test thread forking while the copy's write fd was open can
    // hold it a moment longer (ETXTBSY): try again briefly.
    let mut tries = 0;
    let mut live = loop {
        match std::process::Command::new(&exe).arg("30").spawn() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 100 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => break other.unwrap(),
        }
    };
    let group = temp_group(live.id());
    assert_code(&ns.tt(&["-q", "add", "kl0"]), 0);
    assert!(
        ns.run("ip", &["link", "set", "kl0", "group", &group.to_string()])
            .status
            .success()
    );
    let out = ns.tt(&["list"]);
    assert_code(&out, 0);
    assert_eq!(group_of(&ns, "kl0"), group.to_string());
    let _ = live.kill();
    let _ = live.wait();
}
