use super::*;

struct Table;

impl IdLookup for Table {
    fn uid(&self, name: &str) -> Option<u32> {
        match name {
            "alice" => Some(1000),
            "bob" => Some(1001),
            "guest" => Some(1002),
            _ => None,
        }
    }
    fn gid(&self, name: &str) -> Option<u32> {
        match name {
            "kvm" => Some(990),
            "ci" => Some(991),
            _ => None,
        }
    }
}

fn parse(text: &str) -> Result<Policy> {
    Policy::parse("/etc/tuntapctl/delegate.toml", text, &Table)
}

fn caller(uid: u32, name: &str, groups: &[u32]) -> Caller {
    Caller {
        uid,
        gid: uid,
        pid: 1,
        groups: groups.to_vec(),
        unknown_groups: None,
        name: Some(name.into()),
    }
}

const SAMPLE: &str = r#"
[[allow]]
group = "kvm"
names = "vm-{user}-*"
max = 2
masters = ["br0"]

[[allow]]
user = "alice"
names = "lab*"
modes = ["tun", "tap"]
mtu = [576, 9000]

[[deny]]
user = "guest"
"#;

#[test]
fn first_allow_decides_and_user_fills_the_pattern() {
    let p = parse(SAMPLE).unwrap();
    let alice = caller(1000, "alice", &[990]);
    match p.decide(&alice, "vm-alice-0") {
        Verdict::Allow(r) => {
            assert_eq!((r.number, r.line, r.max), (1, 2, 2));
            assert_eq!(r.masters, ["br0"]);
        }
        other => panic!("{other:?}"),
    }
    match p.decide(&alice, "lab7") {
        Verdict::Allow(r) => assert_eq!((r.number, r.mtu), (2, Some((576, 9000)))),
        other => panic!("{other:?}"),
    }
    // Another user's name, the bare prefix, and a name not in the pattern.
    for name in ["vm-bob-1", "vm-alice-", "vmalice-1", "tap0"] {
        assert_eq!(p.decide(&alice, name), Verdict::NoRule, "{name}");
    }
    // bob is not in kvm: nothing for him.
    let bob = caller(1001, "bob", &[]);
    assert_eq!(p.decide(&bob, "vm-bob-1"), Verdict::NoRule);
    let bob_kvm = caller(1001, "bob", &[7, 990]);
    assert!(matches!(p.decide(&bob_kvm, "vm-bob-1"), Verdict::Allow(r) if r.number == 1));
}

#[test]
fn deny_wins_over_every_allow() {
    let p = parse(SAMPLE).unwrap();
    let guest = caller(1002, "guest", &[990]);
    assert!(matches!(p.decide(&guest, "vm-guest-0"), Verdict::Deny(r) if r.line == 14));
    assert!(matches!(p.bridge_rule(&guest, "br0"), Verdict::Deny(_)));
    let named = parse(
        "[[allow]]\nuser = \"*\"\nnames = \"t*\"\n[[deny]]\ngroup = \"ci\"\nnames = \"tx*\"\n",
    )
    .unwrap();
    let ci = caller(1001, "bob", &[991]);
    assert!(matches!(named.decide(&ci, "tx1"), Verdict::Deny(_)));
    assert!(matches!(named.decide(&ci, "ta1"), Verdict::Allow(_)));
}

#[test]
fn bridge_rule_needs_the_bridge_in_masters_and_a_template() {
    let p = parse(SAMPLE).unwrap();
    let alice = caller(1000, "alice", &[990]);
    let Verdict::Allow(r) = p.bridge_rule(&alice, "br0") else {
        panic!()
    };
    assert_eq!(r.template(&alice).as_deref(), Some("vm-alice-%d"));
    assert_eq!(p.bridge_rule(&alice, "br1"), Verdict::NoRule);
    // A caller without a user name cannot fill {user}.
    let nameless = Caller {
        name: None,
        ..alice.clone()
    };
    assert_eq!(p.bridge_rule(&nameless, "br0"), Verdict::NoRule);
    assert_eq!(p.decide(&nameless, "vm--0"), Verdict::NoRule);
}

#[test]
fn counts_are_owned_taps_matching_the_rule() {
    let p = parse(SAMPLE).unwrap();
    let alice = caller(1000, "alice", &[990]);
    let r = &p.allow[0];
    let taps = [
        ("vm-alice-0", Some(1000)),
        ("vm-alice-1", Some(1001)), // not hers
        ("vm-alice-2", None),
        ("lab1", Some(1000)), // another rule's
        ("vm-alice-9", Some(1000)),
    ];
    assert_eq!(count_owned(r, &alice, taps), 2);
}

