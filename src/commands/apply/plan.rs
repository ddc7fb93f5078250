//! The plan: (declared entries, current links, addresses, holders) → what to
//! create, update, keep and delete. Nothing here changes the system, so a
//! dry run and a real run cannot disagree, and every branch is unit-tested.

use super::Declared;
use crate::commands::converge::{Desired, check_against, describe};
use crate::commands::master::{MasterTarget, check_master_for_mode, master_in};
use crate::commands::{Action, Context, Outcome, not_tun};
use crate::error::kernel::holder_list;
use crate::error::{Error, Result};
use crate::kernel_features::unknown_link_local_note;
use crate::netlink::{Address, Link, Origin, Origins};
use crate::procscan::Holders;
use crate::text::printable;

/// What to do with one interface.
#[derive(Debug)]
pub enum Step {
    Create(Declared),
    Update {
        declared: Declared,
        link: Box<Link>,
        desired: Box<Desired>,
        changes: Vec<String>,
    },
    Keep(Declared),
    Delete(Link),
}

#[derive(Debug, Default)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// Differences apply leaves alone on purpose (pi, vnet_hdr).
    pub warnings: Vec<String>,
}

impl Plan {
    /// The outcomes a dry run reports.
    pub fn preview(&self) -> Vec<Outcome> {
        self.steps
            .iter()
            .map(|step| match step {
                Step::Create(d) => {
                    outcome(d.name.as_str(), Action::Created, super::created::summary(d))
                }
                Step::Update {
                    declared, changes, ..
                } => outcome(
                    declared.name.as_str(),
                    Action::Updated(changes.clone()),
                    String::new(),
                ),
                Step::Keep(d) => outcome(d.name.as_str(), Action::Unchanged, d.mode.to_string()),
                Step::Delete(link) => outcome(&link.name, Action::Deleted, String::new()),
            })
            .collect()
    }
}

pub(super) fn outcome(name: &str, action: Action, summary: String) -> Outcome {
    Outcome {
        name: name.to_string(),
        action,
        summary,
    }
}

/// Tun/tap interfaces that exist but are not declared (what --prune deletes).
pub fn doomed<'a>(declared: &[Declared], links: &'a [Link]) -> Vec<&'a Link> {
    let names: std::collections::HashSet<&str> = declared.iter().map(|d| d.name.as_str()).collect();
    links
        .iter()
        .filter(|l| l.is_tun() && !names.contains(l.name.as_str()))
        .collect()
}

/// What would change on an existing device (also the dry-run text).
pub fn diff(
    ctx: &Context,
    link: &Link,
    addrs: &[Address],
    d: &Declared,
    master: Option<MasterTarget>,
) -> (Desired, Vec<String>) {
    let mut desired = Desired {
        owner: d.owner,
        group: d.group,
        mac: d.mac,
        mtu: d.mtu,
        txqueuelen: d.txqueuelen,
        up: d.up,
        master,
        alias: d.alias.clone(),
        addrgenmode: d.addrgenmode.map(|m| m.value()),
        ..Default::default()
    };
    // A declared address list is the whole set (the kernel's link-local
    // addresses aside): add what is missing, remove what is extra.
    if let Some(want) = &d.addresses {
        let origins = Origins::of(addrs);
        let own: Vec<&Address> = addrs.iter().filter(|a| a.index == link.index).collect();
        desired.add_addresses = want
            .iter()
            .filter(|w| !own.iter().any(|a| a.matches(w)))
            .copied()
            .collect();
        let mut extra = Vec::new();
        for a in own.iter().filter(|a| !want.iter().any(|w| a.matches(w))) {
            match origins.origin(a, link) {
                Origin::Added => extra.push(a.as_ifaddr()),
                Origin::Kernel => {}
                Origin::Unknown => ctx.warn(unknown_link_local_note(
                    &link.name,
                    &a.cidr(),
                    "the declared address list",
                )),
            }
        }
        desired.del_addresses = extra;
    }
    let changes = describe(ctx, link, addrs, &desired);
    (desired, changes)
}

