//! Issue 23, friction: `set` takes several names.

mod common;

use common::*;

#[test]
fn set_changes_every_name() {
    let ns = netns_or_skip!();
    for n in ["tapa", "tapb", "tapc"] {
        assert_code(&ns.tt(&["-q", "add", n]), 0);
    }
    let out = ns.tt(&["set", "tapa", "tapb", "--mtu", "1400", "--up"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        text.contains("updated tapa: mtu 1400") && text.contains("updated tapb: mtu 1400"),
        "{text}"
    );
    for n in ["tapa", "tapb"] {
        assert_eq!(ns.link(n).unwrap()["mtu"], 1400, "{n}");
    }
    assert_eq!(ns.link("tapc").unwrap()["mtu"], 1500);
    let out = ns.tt(&["--json", "set", "tapa", "tapc", "--mtu", "1400"]);
    assert_code(&out, 0);
    let v = json(&out);
    assert_eq!(v[0]["name"], "tapa");
    assert_eq!(v[1]["name"], "tapc");
}

#[test]
fn every_name_is_checked_before_anything_changes() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["-q", "add", "tapa"]), 0);
    let out = ns.tt(&["set", "tapa", "nosuch", "--mtu", "1300"]);
    assert_code(&out, 3);
    assert!(stderr(&out).contains("nosuch"), "{}", stderr(&out));
    assert_eq!(ns.link("tapa").unwrap()["mtu"], 1500, "nothing changed");
    // What only one device can have is refused for several.
    for args in [
        &["set", "tapa", "tapb", "--rename", "tapz"][..],
        &["set", "tapa", "tapb", "--mac", "02:00:00:00:00:01"][..],
    ] {
        let out = ns.tt(args);
        assert_code(&out, 2);
        assert!(stderr(&out).contains("several"), "{}", stderr(&out));
    }
}
