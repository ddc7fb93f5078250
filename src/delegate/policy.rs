//! The delegation policy (SPEC §12): `[[allow]]` and `[[deny]]` rules read
//! from a TOML file, checked strictly (every bad key or value is an error
//! naming the file, the line and what is wrong), and the pure decision of
//! which rule, if any, lets a caller make a tap of a given name.

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Result};
use crate::validate::Mode;

pub const DEFAULT_POLICY: &str = "/etc/tuntapctl/delegate.toml";

/// A policy larger than this is refused unread.
const MAX_POLICY_BYTES: u64 = 1 << 20;

/// Who a rule is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    User {
        name: String,
        uid: u32,
    },
    Group {
        name: String,
        gid: u32,
    },
    /// `user = "*"`: every caller.
    Anyone,
}

/// A `names` pattern: literal text, `{user}` for the caller's name and at
/// most one `*` (one or more characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamePattern {
    text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub allow: bool,
    /// 1-based among the rules of its kind.
    pub number: usize,
    pub line: usize,
    pub who: Who,
    /// Required for allow rules; a deny rule without one covers every name.
    pub names: Option<NamePattern>,
    pub max: u32,
    pub modes: Vec<Mode>,
    pub masters: Vec<String>,
    pub addresses: bool,
    pub multi_queue: bool,
    pub mtu: Option<(u32, u32)>,
}

#[derive(Clone, Debug, Default)]
pub struct Policy {
    pub path: String,
    pub allow: Vec<Rule>,
    pub deny: Vec<Rule>,
}

/// The caller as the kernel reports it (SO_PEERCRED, SO_PEERGROUPS) plus
/// its user name, looked up from the uid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub uid: u32,
    pub gid: u32,
    pub pid: i32,
    pub groups: Vec<u32>,
    /// Why `groups` is empty for want of an answer: the kernel's errno to
    /// SO_PEERGROUPS. A group rule cannot be judged then.
    pub unknown_groups: Option<nix::errno::Errno>,
    pub name: Option<String>,
}

impl Caller {
    pub fn in_group(&self, gid: u32) -> bool {
        self.gid == gid || self.groups.contains(&gid)
    }

    pub fn describe(&self) -> String {
        match &self.name {
            Some(n) => format!("user {} (uid {})", crate::text::printable(n), self.uid),
            None => format!("uid {}", self.uid),
        }
    }
}

