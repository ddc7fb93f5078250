//! tunctl mode (SPEC §9): the same command lines run by the real tunctl
//! (uml-utilities) and by tuntapctl started as tunctl, in two namespaces side
//! by side, must print the same stdout and exit alike; then the cases where
//! tuntapctl is deliberately safer than tunctl.

mod common;

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{BIN, Monitor, Netns, assert_code, code, stderr, stdout};
use serde_json::Value;

/// The real tunctl, or None (the side-by-side tests then say SKIPPED).
fn real_tunctl() -> Option<PathBuf> {
    ["/usr/sbin/tunctl", "/usr/bin/tunctl", "/sbin/tunctl"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

macro_rules! tunctl_or_skip {
    () => {
        match real_tunctl() {
            Some(path) => path,
            None => {
                eprintln!(
                    "SKIPPED {}: the real tunctl is not installed (apt-get install uml-utilities; scripts/test.sh does it)",
                    module_path!()
                );
                return;
            }
        }
    };
}

/// A directory holding `tunctl -> tuntapctl`, as the Debian package's
/// /usr/lib/tuntapctl/tunctl.
fn our_tunctl() -> PathBuf {
    let dir = common::tempdir("tunctl-link");
    let link = dir.join("tunctl");
    std::os::unix::fs::symlink(BIN, &link).expect("symlink tunctl -> tuntapctl");
    link
}

/// Run `program` in the namespace with argv[0] `argv0`.
fn run_as(ns: &Netns, program: &Path, argv0: &str, args: &[&str]) -> Output {
    let program = program.to_path_buf();
    let argv0 = argv0.to_string();
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    ns.within(move || {
        Command::new(&program)
            .arg0(&argv0)
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()))
    })
}

/// Every link as (name, kind, tun attributes, mtu, flags), sorted: what two
/// namespaces are compared by (MAC addresses are random and left out).
fn links_state(ns: &Netns) -> Vec<Value> {
    let out = ns.run("ip", &["-d", "-j", "link", "show"]);
    assert_code(&out, 0);
    let v: Value = serde_json::from_slice(&out.stdout).expect("ip -j is JSON");
    let mut state: Vec<Value> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            serde_json::json!({
                "name": l["ifname"],
                "kind": l["linkinfo"]["info_kind"],
                "tun": l["linkinfo"]["info_data"],
                "mtu": l["mtu"],
                "flags": l["flags"],
            })
        })
        .collect();
    state.sort_by_key(|s| s["name"].as_str().unwrap_or_default().to_string());
    state
}

fn names(ns: &Netns) -> Vec<String> {
    let mut n = ns.link_names();
    n.sort();
    n
}

/// One step of the side-by-side run: the arguments, and whether stderr must
/// match too (argument errors, which tunctl words itself).
const SIDE_BY_SIDE: &[(&[&str], bool)] = &[
    (&["-u", "nobody"], false),
    (&["-u", "nobody", "-g", "nogroup"], false),
    (&["-g", "nogroup"], false),
    (&[], false),
    (&["-b"], false),
    (&["-b", "-t", "vm%d"], false),
    (&["-t", "tap0", "-u", "1000"], false),
    (&["-t", "tap0"], false),
    (&["-t", "tap1", "-g", "0x10"], false),
    (&["-bt", "named"], false),
    (&["-tother", "-u", "65534", "-g", "65534"], false),
    (&["-t", "explicit", "-f", "/dev/net/tun"], false),
    (&["-u", ""], false),
    (&["-u", "-1"], false),
    (&["-d", "tap2"], false),
    (&["-d", "named", "-b"], false),
    (&["-t", "tap4", "-d", "tap3"], false),
    (&["-t", "tap9", "-u", "xyzzy"], true),
    (&["-g", "xyzzy"], true),
    (&["-f", "/missing"], true),
    (&["-x"], true),
    (&["-t"], true),
    (&["extra"], true),
    (&["-h"], true),
    (&["--help"], true),
    (&["--", "-t", "x"], true),
];

#[test]
fn side_by_side_with_the_real_tunctl() {
    let real = tunctl_or_skip!();
    let ns_real = netns_or_skip!();
    let ns_ours = netns_or_skip!();
    let ours = our_tunctl();
    let mut transcript = String::new();
    for (args, compare_stderr) in SIDE_BY_SIDE {
        let a = run_as(&ns_real, &real, "tunctl", args);
        let b = run_as(&ns_ours, &ours, "tunctl", args);
        transcript += &format!(
            "$ tunctl {}\n{}{}[exit {}]\n",
            args.join(" "),
            stdout(&b),
            if *compare_stderr {
                stderr(&b)
            } else {
                String::new()
            },
            code(&b)
        );
        assert_eq!(
            (stdout(&b), code(&b)),
            (stdout(&a), code(&a)),
            "tunctl {args:?}: ours (left) differs from the real tunctl (right)\nour stderr: {}\ntheir stderr: {}",
            stderr(&b),
            stderr(&a)
        );
        assert_eq!(a.stdout, b.stdout, "byte for byte: tunctl {args:?}");
        if *compare_stderr {
            assert_eq!(
                stderr(&b),
                stderr(&a),
                "stderr of tunctl {args:?}: ours (left), real (right)"
            );
        }
        // Both namespaces hold the same interfaces, owners and groups after
        // every step.
        assert_eq!(
            links_state(&ns_ours),
            links_state(&ns_real),
            "state after tunctl {args:?}: ours (left), real (right)"
        );
    }
    eprintln!("side-by-side transcript (identical for both):\n{transcript}");
}

