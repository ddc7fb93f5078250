mod common;

use common::*;

#[test]
fn harness_add_list_del() {
    let ns = netns_or_skip!();
    let out = ns.tt(&["add", "tap44", "--user", "nobody"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), "created tap44 (tap, owner nobody)");
    let link = ns.link("tap44").expect("tap44 exists");
    assert_eq!(link["linkinfo"]["info_data"]["type"], "tap");
    assert_eq!(link["linkinfo"]["info_data"]["persist"], true);
    assert_eq!(ns.attach_as(65534, 65534, "tap44", "tap"), "attached tap44");
    assert_eq!(ns.attach_as(1, 1, "tap44", "tap"), "error EPERM");
    let holder = ns.hold("tap44", "tap", &[]);
    let out = ns.tt(&["del", "tap44"]);
    assert_code(&out, 6);
    assert!(
        stderr(&out).contains(&format!("pid {}", holder.pid())),
        "{}",
        stderr(&out)
    );
    drop(holder);
    assert_code(&ns.tt(&["del", "tap44"]), 0);
    assert!(ns.link("tap44").is_none());
}
