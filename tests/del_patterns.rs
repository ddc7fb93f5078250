//! Issue 23, friction: `del` takes the patterns `list` and `show` take, and
//! refuses a pattern that matches a held device as it refuses a name.

mod common;

use common::*;

#[test]
fn del_deletes_what_a_pattern_matches() {
    let ns = netns_or_skip!();
    for n in ["tap-vm1", "tap-vm2", "tap-x"] {
        assert_code(&ns.tt(&["-q", "add", n]), 0);
    }
    let holder = ns.hold("tap-vm2", "tap", &[]);
    let out = ns.tt(&["del", "tap-vm*"]);
    assert_code(&out, 6);
    assert!(stderr(&out).contains("tap-vm2"), "{}", stderr(&out));
    assert!(ns.link("tap-vm1").is_some(), "nothing was deleted");
    drop(holder);
    let out = ns.tt(&["del", "tap-vm*"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("tap-vm1") && text.contains("tap-vm2"),
        "{text}"
    );
    assert!(ns.link("tap-vm1").is_none() && ns.link("tap-vm2").is_none());
    assert!(ns.link("tap-x").is_some());
}

#[test]
fn a_pattern_that_matches_nothing() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["-q", "add", "tap-x"]), 0);
    let out = ns.tt(&["del", "nomatch*"]);
    assert_code(&out, 3);
    assert!(stderr(&out).contains("nomatch*"), "{}", stderr(&out));
    assert_code(&ns.tt(&["del", "nomatch*", "--missing-ok"]), 0);
    // Only tun/tap devices match: a bridge never does.
    assert_code(
        &ns.run("ip", &["link", "add", "tap-br", "type", "bridge"]),
        0,
    );
    assert_code(&ns.tt(&["del", "tap-*"]), 0);
    assert!(ns.link("tap-br").is_some());
    assert!(ns.link("tap-x").is_none());
}