/// What the policy says about one name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict<'a> {
    Allow(&'a Rule),
    Deny(&'a Rule),
    NoRule,
    /// An allow rule for a group that would fit comes first, and the
    /// kernel did not tell the caller's groups: the first match is unknown.
    Undecided(&'a Rule),
}

impl Rule {
    pub fn describe(&self) -> String {
        let kind = if self.allow { "allow" } else { "deny" };
        format!("{kind} rule {} (line {})", self.number, self.line)
    }

    pub fn covers(&self, caller: &Caller) -> bool {
        match &self.who {
            Who::User { uid, .. } => *uid == caller.uid,
            Who::Group { gid, .. } => caller.in_group(*gid),
            Who::Anyone => true,
        }
    }

    fn fits(&self, caller: &Caller, name: &str) -> bool {
        self.covers(caller) && self.names_fit(caller, name)
    }

    /// Does `name` fit the rule's names for this caller? A deny rule
    /// without names denies every name (an allow rule always has names).
    fn names_fit(&self, caller: &Caller, name: &str) -> bool {
        match &self.names {
            Some(p) => p.matches(caller.name.as_deref(), name),
            None => !self.allow,
        }
    }

    /// The kernel template for a tap made under this rule: `*` becomes `%d`.
    pub fn template(&self, caller: &Caller) -> Option<String> {
        let text = self.names.as_ref()?.expand(caller.name.as_deref())?;
        Some(text.replacen('*', "%d", 1))
    }

    pub fn names_text(&self) -> &str {
        self.names.as_ref().map_or("*", |p| p.text.as_str())
    }
}

impl NamePattern {
    pub fn parse(text: &str) -> std::result::Result<NamePattern, String> {
        if text.matches('*').count() > 1 {
            return Err("holds more than one '*'".into());
        }
        let plain = text.replace("{user}", "u").replace('*', "0");
        if plain.contains(['{', '}']) {
            return Err("'{' and '}' may appear only as {user}".into());
        }
        crate::validate::IfName::parse(&plain).map_err(|e| {
            format!(
                "with {{user}} and * filled in it is not a valid interface name: {}",
                e.message
            )
        })?;
        Ok(NamePattern {
            text: text.to_string(),
        })
    }

    /// The pattern with `{user}` filled; None when it needs a name the
    /// caller does not have.
    fn expand(&self, user: Option<&str>) -> Option<String> {
        if !self.text.contains("{user}") {
            return Some(self.text.clone());
        }
        Some(self.text.replace("{user}", user?))
    }

    pub fn matches(&self, user: Option<&str>, name: &str) -> bool {
        let Some(text) = self.expand(user) else {
            return false;
        };
        match text.split_once('*') {
            None => text == name,
            Some((prefix, suffix)) => {
                name.len() > prefix.len() + suffix.len()
                    && name.starts_with(prefix)
                    && name.ends_with(suffix)
            }
        }
    }
}

/// The first allow rule that covers the caller and `fits`. A rule for a
/// group the caller may be in, when the kernel did not tell its groups
/// (SO_PEERGROUPS), stops the search undecided rather than being passed
/// over: a later, broader rule must not stand in for it.
fn first_allow<'p>(
    allow: &'p [Rule],
    caller: &Caller,
    fits: impl Fn(&Rule) -> bool,
) -> Verdict<'p> {
    for rule in allow.iter().filter(|r| fits(r)) {
        if rule.covers(caller) {
            return Verdict::Allow(rule);
        }
        if caller.unknown_groups.is_some() && matches!(rule.who, Who::Group { .. }) {
            return Verdict::Undecided(rule);
        }
    }
    Verdict::NoRule
}

impl Policy {
    /// Does any allow rule (`allow`) or deny rule name a group?
    pub fn has_group_rules(&self, allow: bool) -> bool {
        let rules = if allow { &self.allow } else { &self.deny };
        rules.iter().any(|r| matches!(r.who, Who::Group { .. }))
    }

    /// Deny wins; else the first allow rule whose user/group and names fit.
    pub fn decide(&self, caller: &Caller, name: &str) -> Verdict<'_> {
        if let Some(d) = self.deny.iter().find(|r| r.fits(caller, name)) {
            return Verdict::Deny(d);
        }
        first_allow(&self.allow, caller, |r| r.names_fit(caller, name))
    }

    /// The rule for a bridge tap (no name yet): the first allow rule for the
    /// caller that takes taps and lists the bridge; a deny rule covering the
    /// caller with no `names` refuses outright.
    pub fn bridge_rule(&self, caller: &Caller, bridge: &str) -> Verdict<'_> {
        if let Some(d) = self
            .deny
            .iter()
            .find(|r| r.names.is_none() && r.covers(caller))
        {
            return Verdict::Deny(d);
        }
        first_allow(&self.allow, caller, |r| {
            r.modes.contains(&Mode::Tap)
                && r.masters.iter().any(|m| m == bridge)
                && r.template(caller).is_some()
        })
    }

    /// Read, check and parse the policy file: strict modes first (exit 5),
    /// then the content (exit 2).
    pub fn load(path: &str) -> Result<Policy> {
        super::modes::check(path)?;
        let text = read_bounded(path)?;
        Policy::parse(path, &text, &SystemIds)
    }

    pub fn parse(path: &str, text: &str, ids: &dyn IdLookup) -> Result<Policy> {
        let raw: RawPolicy = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(0, |s| line_of(text, s.start));
            bad(path, line, &e.message().replace('\n', " "))
        })?;
        let mut policy = Policy {
            path: path.to_string(),
            ..Policy::default()
        };
        for (k, r) in raw.allow.into_iter().enumerate() {
            policy.allow.push(rule(path, text, ids, true, k + 1, r)?);
        }
        for (k, r) in raw.deny.into_iter().enumerate() {
            policy.deny.push(rule(path, text, ids, false, k + 1, r)?);
        }
        Ok(policy)
    }
}

