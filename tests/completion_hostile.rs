//! Completion with hostile device names (issue 23, item 1): a tap or bridge
//! named `$(id>PWNED)` must never run as code when root presses TAB. Names
//! are data: each shell we ship is driven over devices whose names hold
//! shell metacharacters, and neither a command runs nor a raw name is offered.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// Names the kernel accepts (no `/`, `:`, whitespace) that a shell would
/// run, split, glob or expand if it evaluated them again.
const HOSTILE_TAPS: [&str; 8] = [
    "$(id>PWNED1)",
    "`id>PWNED2`",
    "a;id>PWNED3",
    "q'x",
    "q\"x",
    "q\\x",
    "q*",
    "q$HOME",
];
const HOSTILE_BRIDGE: &str = "$(id>PWNEDB)";

/// A namespace holding the hostile taps and bridge, plus two plain ones.
fn hostile_namespace() -> Option<Netns> {
    let ns = Netns::new()?;
    for name in HOSTILE_TAPS {
        let out = ns.run("ip", &["tuntap", "add", "name", name, "mode", "tap"]);
        assert!(
            out.status.success(),
            "ip tuntap add {name}: {}",
            stderr(&out)
        );
    }
    let out = ns.run(
        "ip",
        &["link", "add", "name", HOSTILE_BRIDGE, "type", "bridge"],
    );
    assert!(out.status.success(), "ip link add bridge: {}", stderr(&out));
    assert_code(
        &ns.run("ip", &["link", "add", "br-ok", "type", "bridge"]),
        0,
    );
    assert_code(&ns.tt(&["add", "tap-ok"]), 0);
    assert_code(&ns.tt(&["add", "qsafe"]), 0);
    Some(ns)
}

/// No file named PWNED* appeared in `dir` (where the shell ran).
fn assert_nothing_ran(dir: &Path, shell: &str, output: &str) {
    let made: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("PWNED"))
        .collect();
    assert!(
        made.is_empty(),
        "{shell} ran a device name as a command (made {made:?}):\n{output}"
    );
}

fn sorted_lines(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    v.sort();
    v
}

#[test]
fn bash_completion_never_runs_device_names() {
    let Some(ns) = hostile_namespace() else {
        eprintln!("SKIPPED bash_completion_never_runs_device_names: needs root");
        return;
    };
    let dir = tempdir("complete-bash");
    for (line, want) in [
        ("tuntapctl del ", vec!["qsafe", "tap-ok"]),
        ("tuntapctl show ", vec!["qsafe", "tap-ok"]),
        ("tuntapctl del q", vec!["qsafe"]),
        ("tuntapctl set ", vec!["qsafe", "tap-ok"]),
        ("tuntapctl list ", vec!["qsafe", "tap-ok"]),
        ("tuntapctl add tapx --master ", vec!["br-ok"]),
        ("tuntapctl set tap-ok --master ", vec!["br-ok"]),
    ] {
        let program = bash_completion_program(&format!("cd '{}' || exit 98", dir.display()), line);
        let out = ns.run_env(
            "bash",
            &["--norc", "--noprofile", "-c", &program],
            &[("PATH", &path_with_bin())],
        );
        assert_code(&out, 0);
        assert_nothing_ran(&dir, "bash", &stdout(&out));
        assert_eq!(sorted_lines(&stdout(&out)), want, "completing {line:?}");
    }
}

#[test]
fn fish_completion_never_runs_device_names() {
    if Command::new("fish").arg("--version").output().is_err() {
        eprintln!("SKIPPED fish_completion_never_runs_device_names: fish is not installed");
        return;
    }
    let Some(ns) = hostile_namespace() else {
        eprintln!("SKIPPED fish_completion_never_runs_device_names: needs root");
        return;
    };
    let dir = tempdir("complete-fish");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/completions/tuntapctl.fish");
    let program = format!(
        "cd '{}'; source '{script}'; complete -C 'tuntapctl del '; echo SPLIT; complete -C 'tuntapctl add tapx --master '",
        dir.display()
    );
    let out = ns.run_env(
        "fish",
        &["--no-config", "-c", &program],
        &[("PATH", &path_with_bin())],
    );
    assert_code(&out, 0);
    let text = stdout(&out);
    assert_nothing_ran(&dir, "fish", &text);
    let (del, master) = text.split_once("SPLIT\n").expect("two parts");
    let first = |part: &str| -> Vec<String> {
        let mut v: Vec<String> = part
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(first(del), ["qsafe", "tap-ok"], "{text}");
    assert_eq!(first(master), ["br-ok"], "{text}");
}

/// zsh's completion system needs a terminal to run for real; its pieces
/// that touch names (`_call_program`, `_wanted`, `compadd`) are replaced by
/// stand-ins that behave as compsys does with them (`_call_program` evals
/// its words, as the real one does) and print what would be offered.
#[test]
fn zsh_completion_never_runs_device_names() {
    if Command::new("zsh").arg("--version").output().is_err() {
        eprintln!("SKIPPED zsh_completion_never_runs_device_names: zsh is not installed");
        return;
    }
    let Some(ns) = hostile_namespace() else {
        eprintln!("SKIPPED zsh_completion_never_runs_device_names: needs root");
        return;
    };
    let dir = tempdir("complete-zsh");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/completions/_tuntapctl");
    let program = format!(
        r#"cd '{dir}' || exit 98
compdef() {{ : }}
_call_program() {{ shift; eval "$@" }}
_wanted() {{ shift 3; "$@" }}
compadd() {{ [[ $1 == -a ]] && print -rl -- "${{(@P)2}}" }}
source '{script}'
words=(tuntapctl del '')
_tuntapctl_names
print SPLIT
_tuntapctl_masters
"#,
        dir = dir.display()
    );
    let out = ns.run_env(
        "zsh",
        &["-f", "-c", &program],
        &[("PATH", &path_with_bin())],
    );
    assert_code(&out, 0);
    let text = stdout(&out);
    assert_nothing_ran(&dir, "zsh", &text);
    let (names, masters) = text.split_once("SPLIT\n").expect("two parts");
    assert_eq!(sorted_lines(names), ["qsafe", "tap-ok"], "{text}");
    assert_eq!(sorted_lines(masters), ["br-ok"], "{text}");
}

/// elvish and PowerShell complete from clap's static tables only: they never
/// ask for device names, so no name can reach them.
#[test]
fn elvish_and_powershell_never_ask_for_device_names() {
    for file in ["tuntapctl.elv", "_tuntapctl.ps1"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("completions")
            .join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains("__complete"),
            "{file} asks tuntapctl for names: it must treat them as data"
        );
    }
}

/// The candidate lists themselves leave out every name a shell could read
/// as more than a word, so even a shell script that re-expands its words
/// gets nothing to run.
#[test]
fn candidate_lists_hold_only_plain_words() {
    let Some(ns) = hostile_namespace() else {
        eprintln!("SKIPPED candidate_lists_hold_only_plain_words: needs root");
        return;
    };
    let out = ns.tt(&["__complete-names"]);
    assert_code(&out, 0);
    assert_eq!(sorted_lines(&stdout(&out)), ["qsafe", "tap-ok"]);
    let out = ns.tt(&["__complete-masters"]);
    assert_code(&out, 0);
    assert_eq!(sorted_lines(&stdout(&out)), ["br-ok"]);
}
