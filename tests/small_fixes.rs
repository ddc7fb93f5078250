//! Small things users hit: what an apply file's bad MAC error suggests, an
//! unprivileged apply's error (cause and fix once, no raw "os error", no
//! repeated name), and the README agreeing with the code (fault hooks, the
//! install path in the systemd examples).

mod common;

use std::process::Command;

use common::*;

fn run(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run tuntapctl")
}

#[test]
fn a_bad_mac_in_a_file_says_what_to_write_in_the_file() {
    let dir = tempdir("mac-in-file");
    for (file, text) in [
        ("m.json", r#"[{"name":"tap7","mac":"01:00:5e:00:00:01"}]"#),
        (
            "m.toml",
            "[[interface]]\nname = \"tap7\"\nmac = \"01:00:5e:00:00:01\"\n",
        ),
    ] {
        let path = dir.join(file);
        std::fs::write(&path, text).unwrap();
        let out = run(&["apply", "--dry-run", path.to_str().unwrap()]);
        assert_code(&out, 2);
        let err = stderr(&out);
        assert!(err.contains("entry 1 (tap7): mac:"), "{err}");
        assert!(err.contains("02:00:5e:00:00:01"), "{err}");
        assert!(err.contains("in the file"), "{err}");
        assert!(!err.contains("--mac"), "a flag is no help in a file: {err}");
    }
    // On the command line, --mac random is the way out.
    let out = run(&["add", "tap7", "--mac", "01:00:5e:00:00:01"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("--mac random"), "{}", stderr(&out));
}

#[test]
fn unprivileged_apply_gives_cause_and_fix_once() {
    let ns = netns_or_skip!();
    let dir = tempdir("apply-unpriv");
    let path = dir.join("a.json");
    std::fs::write(&path, r#"[{"name":"tap-vm1"}]"#).unwrap();
    // Readable by nobody (tempdir is under target/, usually 0755).
    let out = ns.run(
        "setpriv",
        &[
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            BIN,
            "apply",
            path.to_str().unwrap(),
        ],
    );
    let err = stderr(&out);
    if err.contains("Permission denied") && err.contains("setpriv") {
        eprintln!("SKIPPED: nobody cannot run the test binary here: {err}");
        return;
    }
    assert_code(&out, 5);
    assert_eq!(
        err.lines().count(),
        1,
        "one message, no warning ahead: {err}"
    );
    assert!(err.contains("creating tap-vm1: "), "{err}");
    assert!(!err.contains("tap-vm1: tap-vm1"), "name repeated: {err}");
    assert!(!err.contains("os error"), "raw OS error: {err}");
    assert!(
        err.contains("root") || err.contains("CAP_NET_ADMIN"),
        "{err}"
    );
    assert!(!ns.link_names().iter().any(|n| n == "tap-vm1"));
}

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn readme_counts_the_fault_hooks_it_lists() {
    let text = readme();
    let start = text.find("fault hooks").expect("fault hooks paragraph");
    let para_start = text[..start].rfind("\n\n").unwrap_or(0);
    let para_end = start + text[start..].find("\n\n").unwrap_or(text.len() - start);
    let para = &text[para_start..para_end];
    let mut hooks: Vec<&str> = para
        .split(|c: char| !(c.is_ascii_uppercase() || c == '_'))
        .filter(|w| w.starts_with("TUNTAPCTL_TEST_"))
        .collect();
    hooks.sort();
    hooks.dedup();
    let words = ["zero", "one", "two", "three", "four", "five", "six"];
    let said = words
        .iter()
        .position(|w| para.contains(&format!("{w} fault hooks")))
        .expect("the paragraph says how many fault hooks");
    assert_eq!(said, hooks.len(), "{hooks:?}\n{para}");
    // Each hook is one the code reads.
    let src = std::process::Command::new("grep")
        .args([
            "-rhoE",
            "TUNTAPCTL_TEST_[A-Z_]+",
            concat!(env!("CARGO_MANIFEST_DIR"), "/src"),
        ])
        .output()
        .unwrap();
    let src = String::from_utf8_lossy(&src.stdout).to_string();
    for h in hooks {
        assert!(src.lines().any(|l| l == h), "{h} is not in src/");
    }
}

#[test]
fn systemd_examples_use_the_install_default_path() {
    let root = env!("CARGO_MANIFEST_DIR");
    let install = std::fs::read_to_string(format!("{root}/scripts/install.sh")).unwrap();
    let prefix = install
        .lines()
        .find_map(|l| l.strip_prefix("PREFIX=${PREFIX:-"))
        .and_then(|l| l.strip_suffix('}'))
        .expect("install.sh default PREFIX");
    let bin = format!("{prefix}/bin/tuntapctl");
    let unit = std::fs::read_to_string(format!("{root}/contrib/tuntapctl-apply.service")).unwrap();
    let readme = readme();
    let exec_lines = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| {
                l.strip_prefix("ExecStart=")
                    .or_else(|| l.strip_prefix("ExecStop="))
            })
            .map(str::to_string)
            .collect()
    };
    // The README's examples use install.sh's default.
    for cmd in exec_lines(&readme) {
        assert!(cmd.starts_with(&bin), "{cmd} is not {bin}");
    }
    // The shipped unit names the packaged binary, and install.sh rewrites
    // it to where it installs.
    let packaged = "/usr/bin/tuntapctl";
    for cmd in exec_lines(&unit) {
        assert!(cmd.starts_with(packaged), "{cmd} is not {packaged}");
    }
    assert!(
        install.contains("s#^ExecStart=/usr/bin/tuntapctl#ExecStart=$PREFIX/bin/tuntapctl#"),
        "install.sh rewrites the unit's ExecStart to its PREFIX"
    );
    assert!(
        readme.contains("/usr/bin/tuntapctl"),
        "the README names the packaged path too"
    );
}
