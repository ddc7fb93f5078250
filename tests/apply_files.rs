//! Issue 23, friction: apply files with the wrong top-level shape name the
//! key they have and the one expected, instead of being read another way.

mod common;

use common::*;

fn apply_file(ns: &Netns, file: &str, text: &str) -> std::process::Output {
    let path = tempdir("apply-files").join(file);
    std::fs::write(&path, text).unwrap();
    ns.tt(&["apply", "--dry-run", path.to_str().unwrap()])
}

#[test]
fn toml_interfaces_plural_is_an_error_naming_both_keys() {
    let ns = netns_or_skip!();
    let out = apply_file(&ns, "a.toml", "[[interfaces]]\nname = \"tap1\"\n");
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("\"interfaces\"") && err.contains("[[interface]]"),
        "{err}"
    );
    assert!(ns.link("tap1").is_none());
}

#[test]
fn json_object_with_an_interfaces_key_is_an_error_naming_it() {
    let ns = netns_or_skip!();
    let out = apply_file(&ns, "a.json", r#"{"interfaces": [{"name": "tap1"}]}"#);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("\"interfaces\""), "{err}");
    assert!(err.contains("array"), "{err}");
    assert!(!err.contains("name: missing"), "{err}");
}

#[test]
fn a_single_interface_object_still_works() {
    let ns = netns_or_skip!();
    let out = apply_file(&ns, "a.json", r#"{"name": "tap1"}"#);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("tap1"), "{}", stdout(&out));
}

/// tuntapctl-apply(8)'s samples are real files: both apply, give the same
/// devices, and a second run changes nothing.
#[test]
fn the_man_pages_samples_apply() {
    for (file, text) in [
        ("sample.json", tuntapctl::docs::applyfile::SAMPLE_JSON),
        ("sample.toml", tuntapctl::docs::applyfile::SAMPLE_TOML),
    ] {
        let ns = netns_or_skip!();
        let out = ns.run("ip", &["link", "add", "br0", "type", "bridge"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let path = tempdir("apply-sample").join(file);
        std::fs::write(&path, text).unwrap();
        let path = path.to_str().unwrap();
        let out = ns.tt(&["apply", path]);
        assert_code(&out, 0);
        let tap = ns.link("tap-vm1").expect("tap-vm1 made");
        assert_eq!(tap["mtu"], 9000, "{file}");
        assert_eq!(tap["address"], "52:54:00:12:34:56", "{file}");
        assert_eq!(tap["master"], "br0", "{file}");
        assert_eq!(tap["ifalias"], "vm1 eth0", "{file}");
        assert_eq!(ns.addresses("tun-vpn0"), ["10.8.0.1/24"], "{file}");
        let page = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/man/tuntapctl-apply.8"
        ))
        .unwrap();
        assert!(
            page.contains("\"name\": \"tap\\-vm1\""),
            "the page shows the sample"
        );
        let again = ns.tt(&["apply", path]);
        assert_code(&again, 0);
        assert!(
            !stdout(&again).contains("updated"),
            "{file}: {}",
            stdout(&again)
        );
    }
}

/// apply --dry-run says what each new device will be, and an update names
/// the addresses it adds and removes with their verbs.
#[test]
fn dry_run_describes_new_devices_and_address_changes() {
    let ns = netns_or_skip!();
    let out = ns.run("ip", &["link", "add", "br0", "type", "bridge"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_code(&ns.tt(&["-q", "add", "tapU", "-a", "10.1.0.1/24"]), 0);
    let out = apply_file(
        &ns,
        "dry.json",
        r#"[{"name":"tapN","owner":"nobody","mtu":1400,"addresses":["10.2.0.1/24"],"up":true,"master":"br0"},
            {"name":"tapU","addresses":["10.1.0.2/24"]}]"#,
    );
    assert_code(&out, 0);
    let text = stdout(&out);
    let new = text
        .lines()
        .find(|l| l.contains("tapN"))
        .unwrap_or_default();
    for part in [
        "tap",
        "owner nobody",
        "mtu 1400",
        "address 10.2.0.1/24",
        "up",
        "master br0",
    ] {
        assert!(new.contains(part), "{part} in {new:?}");
    }
    let update = text
        .lines()
        .find(|l| l.contains("tapU"))
        .unwrap_or_default();
    assert!(update.contains("added address 10.1.0.2/24"), "{update}");
    assert!(update.contains("removed address 10.1.0.1/24"), "{update}");
    assert!(ns.link("tapN").is_none(), "a dry run changes nothing");
}
