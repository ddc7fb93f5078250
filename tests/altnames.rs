//! Issue 23 item 3: an altname (`ip link property add dev tap0 altname
//! foo`) names its device once: commands act on the device and report it
//! under its real name with a note; apply refuses an altname, the same in
//! --dry-run and a real run.

mod common;

use common::{assert_code, json, stderr, stdout};

fn with_altname() -> Option<common::Netns> {
    let ns = common::Netns::new()?;
    assert_code(&ns.tt(&["-q", "add", "tap0"]), 0);
    let out = ns.run(
        "ip",
        &["link", "property", "add", "dev", "tap0", "altname", "foo"],
    );
    assert!(
        out.status.success(),
        "ip link property add: {}",
        stderr(&out)
    );
    Some(ns)
}

macro_rules! ns_or_skip {
    () => {
        match with_altname() {
            Some(ns) => ns,
            None => {
                eprintln!("SKIPPED: cannot create a network namespace");
                return;
            }
        }
    };
}

#[test]
fn set_by_altname_changes_the_device_and_says_so() {
    let ns = ns_or_skip!();
    let out = ns.tt(&["set", "foo", "--mtu", "1400"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("tap0"), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("foo is an altname of tap0"),
        "{}",
        stderr(&out)
    );
    assert_eq!(ns.link("tap0").unwrap()["mtu"], 1400);
    let out = ns.tt(&["--json", "set", "foo", "--mtu", "1300"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["name"], "tap0", "{}", stdout(&out));
}

#[test]
fn add_exist_ok_by_altname_converges_the_device() {
    let ns = ns_or_skip!();
    let out = ns.tt(&["add", "foo", "--exist-ok", "--mtu", "1400"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("tap0"), "{}", stdout(&out));
    assert_eq!(ns.link("tap0").unwrap()["mtu"], 1400);
    assert!(ns.link("foo").is_some_and(|l| l["ifname"] == "tap0"));
    // Without --exist-ok it exists: exit 4, naming the device.
    let out = ns.tt(&["add", "foo"]);
    assert_code(&out, 4);
    assert!(stderr(&out).contains("tap0"), "{}", stderr(&out));
}

#[test]
fn show_by_altname_shows_the_device() {
    let ns = ns_or_skip!();
    let out = ns.tt(&["--json", "show", "foo"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)[0]["name"], "tap0");
}

#[test]
fn del_by_altname_deletes_the_device() {
    let ns = ns_or_skip!();
    let out = ns.tt(&["del", "foo"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("tap0"), "{}", stdout(&out));
    assert!(ns.link("tap0").is_none());
}

#[test]
fn apply_refuses_an_altname_in_dry_run_and_real_run() {
    let ns = ns_or_skip!();
    let path = common::tempdir("altname").join("a.json");
    std::fs::write(&path, r#"[{"name":"foo","mtu":1400}]"#).unwrap();
    let file = path.to_str().unwrap();
    for args in [vec!["apply", "--dry-run", file], vec!["apply", file]] {
        let out = ns.tt(&args);
        assert_code(&out, 4);
        let err = stderr(&out);
        assert!(err.contains("foo: is an altname of tap0"), "{err}");
        assert!(err.contains("write \"tap0\""), "{err}");
    }
    assert_eq!(ns.link("tap0").unwrap()["mtu"], 1500, "nothing changed");
}
