//! Delegation (SPEC §12) end to end: a real `serve` in the test's network
//! and mount namespaces, users acting through it with setpriv, every result
//! checked with `ip -d -j link`.

mod common;
#[path = "delegate/harness.rs"]
mod harness;

use common::*;
use harness::*;

const POLICY_TEXT: &str = r#"
[[allow]]
group = "nogroup"
names = "vm-{user}-*"
max = 3
masters = ["br0"]
mtu = [576, 9000]

[[allow]]
user = "daemon"
names = "vm-{user}-*"
max = 2
"#;

fn names_of(ns: &Netns) -> Vec<String> {
    let mut n: Vec<String> = taps(ns).into_iter().map(|t| t.0).collect();
    n.sort();
    n
}

#[test]
fn users_add_set_and_del_their_own_taps_and_nothing_else() {
    let ns = netns_or_skip!();
    ns.run("ip", &["link", "add", "br0", "type", "bridge"]);
    let svc = Service::start(&ns, POLICY_TEXT);

    let out = svc.tt_as(
        &ns,
        NOBODY,
        &["add", "vm-nobody-0", "--master", "br0", "--mtu", "1400"],
    );
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "created vm-nobody-0 (tap, owner nobody, master br0)\n"
    );
    let l = ns.link("vm-nobody-0").unwrap();
    assert!(
        is_user(&l["linkinfo"]["info_data"]["user"], NOBODY, "nobody"),
        "{l}"
    );
    assert_eq!(l["linkinfo"]["info_data"]["persist"], true);
    assert_eq!(l["master"], "br0");
    assert_eq!(l["mtu"], 1400);

    // --json: the interface object, as root gets it.
    let out = svc.tt_as(&ns, DAEMON, &["--json", "add", "vm-daemon-0"]);
    assert_code(&out, 0);
    let j = json(&out);
    assert_eq!(j["name"], "vm-daemon-0");
    assert_eq!(j["owner"]["uid"], DAEMON);

    // A refusal with --json: the error object on stdout, as for root.
    let out = svc.tt_as(&ns, NOBODY, &["--json", "add", "vm-bob-1"]);
    assert_code(&out, 5);
    let j = json(&out);
    assert_eq!(j["error"]["kind"], "permission");
    assert_eq!(j["error"]["interface"], "vm-bob-1");
    assert!(
        j["error"]["fix"]
            .as_str()
            .unwrap()
            .contains("[[allow]] rule"),
        "{j}"
    );

    // set within the rule; set beyond it (mtu range, master, --user).
    assert_code(
        &svc.tt_as(&ns, NOBODY, &["set", "vm-nobody-0", "--mtu", "1500"]),
        0,
    );
    assert_eq!(ns.link("vm-nobody-0").unwrap()["mtu"], 1500);
    let out = svc.tt_as(&ns, NOBODY, &["set", "vm-nobody-0", "--mtu", "9500"]);
    assert_code(&out, 5);
    assert!(
        stderr(&out).contains("allow rule 1 (line 2) does not allow mtu 9500"),
        "{}",
        stderr(&out)
    );
    assert_code(
        &svc.tt_as(&ns, DAEMON, &["add", "vm-daemon-1", "--master", "br0"]),
        5,
    );
    assert_code(
        &svc.tt_as(&ns, NOBODY, &["set", "vm-nobody-0", "--user", "root"]),
        5,
    );
    assert_code(
        &svc.tt_as(&ns, NOBODY, &["add", "vm-nobody-1", "--user", "root"]),
        5,
    );
    assert!(ns.link("vm-nobody-1").is_none());

    // Another user's tap: set --user (taking it), set, del: all refused.
    let out = svc.tt_as(&ns, DAEMON, &["set", "vm-nobody-0", "--user", "daemon"]);
    assert_code(&out, 5);
    assert!(
        stderr(&out).contains("not owned by user daemon"),
        "{}",
        stderr(&out)
    );
    assert_code(&svc.tt_as(&ns, DAEMON, &["del", "vm-nobody-0"]), 5);
    assert!(is_user(
        &ns.link("vm-nobody-0").unwrap()["linkinfo"]["info_data"]["user"],
        NOBODY,
        "nobody"
    ));

    // root's taps: never deleted, never changed.
    assert_code(&ns.tt(&["add", "roottap", "--user", "nobody"]), 0);
    assert_code(&ns.tt(&["add", "vm-nobody-7"]), 0);
    assert_code(&svc.tt_as(&ns, NOBODY, &["del", "vm-nobody-7"]), 5);
    let out = svc.tt_as(&ns, NOBODY, &["del", "roottap"]);
    assert_code(&out, 5);
    assert!(
        stderr(&out).contains("no [[allow]] rule"),
        "{}",
        stderr(&out)
    );
    assert!(ns.link("roottap").is_some() && ns.link("vm-nobody-7").is_some());

    // Renaming: within the pattern yes, out of it no.
    assert_code(
        &svc.tt_as(
            &ns,
            NOBODY,
            &["set", "vm-nobody-0", "--rename", "vm-nobody-5"],
        ),
        0,
    );
    let out = svc.tt_as(&ns, NOBODY, &["set", "vm-nobody-5", "--rename", "tap5"]);
    assert_code(&out, 5);
    assert!(
        stderr(&out).contains("leaves the names of allow rule 1"),
        "{}",
        stderr(&out)
    );
    assert_code(
        &svc.tt_as(
            &ns,
            NOBODY,
            &["set", "vm-nobody-5", "--rename", "vm-daemon-5"],
        ),
        5,
    );

    // --netns and --move-to are never done for a caller.
    assert_code(
        &svc.tt_as(&ns, NOBODY, &["set", "vm-nobody-5", "--move-to", "1"]),
        5,
    );
    assert_code(
        &svc.tt_as(&ns, NOBODY, &["--netns", "1", "add", "vm-nobody-2"]),
        5,
    );
    assert!(ns.link("vm-nobody-2").is_none());

    assert_code(&svc.tt_as(&ns, NOBODY, &["del", "vm-nobody-5"]), 0);
    assert!(ns.link("vm-nobody-5").is_none());
    assert_eq!(names_of(&ns), ["roottap", "vm-daemon-0", "vm-nobody-7"]);

    // Each line is written once its answer is sent: wait for each.
    svc.wait_for_log("uid=65534");
    svc.wait_for_log("command=add names=vm-nobody-0 verdict=done rule=\"allow rule 1 (line 2)\"");
    svc.wait_for_log("command=del names=roottap verdict=refused");
}

