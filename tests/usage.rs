//! Usage lines and man page synopses (issue: optional options looked
//! required, `set --up --down` printed `Usage: tuntapctl set --up <NAME>`,
//! SYNOPSIS left out option values, tuntapctl(8)'s DESCRIPTION repeated
//! its NAME line). No kernel needed.

mod common;

use std::process::Command;

use common::*;

fn run(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run tuntapctl")
}

/// The `Usage:` block of a clap error or help, joined into one line.
fn usage(text: &str) -> String {
    let start = text
        .find("Usage: ")
        .unwrap_or_else(|| panic!("no usage: {text}"));
    text[start + 7..]
        .split("\n\n")
        .next()
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_typo_shows_the_whole_synopsis_with_optional_options() {
    let out = run(&["add", "--user", "x", "--gruop", "y", "tap0"]);
    assert_code(&out, 2);
    let u = usage(&stderr(&out));
    assert!(
        u.starts_with("tuntapctl [GLOBAL OPTIONS] add [NAME] "),
        "{u}"
    );
    for part in [
        "[-u|--user USER]",
        "[-g|--group GROUP]",
        "[--mac MAC|random]",
        "[-a|--address ADDR/PREFIX]...",
        "[-m|--mode tun|tap]",
    ] {
        assert!(u.contains(part), "{part} missing: {u}");
    }
    assert!(!u.contains("--user <USER>"), "{u}");
}

#[test]
fn conflicting_flags_show_the_choice() {
    let out = run(&["set", "--up", "--down", "tap0"]);
    assert_code(&out, 2);
    let u = usage(&stderr(&out));
    assert!(
        u.starts_with("tuntapctl [GLOBAL OPTIONS] set NAME... "),
        "{u}"
    );
    assert!(u.contains("[--up | --down]"), "{u}");
    assert!(u.contains("[--del-address ADDR[/PREFIX]]..."), "{u}");
    assert!(u.contains("[--carrier on|off]"), "{u}");
}

#[test]
fn help_and_errors_share_one_synopsis() {
    for (sub, args) in [
        ("del", vec!["del"]),
        ("list", vec!["list", "--bogus"]),
        ("show", vec!["show", "--bogus"]),
        ("apply", vec!["apply"]),
        ("batch", vec!["batch"]),
    ] {
        let err = usage(&stderr(&run(&args)));
        let help = usage(&stdout(&run(&[sub, "--help"])));
        assert_eq!(err, help, "{sub}");
        assert!(
            err.starts_with(&format!("tuntapctl [GLOBAL OPTIONS] {sub}")),
            "{err}"
        );
        assert!(!err.contains("--json"), "globals apart: {err}");
    }
    assert_eq!(
        usage(&stdout(&run(&["--help"]))),
        "tuntapctl [-j|--json] [-N|--netns NS] [-q|--quiet] [--socket PATH] COMMAND [ARGS]"
    );
    assert!(usage(&stdout(&run(&["list", "--help"]))).contains("list [PATTERN]..."));
    assert!(usage(&stdout(&run(&["del", "--help"]))).contains("del NAME... [--missing-ok]"));
}

fn section<'a>(page: &'a str, name: &str) -> &'a str {
    let start = page
        .find(&format!(".SH {name}\n"))
        .unwrap_or_else(|| panic!("no {name}"));
    let rest = &page[start + 5 + name.len()..];
    &rest[..rest.find("\n.SH ").unwrap_or(rest.len())]
}

fn page(name: &str) -> String {
    std::fs::read_to_string(format!("{}/man/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn man_synopsis_shows_values_and_keeps_globals_apart() {
    let add = page("tuntapctl-add.8");
    let syn = section(&add, "SYNOPSIS");
    assert!(
        syn.contains(r"[\fB\-u\fR|\fB\-\-user\fR\ \fIUSER\fR]"),
        "{syn}"
    );
    assert!(syn.contains(r"[\fB\-\-mtu\fR\ \fIN\fR]"), "{syn}");
    assert!(!syn.contains("json") && !syn.contains("netns"), "{syn}");
    // The command's own options and the global ones in separate sections.
    let opts = section(&add, "OPTIONS");
    assert!(
        opts.contains(r"\-\-user") && !opts.contains(r"\-\-netns"),
        "{opts}"
    );
    assert!(section(&add, "\"GLOBAL OPTIONS\"").contains(r"\-\-netns"));

    let main = page("tuntapctl.8");
    let syn = section(&main, "SYNOPSIS");
    assert!(
        syn.contains(r"[\fB\-N\fR|\fB\-\-netns\fR\ \fINS\fR]"),
        "{syn}"
    );
    // DESCRIPTION does not repeat the NAME line.
    let name_line = section(&main, "NAME")
        .trim()
        .split(r" \- ")
        .nth(1)
        .unwrap()
        .to_string();
    assert!(name_line.len() > 20);
    for p in ["tuntapctl.8", "tuntapctl-set.8", "tuntapctl-list.8"] {
        let text = page(p);
        let name_line = section(&text, "NAME")
            .trim()
            .split(r" \- ")
            .nth(1)
            .unwrap()
            .to_string();
        assert!(
            !section(&text, "DESCRIPTION").contains(&name_line),
            "{p}: DESCRIPTION repeats {name_line:?}"
        );
    }
}

#[test]
fn batch_force_help_says_a_bad_line_stops_everything() {
    let help = stdout(&run(&["batch", "--help"]));
    assert!(
        help.contains("does not parse") && help.contains("even with --force"),
        "{help}"
    );
    let page = page("tuntapctl-batch.8");
    let desc = section(&page, "DESCRIPTION");
    assert!(desc.contains("by design"), "{desc}");
}

#[test]
fn batch_force_with_a_bad_line_changes_nothing() {
    let ns = netns_or_skip!();
    let dir = tempdir("batch-force-parse");
    let file = dir.join("b.txt");
    std::fs::write(&file, "add tap1\nadd tap1\nbogus line\nadd tap2\n").unwrap();
    let out = ns.tt(&["batch", "--force", file.to_str().unwrap()]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("line 3"), "{}", stderr(&out));
    let names = ns.link_names();
    assert!(!names.iter().any(|n| n.starts_with("tap")), "{names:?}");
}
