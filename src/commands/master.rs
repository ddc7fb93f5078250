//! The master a tun/tap is a port of (SPEC §6): a bridge, bond or vrf,
//! resolved by name before anything changes, checked against the device's
//! mode, and put back when the kernel refuses a new one. Used by `converge`
//! (add, set, add --exist-ok) and apply's plan.

use std::collections::HashMap;

use super::Context;
use crate::error::kernel::LinkStep;
use crate::error::{Error, Result};
use crate::netlink::{Change, Link, LinkChange};
use crate::text::printable;
use crate::validate::around::MasterSpec;

/// A resolved `--master` (or `--nomaster`: index 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MasterTarget {
    pub index: u32,
    pub name: String,
    /// What the master is ("a bridge device"), for a refusal.
    pub kind: String,
}

impl MasterTarget {
    pub fn free() -> MasterTarget {
        MasterTarget {
            index: 0,
            name: String::new(),
            kind: String::new(),
        }
    }

    pub fn is_free(&self) -> bool {
        self.index == 0
    }

    /// Whether `link` is not yet where this asks.
    pub fn differs(&self, link: &Link) -> bool {
        if self.is_free() {
            link.master.is_some()
        } else {
            link.master != Some(self.index)
        }
    }

    pub fn change(&self, link: &Link) -> (Change, LinkStep) {
        let change = LinkChange {
            master: Some(self.index),
            ..Default::default()
        };
        (
            Change::Link(link.index, change),
            LinkStep::Master {
                name: self.name.clone(),
                kind: self.kind.clone(),
                free: self.is_free(),
            },
        )
    }
}

/// The kernel frees a port from its old master before it tries the new
/// one, so a refused new master (`lo`, a veth) would leave the device
/// freed: after a failure, put it back where it was.
pub fn keep_old_master(
    ctx: &Context,
    link: &Link,
    target: Option<&MasterTarget>,
    err: Error,
) -> Error {
    let (Some(target), Some(old)) = (target, link.master) else {
        return err;
    };
    if target.is_free() || !target.differs(link) {
        return err;
    }
    let now = crate::netlink::link_by_index(link.index).ok().flatten();
    if now.as_ref().is_none_or(|l| l.master.is_some()) {
        return err;
    }
    let old_name = crate::netlink::link_by_index(old)
        .ok()
        .flatten()
        .map(|m| printable(&m.name).into_owned())
        .unwrap_or_else(|| format!("index {old}"));
    let back = LinkChange {
        master: Some(old),
        ..Default::default()
    };
    match ctx
        .netlink()
        .map(|nl| nl.apply_one(Change::Link(link.index, back)))
    {
        Ok(Ok(())) => err.note(format!("; it is still a port of {old_name}")),
        _ => err.note(format!(
            "; the kernel freed it from {old_name} first and it could not be put back: tuntapctl set {} --master {old_name}",
            printable(&link.name)
        )),
    }
}

/// Look the master up by name before anything changes: a missing one is
/// exit 3 naming it. `device` is the interface it is for (for messages).
pub fn resolve_master(ctx: &Context, device: &str, spec: &MasterSpec) -> Result<MasterTarget> {
    let name = match spec {
        MasterSpec::Free => return Ok(MasterTarget::free()),
        MasterSpec::Set(name) => name,
    };
    let shown = printable(name);
    if name == device {
        return Err(
            Error::usage(format!("{device}: cannot be its own master ({shown})")).on(device),
        );
    }
    match ctx.link_by_name(name)? {
        None => Err(Error::not_found(format!(
            "{device}: master {shown} does not exist in this network namespace; create it first (ip link add {shown} type bridge) or check the name (ip link show type bridge)"
        ))
        .on(device)),
        Some(master) => Ok(MasterTarget {
            index: master.index,
            name: name.clone(),
            kind: master.describe_kind(),
        }),
    }
}

/// Resolve an apply file's master against the dumped links (apply's plan
/// makes no kernel calls): "" frees the port, a missing name is exit 3.
pub fn master_in(links: &HashMap<&str, &Link>, device: &str, name: &str) -> Result<MasterTarget> {
    if name.is_empty() {
        return Ok(MasterTarget::free());
    }
    let shown = printable(name);
    if name == device {
        return Err(Error::usage(format!("master: {device} cannot be its own master")).on(device));
    }
    match links.get(name) {
        Some(m) => Ok(MasterTarget {
            index: m.index,
            name: name.to_string(),
            kind: m.describe_kind(),
        }),
        None => Err(Error::not_found(format!(
            "master: {shown} does not exist in this network namespace; create it first (ip link add {shown} type bridge), or write \"master\": \"\" to free the port or null to leave it"
        ))
        .on(device)),
    }
}

