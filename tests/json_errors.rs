//! SPEC §6: with --json a failure prints one error object on stdout (the
//! message still goes to stderr), with the documented kind and exit.

mod common;

use common::*;
use serde_json::Value;

fn error_object(out: &std::process::Output) -> Value {
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON object ({e}): {}", stdout(out)));
    v["error"].clone()
}

#[test]
fn failures_print_the_error_object() {
    let ns = netns_or_skip!();
    // not_found, with the interface.
    let out = ns.tt(&["--json", "del", "tap9"]);
    assert_code(&out, 3);
    let e = error_object(&out);
    assert_eq!(e["exit"], 3);
    assert_eq!(e["kind"], "not_found");
    assert_eq!(e["interface"], "tap9");
    assert!(
        stderr(&out).contains("tap9: no such interface"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        e["message"].as_str().unwrap(),
        stderr(&out).trim_end().trim_start_matches("tuntapctl: ")
    );
    // show of a missing name says which.
    let out = ns.tt(&["--json", "show", "zz"]);
    assert_code(&out, 3);
    let e = error_object(&out);
    assert_eq!(
        (e["interface"].as_str(), e["fix"].as_str()),
        (Some("zz"), Some("see `tuntapctl list`"))
    );
    // conflict, with the fix as data.
    let out = ns.tt(&["--json", "del", "lo"]);
    assert_code(&out, 4);
    let e = error_object(&out);
    assert_eq!(e["kind"], "conflict");
    assert!(e["fix"].as_str().unwrap().contains("ip-link(8)"), "{e}");
    // busy, naming the real holder's pid.
    assert_code(&ns.tt(&["-q", "add", "tap1"]), 0);
    let holder = ns.hold("tap1", "tap", &[]);
    let out = ns.tt(&["--json", "del", "tap1"]);
    assert_code(&out, 6);
    let e = error_object(&out);
    assert_eq!(e["kind"], "busy");
    assert_eq!(e["holders"][0]["pid"], holder.pid());
    drop(holder);
    // usage: a bad value, not about any interface yet.
    let out = ns.tt(&["--json", "add", "tap2", "--mtu", "huge"]);
    assert_code(&out, 2);
    assert_eq!(error_object(&out)["kind"], "usage");
    // A usage error that clap finds gives the same object.
    let out = ns.tt(&["--json", "add", "tap2", "--gruop", "x"]);
    assert_code(&out, 2);
    let e = error_object(&out);
    assert_eq!(
        (e["kind"].as_str(), e["exit"].as_i64()),
        (Some("usage"), Some(2))
    );
    assert!(e["message"].as_str().unwrap().contains("--gruop"), "{e}");
    // Help is not an error.
    let out = ns.tt(&["--json", "add", "--help"]);
    assert_code(&out, 0);
    assert!(!stdout(&out).contains("\"error\""));
    // Success prints no error object.
    let out = ns.tt(&["--json", "del", "tap1"]);
    assert_code(&out, 0);
    assert!(!stdout(&out).contains("\"error\""), "{}", stdout(&out));
}
