//! Robustness: hostile input never panics, rootless use in a user namespace,
//! and refusal to run setuid.

mod common;

use common::*;
use proptest::prelude::*;
use tuntapctl::commands::{Context, parse_declared};
use tuntapctl::netlink::parse_tun_attrs;
use tuntapctl::validate::{IdSpec, IfAddr, IfName, Mac, MacSpec, parse_mtu, parse_txqueuelen};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn names_never_panic_and_never_truncate(s in "\\PC{0,40}") {
        match IfName::parse_template(&s) {
            Ok(n) => {
                prop_assert!(n.as_str().len() <= 15 && !n.as_str().is_empty());
                prop_assert_eq!(n.as_str(), s.as_str());
            }
            Err(e) => prop_assert!(!e.message.is_empty()),
        }
    }

    #[test]
    fn macs_accepted_are_unicast(s in "[0-9a-fA-F:-]{0,20}|\\PC{0,20}") {
        if let Ok(m) = Mac::parse(&s) {
            prop_assert_eq!(m.0[0] & 1, 0);
            prop_assert_ne!(m.0, [0u8; 6]);
        }
        let _ = MacSpec::parse(&s);
    }

    #[test]
    fn addresses_never_panic(s in "[0-9a-f.:/]{0,45}|\\PC{0,30}", peer in "\\PC{0,20}") {
        if let Ok(a) = IfAddr::parse(&s) {
            let max = if a.address.is_ipv4() { 32 } else { 128 };
            prop_assert!(a.prefix_len <= max);
            let _ = a.with_peer(&peer);
        }
    }

    #[test]
    fn numbers_and_ids_never_panic(s in "\\PC{0,25}") {
        let _ = parse_mtu(&s);
        let _ = parse_txqueuelen(&s);
        let _ = IdSpec::parse("user", &s);
        let _ = tuntapctl::netns::resolve(&s);
    }

    #[test]
    fn batch_lines_never_panic(s in "\\PC{0,80}") {
        let _ = tuntapctl::batch::split_words(&s);
    }

    #[test]
    fn tun_attribute_parser_takes_any_bytes(attrs in proptest::collection::vec((0u16..20, proptest::collection::vec(any::<u8>(), 0..8)), 0..12)) {
        let t = parse_tun_attrs(attrs.iter().map(|(k, v)| (*k, v.as_slice())));
        prop_assert!(t.mode.is_none() || attrs.iter().any(|(k, _)| *k == 3));
    }

    #[test]
    fn apply_files_never_panic(s in "\\PC{0,200}") {
        let _ = parse_declared(&Context::new(), &s);
        let _ = tuntapctl::commands::parse_declared_toml(&Context::new(), &s);
    }

    #[test]
    fn toml_shaped_input_never_panics(name in "\\PC{0,12}", key in "[a-z_]{1,10}", value in "\\PC{0,12}") {
        let text = format!("[[interface]]\nname = {name:?}\n{key} = {value:?}\n[[interface]]\n{key} = [{value:?}]\n");
        let _ = tuntapctl::commands::parse_declared_toml(&Context::new(), &text);
    }

    #[test]
    fn apply_structured_json_never_panics(
        name in "\\PC{0,20}",
        mtu in any::<i64>(),
        mac in "\\PC{0,20}",
        addr in "\\PC{0,20}",
        owner in prop_oneof![Just(serde_json::json!(null)), any::<i64>().prop_map(|n| serde_json::json!(n)), "\\PC{0,10}".prop_map(|s| serde_json::json!(s)), Just(serde_json::json!({"uid": null, "name": null}))],
    ) {
        let doc = serde_json::json!([{"name": name, "mtu": mtu, "mac": mac, "addresses": [addr, {"address": addr, "prefix_len": 300}], "owner": owner, "flags": {"pi": 1}}]);
        let _ = parse_declared(&Context::new(), &doc.to_string());
    }
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let err = parse_declared(&Context::new(), &deep).unwrap_err();
    assert!(err.message.contains("JSON"), "{}", err.message);
}

