//! What a delegated caller may ask for: each request is checked against the
//! caller's rule before anything is run. The name has already passed the
//! SPEC §5 checks (it is an `IfName`); the policy comes after.

use nix::errno::Errno;

use crate::commands::Context;
use crate::error::{Error, Result};
use crate::kernel_features::Feature;
use crate::netlink::Link;
use crate::request::{AddRequest, DelRequest, SetRequest};
use crate::text::printable;
use crate::validate::IdSpec;
use crate::validate::around::MasterSpec;

use super::policy::{Caller, Policy, Rule, Verdict};

/// A refusal by the policy: exit 5, the name, why and what the admin
/// would change.
pub fn refuse(policy: &Policy, name: &str, why: &str, fix: &str) -> Error {
    Error::permission(format!(
        "{}: refused by the delegation policy {}: {why}",
        printable(name),
        policy.path
    ))
    .fix(fix.to_string())
    .on(name)
}

/// Why a caller's supplementary groups are not known, in words.
pub(super) fn unknown_groups_text(errno: Errno) -> String {
    let feature = Feature::PeerGroups;
    if feature.is_absence(errno) {
        format!(
            "this kernel lacks {}, so the caller's supplementary groups are not known",
            feature.described()
        )
    } else {
        format!(
            "the kernel did not tell the caller's supplementary groups ({}: {})",
            feature.word(),
            errno.desc()
        )
    }
}

/// A policy with a deny rule for a group cannot judge a caller whose groups
/// the kernel did not tell (the rule must never be passed over): every
/// request is refused. Allow rules for groups still match the primary
/// group; one that does not is undecided (`undecided`), never passed over.
pub fn groups_known(policy: &Policy, caller: &Caller, name: &str) -> Result<()> {
    match caller.unknown_groups {
        Some(errno) if policy.has_group_rules(false) => Err(refuse(
            policy,
            name,
            &format!(
                "{} for {}; its [[deny]] rules for groups cannot be judged without them",
                unknown_groups_text(errno),
                caller.describe()
            ),
            &format!(
                "on this kernel the admin would name users (user = \"...\") instead of groups in {}",
                policy.path
            ),
        )),
        _ => Ok(()),
    }
}

/// The refusal when an allow rule for a group would decide, and the
/// kernel did not tell the caller's groups (`Verdict::Undecided`).
pub fn undecided(policy: &Policy, caller: &Caller, what: &str, rule: &Rule) -> Error {
    let why = caller
        .unknown_groups
        .map(unknown_groups_text)
        .unwrap_or_default();
    refuse(
        policy,
        what,
        &format!(
            "{} is for a group, and {why}: only the primary group, {}, is known, and it is not that group, so whether the rule covers {} cannot be told (a later rule does not stand in for it)",
            rule.describe(),
            caller.gid,
            caller.describe()
        ),
        &format!(
            "on this kernel the admin would name users (user = \"...\") instead of groups in {}",
            policy.path
        ),
    )
}

/// The allow rule for `name`, or the refusal that says why there is none.
pub fn rule_for<'p>(policy: &'p Policy, caller: &Caller, name: &str) -> Result<&'p Rule> {
    match policy.decide(caller, name) {
        Verdict::Allow(rule) => Ok(rule),
        Verdict::Deny(rule) => Err(refuse(
            policy,
            name,
            &format!("{} denies {}", rule.describe(), caller.describe()),
            &format!(
                "the admin would remove or narrow that [[deny]] rule in {}",
                policy.path
            ),
        )),
        Verdict::Undecided(rule) => Err(undecided(policy, caller, name, rule)),
        Verdict::NoRule => Err(refuse(
            policy,
            name,
            &format!("no [[allow]] rule lets {} use this name", caller.describe()),
            &format!(
                "use a name your rule allows, or the admin would add an [[allow]] rule for you or a group of yours whose names pattern matches {} in {}",
                printable(name),
                policy.path
            ),
        )),
    }
}

fn not_allowed(policy: &Policy, rule: &Rule, name: &str, what: &str, key: &str) -> Error {
    refuse(
        policy,
        name,
        &format!("{} does not allow {what}", rule.describe()),
        &format!("the admin would change {key} in that rule"),
    )
}

/// `--user`: only the caller; `--group`: only one the caller is in.
fn check_ids(
    ctx: &Context,
    policy: &Policy,
    caller: &Caller,
    name: &str,
    owner: Option<&IdSpec>,
    group: Option<&IdSpec>,
) -> Result<()> {
    if let Some(spec) = owner
        && ctx.ids.resolve_user(spec)? != caller.uid
    {
        return Err(refuse(
            policy,
            name,
            &format!(
                "the owner of a delegated tap is always its caller ({})",
                caller.describe()
            ),
            "leave out --user, or ask root to give the tap to someone else",
        ));
    }
    if let Some(spec) = group {
        let gid = ctx.ids.resolve_group(spec)?;
        if !caller.in_group(gid) {
            let why = match caller.unknown_groups {
                Some(errno) => format!(
                    "{} is not in group {gid} as far as the kernel told ({})",
                    caller.describe(),
                    unknown_groups_text(errno)
                ),
                None => format!("{} is not in group {gid}", caller.describe()),
            };
            return Err(refuse(
                policy,
                name,
                &why,
                "give a group you are in, or none",
            ));
        }
    }
    Ok(())
}

