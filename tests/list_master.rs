//! Issue 23, friction: `list --master BR` shows a bridge's ports.

mod common;

use common::*;

fn names(out: &std::process::Output) -> Vec<String> {
    json(out)
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn list_master_shows_the_ports_of_a_bridge() {
    let ns = netns_or_skip!();
    for br in ["br0", "br1"] {
        assert_code(&ns.run("ip", &["link", "add", br, "type", "bridge"]), 0);
    }
    for (tap, br) in [("tapa", "br0"), ("tapb", "br0"), ("tapc", "br1")] {
        assert_code(&ns.tt(&["-q", "add", tap, "--master", br]), 0);
    }
    assert_code(&ns.tt(&["-q", "add", "tapd"]), 0);
    let out = ns.tt(&["--json", "list", "--master", "br0"]);
    assert_code(&out, 0);
    assert_eq!(names(&out), ["tapa", "tapb"]);
    // Checked against iproute2's view of the ports.
    let out = ns.run("ip", &["-j", "link", "show", "master", "br0"]);
    let theirs: Vec<String> = serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["ifname"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(theirs, ["tapa", "tapb"]);
    let out = ns.tt(&["--json", "list", "--master", "br1", "tap*"]);
    assert_eq!(names(&out), ["tapc"]);
    let out = ns.tt(&["list", "--master", "nosuch"]);
    assert_code(&out, 3);
    assert!(stderr(&out).contains("nosuch"), "{}", stderr(&out));
}
