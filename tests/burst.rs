//! Changes go out many per sendmsg (`netlink/burst.rs`, 128 messages a
//! chunk). A batch long enough to need several chunks, with one request the
//! kernel refuses in the middle of one, must give every other line its
//! result and the refusal to its own line, checked with iproute2.

mod common;

use common::*;

#[test]
fn a_refusal_deep_in_a_long_burst_lands_on_its_own_line() {
    let ns = netns_or_skip!();
    // 300 taps, each an address and up: 600 changes, five chunks. Line 200
    // asks for an IPv6 address below IPv6's minimum MTU, which the kernel
    // refuses at the netlink step only.
    let lines: Vec<String> = (1..=300)
        .map(|i| {
            if i == 200 {
                format!("add tap{i} --mtu 1000 -a fd00::{i}/64 --up")
            } else {
                format!("add tap{i} -a 10.{}.{}.1/30 --up", i / 64, i % 64 * 4)
            }
        })
        .collect();
    let path = tempdir("burst").join("batch");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let out = ns.tt(&["-q", "batch", "--force", &path.display().to_string()]);
    assert_ne!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("line 200"), "{err}");
    assert!(
        !err.contains("line 199") && !err.contains("line 201"),
        "{err}"
    );
    let names = ns.link_names();
    assert!(
        !names.iter().any(|n| n == "tap200"),
        "tap200 was left behind"
    );
    for i in (1..=300).filter(|i| *i != 200) {
        let name = format!("tap{i}");
        let want = format!("10.{}.{}.1/30", i / 64, i % 64 * 4);
        assert!(ns.addresses(&name).contains(&want), "{name} lacks {want}");
        let link = ns.link(&name).unwrap();
        assert!(
            link["flags"].as_array().unwrap().iter().any(|f| f == "UP"),
            "{name} is not up"
        );
    }
}