#[test]
fn names_that_escape_the_pattern_are_refused_before_the_policy() {
    let ns = netns_or_skip!();
    let svc = Service::start(&ns, POLICY_TEXT);
    let cases: &[(&str, i32)] = &[
        ("vm-nobody-x/..", 2),
        ("vm-daemon-1", 5),
        ("vm-nobody-123456", 2), // 16 bytes
        ("vm-nobody-1\u{200b}", 2),
        ("vm-nobody-\u{202e}1", 2),
        ("vm-nobody-", 5),
        ("..", 2),
    ];
    for (name, want) in cases {
        let out = svc.tt_as(&ns, NOBODY, &["add", name]);
        assert_code(&out, *want);
    }
    assert!(names_of(&ns).is_empty(), "{:?}", names_of(&ns));
}

#[test]
fn sixteen_racing_adds_end_at_exactly_max() {
    let ns = netns_or_skip!();
    let svc = Service::start(&ns, POLICY_TEXT);
    assert_code(&svc.tt_as(&ns, NOBODY, &["add", "vm-nobody-0"]), 0);
    let pid = svc.pid().to_string();
    let children: Vec<_> = (1..=16)
        .map(|k| {
            let name = format!("vm-nobody-{k}");
            let args = [
                "-t",
                &pid,
                "-m",
                "--",
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--init-groups",
                BIN,
                "add",
                &name,
            ];
            let mut all = vec!["-c", "read _gate; exec \"$@\"", "sh", "nsenter"];
            all.extend_from_slice(&args);
            ns.spawn("sh", &all)
        })
        .collect();
    let outs = release_and_wait(children);
    let ok = outs.iter().filter(|o| o.status.code() == Some(0)).count();
    let refused = outs.iter().filter(|o| o.status.code() == Some(5)).count();
    assert_eq!((ok, refused), (2, 14), "{outs:?}");
    let mine: Vec<_> = taps(&ns)
        .into_iter()
        .filter(|t| is_user(&t.1, NOBODY, "nobody"))
        .collect();
    assert_eq!(mine.len(), 3, "{mine:?}");
}

