//! The service side of qemu's bridge helper: a non-persistent tap owned by
//! the caller, named from its rule's pattern by the kernel (`*` as `%d`),
//! on the bridge with the bridge's MTU, up. The returned fd is the tap's
//! only holder once the service drops its copy: it lives as long as qemu
//! holds it.

use std::os::fd::OwnedFd;
use std::path::Path;

use crate::commands::Context;
use crate::error::kernel::{self, LinkStep, Step};
use crate::error::{Error, Result};
use crate::netlink::{Change, LinkChange};
use crate::text::printable;
use crate::tun::{self, AttachFlags};
use crate::validate::{IfName, Mode};

use super::check;
use super::policy::{Caller, Policy, Rule, Verdict, count_owned};
use super::shared::{Facts, Shared};

pub fn make(
    shared: &Shared,
    caller: &Caller,
    bridge: &str,
    vnet_hdr: bool,
    facts: &mut Facts,
) -> Result<(String, OwnedFd)> {
    let policy = &shared.policy;
    // The name first (CVE-2019-13164: a long bridge name slipped past the ACL).
    IfName::parse(bridge)?;
    let rule = bridge_rule(policy, caller, bridge)?;
    facts.rule = Some(rule.describe());
    let template = rule.template(caller).unwrap_or_default();
    let ctx = Context::new();
    let _guard = shared.lock(rule);
    let links = ctx.links()?;
    let Some(br) = links
        .iter()
        .find(|l| l.name == bridge && l.kind.as_deref() == Some("bridge"))
    else {
        return Err(Error::not_found(format!(
            "{}: no such bridge in the service's network namespace",
            printable(bridge)
        ))
        .fix("create the bridge first (ip link add NAME type bridge), or name another")
        .on(bridge));
    };
    let taps = links
        .iter()
        .filter(|l| l.is_tun())
        .map(|l| (l.name.as_str(), l.tun.as_ref().and_then(|t| t.owner)));
    let count = count_owned(rule, caller, taps);
    if count >= rule.max {
        return Err(check::refuse(
            policy,
            &template,
            &format!(
                "{} already owns {count} taps under {} (its max is {})",
                caller.describe(),
                rule.describe(),
                rule.max
            ),
            "close a VM or delete one of your taps, or the admin would raise max in that rule",
        ));
    }
    let file = tun::open_clone_device(Path::new(tun::TUN_PATH))
        .map_err(|e| kernel::error(&Step::Open { path: e.path }, &template, e.errno, &[]))?;
    let flags = AttachFlags {
        mode: Mode::Tap,
        pi: false,
        vnet_hdr,
        multi_queue: false,
        exclusive: true,
        no_carrier: false,
    };
    let fd = tun::attach(file, &template, flags)
        .map_err(|errno| kernel::error(&Step::Create, &template, errno, &[]))?;
    let name = fd.name().to_string();
    // Dropping `fd` on any error below removes the device: never persistent.
    if check::rule_for(policy, caller, &name).ok() != Some(rule) {
        return Err(check::refuse(
            policy,
            &name,
            &format!("the kernel's pick leaves {}", rule.describe()),
            "the admin would fix the names pattern of that rule",
        ));
    }
    fd.set_owner(caller.uid).map_err(|errno| {
        kernel::error(
            &Step::SetId {
                group: false,
                id: caller.uid,
            },
            &name,
            errno,
            &[],
        )
    })?;
    let nl = ctx.netlink()?;
    let index = tun::interface_index(nl, &name)
        .map_err(|errno| kernel::error(&Step::Read { what: name.clone() }, &name, errno, &[]))?;
    let change = LinkChange {
        mtu: Some(br.mtu),
        master: Some(br.index),
        up: Some(true),
        ..LinkChange::default()
    };
    let step = Step::Link(LinkStep::Settings {
        text: format!("master {bridge}, mtu {}, up", br.mtu),
        mac: false,
    });
    nl.apply_one(Change::Link(index, change))
        .map_err(|errno| kernel::error(&step, &name, errno, &[]))?;
    Ok((name, fd.into()))
}

/// The caller's rule for a tap on `bridge`, or the refusal.
fn bridge_rule<'p>(policy: &'p Policy, caller: &Caller, bridge: &str) -> Result<&'p Rule> {
    match policy.bridge_rule(caller, bridge) {
        Verdict::Allow(rule) => Ok(rule),
        Verdict::Deny(rule) => Err(check::refuse(
            policy,
            bridge,
            &format!("{} denies {}", rule.describe(), caller.describe()),
            "the admin would remove or narrow that [[deny]] rule",
        )),
        Verdict::Undecided(rule) => Err(check::undecided(policy, caller, bridge, rule)),
        Verdict::NoRule => Err(check::refuse(
            policy,
            bridge,
            &format!(
                "no [[allow]] rule for {} takes taps and lists this bridge in its masters",
                caller.describe()
            ),
            "the admin would add the bridge to the masters of your [[allow]] rule",
        )),
    }
}