/// Users and groups by name (the system's, or a table in tests).
pub trait IdLookup {
    fn uid(&self, name: &str) -> Option<u32>;
    fn gid(&self, name: &str) -> Option<u32>;
}

pub struct SystemIds;

impl IdLookup for SystemIds {
    fn uid(&self, name: &str) -> Option<u32> {
        uzers::get_user_by_name(name).map(|u| u.uid())
    }
    fn gid(&self, name: &str) -> Option<u32> {
        uzers::get_group_by_name(name).map(|g| g.gid())
    }
}

fn read_bounded(path: &str) -> Result<String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| {
        Error::failed(format!("policy {path}: cannot read it: {e}"))
            .fix("check the file (tuntapctl serve --check)")
    })?;
    let mut text = String::new();
    file.take(MAX_POLICY_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| bad(path, 0, &format!("it is not UTF-8 text ({e})")))?;
    if text.len() as u64 > MAX_POLICY_BYTES {
        return Err(bad(path, 0, "it is over 1 MiB"));
    }
    Ok(text)
}

fn bad(path: &str, line: usize, what: &str) -> Error {
    let at = if line > 0 {
        format!("{path}:{line}")
    } else {
        path.to_string()
    };
    Error::usage(format!("policy {at}: {what}"))
        .fix("correct the file and run `tuntapctl serve --check`")
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(default)]
    allow: Vec<Spanned<RawRule>>,
    #[serde(default)]
    deny: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    user: Option<Spanned<String>>,
    group: Option<Spanned<String>>,
    names: Option<Spanned<String>>,
    max: Option<Spanned<i64>>,
    modes: Option<Spanned<Vec<String>>>,
    masters: Option<Spanned<Vec<String>>>,
    addresses: Option<Spanned<bool>>,
    multi_queue: Option<Spanned<bool>>,
    mtu: Option<Spanned<Vec<i64>>>,
}

/// Whom a rule is about: exactly one of user and group.
fn who(
    path: &str,
    text: &str,
    ids: &dyn IdLookup,
    allow: bool,
    line: usize,
    raw: &RawRule,
) -> Result<Who> {
    let at = |start: usize| line_of(text, start);
    let kind = if allow { "[[allow]]" } else { "[[deny]]" };
    Ok(match (&raw.user, &raw.group) {
        (Some(u), None) if u.get_ref() == "*" => Who::Anyone,
        (Some(u), None) => Who::User {
            uid: ids.uid(u.get_ref()).ok_or_else(|| {
                bad(
                    path,
                    at(u.span().start),
                    &format!("no such user {:?}", u.get_ref()),
                )
            })?,
            name: u.get_ref().clone(),
        },
        (None, Some(g)) => Who::Group {
            gid: ids.gid(g.get_ref()).ok_or_else(|| {
                bad(
                    path,
                    at(g.span().start),
                    &format!("no such group {:?}", g.get_ref()),
                )
            })?,
            name: g.get_ref().clone(),
        },
        _ => {
            return Err(bad(
                path,
                line,
                &format!("a {kind} rule needs exactly one of user or group"),
            ));
        }
    })
}

/// An allowed MTU range, inclusive.
type MtuRange = (u32, u32);

