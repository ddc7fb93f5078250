//! Kernels without a facility (SPEC §14): the debug-build fault hook
//! TUNTAPCTL_TEST_KERNEL_LACKS makes pidfd_open, pidfd_getfd,
//! TUNGETDEVNETNS, NS_GET_NSTYPE, tun carrier changes or IFA_PROTO answer as an older
//! kernel does (ENOSYS, EINVAL, ENOTTY, EOPNOTSUPP), so each fallback runs
//! here on a kernel that has them all. Each test also runs without the hook,
//! so that it fails if the hook changed nothing. Checked with iproute2.

mod common;

use common::*;

const HOOK: &str = "TUNTAPCTL_TEST_KERNEL_LACKS";

fn lacking(ns: &Netns, lacks: &str, args: &[&str]) -> std::process::Output {
    ns.run_env(BIN, args, &[(HOOK, lacks)])
}

/// What the note names: the facility the hook takes away, or, on a kernel
/// that really lacks the holder proof (`real`: its note), whichever of
/// them it lacks first.
fn lacks_text(real: &Option<String>, named: &str) -> String {
    match real {
        Some(_) => "this kernel lacks ".to_string(),
        None => format!("this kernel lacks {named}"),
    }
}

/// The holder proof's facilities, each missing in turn: a tap held by a
/// process here is still found (by the fdinfo name: the weaker proof), del
/// refuses it with the holder named and a note saying which facility is
/// missing and what that means; --force still deletes.
#[test]
fn holders_without_pidfd_or_tungetdevnetns_fall_back_and_say_so() {
    let ns = netns_or_skip!();
    let real = kernel_lacks_holder_proof(&ns);
    for (word, named) in [
        ("pidfd_open", "pidfd_open (Linux 5.3)"),
        ("pidfd_getfd", "pidfd_getfd (Linux 5.6)"),
        ("TUNGETDEVNETNS", "TUNGETDEVNETNS (Linux 5.2)"),
    ] {
        assert_code(&ns.tt(&["add", "kf0"]), 0);
        let holder = ns.hold("kf0", "tap", &[]);
        let pid = holder.pid().to_string();

        let out = lacking(&ns, word, &["del", "kf0"]);
        assert_code(&out, 6);
        let err = stderr(&out);
        assert!(
            err.contains(&pid) && err.contains("tun_attach"),
            "{word}: {err}"
        );
        assert!(err.contains(&lacks_text(&real, named)), "{word}: {err}");
        assert!(err.contains("weaker proof"), "{word}: {err}");
        assert!(
            ns.link("kf0").is_some(),
            "{word}: del refused, the tap stays"
        );

        // list shows the holder, and the same note.
        let out = lacking(&ns, word, &["list", "--json"]);
        assert_code(&out, 0);
        let pids = json(&out)[0]["processes"].to_string();
        assert!(pids.contains(&pid), "{word}: {pids}");
        assert!(
            stderr(&out).contains(&lacks_text(&real, named)),
            "{word}: {}",
            stderr(&out)
        );

        // Without the hook: the full proof, no note (unless this kernel
        // really lacks it).
        let out = ns.tt(&["list"]);
        match &real {
            Some(note) => eprintln!(
                "SKIPPED holders_without_pidfd_or_tungetdevnetns_fall_back_and_say_so (the full proof): {note}"
            ),
            None => assert!(!stderr(&out).contains("lacks"), "{}", stderr(&out)),
        }

        assert_code(&lacking(&ns, word, &["del", "--force", "kf0"]), 0);
        assert!(ns.link("kf0").is_none(), "{word}: --force deletes");
        drop(holder);
    }
}