/// A tun (layer 3) has no Ethernet header: a bridge refuses it (EINVAL).
/// Said before anything is made or changed.
pub fn check_master_for_mode(
    device: &str,
    mode: Option<crate::validate::Mode>,
    target: &MasterTarget,
) -> Result<()> {
    if mode == Some(crate::validate::Mode::Tun) && target.kind == "a bridge device" {
        let bridge = printable(&target.name);
        return Err(Error::conflict(format!(
            "{device}: a tun (layer 3, no Ethernet header) cannot be a port of the bridge {bridge}: a bridge takes Ethernet devices; use a tap (tuntapctl add NAME --tap --master {bridge})"
        ))
        .on(device));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Mode;

    fn tap(master: Option<u32>) -> Link {
        let mut l = Link::new_device(7, "tap0", Mode::Tap, None, None);
        l.master = master;
        l
    }

    #[test]
    fn master_targets_compare_with_the_link() {
        let br = MasterTarget {
            index: 3,
            name: "br0".into(),
            kind: "a bridge device".into(),
        };
        assert!(br.differs(&tap(None)));
        assert!(br.differs(&tap(Some(4))));
        assert!(!br.differs(&tap(Some(3))));
        let free = MasterTarget::free();
        assert!(free.differs(&tap(Some(3))));
        assert!(!free.differs(&tap(None)));
        let (change, step) = free.change(&tap(Some(3)));
        assert_eq!(
            change,
            Change::Link(
                7,
                LinkChange {
                    master: Some(0),
                    ..Default::default()
                }
            )
        );
        assert_eq!(step.text(), "nomaster");
        assert_eq!(br.change(&tap(None)).1.text(), "master br0");
    }

    #[test]
    fn apply_resolves_masters_from_the_dump() {
        let ctx = Context::new();
        let mut bridge = tap(None);
        bridge.index = 3;
        bridge.name = "br0".into();
        bridge.kind = Some("bridge".into());
        bridge.tun = None;
        let mut port = tap(Some(3));
        port.tun.as_mut().unwrap().persist = true;
        port.addrgenmode = Some(0);
        let links = [bridge, port];
        let plan_of = |json: &str| {
            let d = crate::commands::parse_declared(&ctx, json).unwrap();
            crate::commands::apply::plan(&ctx, &d, &links, &[], None, false).map(|p| p.preview())
        };
        let words = |json: &str| {
            plan_of(json)
                .unwrap()
                .into_iter()
                .map(|o| match o.action {
                    crate::report::Action::Updated(c) => c.join(", "),
                    other => other.word().to_string(),
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(words(r#"[{"name":"tap0","master":"br0"}]"#), ["unchanged"]);
        assert_eq!(words(r#"[{"name":"tap0","master":null}]"#), ["unchanged"]);
        assert_eq!(words(r#"[{"name":"tap0","master":""}]"#), ["nomaster"]);
        assert_eq!(
            words(r#"[{"name":"tap0","alias":"a","addrgenmode":"none"}]"#),
            ["alias \"a\", addrgenmode none"]
        );
        assert_eq!(words(r#"[{"name":"tap1","master":"br0"}]"#), ["created"]);
        let e = plan_of(r#"[{"name":"tun1","master":"br0"}]"#).unwrap_err();
        assert_eq!(e.status, crate::error::ExitStatus::Conflict);
        assert!(e.message.contains("a tun (layer 3"), "{}", e.message);
        let e = plan_of(r#"[{"name":"tap1","master":"nosuch"}]"#).unwrap_err();
        assert_eq!(e.status, crate::error::ExitStatus::NotFound);
        assert!(
            e.message
                .starts_with("entry 1 (tap1): master: nosuch does not exist"),
            "{}",
            e.message
        );
        let bad = |json: &str| {
            crate::commands::parse_declared(&ctx, json)
                .unwrap_err()
                .message
        };
        assert!(bad(r#"[{"name":"tap0","addrgenmode":"x"}]"#).contains("addrgenmode"));
        assert!(bad(r#"[{"name":"tap0","master":7}]"#).contains("master"));
        assert!(bad(r#"[{"name":"tap0","alias":false}]"#).contains("alias"));
        // The counters of list --json --stats are read-only, not unknown.
        assert!(crate::commands::parse_declared(&ctx, r#"[{"name":"tap0","stats":{}}]"#).is_ok());
    }
}