/// A rule's `masters` (each a valid name) and `mtu` range.
fn masters_and_mtu(
    path: &str,
    text: &str,
    raw: &RawRule,
) -> Result<(Vec<String>, Option<MtuRange>)> {
    let at = |start: usize| line_of(text, start);
    let masters = match &raw.masters {
        None => Vec::new(),
        Some(list) => {
            for m in list.get_ref() {
                crate::validate::IfName::parse(m).map_err(|e| {
                    bad(
                        path,
                        at(list.span().start),
                        &format!("masters: {}", e.message),
                    )
                })?;
            }
            list.get_ref().clone()
        }
    };
    let mtu = match &raw.mtu {
        None => None,
        Some(r) => match r.get_ref().as_slice() {
            [lo, hi] if 68 <= *lo && lo <= hi && *hi <= 65535 => Some((*lo as u32, *hi as u32)),
            _ => {
                return Err(bad(
                    path,
                    at(r.span().start),
                    "mtu must be [LOW, HIGH] with 68 <= LOW <= HIGH <= 65535",
                ));
            }
        },
    };
    Ok((masters, mtu))
}

fn rule(
    path: &str,
    text: &str,
    ids: &dyn IdLookup,
    allow: bool,
    number: usize,
    spanned: Spanned<RawRule>,
) -> Result<Rule> {
    let line = line_of(text, spanned.span().start);
    let at = |start: usize| line_of(text, start);
    let raw = spanned.into_inner();
    let who = who(path, text, ids, allow, line, &raw)?;
    let names = match &raw.names {
        Some(n) => Some(NamePattern::parse(n.get_ref()).map_err(|why| {
            bad(
                path,
                at(n.span().start),
                &format!("names {:?} {why}", n.get_ref()),
            )
        })?),
        None if allow => return Err(bad(path, line, "an [[allow]] rule needs names")),
        None => None,
    };
    if !allow {
        let extra = raw.max.is_some()
            || raw.modes.is_some()
            || raw.masters.is_some()
            || raw.addresses.is_some()
            || raw.multi_queue.is_some()
            || raw.mtu.is_some();
        if extra {
            return Err(bad(
                path,
                line,
                "a [[deny]] rule takes only user, group and names",
            ));
        }
    }
    let max = match &raw.max {
        None => 1,
        Some(m) => u32::try_from(*m.get_ref())
            .ok()
            .filter(|v| (1..=4096).contains(v))
            .ok_or_else(|| {
                bad(
                    path,
                    at(m.span().start),
                    &format!("max {} is out of range: give 1 to 4096", m.get_ref()),
                )
            })?,
    };
    let modes = match &raw.modes {
        None => vec![Mode::Tap],
        Some(list) => list
            .get_ref()
            .iter()
            .map(|w| match w.as_str() {
                "tap" => Ok(Mode::Tap),
                "tun" => Ok(Mode::Tun),
                other => Err(bad(
                    path,
                    at(list.span().start),
                    &format!("mode {other:?} is not tun or tap"),
                )),
            })
            .collect::<Result<Vec<_>>>()?,
    };
    let (masters, mtu) = masters_and_mtu(path, text, &raw)?;
    Ok(Rule {
        allow,
        number,
        line,
        who,
        names,
        max,
        modes,
        masters,
        addresses: raw.addresses.is_some_and(|b| *b.get_ref()),
        multi_queue: raw.multi_queue.is_some_and(|b| *b.get_ref()),
        mtu,
    })
}

/// How many of `taps` (name, owner) count towards `rule`'s max for the
/// caller: owned by the caller, named by the rule's pattern.
pub fn count_owned<'a>(
    rule: &Rule,
    caller: &Caller,
    taps: impl IntoIterator<Item = (&'a str, Option<u32>)>,
) -> u32 {
    let Some(pattern) = &rule.names else { return 0 };
    taps.into_iter()
        .filter(|(name, owner)| {
            *owner == Some(caller.uid) && pattern.matches(caller.name.as_deref(), name)
        })
        .count() as u32
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
