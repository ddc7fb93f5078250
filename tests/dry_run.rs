//! Issue 23, friction: `--dry-run` for `add` and `del`: every check of the
//! real run, nothing changed, and what would be done printed.

mod common;

use common::*;

#[test]
fn del_dry_run_checks_and_changes_nothing() {
    let ns = netns_or_skip!();
    for n in ["tapa", "tapb"] {
        assert_code(&ns.tt(&["-q", "add", n]), 0);
    }
    let out = ns.tt(&["del", "--dry-run", "tapa", "tapb"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("would be deleted tapa") && text.contains("would be deleted tapb"),
        "{text}"
    );
    assert!(
        ns.link("tapa").is_some() && ns.link("tapb").is_some(),
        "nothing deleted"
    );
    // The real run's refusals: missing (exit 3), held (exit 6).
    assert_code(&ns.tt(&["del", "--dry-run", "nosuch"]), 3);
    let _holder = ns.hold("tapa", "tap", &[]);
    let out = ns.tt(&["del", "--dry-run", "tap*"]);
    assert_code(&out, 6);
    assert!(ns.link("tapb").is_some());
}

#[test]
fn add_dry_run_says_what_it_would_make() {
    let ns = netns_or_skip!();
    let out = ns.tt(&[
        "add",
        "--dry-run",
        "tapn",
        "--user",
        "nobody",
        "--mtu",
        "1400",
        "-a",
        "10.5.0.1/24",
        "--up",
    ]);
    assert_code(&out, 0);
    let text = stdout(&out);
    for part in [
        "would be created tapn",
        "owner nobody",
        "mtu 1400",
        "address 10.5.0.1/24",
        "up",
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    assert!(ns.link("tapn").is_none(), "nothing created");
    // The real run's refusals: an existing name (exit 4), a missing master (exit 3).
    assert_code(&ns.tt(&["-q", "add", "tapx"]), 0);
    assert_code(&ns.tt(&["add", "--dry-run", "tapx"]), 4);
    assert_code(
        &ns.tt(&["add", "--dry-run", "tapm", "--master", "nosuch"]),
        3,
    );
    // --exist-ok: what would change on the existing device.
    let out = ns.tt(&[
        "add",
        "--dry-run",
        "tapx",
        "--exist-ok",
        "--mtu",
        "1300",
        "-a",
        "10.6.0.1/24",
    ]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("would be updated tapx")
            && text.contains("mtu 1300")
            && text.contains("added address 10.6.0.1/24"),
        "{text}"
    );
    assert_eq!(ns.link("tapx").unwrap()["mtu"], 1500, "nothing changed");
    let out = ns.tt(&["add", "--dry-run", "tapx", "--exist-ok"]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("nothing to change"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn batch_dry_run_checks_every_line_and_runs_none() {
    let ns = netns_or_skip!();
    let dir = tempdir("batch-dry-run");
    let file = dir.join("lines");
    std::fs::write(
        &file,
        "add tapd1 --user nobody -a 10.7.0.1/30 --up\nset tapd1 --mtu 1400\ndel tapd1\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let out = ns.tt(&["batch", "--dry-run", path]);
    assert_code(&out, 0);
    let text = stdout(&out);
    for line in [
        "would run line 1: add tapd1 --user nobody -a 10.7.0.1/30 --up",
        "would run line 2: set tapd1 --mtu 1400",
        "would run line 3: del tapd1",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    assert_eq!(ns.link_names(), ["lo"], "nothing made or changed");
    // A line that would not parse (an unknown user) fails the dry run as it
    // fails the real one: exit 2, naming the line, before anything.
    std::fs::write(&file, "add tapd2\nadd tapd3 --user no-such-user-xyz\n").unwrap();
    let out = ns.tt(&["batch", "--dry-run", path]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("line 2"), "{}", stderr(&out));
    assert_eq!(ns.link_names(), ["lo"]);
}