#[test]
fn sixteen_byte_name_is_refused_and_nothing_is_made() {
    let ns = netns_or_skip!();
    let ours = our_tunctl();
    let before = names(&ns);
    let out = run_as(&ns, &ours, "tunctl", &["-t", "sixteen_chars_xx"]);
    assert_code(&out, 1);
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("16 bytes long and the kernel allows at most 15"),
        "{}",
        stderr(&out)
    );
    assert_eq!(names(&ns), before, "nothing created");

    // -d of a 16-byte name must not delete the 15-byte one tunctl would cut
    // it to.
    assert_code(
        &ns.run("ip", &["tuntap", "add", "sixteen_chars_x", "mode", "tap"]),
        0,
    );
    let out = run_as(&ns, &ours, "tunctl", &["-d", "sixteen_chars_xx"]);
    assert_code(&out, 1);
    assert_eq!(stdout(&out), "");
    assert!(ns.link("sixteen_chars_x").is_some(), "left alone");

    // Control: the real tunctl does cut the name and touch the other device.
    if let Some(real) = real_tunctl() {
        let out = run_as(&ns, &real, "tunctl", &["-d", "sixteen_chars_xx"]);
        assert_code(&out, 0);
        assert_eq!(stdout(&out), "Set 'sixteen_chars_x' nonpersistent\n");
        assert!(ns.link("sixteen_chars_x").is_none());
    }
}

#[test]
fn delete_of_a_missing_name_makes_no_ghost_device() {
    let ns = netns_or_skip!();
    let ours = our_tunctl();
    let mark = |name: &str| {
        assert_code(&ns.run("ip", &["tuntap", "add", name, "mode", "tap"]), 0);
    };
    mark("markA");
    let monitor = Monitor::start(&ns);
    monitor.until("markA", |i| {
        let mtu = (1280 + i % 2).to_string();
        ns.run("ip", &["link", "set", "markA", "mtu", &mtu]);
    });

    let out = run_as(&ns, &ours, "tunctl", &["-d", "ghost0"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "Set 'ghost0' nonpersistent\n");
    assert!(
        stderr(&out).contains("ghost0 does not exist")
            && stderr(&out).contains("nothing was deleted"),
        "a note on stderr: {}",
        stderr(&out)
    );
    let out = ns.tt(&["tunctl", "-d", "ghost1"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "Set 'ghost1' nonpersistent\n");
    mark("markB");
    let seen = monitor.until("markB", |_| {});
    assert!(
        !seen.iter().any(|l| l.contains("ghost")),
        "no ghost device: {seen:?}"
    );

    // Control: the real tunctl makes and removes one, and the monitor sees it.
    if let Some(real) = real_tunctl() {
        let out = run_as(&ns, &real, "tunctl", &["-d", "ghost2"]);
        assert_code(&out, 0);
        mark("markC");
        let seen = monitor.until("markC", |_| {});
        assert!(
            seen.iter().any(|l| l.contains("ghost2")),
            "the monitor sees tunctl's ghost: {seen:?}"
        );
    }
    drop(monitor);
    assert!(!names(&ns).iter().any(|n| n.starts_with("ghost")));
}

#[test]
fn delete_refuses_what_is_not_a_tap() {
    let ns = netns_or_skip!();
    let ours = our_tunctl();
    let lo_before = ns.link("lo");
    let out = run_as(&ns, &ours, "tunctl", &["-d", "lo"]);
    assert_code(&out, 1);
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("lo: is the loopback device, not a tun/tap interface"),
        "{}",
        stderr(&out)
    );
    assert_eq!(ns.link("lo"), lo_before, "lo untouched");

    // A tun is deleted only with -n (Debian's tunctl, tap only, fails too).
    assert_code(&ns.run("ip", &["tuntap", "add", "tun7", "mode", "tun"]), 0);
    let out = run_as(&ns, &ours, "tunctl", &["-d", "tun7"]);
    assert_code(&out, 1);
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("add -n"), "{}", stderr(&out));
    assert!(ns.link("tun7").is_some());
    let out = run_as(&ns, &ours, "tunctl", &["-n", "-d", "tun7"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "Set 'tun7' nonpersistent\n");
    assert!(ns.link("tun7").is_none());

    // A tap that a process holds is left alone (tunctl fails with EBUSY).
    assert_code(&ns.run("ip", &["tuntap", "add", "held0", "mode", "tap"]), 0);
    let holder = ns.hold("held0", "tap", &[]);
    let out = run_as(&ns, &ours, "tunctl", &["-d", "held0"]);
    assert_code(&out, 1);
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("held0: is in use by") && stderr(&out).contains("del --force held0"),
        "{}",
        stderr(&out)
    );
    assert!(ns.link("held0").is_some());
    drop(holder);
}