/// Inside `unshare -r -n` (a user namespace with its own network namespace)
/// add, set, list and del work without real root.
#[test]
fn rootless_in_user_namespace() {
    let probe = std::process::Command::new("unshare")
        .args(["-r", "-n", "true"])
        .status();
    if !probe.map(|s| s.success()).unwrap_or(false) {
        eprintln!("SKIPPED rootless_in_user_namespace: unshare -r -n is not available here");
        return;
    }
    let script = format!(
        "set -e; B={BIN}; $B -q add tap0 --user 0 --mtu 1400 -a 10.0.0.1/24 --up; $B -q set tap0 --mtu 1300 --group 0; $B list --json; $B -q del tap0; ip -j link show"
    );
    let out = std::process::Command::new("unshare")
        .args(["-r", "-n", "sh", "-c", &script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    // Off a terminal JSON is one line: the list, then ip's output.
    let list_end = text.find('\n').expect("list JSON");
    let list: serde_json::Value = serde_json::from_str(&text[..list_end]).unwrap();
    assert_eq!(list[0]["name"], "tap0");
    assert_eq!(list[0]["mtu"], 1300);
    assert_eq!(list[0]["owner"]["uid"], 0);
    assert_eq!(list[0]["group"]["gid"], 0);
    assert!(!text[list_end..].contains("tap0"), "deleted: {text}");

    // A uid that is not mapped in the user namespace: the kernel says EINVAL,
    // we explain it, and nothing is left behind.
    let script = format!("{BIN} add tap1 --user 4242; echo rc=$?; ip -j link show");
    let out = std::process::Command::new("unshare")
        .args(["-r", "-n", "sh", "-c", &script])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("rc=2"), "{stdout} {stderr}");
    assert!(
        stderr.contains("not mapped in this user namespace"),
        "{stderr}"
    );
    assert!(!stdout.contains("tap1"), "half-made device left: {stdout}");
}

/// A setuid copy refuses to run: sudo is the supported way to elevate.
#[test]
fn refuses_setuid() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIPPED refuses_setuid: needs root to make a setuid copy");
        return;
    }
    let dir = tempdir("setuid");
    let copy = dir.join("tuntapctl");
    std::fs::copy(BIN, &copy).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o4755)).unwrap();
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&copy)
        .args(["list"])
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    // Some mounts are nosuid; then the copy is not setuid and the test says so.
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(5)
        && stderr.contains("refusing to run with privileges gained at exec")
    {
        return;
    }
    assert!(
        !stderr.contains("no tun/tap"),
        "setuid copy ran a command: {stderr}"
    );
    eprintln!("SKIPPED refuses_setuid: the target directory is mounted nosuid ({stderr})");
}

/// Arguments that are not UTF-8 are refused with a clear message (exit 2),
/// never a panic, and nothing is created.
#[test]
fn non_utf8_arguments_are_refused() {
    use std::os::unix::ffi::OsStrExt;
    let ns = netns_or_skip!();
    let bad = std::ffi::OsStr::from_bytes(b"tap\xff");
    for args in [
        vec![std::ffi::OsStr::new("add"), bad],
        vec![
            std::ffi::OsStr::new("add"),
            std::ffi::OsStr::new("tap1"),
            std::ffi::OsStr::new("--user"),
            bad,
        ],
        vec![std::ffi::OsStr::new("del"), bad],
        vec![std::ffi::OsStr::new("apply"), bad],
    ] {
        let args: Vec<std::ffi::OsString> = args.into_iter().map(|a| a.to_os_string()).collect();
        let out = ns.within(move || {
            std::process::Command::new(BIN)
                .args(&args)
                .env("TUNTAPCTL_TEST_LOCK_PATH", test_lock_path())
                .output()
                .unwrap()
        });
        assert_code(&out, 2);
        let err = stderr(&out);
        assert!(err.contains("UTF-8"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(ns.link_names(), ["lo"]);
}

/// apply and batch refuse oversized input with a message instead of reading
/// without bound.
#[test]
fn oversized_input_is_refused() {
    let ns = netns_or_skip!();
    let path = tempdir("big").join("huge.json");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(64 * 1024 * 1024 + 1).unwrap(); // sparse: no disk used
    for command in ["apply", "batch"] {
        let out = ns.tt(&[command, path.to_str().unwrap()]);
        assert_code(&out, 2);
        assert!(
            stderr(&out).contains("larger than 64 MiB"),
            "{}",
            stderr(&out)
        );
    }
    let _ = std::fs::remove_file(&path);
    assert_eq!(ns.link_names(), ["lo"]);
}