/// Compare the declared entries with what exists. `holders` is needed only
/// with `prune` (a held device is never pruned).
pub fn plan(
    ctx: &Context,
    declared: &[Declared],
    links: &[Link],
    addrs: &[Address],
    holders: Option<&Holders>,
    prune: bool,
) -> Result<Plan> {
    let by_name: std::collections::HashMap<&str, &Link> =
        links.iter().map(|l| (l.name.as_str(), l)).collect();
    let mut plan = Plan::default();
    for (i, d) in declared.iter().enumerate() {
        let who = format!("entry {} ({})", i + 1, d.name);
        // The master must exist now (it is not made by apply).
        let master = d
            .master
            .as_deref()
            .map(|m| master_in(&by_name, d.name.as_str(), m))
            .transpose()
            .map_err(|e| e.context(&who))?;
        if let Some(m) = &master {
            check_master_for_mode(d.name.as_str(), Some(d.mode), m).map_err(|e| e.context(&who))?;
        }
        let Some(link) = by_name.get(d.name.as_str()) else {
            plan.steps.push(Step::Create(d.clone()));
            continue;
        };
        if !link.is_tun() {
            return Err(not_tun(link).context(who));
        }
        let tun = link.tun.clone().unwrap_or_default();
        let multi_queue = d.multi_queue.unwrap_or(tun.multi_queue);
        if tun.mode != Some(d.mode) || tun.multi_queue != multi_queue {
            let mq = |on: bool| if on { " (multi_queue)" } else { "" };
            return Err(Error::conflict(format!(
                "{who}: exists as a {}{} but the file declares a {}{}; mode and multi_queue cannot change in place: delete it first (tuntapctl del {}), or change the entry",
                tun.mode.map(|m| m.to_string()).unwrap_or_else(|| "?".into()),
                mq(tun.multi_queue),
                d.mode,
                mq(multi_queue),
                d.name,
            ))
            .on(d.name.as_str()));
        }
        for (flag, want, have) in [("pi", d.pi, tun.pi), ("vnet_hdr", d.vnet_hdr, tun.vnet_hdr)] {
            // pi and vnet_hdr belong to whoever attaches (the kernel
            // rewrites them on every attach, e.g. when a VM starts), so a
            // difference is reported, not fought over or failed.
            if let Some(want) = want.filter(|w| *w != have) {
                plan.warnings.push(format!(
                    "warning: {who}: flags.{flag}: the file declares {want} but the device has {have}; {flag} is set by the process that attaches, so apply leaves it (to force it, delete the interface and apply again)"
                ));
            }
        }
        check_against(
            link,
            &Desired {
                mac: d.mac,
                mtu: d.mtu,
                ..Default::default()
            },
        )
        .map_err(|e| e.context(&who))?;
        let (desired, changes) = diff(ctx, link, addrs, d, master);
        if changes.is_empty() {
            plan.steps.push(Step::Keep(d.clone()));
        } else {
            plan.steps.push(Step::Update {
                declared: d.clone(),
                link: Box::new((*link).clone()),
                desired: Box::new(desired),
                changes,
            });
        }
    }
    if prune {
        let doomed = doomed(declared, links);
        // Like del: never pull a device from under a running process.
        let busy: Vec<String> = doomed
            .iter()
            .filter_map(|l| {
                let who = holders.map(|h| h.of(&l.name)).unwrap_or(&[]);
                (!who.is_empty()).then(|| {
                    format!(
                        "{} (in use by {})",
                        printable(&l.name),
                        holder_list(&crate::procscan::holder_infos(who))
                    )
                })
            })
            .collect();
        if !busy.is_empty() {
            return Err(Error::busy(format!(
                "--prune would delete {}, which {} not in the file; nothing was changed: stop the process, add the interface to the file, or run without --prune",
                busy.join(", "),
                if busy.len() == 1 {
                    "is in use and"
                } else {
                    "are in use and"
                }
            )));
        }
        plan.steps
            .extend(doomed.into_iter().map(|l| Step::Delete(l.clone())));
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::apply::parse_declared;
    use crate::error::ExitStatus;
    use crate::procscan::Holder;
    use crate::validate::Mode;

    fn tap(index: u32, name: &str) -> Link {
        let mut l = Link::new_device(index, name, Mode::Tap, None, None);
        l.mtu = 1500;
        l.txqueuelen = 1000;
        l.tun.as_mut().unwrap().persist = true;
        l
    }

    fn declared(json: &str) -> Vec<Declared> {
        parse_declared(&Context::new(), json).expect("valid entries")
    }

    fn addr(index: u32, text: &str, protocol: Option<u8>) -> Address {
        let a = crate::validate::IfAddr::parse(text).unwrap();
        Address {
            index,
            address: a.address,
            prefix_len: a.prefix_len,
            peer: None,
            scope: "global".into(),
            protocol,
        }
    }

    fn words(plan: &Plan) -> Vec<(String, &'static str)> {
        plan.preview()
            .into_iter()
            .map(|o| (o.name, o.action.word()))
            .collect()
    }

    #[test]
    fn missing_is_created_and_equal_is_kept() {
        let ctx = Context::new();
        let d = declared(r#"[{"name":"tap1","mtu":1500},{"name":"tap2"}]"#);
        let plan = plan(&ctx, &d, &[tap(5, "tap1")], &[], None, false).unwrap();
        assert_eq!(
            words(&plan),
            vec![("tap1".into(), "unchanged"), ("tap2".into(), "created")]
        );
        assert!(plan.warnings.is_empty());
    }

    #[test]
    fn a_difference_is_an_update_in_converge_words() {
        let ctx = Context::new();
        let d = declared(r#"[{"name":"tap1","mtu":9000,"up":true}]"#);
        let plan = plan(&ctx, &d, &[tap(5, "tap1")], &[], None, false).unwrap();
        match &plan.steps[0] {
            Step::Update { changes, .. } => assert_eq!(changes, &vec!["mtu 9000", "up"]),
            other => panic!("expected an update, got {other:?}"),
        }
    }

    #[test]
    fn mode_or_multi_queue_cannot_change_in_place() {
        let ctx = Context::new();
        let d = declared(r#"[{"name":"tap1","mode":"tun"}]"#);
        let e = plan(&ctx, &d, &[tap(5, "tap1")], &[], None, false).unwrap_err();
        assert_eq!(e.status, ExitStatus::Conflict);
        assert!(
            e.message
                .contains("exists as a tap but the file declares a tun"),
            "{}",
            e.message
        );
        let d = declared(r#"[{"name":"tap1","flags":{"multi_queue":true}}]"#);
        let e = plan(&ctx, &d, &[tap(5, "tap1")], &[], None, false).unwrap_err();
        assert!(e.message.contains("(multi_queue)"), "{}", e.message);
    }

    #[test]
    fn a_non_tun_name_is_refused() {
        let ctx = Context::new();
        let mut veth = tap(3, "veth0");
        veth.kind = Some("veth".into());
        veth.tun = None;
        let e = plan(
            &ctx,
            &declared(r#"[{"name":"veth0"}]"#),
            &[veth],
            &[],
            None,
            false,
        )
        .unwrap_err();
        assert_eq!(e.status, ExitStatus::Conflict);
        assert!(
            e.message
                .starts_with("entry 1 (veth0): veth0: is a veth device"),
            "{}",
            e.message
        );
    }

    #[test]
    fn pi_and_vnet_hdr_differences_are_warnings() {
        let ctx = Context::new();
        let d = declared(r#"[{"name":"tap1","flags":{"vnet_hdr":true,"pi":false}}]"#);
        let plan = plan(&ctx, &d, &[tap(5, "tap1")], &[], None, false).unwrap();
        assert_eq!(words(&plan), vec![("tap1".into(), "unchanged")]);
        assert_eq!(plan.warnings.len(), 1);
        assert!(plan.warnings[0].contains("flags.vnet_hdr"));
    }

    #[test]
    fn declared_addresses_are_the_whole_set_but_link_local() {
        let ctx = Context::new();
        let d = declared(r#"[{"name":"tap1","addresses":["10.0.0.1/24"]}]"#);
        let addrs = [
            addr(5, "10.0.0.9/24", None),
            addr(5, "fe80::1/64", Some(3)), // the kernel's own
            addr(6, "10.0.0.1/24", None),   // another interface's
        ];
        let plan = plan(&ctx, &d, &[tap(5, "tap1")], &addrs, None, false).unwrap();
        let Step::Update {
            desired, changes, ..
        } = &plan.steps[0]
        else {
            panic!("expected an update");
        };
        assert_eq!(desired.add_addresses.len(), 1);
        assert_eq!(desired.del_addresses, vec![addrs[0].as_ifaddr()]);
        assert_eq!(
            changes,
            &vec!["removed address 10.0.0.9/24", "added address 10.0.0.1/24"]
        );
    }

    #[test]
    fn prune_deletes_undeclared_tuns_only() {
        let ctx = Context::new();
        let mut lo = tap(1, "lo");
        lo.kind = None;
        lo.tun = None;
        let links = [lo, tap(5, "tap1"), tap(6, "tap2")];
        let d = declared(r#"[{"name":"tap1"}]"#);
        let plan = plan(&ctx, &d, &links, &[], Some(&Holders::default()), true).unwrap();
        assert_eq!(
            words(&plan),
            vec![("tap1".into(), "unchanged"), ("tap2".into(), "deleted")]
        );
        assert_eq!(doomed(&d, &links).len(), 1);
        let without = super::plan(&ctx, &d, &links, &[], None, false).unwrap();
        assert_eq!(without.steps.len(), 1);
    }

    #[test]
    fn prune_never_deletes_a_held_device() {
        let ctx = Context::new();
        let links = [tap(5, "tap1"), tap(6, "\x1b]0;x\x07")];
        let mut holders = Holders::default();
        holders.by_name.insert(
            "\x1b]0;x\x07".into(),
            vec![Holder {
                pid: 42,
                command: "qemu".into(),
            }],
        );
        let e = plan(
            &ctx,
            &declared(r#"[{"name":"tap1"}]"#),
            &links,
            &[],
            Some(&holders),
            true,
        )
        .unwrap_err();
        assert_eq!(e.status, ExitStatus::Busy);
        assert!(
            e.message
                .contains("\\x1b]0;x\\x07 (in use by qemu (pid 42))"),
            "{}",
            e.message
        );
        assert!(!e.message.contains('\x1b'));
    }
}