#[test]
fn n_makes_a_tun_and_p_a_tap() {
    let ns = netns_or_skip!();
    let ours = our_tunctl();
    let out = run_as(&ns, &ours, "tunctl", &["-n", "-u", "nobody"]);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "Set 'tun0' persistent and owned by uid 65534\n"
    );
    let info = &ns.link("tun0").expect("tun0 made")["linkinfo"]["info_data"];
    assert_eq!(info["type"], "tun");
    assert_eq!(info["persist"], true);
    assert_eq!(info["user"], "nobody");
    let out = run_as(&ns, &ours, "tunctl", &["-n", "-p", "-b", "-t", "mode%d"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "mode0\n");
    assert_eq!(
        ns.link("mode0").unwrap()["linkinfo"]["info_data"]["type"],
        "tap"
    );
    // -t of an existing device of the other mode is refused, not changed.
    let out = run_as(&ns, &ours, "tunctl", &["-t", "tun0", "-u", "0"]);
    assert_code(&out, 1);
    assert_eq!(stdout(&out), "");
    assert_eq!(
        ns.link("tun0").unwrap()["linkinfo"]["info_data"]["user"],
        "nobody"
    );
}

#[test]
fn the_three_ways_to_start_it() {
    let ns = netns_or_skip!();
    // A symlink named tunctl, with argv[0] its full path.
    let link = our_tunctl();
    let out = run_as(&ns, &link, &link.display().to_string(), &["-b"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "tap0\n");
    let out = run_as(&ns, &link, &link.display().to_string(), &["-x"]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).starts_with(&format!(
            "{}: invalid option -- 'x'\nCreate: {} [-b]",
            link.display(),
            link.display()
        )),
        "{}",
        stderr(&out)
    );
    // The subcommand; its words are tunctl's, even -q.
    let out = ns.tt(&["tunctl", "-u", "nobody", "-g", "nogroup"]);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "Set 'tap1' persistent and owned by uid 65534 gid 65534\n"
    );
    let out = ns.tt(&["tunctl", "-q"]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).starts_with("tuntapctl tunctl: invalid option -- 'q'\n"),
        "{}",
        stderr(&out)
    );
    // Our global options go before it.
    let out = ns.tt(&["-q", "tunctl", "-t", "quiet0"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "");
    assert!(ns.link("quiet0").is_some());
    let out = Command::new(BIN)
        .args(["-N"])
        .arg(ns.path_for_child())
        .args(["tunctl", "-b", "-t", "fromoutside"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "fromoutside\n");
    assert!(ns.link("fromoutside").is_some(), "made in the namespace");
    // --json makes no sense for tunctl's output: refused, nothing made.
    let out = ns.tt(&["-j", "tunctl", "-t", "json0"]);
    assert_code(&out, 1);
    assert!(ns.link("json0").is_none());
    // Help for people: `tuntapctl tunctl --help` alone.
    let out = ns.tt(&["tunctl", "--help"]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("Set 'tap0' nonpersistent"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn without_privilege_both_fail_alike() {
    let real = tunctl_or_skip!();
    let ns_real = netns_or_skip!();
    let ns_ours = netns_or_skip!();
    let ours = our_tunctl();
    // As nobody, through a private 0666 /dev/net/tun node (as on most
    // systems; the host's node is never touched), so the ioctl is what fails.
    let setpriv = |ns: &Netns, program: &Path, args: &[&str]| {
        let dir = common::tempdir("tunctl-node");
        let node = dir.join("tun");
        let script = format!(
            "set -e; mknod -m 666 {node} c 10 200; mount --bind {node} /dev/net/tun; exec setpriv --reuid=65534 --regid=65534 --clear-groups {program} \"$@\"",
            node = node.display(),
            program = program.display(),
        );
        let mut all = vec!["-m", "--propagation", "private", "sh", "-c", &script, "sh"];
        all.extend_from_slice(args);
        let out = ns.run("unshare", &all);
        let _ = std::fs::remove_dir_all(&dir);
        out
    };
    for args in [&["-t", "tap0"][..], &["-u", "nobody"], &["-d", "lo"]] {
        let a = setpriv(&ns_real, &real, args);
        let b = setpriv(&ns_ours, &ours, args);
        assert_eq!(
            (stdout(&b), code(&b)),
            (stdout(&a), code(&a)),
            "unprivileged tunctl {args:?}: ours (left), real (right)\nour stderr: {}\ntheir stderr: {}",
            stderr(&b),
            stderr(&a)
        );
        assert_code(&b, 1);
        eprintln!(
            "unprivileged tunctl {args:?}\n  real: {}  ours: {}",
            stderr(&a),
            stderr(&b)
        );
        assert!(
            stderr(&b).contains("permission denied") || stderr(&b).contains("not a tun/tap"),
            "{}",
            stderr(&b)
        );
    }
    assert_eq!(names(&ns_ours), ["lo"]);
    assert_eq!(names(&ns_real), ["lo"]);
}
