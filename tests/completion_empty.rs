//! Issue 23, friction: `--master <TAB>` with no bridge offers nothing. The
//! bash script is registered with `-o default` (files for FILE arguments),
//! so an empty candidate list would fall back to file names: when
//! tuntapctl has no candidate, the script turns the fallback off for that
//! completion (`compopt +o default +o bashdefault`).

mod common;

use common::*;

/// Complete `line` with the bash script in a directory holding a file; the
/// candidates and every compopt call (compopt works only under a real
/// TAB, so the test records its calls).
fn complete(ns: &Netns, line: &str) -> (Vec<String>, String) {
    let dir = tempdir("complete-empty");
    std::fs::write(dir.join("brfile"), "").unwrap();
    let prelude = format!(
        r#"cd '{}' || exit 98
compopt() {{ echo "compopt $*" >> compopt.log; }}"#,
        dir.display()
    );
    let program = bash_completion_program(&prelude, line);
    let out = ns.run_env(
        "bash",
        &["--norc", "--noprofile", "-c", &program],
        &[("PATH", &path_with_bin())],
    );
    assert_code(&out, 0);
    let log = std::fs::read_to_string(dir.join("compopt.log")).unwrap_or_default();
    let words = stdout(&out)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    (words, log)
}

#[test]
fn master_with_no_bridge_offers_nothing() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["-q", "add", "tap0"]), 0);
    let (words, log) = complete(&ns, "tuntapctl set tap0 --master ");
    assert!(words.is_empty(), "{words:?}");
    assert!(
        log.contains("+o default"),
        "the file fallback stays on: {log:?}"
    );
    // With a bridge, it is offered and the fallback is left alone.
    assert_code(&ns.run("ip", &["link", "add", "br0", "type", "bridge"]), 0);
    let (words, log) = complete(&ns, "tuntapctl set tap0 --master ");
    assert_eq!(words, ["br0"]);
    assert!(log.is_empty(), "{log:?}");
}

#[test]
fn names_with_no_device_offer_nothing() {
    let ns = netns_or_skip!();
    let (words, log) = complete(&ns, "tuntapctl del ");
    assert!(words.is_empty(), "{words:?}");
    assert!(log.contains("+o default"), "{log:?}");
}