/// What the weaker proof costs: a process holding a same-named tap of
/// another namespace. A device here that nothing is attached to is told
/// apart by the kernel's own count (its queues), proof or not: del
/// deletes it. One that is attached here too cannot be: without
/// pidfd_getfd the name is all there is, so the other namespace's holder
/// is shown beside ours, with a note; the full proof shows only ours.
#[test]
fn a_same_named_device_elsewhere_is_told_apart_by_the_count_or_the_full_proof() {
    let here = netns_or_skip!();
    let there = netns_or_skip!();
    for ns in [&here, &there] {
        assert_code(&ns.tt(&["add", "twin0", "--multi-queue"]), 0);
    }
    let theirs = there.hold("twin0", "tap", &["multi_queue"]);

    let out = lacking(&here, "pidfd_getfd", &["del", "twin0"]);
    assert_code(&out, 0);
    assert!(!stderr(&out).contains("lacks"), "{}", stderr(&out));
    assert!(here.link("twin0").is_none());
    assert!(there.link("twin0").is_some(), "the other one is untouched");

    assert_code(&here.tt(&["add", "twin0", "--multi-queue"]), 0);
    let ours = here.hold("twin0", "tap", &["multi_queue"]);
    let pids = |out: &std::process::Output| -> Vec<u64> {
        let mut p: Vec<u64> = json(out)[0]["processes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["pid"].as_u64().unwrap())
            .collect();
        p.sort();
        p
    };
    let mut both = vec![u64::from(ours.pid()), u64::from(theirs.pid())];
    both.sort();
    let out = lacking(&here, "pidfd_getfd", &["show", "--json", "twin0"]);
    assert_code(&out, 0);
    assert_eq!(pids(&out), both, "the name alone: both");
    let real = kernel_lacks_holder_proof(&here);
    assert!(
        stderr(&out).contains(&lacks_text(&real, "pidfd_getfd (Linux 5.6)")),
        "{}",
        stderr(&out)
    );

    let out = here.tt(&["show", "--json", "twin0"]);
    match real {
        Some(note) => {
            assert_eq!(pids(&out), both);
            eprintln!(
                "SKIPPED a_same_named_device_elsewhere_is_told_apart_by_the_count_or_the_full_proof (the full proof): {note}"
            );
        }
        None => assert_eq!(pids(&out), [u64::from(ours.pid())], "the full proof"),
    }
}

/// Without NS_GET_NSTYPE, --netns still takes a network namespace (a file
/// of nsfs, checked by setns), still refuses a plain file, and refuses
/// another kind of namespace with the missing ioctl named.
#[test]
fn netns_without_ns_get_nstype() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["add", "kfns"]), 0);
    let path = ns.path_for_child().display().to_string();
    let out = lacking(&ns, "NS_GET_NSTYPE", &["--netns", &path, "list", "--json"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)[0]["name"], "kfns");

    let dir = tempdir("kf-plain");
    let plain = dir.join("plain");
    std::fs::write(&plain, b"").unwrap();
    let plain = plain.display().to_string();
    let out = lacking(&ns, "NS_GET_NSTYPE", &["--netns", &plain, "list"]);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("it is a regular file"),
        "{}",
        stderr(&out)
    );

    let mnt = format!("/proc/{}/ns/mnt", std::process::id());
    let out = lacking(&ns, "NS_GET_NSTYPE", &["--netns", &mnt, "list"]);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains(
            "is not a network namespace (this kernel lacks NS_GET_NSTYPE (Linux 4.11): setns told)"
        ),
        "{}",
        stderr(&out)
    );
    // With the ioctl, the kind is named before setns.
    let out = ns.tt(&["--netns", &mnt, "list"]);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("another kind of namespace (mount)"),
        "{}",
        stderr(&out)
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// A tun driver that cannot change the carrier: set --carrier fails with
/// the missing facility named and what still works; the carrier is as it
/// was. Other settings of the same kind still work.
#[test]
fn carrier_without_tun_carrier_changes() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["add", "kfc", "--up"]), 0);
    let _holder = ns.hold("kfc", "tap", &[]);
    // LOWER_UP is the carrier itself (NO-CARRIER follows the operstate,
    // which the kernel updates later).
    let carrier = |ns: &Netns| {
        let l = ns.link("kfc").unwrap();
        l["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "LOWER_UP")
    };
    assert!(carrier(&ns), "attached and up: carrier on");

    let out = lacking(&ns, "tun_carrier", &["set", "kfc", "--carrier", "off"]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("kfc"), "{err}");
    assert!(
        err.contains("this kernel lacks tun_carrier (Linux 5.0)"),
        "{err}"
    );
    assert!(err.contains("EOPNOTSUPP"), "{err}");
    assert!(err.contains("leave out --carrier"), "{err}");
    assert!(carrier(&ns), "unchanged");

    assert_code(
        &lacking(&ns, "tun_carrier", &["set", "kfc", "--mtu", "1400"]),
        0,
    );
    assert_eq!(ns.link("kfc").unwrap()["mtu"], 1400);

    // Without the hook the same command works.
    assert_code(&ns.tt(&["set", "kfc", "--carrier", "off"]), 0);
    assert!(!carrier(&ns));
}

