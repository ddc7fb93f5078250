//! doctor's word on delegation: for a user who cannot attach, whether the
//! policy would let them make (or manage) the tap themselves, and by which
//! rule. A pure function of the facts and the policy.

use super::facts::{Check, DeviceFacts, UserFacts};
use crate::error::Result;
use crate::text::printable;

use crate::delegate::policy::{Caller, Policy, Verdict};

/// None when there is no policy file to speak of.
pub fn check(
    policy: Option<Result<Policy>>,
    name: &str,
    user: &UserFacts,
    device: Option<&DeviceFacts>,
) -> Option<Check> {
    let policy = match policy? {
        Ok(p) => p,
        Err(e) => {
            return Some(Check {
                check: "delegation",
                ok: false,
                detail: format!("the delegation policy cannot be used: {}", e.message),
                fix: None,
            });
        }
    };
    let caller = Caller {
        uid: user.uid,
        gid: user.gid,
        pid: 0,
        groups: user.groups.clone(),
        unknown_groups: None,
        name: user.name.clone(),
    };
    let who = caller.describe();
    let shown = printable(name);
    let (ok, detail, fix) = match (policy.decide(&caller, name), device) {
        (Verdict::Allow(rule), Some(dev)) if dev.owner != Some(user.uid) => (
            false,
            format!(
                "{} would let {who} make {shown}, but it exists and is not theirs",
                rule.describe()
            ),
            Some("root can give it to them (tuntapctl set NAME --user USER), or they use another name".to_string()),
        ),
        (Verdict::Allow(rule), _) => (
            true,
            format!(
                "{} of {} lets {who} make and manage {shown} without sudo (tuntapctl add/set/del go through the service)",
                rule.describe(),
                policy.path
            ),
            None,
        ),
        (Verdict::Deny(rule), _) => (
            false,
            format!("{} of {} denies {who}", rule.describe(), policy.path),
            None,
        ),
        // Doctor reads the group database: the groups are always known.
        (Verdict::Undecided(rule), _) => (
            false,
            format!("{} of {} may or may not cover {who}", rule.describe(), policy.path),
            None,
        ),
        (Verdict::NoRule, _) => (
            false,
            format!("no [[allow]] rule of {} lets {who} make {shown}", policy.path),
            Some(format!(
                "the admin can add an [[allow]] rule for them (or a group of theirs) whose names match {shown}"
            )),
        ),
    };
    Some(Check {
        check: "delegation",
        ok,
        detail,
        fix,
    })
}

/// The system's policy, when there is one (read, not ownership-checked:
/// doctor only reports what it says).
pub fn system_policy() -> Option<Result<Policy>> {
    let path = crate::delegate::policy::DEFAULT_POLICY;
    if std::fs::symlink_metadata(path).is_err() {
        return None;
    }
    Some(Policy::load(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delegate::policy::IdLookup;

    struct Ids;
    impl IdLookup for Ids {
        fn uid(&self, _: &str) -> Option<u32> {
            None
        }
        fn gid(&self, name: &str) -> Option<u32> {
            (name == "kvm").then_some(990)
        }
    }

    fn user(groups: &[u32]) -> UserFacts {
        UserFacts {
            uid: 1000,
            name: Some("alice".into()),
            gid: 1000,
            groups: groups.to_vec(),
            groups_given: false,
            group_names: Default::default(),
            sessions: Vec::new(),
        }
    }

    fn policy() -> Option<Result<Policy>> {
        Some(Policy::parse(
            "/etc/tuntapctl/delegate.toml",
            "[[allow]]\ngroup = \"kvm\"\nnames = \"vm-{user}-*\"\n",
            &Ids,
        ))
    }

    #[test]
    fn says_which_rule_would_let_the_user_make_it() {
        let c = check(policy(), "vm-alice-0", &user(&[990]), None).unwrap();
        assert!(c.ok);
        assert!(
            c.detail.starts_with(
                "allow rule 1 (line 1) of /etc/tuntapctl/delegate.toml lets user alice"
            ),
            "{}",
            c.detail
        );
        let c = check(policy(), "vm-alice-0", &user(&[]), None).unwrap();
        assert!(!c.ok);
        assert!(c.fix.unwrap().contains("[[allow]] rule"));
        assert!(check(None, "vm-alice-0", &user(&[990]), None).is_none());
    }
}