#[test]
fn a_bad_policy_stops_serve() {
    let ns = netns_or_skip!();
    let out = serve_once(&ns, POLICY_TEXT, "", "--check");
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("ok (2 allow rules, 0 deny rules)"),
        "{}",
        stdout(&out)
    );

    let out = serve_once(&ns, POLICY_TEXT, &format!("chmod 666 {POLICY};"), "--check");
    assert_code(&out, 5);
    assert!(
        stderr(&out).contains(&format!("{POLICY} is world-writable")),
        "{}",
        stderr(&out)
    );
    let out = serve_once(&ns, POLICY_TEXT, "chmod 775 /run/tuntapctl;", "");
    assert_code(&out, 5);
    assert!(
        stderr(&out).contains("/run/tuntapctl is group-writable"),
        "{}",
        stderr(&out)
    );
    let broken = "[[allow]]\ngroup = \"nogroup\"\nnames = \"vm-*\"\nmax = -1\n";
    let out = serve_once(&ns, broken, "", "--check");
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains(&format!("policy {POLICY}:4: max -1 is out of range")),
        "{}",
        stderr(&out)
    );
    let out = serve_once(&ns, "[[allow]\n", "", "");
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains(&format!("policy {POLICY}:1:")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn policy_under_tmp_is_refused() {
    let ns = netns_or_skip!();
    let s = format!(
        "set -e; mount -t tmpfs none /tmp; printf '%s' \"$POLICY_TEXT\" > /tmp/p.toml; chmod 644 /tmp/p.toml; exec {BIN} serve --check --policy /tmp/p.toml"
    );
    let out = ns.run_env(
        "unshare",
        &["-m", "--propagation", "private", "sh", "-c", &s],
        &[("POLICY_TEXT", POLICY_TEXT)],
    );
    assert_code(&out, 5);
    assert!(
        stderr(&out).contains("/tmp is world-writable"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn service_killed_mid_request_leaves_nothing() {
    let ns = netns_or_skip!();
    let mut svc = Service::start_env(
        &ns,
        POLICY_TEXT,
        &[("TUNTAPCTL_TEST_PAUSE_AT", "configure")],
    );
    let pid = svc.pid().to_string();
    let client = ns.spawn(
        "nsenter",
        &[
            "-t",
            &pid,
            "-m",
            "--",
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--init-groups",
            BIN,
            "add",
            "vm-nobody-0",
            "--mtu",
            "1400",
        ],
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while ns.link("vm-nobody-0").is_none() {
        assert!(std::time::Instant::now() < deadline, "{}", svc.log_text());
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // Mid-request: the device exists, not yet persistent.
    assert_eq!(
        ns.link("vm-nobody-0").unwrap()["linkinfo"]["info_data"]["persist"],
        false
    );
    svc.child.kill().unwrap();
    svc.child.wait().unwrap();
    let out = client.wait_with_output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("tuntapctl service"),
        "{}",
        stderr(&out)
    );
    // The kernel removes a device whose last fd closed (soon after exit).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut left = names_of(&ns);
    while !left.is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
        left = names_of(&ns);
    }
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn serve_takes_the_socket_systemd_passes() {
    let ns = netns_or_skip!();
    if std::process::Command::new("systemd-socket-activate")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "SKIPPED serve_takes_the_socket_systemd_passes: systemd-socket-activate is not installed"
        );
        return;
    }
    let exec = format!("systemd-socket-activate -l {SOCKET} {BIN} serve --policy {POLICY}");
    let svc = Service::start_exec(&ns, POLICY_TEXT, &[], &exec);
    // What SocketMode=0666 does in tuntapctl.socket.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(svc.socket_path(), std::fs::Permissions::from_mode(0o666)).unwrap();
    assert_code(&svc.tt_as(&ns, NOBODY, &["add", "vm-nobody-0"]), 0);
    assert!(is_user(
        &ns.link("vm-nobody-0").unwrap()["linkinfo"]["info_data"]["user"],
        NOBODY,
        "nobody"
    ));
    svc.wait_for_log("verdict=done");
}

/// A kernel that does not tell a caller's supplementary groups
/// (SO_PEERGROUPS, Linux 4.13; the fault hook here): an allow rule for a
/// group matches only the primary group, and the refusal says why; a
/// policy with a deny rule for a group refuses everything, since that rule
/// could be passed over. Without the hook the same calls pass.
#[test]
fn delegation_without_so_peergroups() {
    const LACKS: (&str, &str) = ("TUNTAPCTL_TEST_KERNEL_LACKS", "SO_PEERGROUPS");
    // staff (50) and users (100): base-passwd's groups on every Debian.
    let allow_staff = "[[allow]]\ngroup = \"staff\"\nnames = \"vm-{user}-*\"\nmax = 2\n";
    let deny_users = format!("{allow_staff}\n[[deny]]\ngroup = \"users\"\nnames = \"vm-*\"\n");
    let ns = netns_or_skip!();

    let svc = Service::start(&ns, allow_staff);
    let out = svc.tt_as_with_groups(&ns, NOBODY, "50", &["add", "vm-nobody-0"]);
    assert_code(&out, 0);
    drop(svc);

    let svc = Service::start_env(&ns, allow_staff, &[LACKS]);
    let out = svc.tt_as_with_groups(&ns, NOBODY, "50", &["add", "vm-nobody-1"]);
    assert_code(&out, 5);
    let err = stderr(&out);
    assert!(
        err.contains("allow rule 1 (line 1) is for a group")
            && err.contains("this kernel lacks SO_PEERGROUPS (Linux 4.13)")
            && err.contains("only the primary group, 65534"),
        "{err}"
    );
    assert!(
        svc.log_text().contains(
            "note: this kernel lacks SO_PEERGROUPS (Linux 4.13), so the caller's supplementary groups are not known: policy /run/tuntapctl/delegate.toml: its [[allow]] rules for groups match only a caller's primary group"
        ),
        "{}",
        svc.log_text()
    );
    drop(svc);

    let svc = Service::start(&ns, &deny_users);
    let out = svc.tt_as_with_groups(&ns, NOBODY, "50", &["add", "vm-nobody-1"]);
    assert_code(&out, 0);
    drop(svc);

    let svc = Service::start_env(&ns, &deny_users, &[LACKS]);
    let out = svc.tt_as_with_groups(&ns, NOBODY, "50", &["del", "vm-nobody-1"]);
    assert_code(&out, 5);
    assert!(
        stderr(&out).contains("vm-nobody-1: refused by the delegation policy")
            && stderr(&out).contains("its [[deny]] rules for groups cannot be judged without them"),
        "{}",
        stderr(&out)
    );
    assert_eq!(names_of(&ns), ["vm-nobody-0", "vm-nobody-1"]);
    // The log names the device refused, and no rule: none was judged.
    svc.wait_for_log("command=del names=vm-nobody-1 verdict=refused rule=\"none\"");
}

/// A name with %d: the kernel picks the number, and the log line names the
/// device it made, not the template.
#[test]
fn a_template_name_is_logged_as_the_device_made() {
    let ns = netns_or_skip!();
    let svc = Service::start(&ns, POLICY_TEXT);
    let out = svc.tt_as(&ns, DAEMON, &["add", "vm-daemon-%d"]);
    assert_code(&out, 0);
    assert_eq!(names_of(&ns), ["vm-daemon-0"]);
    svc.wait_for_log("command=add names=vm-daemon-0 verdict=done");
}