#[test]
fn every_bad_policy_names_file_line_and_what() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "[[allow]]\nuser = \"alice\"\nnames = \"a*\"\nmaxx = 3\n",
            4,
            "unknown field",
        ),
        ("[[allow]]\nuser = \"alice\"\n", 1, "needs names"),
        (
            "[[allow]]\nnames = \"a*\"\n",
            1,
            "exactly one of user or group",
        ),
        (
            "[[allow]]\nuser = \"zed\"\nnames = \"a*\"\n",
            2,
            "no such user",
        ),
        (
            "[[allow]]\ngroup = \"nog\"\nnames = \"a*\"\n",
            2,
            "no such group",
        ),
        (
            "[[allow]]\nuser = \"alice\"\nnames = \"a**\"\n",
            3,
            "more than one",
        ),
        (
            "[[allow]]\nuser = \"alice\"\nnames = \"a/b*\"\n",
            3,
            "not a valid interface name",
        ),
        (
            "[[allow]]\nuser = \"alice\"\nnames = \"{uid}*\"\n",
            3,
            "{user}",
        ),
        (
            "[[allow]]\nuser = \"alice\"\nnames = \"a*\"\nmax = 0\n",
            4,
            "out of range",
        ),
        (
            "[[allow]]\nuser = \"alice\"\nnames = \"a*\"\nmodes = [\"tan\"]\n",
            4,
            "not tun or tap",
        ),
        (
            "[[allow]]\nuser = \"alice\"\nnames = \"a*\"\nmtu = [9000, 576]\n",
            4,
            "mtu",
        ),
        (
            "[[deny]]\nuser = \"bob\"\nmax = 3\n",
            1,
            "only user, group and names",
        ),
        (
            "[[allow]]\nuser = \"alice\"\nnames = \"a*\"\nmax = \"8\"\n",
            4,
            "invalid type",
        ),
        ("[[allow]\n", 1, ""),
    ];
    for (text, line, what) in cases {
        let e = parse(text).expect_err(text);
        assert_eq!(e.status.code(), 2, "{text}");
        let at = format!("policy /etc/tuntapctl/delegate.toml:{line}:");
        assert!(e.message.starts_with(&at), "{text}: {}", e.message);
        assert!(e.message.contains(what), "{text}: {}", e.message);
    }
}

#[test]
fn patterns_match_whole_names_only() {
    let p = NamePattern::parse("vm-{user}-*").unwrap();
    assert!(p.matches(Some("alice"), "vm-alice-12"));
    assert!(!p.matches(Some("alice"), "vm-alice-"));
    assert!(!p.matches(Some("alice"), "xvm-alice-1"));
    let exact = NamePattern::parse("tap-{user}").unwrap();
    assert!(exact.matches(Some("bob"), "tap-bob"));
    assert!(!exact.matches(Some("bob"), "tap-bob1"));
    let mid = NamePattern::parse("t*-x").unwrap();
    assert!(mid.matches(None, "t1-x"));
    assert!(!mid.matches(None, "t-x"));
}

#[test]
fn unknown_groups_refuse_only_where_a_group_rule_could_decide() {
    use crate::delegate::check::{groups_known, rule_for};
    use nix::errno::Errno;
    let p = parse(SAMPLE).unwrap();
    assert!(p.has_group_rules(true) && !p.has_group_rules(false));
    let deny_ci = parse(&format!("{SAMPLE}\n[[deny]]\ngroup = \"ci\"\n")).unwrap();
    assert!(deny_ci.has_group_rules(false));

    let mut bob = caller(1001, "bob", &[]);
    bob.unknown_groups = Some(Errno::ENOPROTOOPT);
    // A deny rule for a group could be passed over: refused at once.
    let err = groups_known(&deny_ci, &bob, "bob-1").unwrap_err();
    assert_eq!(err.status.code(), 5);
    assert_eq!(err.interface.as_deref(), Some("bob-1"));
    assert!(err.message.starts_with("bob-1: refused"), "{}", err.message);
    assert!(
        err.message
            .contains("this kernel lacks SO_PEERGROUPS (Linux 4.13)"),
        "{}",
        err.message
    );
    // Only allow rules for groups: judged; one that would decide, and
    // that the primary group does not settle, refuses with itself named.
    assert!(groups_known(&p, &bob, "bob-1").is_ok());
    let err = rule_for(&p, &bob, "vm-bob-1").unwrap_err();
    assert!(
        err.message.contains("allow rule 1 (line 2) is for a group")
            && err.message.contains("lacks SO_PEERGROUPS")
            && err.message.contains("only the primary group, 1001"),
        "{}",
        err.message
    );
    // A name no group rule fits: plain no-rule.
    let err = rule_for(&p, &bob, "tap0").unwrap_err();
    assert!(err.message.contains("no [[allow]] rule"), "{}", err.message);
    // A later, broader rule never stands in for an undecided group rule.
    let layered = parse(
        "[[allow]]\ngroup = \"kvm\"\nnames = \"{user}-*\"\nmax = 1\n[[allow]]\nuser = \"*\"\nnames = \"{user}-*\"\nmax = 4\n",
    )
    .unwrap();
    assert!(matches!(layered.decide(&bob, "bob-1"), Verdict::Undecided(r) if r.number == 1));
    bob.unknown_groups = None;
    assert!(matches!(layered.decide(&bob, "bob-1"), Verdict::Allow(r) if r.number == 2));
    bob.unknown_groups = Some(Errno::ENOPROTOOPT);
    // The primary group still matches.
    let mut kvm_primary = caller(1001, "bob", &[]);
    kvm_primary.gid = 990;
    kvm_primary.unknown_groups = Some(Errno::ENOPROTOOPT);
    assert!(rule_for(&p, &kvm_primary, "vm-bob-1").is_ok());
    // Another failure is named as it is, not taken for absence.
    bob.unknown_groups = Some(Errno::ENOMEM);
    let err = groups_known(&deny_ci, &bob, "bob-1").unwrap_err();
    assert!(err.message.contains("SO_PEERGROUPS: "), "{}", err.message);
    bob.unknown_groups = None;
    assert!(groups_known(&deny_ci, &bob, "bob-1").is_ok());
}
