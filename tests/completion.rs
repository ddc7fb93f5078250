//! Shell completion in a real bash (completions/tuntapctl.bash), and the
//! help/usage behaviour people see at a shell.

mod common;

use std::process::{Command, Output, Stdio};

use common::*;

/// The bash arguments that complete `line` as if TAB were pressed at its
/// end and print COMPREPLY, one per line.
fn bash_program(line: &str) -> Vec<String> {
    vec![
        "--norc".into(),
        "--noprofile".into(),
        "-c".into(),
        bash_completion_program("set -u", line),
    ]
}

fn replies(out: &Output, line: &str) -> Vec<String> {
    assert!(
        out.status.success(),
        "bash completing {line:?}: {}\n{}",
        stdout(out),
        stderr(out)
    );
    let mut v: Vec<String> = stdout(out)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    v.sort();
    v
}

/// Complete `line` in the given namespace.
fn complete_in(ns: &Netns, line: &str) -> Vec<String> {
    let args = bash_program(line);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let path = path_with_bin();
    replies(&ns.run_env("bash", &args, &[("PATH", &path)]), line)
}

/// Complete `line` in the test's own namespace: only for completions that
/// never look at interfaces.
fn complete_here(line: &str) -> Vec<String> {
    let out = Command::new("bash")
        .args(bash_program(line))
        .env("PATH", path_with_bin())
        .stdin(Stdio::null())
        .output()
        .expect("run bash");
    replies(&out, line)
}

fn strings(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn bash_completes_existing_tun_tap_names_only() {
    let ns = netns_or_skip!();
    for args in [["add", "tap1"], ["add", "tap2"], ["add", "tun0"]] {
        assert_code(&ns.tt(&[args[0], args[1], "--user", "root"]), 0);
    }
    // Links that are not tun/tap, two of them with names starting "ta": a
    // dummy where the kernel has the module, else (containers) a veth pair.
    let dummy = ns.run("ip", &["link", "add", "d0", "type", "dummy"]);
    let others = if dummy.status.success() {
        let out = ns.run("ip", &["link", "add", "tapdummy", "type", "dummy"]);
        assert!(
            out.status.success(),
            "ip link add tapdummy: {}",
            stderr(&out)
        );
        vec!["d0", "tapdummy"]
    } else {
        eprintln!(
            "note: no dummy links here ({}); using a veth pair",
            stderr(&dummy).trim()
        );
        let out = ns.run(
            "ip",
            &[
                "link", "add", "d0", "type", "veth", "peer", "name", "tapveth",
            ],
        );
        assert!(
            out.status.success(),
            "ip link add d0 type veth: {}",
            stderr(&out)
        );
        vec!["d0", "tapveth"]
    };
    let names = ns.link_names();
    for name in ["lo", "tap1", "tap2", "tun0"].iter().chain(&others) {
        assert!(
            names.contains(&name.to_string()),
            "{name} missing from {names:?}"
        );
    }

    assert_eq!(
        complete_in(&ns, "tuntapctl del ta"),
        strings(&["tap1", "tap2"])
    );
    assert_eq!(
        complete_in(&ns, "tuntapctl del "),
        strings(&["tap1", "tap2", "tun0"])
    );
    assert_eq!(
        complete_in(&ns, "tuntapctl rm tap1 "),
        strings(&["tap1", "tap2", "tun0"])
    );
    assert_eq!(complete_in(&ns, "tuntapctl show tu"), strings(&["tun0"]));
    assert_eq!(
        complete_in(&ns, "tuntapctl -q set t"),
        strings(&["tap1", "tap2", "tun0"])
    );
    assert_eq!(
        complete_in(&ns, "tuntapctl set --mtu 9000 tap"),
        strings(&["tap1", "tap2"])
    );
    // set takes one NAME: after it come options, not more names.
    let after_name = complete_in(&ns, "tuntapctl set tap1 ");
    assert!(!after_name.iter().any(|r| is_ours(r)), "{after_name:?}");
    assert!(after_name.contains(&"--mtu".to_string()), "{after_name:?}");
    // The value of an option is not a name.
    let mtu = complete_in(&ns, "tuntapctl set tap1 --mtu ");
    assert!(!mtu.iter().any(|r| is_ours(r)), "{mtu:?}");
    // add creates new names: existing ones are not offered.
    let add = complete_in(&ns, "tuntapctl add ta");
    assert!(!add.contains(&"tap1".to_string()), "{add:?}");
}

fn is_ours(name: &str) -> bool {
    ["tap1", "tap2", "tun0"].contains(&name)
}

#[test]
fn bash_names_follow_netns_option() {
    let ns = netns_or_skip!();
    let other = netns_or_skip!();
    assert_code(&other.tt(&["add", "tapother"]), 0);
    assert_code(&ns.tt(&["add", "tapmine"]), 0);
    let line = format!(
        "tuntapctl --netns {} del tap",
        other.path_for_child().display()
    );
    assert_eq!(complete_in(&ns, &line), strings(&["tapother"]));
    assert_eq!(complete_in(&ns, "tuntapctl del tap"), strings(&["tapmine"]));
}

#[test]
fn bash_completes_subcommands_modes_users_groups() {
    assert_eq!(complete_here("tuntapctl ad"), strings(&["add"]));
    assert_eq!(
        complete_here("tuntapctl add x --mode "),
        strings(&["tap", "tun"])
    );
    assert_eq!(
        complete_here("tuntapctl list -m t"),
        strings(&["tap", "tun"])
    );
    let users = complete_here("tuntapctl add tap0 --user roo");
    assert!(users.contains(&"root".to_string()), "{users:?}");
    assert!(users.iter().all(|u| u.starts_with("roo")), "{users:?}");
    let users = complete_here("tuntapctl set tap0 -u roo");
    assert!(users.contains(&"root".to_string()), "{users:?}");
    let groups = complete_here("tuntapctl add tap0 --group roo");
    assert!(groups.contains(&"root".to_string()), "{groups:?}");
    // The hidden helper is not offered.
    let subs = complete_here("tuntapctl ");
    assert!(subs.contains(&"del".to_string()), "{subs:?}");
    assert!(!subs.iter().any(|s| s.starts_with("__")), "{subs:?}");
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("TUNTAPCTL_TEST_LOCK_PATH", test_lock_path())
        .stdin(Stdio::null())
        .output()
        .expect("run tuntapctl")
}

#[test]
fn version_and_help() {
    let out = run(&["--version"]);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out).trim(),
        format!("tuntapctl {}", env!("CARGO_PKG_VERSION"))
    );

    let out = run(&["add", "--help"]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("tuntapctl add tap44 --user waldner"),
        "{}",
        stdout(&out)
    );

    let out = run(&["--help"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("Examples:"), "{}", stdout(&out));

    let cmd = tuntapctl::cli::command();
    let subs: Vec<String> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name().to_string())
        .collect();
    assert!(subs.len() >= 8, "{subs:?}");
    for sub in &subs {
        let out = run(&[sub, "--help"]);
        assert_code(&out, 0);
        assert!(
            stdout(&out).contains("\nExamples:\n"),
            "`tuntapctl {sub} --help` has no Examples section:\n{}",
            stdout(&out)
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["add", "--no-such-option"][..],
        &["frobnicate"],
        &["add", "--mode", "ethernet"],
        &["del"],
        &[],
    ] {
        let out = run(args);
        assert_code(&out, 2);
        assert!(
            out.stdout.is_empty() || args.is_empty(),
            "{args:?}: {}",
            stdout(&out)
        );
    }
}