/// `add --up` on kernels that ignore IFF_NO_CARRIER (before 6.0): the
/// carrier is turned off right after attaching (TUNSETCARRIER), so the
/// result is the same as with the flag: no carrier, no link-local address,
/// no note. Without carrier changes as well (before 5.0) the carrier is on
/// while tuntapctl sets the device up: the note says so, and what follows
/// from it (the link-local address the kernel then makes) is really there.
#[test]
fn add_up_without_iff_no_carrier() {
    let ns = netns_or_skip!();
    let link_local =
        |ns: &Netns, name: &str| ns.addresses(name).iter().any(|a| a.starts_with("fe80:"));
    let no_carrier = |ns: &Netns, name: &str| {
        !ns.link(name).unwrap()["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "LOWER_UP")
    };

    let out = ns.tt(&["add", "kfa", "--up"]);
    assert_code(&out, 0);
    assert!(no_carrier(&ns, "kfa") && !link_local(&ns, "kfa"));
    assert!(!stderr(&out).contains("lacks"), "{}", stderr(&out));

    let out = lacking(&ns, "IFF_NO_CARRIER", &["add", "kfb", "--up"]);
    assert_code(&out, 0);
    assert!(no_carrier(&ns, "kfb"), "TUNSETCARRIER turned it off");
    assert!(!link_local(&ns, "kfb"), "{:?}", ns.addresses("kfb"));
    assert!(!stderr(&out).contains("lacks"), "{}", stderr(&out));

    let out = lacking(&ns, "IFF_NO_CARRIER,tun_carrier", &["add", "kfc", "--up"]);
    assert_code(&out, 0);
    assert!(
        stderr(&out).contains(
            "note: kfc: this kernel lacks IFF_NO_CARRIER (Linux 6.0) and tun_carrier (Linux 5.0): its carrier was on while tuntapctl set it up"
        ),
        "{}",
        stderr(&out)
    );
    assert!(no_carrier(&ns, "kfc"), "off again once tuntapctl let go");
    assert!(link_local(&ns, "kfc"), "{:?}", ns.addresses("kfc"));

    // Re-owning attaches the same way, and says the same.
    let out = lacking(
        &ns,
        "IFF_NO_CARRIER,tun_carrier",
        &["set", "kfc", "--user", "nobody"],
    );
    assert_code(&out, 0);
    assert!(
        stderr(&out).contains(
            "note: kfc: this kernel lacks IFF_NO_CARRIER (Linux 6.0) and tun_carrier (Linux 5.0)"
        ),
        "{}",
        stderr(&out)
    );
    assert!(no_carrier(&ns, "kfc"));
    let out = ns.tt(&["set", "kfc", "--user", "root"]);
    assert_code(&out, 0);
    assert!(!stderr(&out).contains("lacks"), "{}", stderr(&out));
}

/// Addresses on kernels without IFA_PROTO (before 5.18): the kernel does
/// not tag the link-local address it makes. With addrgenmode eui64 the
/// MAC's EUI-64 address is the kernel's and another link-local one was
/// added by hand: `--flush-addresses` removes that one, silently. With
/// another mode nothing settles it: it is kept, and a note says why and how
/// to remove it. On a kernel that tags, the same flush removes it silently.
#[test]
fn link_local_addresses_without_ifa_proto() {
    let ns = netns_or_skip!();
    let ip = |args: &[&str]| {
        let out = ns.run("ip", args);
        assert!(out.status.success(), "ip {args:?}: {}", stderr(&out));
    };
    let wait_for = |name: &str, want: &str| {
        for _ in 0..200 {
            if ns.addresses(name).iter().any(|a| a == want) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        panic!("{want} never appeared on {name}: {:?}", ns.addresses(name));
    };

    // eui64: the kernel's own address is the MAC's (checked against the
    // kernel here), so fe80::5 was added.
    let mac = "02:00:5e:10:20:30";
    assert_code(&ns.tt(&["add", "kfp", "--up", "--mac", mac]), 0);
    let _holder = ns.hold("kfp", "tap", &[]);
    let kernels = "fe80::5eff:fe10:2030/64";
    wait_for("kfp", kernels);
    ip(&["addr", "add", "fe80::5/64", "dev", "kfp"]);
    let out = lacking(&ns, "IFA_PROTO", &["set", "kfp", "--flush-addresses"]);
    assert_code(&out, 0);
    assert!(!stderr(&out).contains("note"), "{}", stderr(&out));
    assert_eq!(ns.addresses("kfp"), [kernels]);

    // random: the kernel's address could be any; one added by hand is kept.
    let args = ["add", "kfq", "--up", "--addrgenmode", "random"];
    assert_code(&ns.tt(&args), 0);
    let _holder = ns.hold("kfq", "tap", &[]);
    for _ in 0..200 {
        if ns.addresses("kfq").iter().any(|a| a.starts_with("fe80:")) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    ip(&["addr", "add", "fe80::6/64", "dev", "kfq"]);
    ip(&["addr", "add", "fd00:6::1/64", "dev", "kfq"]);
    let out = lacking(&ns, "IFA_PROTO", &["set", "kfq", "--flush-addresses"]);
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(
        err.contains("note: kfq: --flush-addresses kept fe80::6/64")
            && err.contains("IFA_PROTO (Linux 5.18)")
            && err.contains("tuntapctl set kfq --del-address fe80::6/64"),
        "{err}"
    );
    let have = ns.addresses("kfq");
    assert!(have.iter().any(|a| a == "fe80::6/64"), "{have:?}");
    assert!(!have.iter().any(|a| a == "fd00:6::1/64"), "{have:?}");

    // Without the hook: a kernel that tags removes it silently; one that
    // does not (a real 5.10) keeps it with the same note.
    let out = ns.tt(&["set", "kfq", "--flush-addresses"]);
    assert_code(&out, 0);
    let noted = stderr(&out).contains("note: kfq: --flush-addresses kept fe80::6/64");
    let kept = ns.addresses("kfq").iter().any(|a| a == "fe80::6/64");
    assert_eq!(noted, kept, "{}", stderr(&out));
    // The note's own fix works.
    if kept {
        assert_code(&ns.tt(&["set", "kfq", "--del-address", "fe80::6/64"]), 0);
    }
    assert!(!ns.addresses("kfq").iter().any(|a| a == "fe80::6/64"));
}

/// Renaming an up device: kernels before 6.2 refuse it (EBUSY). The error
/// names what the kernel lacks and the way round it; nothing is renamed.
/// On a kernel that refuses it for real, the hook changes nothing.
#[test]
fn rename_of_an_up_device_without_live_rename() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["add", "kfr", "--up"]), 0);
    let out = lacking(&ns, "live_rename", &["set", "kfr", "--rename", "kfr-new"]);
    assert_code(&out, 6);
    let err = stderr(&out);
    assert!(
        err.contains("kfr: cannot be renamed to kfr-new: it is up, and this kernel lacks live_rename (Linux 6.2)"),
        "{err}"
    );
    assert!(err.contains("tuntapctl set kfr --down"), "{err}");
    assert!(ns.link("kfr").is_some() && ns.link("kfr-new").is_none());
    // The way round it works on every kernel.
    assert_code(&ns.tt(&["set", "kfr", "--down"]), 0);
    assert_code(&ns.tt(&["set", "kfr", "--rename", "kfr-new"]), 0);
    assert!(ns.link("kfr-new").is_some());
}

/// 5.10 leaves the IPv6 address generation mode out of link answers that
/// skip counters: list and apply then ask again with counters, so the mode
/// is never reported as null (nor lost by `list --json | apply`).
#[test]
fn addrgenmode_without_stats_is_asked_again() {
    let ns = netns_or_skip!();
    assert_code(&ns.tt(&["add", "kfg", "--addrgenmode", "none"]), 0);
    let hook = "addrgenmode_without_stats";
    let out = lacking(&ns, hook, &["list", "--json"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)[0]["addrgenmode"], "none", "{}", stdout(&out));
    let out = lacking(&ns, hook, &["show", "--json", "kfg"]);
    assert_eq!(json(&out)[0]["addrgenmode"], "none", "{}", stdout(&out));
    // What ip says, independently.
    let l = ns.link("kfg").unwrap();
    assert_eq!(l["inet6_addr_gen_mode"], "none", "{l}");
}
