//! Issue 23 item 4: a 255-byte alias (the kernel's IFALIASZ is 256 with the
//! NUL) is set as `ip link set alias` sets it, survives the list --json →
//! apply round trip, and an error quotes at most 60 characters of it.

mod common;

use common::{assert_code, stderr, stdout};

#[test]
fn a_255_byte_alias_is_set_and_round_trips() {
    let ns = netns_or_skip!();
    let alias = "a".repeat(254) + "z";
    assert_code(&ns.tt(&["-q", "add", "tapA"]), 0);
    let out = ns.tt(&["set", "tapA", "--alias", &alias]);
    assert_code(&out, 0);
    assert_eq!(ns.link("tapA").unwrap()["ifalias"], alias.as_str());
    // What iproute2 accepts, we accept: the same value again is "unchanged".
    let out = ns.tt(&["set", "tapA", "--alias", &alias]);
    assert_code(&out, 0);

    let out = ns.tt(&["--json", "list"]);
    assert_code(&out, 0);
    let path = common::tempdir("alias255").join("state.json");
    std::fs::write(&path, stdout(&out)).unwrap();
    assert_code(&ns.tt(&["del", "tapA"]), 0);
    let out = ns.tt(&["apply", path.to_str().unwrap()]);
    assert_code(&out, 0);
    assert_eq!(ns.link("tapA").unwrap()["ifalias"], alias.as_str());
}

#[test]
fn errors_quote_at_most_60_characters_of_an_alias() {
    let ns = netns_or_skip!();
    let alias = "b".repeat(200);
    assert_code(&ns.tt(&["-q", "add", "tapB"]), 0);
    // The alias is applied, then the master step fails: the error says what
    // was already applied.
    let out = ns.tt(&["set", "tapB", "--alias", &alias, "--master", "lo"]);
    assert_code(&out, 4);
    let err = stderr(&out);
    assert!(err.contains(&"b".repeat(60)), "{err}");
    assert!(!err.contains(&"b".repeat(61)), "{err}");
    let long = "c".repeat(300);
    let out = ns.tt(&["set", "tapB", "--alias", &long]);
    assert_code(&out, 2);
    assert!(!stderr(&out).contains(&"c".repeat(61)), "{}", stderr(&out));
}