#[test]
fn completions_command_prints_the_checked_in_bash_script() {
    let out = run(&["completions", "bash"]);
    assert_code(&out, 0);
    let file = std::fs::read_to_string(BASH_COMPLETION).expect("completions/tuntapctl.bash");
    assert!(
        stdout(&out) == file,
        "`tuntapctl completions bash` differs from completions/tuntapctl.bash; run UPDATE_GOLDEN=1 cargo test --test golden"
    );
}

#[test]
fn fish_completes_existing_tun_tap_names() {
    if Command::new("fish").arg("--version").output().is_err() {
        eprintln!("SKIPPED fish_completes_existing_tun_tap_names: fish is not installed");
        return;
    }
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["add", "tap1"]), 0);
    assert_code(&ns.tt(&["add", "tun0"]), 0);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/completions/tuntapctl.fish");
    let program = format!(
        "source '{script}'; complete -C 'tuntapctl del t'; echo SPLIT; complete -C 'tuntapctl set tap1 --mtu 1 t'"
    );
    let path = path_with_bin();
    let out = ns.run_env("fish", &["--no-config", "-c", &program], &[("PATH", &path)]);
    assert_code(&out, 0);
    let text = stdout(&out);
    let (del, set) = text.split_once("SPLIT\n").expect("two parts");
    let mut names: Vec<&str> = del.lines().map(|l| l.split('\t').next().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["tap1", "tun0"], "{text}");
    assert!(!set.contains("tap1"), "set takes one NAME: {text}");
}