fn check_master(
    policy: &Policy,
    rule: &Rule,
    name: &str,
    master: Option<&MasterSpec>,
) -> Result<()> {
    match master {
        Some(MasterSpec::Set(m)) if !rule.masters.iter().any(|x| x == m) => Err(not_allowed(
            policy,
            rule,
            name,
            &format!("the master {}", printable(m)),
            "masters",
        )),
        _ => Ok(()),
    }
}

fn check_mtu(policy: &Policy, rule: &Rule, name: &str, mtu: Option<u32>) -> Result<()> {
    match (mtu, rule.mtu) {
        (Some(m), Some((lo, hi))) if m < lo || m > hi => Err(not_allowed(
            policy,
            rule,
            name,
            &format!("mtu {m} (its range is {lo} to {hi})"),
            "mtu",
        )),
        _ => Ok(()),
    }
}

/// Check an add and make the caller its owner. Returns the rule.
pub fn add<'p>(
    ctx: &Context,
    policy: &'p Policy,
    caller: &Caller,
    req: &mut AddRequest,
) -> Result<&'p Rule> {
    let name = req.name.as_str().to_string();
    // A %d template is judged by the first name it could give; the kernel's
    // pick is checked again after creation.
    let probe = name.replacen("%d", "0", 1);
    let rule = rule_for(policy, caller, &probe)?;
    if !rule.modes.contains(&req.mode) {
        return Err(not_allowed(
            policy,
            rule,
            &name,
            &format!("mode {}", req.mode.as_str()),
            "modes",
        ));
    }
    check_ids(
        ctx,
        policy,
        caller,
        &name,
        req.owner.as_ref(),
        req.group.as_ref(),
    )?;
    req.owner = Some(IdSpec::Id(caller.uid));
    check_master(policy, rule, &name, req.around.master.as_ref())?;
    if !req.addresses.is_empty() && !rule.addresses {
        return Err(not_allowed(policy, rule, &name, "addresses", "addresses"));
    }
    if req.multi_queue && !rule.multi_queue {
        return Err(not_allowed(
            policy,
            rule,
            &name,
            "multi_queue",
            "multi_queue",
        ));
    }
    check_mtu(policy, rule, &name, req.mtu)?;
    Ok(rule)
}

/// The tap must exist, be the caller's, and its name fit a rule.
fn owned_tap<'p>(
    ctx: &Context,
    policy: &'p Policy,
    caller: &Caller,
    name: &str,
) -> Result<(Link, &'p Rule)> {
    let link = ctx.tun_link(name)?;
    let owner = link.tun.as_ref().and_then(|t| t.owner);
    if owner != Some(caller.uid) {
        return Err(refuse(
            policy,
            name,
            &format!("it is not owned by {}", caller.describe()),
            "a delegated caller may change and delete only taps it owns; ask root",
        ));
    }
    // Judged by the device's own name: a name given may be an altname.
    let rule = rule_for(policy, caller, &link.name)?;
    Ok((link, rule))
}

pub fn set<'p>(
    ctx: &Context,
    policy: &'p Policy,
    caller: &Caller,
    req: &SetRequest,
) -> Result<&'p Rule> {
    let name = req.name.as_str();
    if !req.more.is_empty() {
        return Err(refuse(
            policy,
            name,
            "several names in one set are not taken by the service",
            "set one tap at a time",
        ));
    }
    if req.around.move_to.is_some() {
        return Err(refuse(
            policy,
            name,
            "--move-to is never done for a delegated caller",
            "ask root to move the interface",
        ));
    }
    let (_, rule) = owned_tap(ctx, policy, caller, name)?;
    check_ids(
        ctx,
        policy,
        caller,
        name,
        req.owner.as_ref(),
        req.group.as_ref(),
    )?;
    check_master(policy, rule, name, req.around.master.as_ref())?;
    let addresses =
        !req.add_addresses.is_empty() || !req.del_addresses.is_empty() || req.flush_addresses;
    if addresses && !rule.addresses {
        return Err(not_allowed(policy, rule, name, "addresses", "addresses"));
    }
    check_mtu(policy, rule, name, req.mtu)?;
    if let Some(new) = &req.around.rename {
        let same = matches!(policy.decide(caller, new.as_str()), Verdict::Allow(r) if r == rule);
        if !same {
            return Err(refuse(
                policy,
                new.as_str(),
                &format!(
                    "renaming {} to it leaves the names of {} ({})",
                    printable(name),
                    rule.describe(),
                    printable(rule.names_text())
                ),
                "choose a new name that fits your rule's names pattern",
            ));
        }
    }
    Ok(rule)
}

pub fn del(ctx: &Context, policy: &Policy, caller: &Caller, req: &DelRequest) -> Result<()> {
    // A pattern would match devices by names the caller did not check.
    if let Some(pattern) = req.patterns.first() {
        return Err(refuse(
            policy,
            pattern.as_str(),
            "patterns are not taken by the service",
            "name each tap to delete",
        ));
    }
    for name in &req.names {
        // A missing name or a non-tun is reported by del itself, as for root.
        match ctx.link_by_name(name.as_str())? {
            Some(link) if link.is_tun() => {
                owned_tap(ctx, policy, caller, name.as_str())?;
            }
            _ => {}
        }
    }
    Ok(())
}
