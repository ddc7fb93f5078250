//! Issue 23 item 6: a batch that fails on a line keeps the lines before it
//! done (README: the result per line is what running the lines one by one
//! gives), also when they are `add` lines built together with it.

mod common;

use common::*;

fn run_batch(ns: &Netns, text: &str) -> std::process::Output {
    let path = tempdir("batch-partial").join("b.batch");
    std::fs::write(&path, text).unwrap();
    ns.tt(&["batch", path.to_str().unwrap()])
}

#[test]
fn an_existing_name_later_keeps_the_earlier_adds() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["-q", "add", "tap-old"]), 0);
    let out = run_batch(
        &ns,
        "add tap-n1\nadd tap-n2 --mtu 1400\nadd tap-old\nadd tap-n3\n",
    );
    assert_code(&out, 4);
    assert!(stderr(&out).contains("line 3"), "{}", stderr(&out));
    let n1 = ns.link("tap-n1").expect("line 1 is done");
    let n2 = ns.link("tap-n2").expect("line 2 is done");
    assert_eq!(n2["mtu"], 1400);
    // Done means done: persistent, as after `tuntapctl add`.
    for l in [&n1, &n2] {
        assert_eq!(l["linkinfo"]["info_data"]["persist"], true, "{l}");
    }
    assert!(ns.link("tap-n3").is_none(), "nothing of the lines after it");
    assert!(stdout(&out).contains("tap-n1"), "{}", stdout(&out));
}

#[test]
fn a_missing_master_later_keeps_the_earlier_adds() {
    let ns = netns_or_skip!();
    let out = run_batch(
        &ns,
        "add tap-m1\nadd tap-m2 --master nosuchbr\nadd tap-m3\n",
    );
    assert_code(&out, 3);
    assert!(ns.link("tap-m1").is_some(), "line 1 is done");
    assert!(ns.link("tap-m2").is_none());
    assert!(ns.link("tap-m3").is_none());
}
