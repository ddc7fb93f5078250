//! Bring an existing tun/tap to a desired state: shared by `set`,
//! `add --exist-ok` and the configuration step of `add`.

use nix::errno::Errno;

use super::Context;
use crate::error::kernel::{self, LinkStep, Step};
use crate::error::{Error, Result};
use crate::kernel_features::unknown_link_local_note;
use crate::netlink::{Address, Change, Link, LinkChange, Origin, Origins};

pub use super::master::MasterTarget;
use crate::tun::{self, AttachFlags};
use crate::validate::around::addrgenmode_word;
use crate::validate::{IfAddr, Mac};

/// Resolved target values; None leaves a property as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Desired {
    pub owner: Option<u32>,
    pub group: Option<u32>,
    pub mac: Option<Mac>,
    pub mtu: Option<u32>,
    pub txqueuelen: Option<u32>,
    pub up: Option<bool>,
    pub carrier: Option<bool>,
    pub add_addresses: Vec<IfAddr>,
    pub del_addresses: Vec<IfAddr>,
    pub flush_addresses: bool,
    /// The bridge (bond, vrf) to be a port of, resolved; index 0 frees it.
    pub master: Option<MasterTarget>,
    /// Some("") removes the alias.
    pub alias: Option<String>,
    /// IFLA_INET6_ADDR_GEN_MODE.
    pub addrgenmode: Option<u8>,
    pub rename: Option<String>,
}

impl Desired {
    pub fn needs_netlink(&self) -> bool {
        self.mac.is_some()
            || self.mtu.is_some()
            || self.txqueuelen.is_some()
            || self.up.is_some()
            || self.carrier.is_some()
            || !self.add_addresses.is_empty()
            || !self.del_addresses.is_empty()
            || self.flush_addresses
            || self.master.is_some()
            || self.alias.is_some()
            || self.addrgenmode.is_some()
            || self.rename.is_some()
    }

    /// Whether planning needs the namespace's addresses: address changes,
    /// or addrgenmode none on an up link (its link-local address goes).
    pub fn needs_addresses(&self, link: &Link) -> bool {
        !self.add_addresses.is_empty()
            || !self.del_addresses.is_empty()
            || self.flush_addresses
            || (self.addrgenmode == Some(ADDRGENMODE_NONE) && link.up)
    }
}

/// IN6_ADDR_GEN_MODE_NONE: no link-local address.
const ADDRGENMODE_NONE: u8 = 1;

/// Check the desired values against what the device allows, before any
/// change.
pub fn check_against(link: &Link, desired: &Desired) -> Result<()> {
    let name = &link.name;
    let mode = link.tun.as_ref().and_then(|t| t.mode);
    if let (Some(mac), Some(mode)) = (desired.mac, mode) {
        crate::validate::check_mac_for_mode(
            mode,
            name,
            &format!("MAC {mac}"),
            "see `tuntapctl show` for what it is",
        )?;
    }
    if let Some(mtu) = desired.mtu {
        // A kernel before 4.19 does not report the range: the tun driver's
        // own for the mode, and the words say whose range it is.
        let (driver_min, driver_max) =
            crate::validate::mtu_range_of(mode.unwrap_or(crate::validate::Mode::Tun));
        let (min, max, whose) = match (link.min_mtu, link.max_mtu) {
            (Some(min), Some(max)) => (min, max, "this device takes"),
            _ => (
                link.min_mtu.unwrap_or(driver_min),
                link.max_mtu.unwrap_or(driver_max),
                "the tun driver takes (this kernel does not report the device's own range, IFLA_MIN_MTU/IFLA_MAX_MTU: Linux 4.19)",
            ),
        };
        // The kernel reports max_mtu 0 for "no limit".
        let max = if max == 0 { u32::MAX } else { max };
        if mtu < min || mtu > max {
            return Err(Error::usage(format!(
                "{name}: MTU {mtu} is out of range: {whose} {min} to {max}"
            )));
        }
    }
    if desired.carrier == Some(true) && link.tun.as_ref().and_then(|t| t.num_queues) == Some(0) {
        return Err(kernel::carrier_needs_a_holder(name));
    }
    Ok(())
}

/// Change owner and group by attaching briefly with the device's own flags
/// (another pi/vnet_hdr would silently rewrite them). Returns what changed.
pub fn set_owner_group(ctx: &Context, link: &Link, desired: &Desired) -> Result<Vec<String>> {
    let name = &link.name;
    let tun_attrs = link.tun.clone().unwrap_or_default();
    let (owner_change, group_change) = owner_group_changes(link, desired);
    if owner_change.is_none() && group_change.is_none() {
        return Ok(Vec::new());
    }
    let Some(mode) = tun_attrs.mode else {
        return Err(Error::failed(format!(
            "{name}: the kernel did not report whether it is a tun or a tap, so it cannot be attached to change its owner"
        )));
    };
    if !tun_attrs.persist {
        return Err(Error::conflict(format!(
            "{name}: is not persistent; it belongs to the process that created it and disappears with it, so its owner is not changed. Make it persistent first (e.g. delete it and tuntapctl add it)"
        )));
    }
    let file = tun::open_tun(name)?;
    let flags = AttachFlags {
        mode,
        pi: tun_attrs.pi,
        vnet_hdr: tun_attrs.vnet_hdr,
        multi_queue: tun_attrs.multi_queue,
        exclusive: false,
        // Keep the carrier as it is: off when nobody else is attached (no
        // flap), on when others are (IFF_NO_CARRIER would cut them off).
        no_carrier: !link.carrier,
    };
    crate::fault::pause_at("attach");
    let fd = tun::attach(file, name, flags).map_err(|errno| match errno {
        Errno::EBUSY => crate::procscan::busy_error(name, "change its owner or group"),
        other => kernel::error(&Step::Reattach, name, other, &[]),
    })?;
    // Attaching without IFF_TUN_EXCL to a name that another process deleted
    // since we looked it up creates a new, transient device instead: it is
    // not the persistent one we meant (it vanishes when our fd closes).
    if fd.flags().is_ok_and(|f| f & tun::IFF_PERSIST == 0) {
        return Err(kernel::deleted(
            name,
            "its owner or group was being changed",
        ));
    }
    if fd.carrier_left_on() {
        ctx.warn(crate::kernel_features::carrier_left_on_note(name));
    }
    let mut changes = Vec::new();
    if let Some(uid) = owner_change {
        fd.set_owner(uid)
            .map_err(|e| kernel::id_error(name, false, uid, e))?;
        changes.push(owner_text(ctx, uid));
    }
    if let Some(gid) = group_change {
        fd.set_group(gid)
            .map_err(|e| kernel::id_error(name, true, gid, e))?;
        changes.push(group_text(ctx, gid));
    }
    Ok(changes)
}

/// The owner and group `desired` asks for that the device does not have.
fn owner_group_changes(link: &Link, desired: &Desired) -> (Option<u32>, Option<u32>) {
    let tun_attrs = link.tun.clone().unwrap_or_default();
    (
        desired.owner.filter(|uid| tun_attrs.owner != Some(*uid)),
        desired.group.filter(|gid| tun_attrs.group != Some(*gid)),
    )
}

pub(super) fn owner_text(ctx: &Context, uid: u32) -> String {
    format!(
        "owner {}",
        crate::ids::display_name(uid, &ctx.ids.user_name(uid))
    )
}

pub(super) fn group_text(ctx: &Context, gid: u32) -> String {
    format!(
        "group {}",
        crate::ids::display_name(gid, &ctx.ids.group_name(gid))
    )
}

/// What `converge` would change, in the words it reports, without changing
/// anything: the same comparisons, so a plan and a run cannot disagree.
pub fn describe(
    ctx: &Context,
    link: &Link,
    addresses: &[Address],
    desired: &Desired,
) -> Vec<String> {
    let (owner, group) = owner_group_changes(link, desired);
    owner
        .map(|uid| owner_text(ctx, uid))
        .into_iter()
        .chain(group.map(|gid| group_text(ctx, gid)))
        .chain({
            let plan = plan_link_settings(link, addresses, desired);
            plan.notes.into_iter().for_each(|n| ctx.warn(n));
            plan.requests.into_iter().map(|(_, step)| step.text())
        })
        .collect()
}

/// Link settings and addresses over netlink, pipelined. Returns what changed.
fn apply_link_settings(
    ctx: &Context,
    link: &Link,
    addresses: &[Address],
    desired: &Desired,
) -> Result<Vec<String>> {
    let plan = plan_link_settings(link, addresses, desired);
    if plan.is_empty() {
        plan.notes.into_iter().for_each(|n| ctx.warn(n));
        return Ok(Vec::new());
    }
    crate::fault::pause_at("configure");
    execute_plans(ctx, vec![plan])?.remove(0)
}

/// The netlink changes that bring one link to `desired`, in the order they
/// must run, each with the step that describes it in a message.
#[derive(Debug)]
pub struct LinkPlan {
    name: String,
    requests: Vec<(Change, LinkStep)>,
    /// What the plan leaves alone and the user should know (notes).
    notes: Vec<String>,
}

impl LinkPlan {
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }
}

/// Send the changes of every plan at once (the kernel handles them in
/// order, so each plan's own order holds) and check every acknowledgement.
/// One result per plan: what it changed, or its first failure. Err only when
/// netlink itself cannot be reached.
pub fn execute_plans(ctx: &Context, plans: Vec<LinkPlan>) -> Result<Vec<Result<Vec<String>>>> {
    let mut changes = Vec::new();
    let mut steps: Vec<(String, Vec<LinkStep>)> = Vec::with_capacity(plans.len());
    for plan in plans {
        plan.notes.into_iter().for_each(|n| ctx.warn(n));
        let mut own = Vec::with_capacity(plan.requests.len());
        for (change, step) in plan.requests {
            changes.push(change);
            own.push(step);
        }
        steps.push((plan.name, own));
    }
    if changes.is_empty() {
        return Ok(steps.iter().map(|_| Ok(Vec::new())).collect());
    }
    let mut results = ctx.netlink()?.apply(changes).into_iter();
    Ok(steps
        .into_iter()
        .map(|(name, own)| check_results(&name, own, &mut results))
        .collect())
}

/// Match one plan's acknowledgements to its steps: what changed, or the
/// first failure (the rest of the plan's results are consumed either way).
fn check_results(
    name: &str,
    steps: Vec<LinkStep>,
    results: &mut impl Iterator<Item = std::result::Result<(), Errno>>,
) -> Result<Vec<String>> {
    let mut done = Vec::new();
    let mut failure = None;
    for step in steps {
        let result = results.next().unwrap_or(Err(Errno::EIO));
        if failure.is_some() {
            continue; // keep the iterator in step with the requests
        }
        match result {
            Ok(()) => done.push(step.text()),
            // Removed by someone else meanwhile: gone is what was asked.
            Err(Errno::EADDRNOTAVAIL) if matches!(step, LinkStep::DelAddress { .. }) => {}
            Err(errno) => failure = Some(kernel::error(&Step::Link(step), name, errno, &done)),
        }
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(done),
    }
}

/// Plan the link settings and address changes for one link.
pub fn plan_link_settings(link: &Link, addresses: &[Address], desired: &Desired) -> LinkPlan {
    let mut settings = LinkChange::default();
    let mut settings_text = Vec::new();
    if let Some(mac) = desired.mac
        && link.mac.as_deref() != Some(&mac.0[..])
    {
        settings.mac = Some(mac.0);
        settings_text.push(format!("mac {mac}"));
    }
    if let Some(mtu) = desired.mtu.filter(|m| *m != link.mtu) {
        settings.mtu = Some(mtu);
        settings_text.push(format!("mtu {mtu}"));
    }
    if let Some(q) = desired.txqueuelen.filter(|q| *q != link.txqueuelen) {
        settings.txqueuelen = Some(q);
        settings_text.push(format!("txqueuelen {q}"));
    }
    if let Some(alias) = desired
        .alias
        .as_ref()
        .filter(|a| link.alias.as_deref().unwrap_or("") != a.as_str())
    {
        settings.alias = Some(alias.clone());
        settings_text.push(alias_text(alias));
    }

    let mut requests: Vec<(Change, LinkStep)> = Vec::new();
    if !settings.is_empty() {
        requests.push((
            Change::Link(link.index, settings.clone()),
            LinkStep::Settings {
                text: settings_text.join(", "),
                mac: settings.mac.is_some(),
            },
        ));
    }
    // Before any carrier can come (and before up), so that the kernel
    // makes the link-local address the way asked, or none.
    if let Some(mode) = desired.addrgenmode.filter(|m| link.addrgenmode != Some(*m)) {
        requests.push(addrgenmode_change(link, mode));
    }
    if let Some(master) = desired.master.as_ref().filter(|m| m.differs(link)) {
        requests.push(master.change(link));
    }
    // Carrier alone: its EPERM means "nobody is attached", not "no right".
    if let Some(c) = desired.carrier.filter(|c| *c != link.carrier) {
        let change = LinkChange {
            carrier: Some(c),
            ..Default::default()
        };
        let step = if c {
            LinkStep::CarrierOn
        } else {
            LinkStep::CarrierOff
        };
        requests.push((Change::Link(link.index, change), step));
    }
    let notes = plan_addresses(link, addresses, desired, &mut requests);
    if let Some(up) = desired.up.filter(|u| *u != link.up) {
        let change = LinkChange {
            up: Some(up),
            ..Default::default()
        };
        requests.push((Change::Link(link.index, change), LinkStep::UpDown { up }));
    }
    // Last: every request above names the link by index, and a failure
    // before this leaves the name as it was.
    if let Some(to) = desired.rename.as_ref().filter(|n| **n != link.name) {
        let change = LinkChange {
            rename: Some(to.clone()),
            ..Default::default()
        };
        requests.push((
            Change::Link(link.index, change),
            LinkStep::Rename { to: to.clone() },
        ));
    }
    LinkPlan {
        name: link.name.clone(),
        requests,
        notes,
    }
}

/// The address removals and additions of one link's plan, appended to
/// `requests`; returns the notes for link-local addresses it keeps.
fn plan_addresses(
    link: &Link,
    addresses: &[Address],
    desired: &Desired,
    requests: &mut Vec<(Change, LinkStep)>,
) -> Vec<String> {
    let own: Vec<&Address> = addresses.iter().filter(|a| a.index == link.index).collect();
    let origins = Origins::of(addresses);
    let mut removed: Vec<&Address> = Vec::new();
    let mut notes = Vec::new();
    // With addrgenmode none, a link-local address the kernel already made
    // would stay: remove it (the kernel makes no new one).
    let no_link_local = desired.addrgenmode == Some(ADDRGENMODE_NONE);
    for addr in &own {
        let origin = origins.origin(addr, link);
        let flush = desired.flush_addresses && origin == Origin::Added;
        let named = desired.del_addresses.iter().any(|d| addr.matches(d));
        let link_local = no_link_local && origin == Origin::Kernel;
        if origin == Origin::Unknown && !named && (desired.flush_addresses || no_link_local) {
            let kept_by = if desired.flush_addresses {
                "--flush-addresses"
            } else {
                "--addrgenmode none"
            };
            notes.push(unknown_link_local_note(&link.name, &addr.cidr(), kept_by));
        }
        if flush || named || link_local {
            removed.push(addr);
            requests.push((
                Change::DelAddress(link.index, addr.as_ifaddr()),
                LinkStep::DelAddress {
                    text: format!("removed address {}", addr.cidr()),
                },
            ));
        }
    }
    for want in &desired.add_addresses {
        let present = own
            .iter()
            .any(|a| a.matches(want) && !removed.iter().any(|r| std::ptr::eq(*r, *a)));
        if !present {
            requests.push((
                Change::AddAddress(link.index, *want),
                LinkStep::AddAddress {
                    text: format!("added address {want}"),
                    ipv6: want.address.is_ipv6(),
                },
            ));
        }
    }
    notes
}

/// Converge an existing tun/tap to `desired`: owner/group first (the step
/// that can be refused as busy), then link settings and addresses.
pub fn converge(ctx: &Context, link: &Link, desired: &Desired) -> Result<Vec<String>> {
    check_against(link, desired)?;
    let mut changes = set_owner_group(ctx, link, desired)?;
    if desired.needs_netlink() {
        let addresses = if desired.needs_addresses(link) {
            ctx.addresses()?
        } else {
            Vec::new()
        };
        changes.extend(
            apply_link_settings(ctx, link, &addresses, desired)
                .map_err(|e| super::master::keep_old_master(ctx, link, desired.master.as_ref(), e))
                .map_err(|e| prefix_done(e, &changes))?,
        );
    }
    Ok(changes)
}

fn prefix_done(err: Error, done: &[String]) -> Error {
    if done.is_empty() {
        err
    } else {
        err.note(format!(" (already changed: {})", done.join(", ")))
    }
}

/// `alias "vm1 eth0"` / `alias removed`, escaped for a terminal.
pub(super) fn alias_text(alias: &str) -> String {
    if alias.is_empty() {
        "alias removed".into()
    } else {
        // Quoted in errors too: at most EXCERPT_CHARS of it.
        format!(
            "alias \"{}\"",
            crate::text::short(alias, crate::text::EXCERPT_CHARS)
        )
    }
}

fn addrgenmode_change(link: &Link, mode: u8) -> (Change, LinkStep) {
    let change = LinkChange {
        addrgenmode: Some(mode),
        ..Default::default()
    };
    (
        Change::Link(link.index, change),
        LinkStep::AddrGenMode {
            word: addrgenmode_word(mode),
        },
    )
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

    fn br0() -> MasterTarget {
        MasterTarget {
            index: 3,
            name: "br0".into(),
            kind: "a bridge device".into(),
        }
    }

    fn ll(index: u32) -> Address {
        Address {
            index,
            address: "fe80::1".parse().unwrap(),
            prefix_len: 64,
            peer: None,
            scope: "link".into(),
            protocol: Some(3), // IFAPROT_KERNEL_LL
        }
    }

    fn planned(link: &Link, addrs: &[Address], desired: &Desired) -> Vec<String> {
        crate::commands::converge::describe(&Context::new(), link, addrs, desired)
    }

    #[test]
    fn plan_orders_addrgenmode_before_up_and_rename_last() {
        let desired = Desired {
            up: Some(true),
            master: Some(br0()),
            alias: Some("vm1 eth0".into()),
            addrgenmode: Some(1),
            rename: Some("tap-vm1".into()),
            mtu: Some(9000),
            ..Default::default()
        };
        assert_eq!(
            planned(&tap(None), &[], &desired),
            [
                "mtu 9000, alias \"vm1 eth0\"",
                "addrgenmode none",
                "master br0",
                "up",
                "renamed to tap-vm1"
            ]
        );
    }

    #[test]
    fn plan_leaves_what_is_already_so() {
        let mut link = tap(Some(3));
        link.alias = Some("vm1 eth0".into());
        link.addrgenmode = Some(1);
        link.up = true;
        let desired = Desired {
            up: Some(true),
            master: Some(br0()),
            alias: Some("vm1 eth0".into()),
            addrgenmode: Some(1),
            rename: Some("tap0".into()),
            ..Default::default()
        };
        assert!(planned(&link, &[], &desired).is_empty());
        // An empty alias on a link without one, nomaster on a free link.
        link.alias = None;
        link.master = None;
        let desired = Desired {
            alias: Some(String::new()),
            master: Some(MasterTarget::free()),
            ..Default::default()
        };
        assert!(planned(&link, &[], &desired).is_empty());
        link.alias = Some("x".into());
        link.master = Some(4);
        assert_eq!(planned(&link, &[], &desired), ["alias removed", "nomaster"]);
    }

    #[test]
    fn addrgenmode_none_removes_the_kernels_link_local_address() {
        let mut link = tap(None);
        link.up = true;
        link.addrgenmode = Some(0);
        let mut mine = ll(7);
        mine.address = "fe80::99".parse().unwrap();
        mine.protocol = None; // added by a user, e.g. ip addr add
        let addrs = [ll(7), ll(8), mine];
        let none = Desired {
            addrgenmode: Some(1),
            ..Default::default()
        };
        assert!(none.needs_addresses(&link));
        assert_eq!(
            planned(&link, &addrs, &none),
            ["addrgenmode none", "removed address fe80::1/64"]
        );
        // Another mode leaves the address; a down link has none to fetch.
        let random = Desired {
            addrgenmode: Some(3),
            ..Default::default()
        };
        assert_eq!(planned(&link, &addrs, &random), ["addrgenmode random"]);
        assert!(!random.needs_addresses(&link));
        link.up = false;
        assert!(!none.needs_addresses(&link));
    }

    #[test]
    fn flush_keeps_a_link_local_address_of_unknown_maker_and_says_so() {
        // A kernel without IFA_PROTO: nothing in the dump is tagged.
        let mut link = tap(None);
        link.up = true;
        link.addrgenmode = Some(3); // random: the MAC does not settle it
        link.mac = Some(vec![2, 0, 0, 0, 0, 1]);
        let mut unknown = ll(7);
        unknown.protocol = None;
        let mut global = ll(7);
        global.address = "fd00::1".parse().unwrap();
        global.protocol = None;
        let flush = Desired {
            flush_addresses: true,
            ..Default::default()
        };
        let ctx = Context::new();
        let addrs = [unknown.clone(), global];
        let planned = describe(&ctx, &link, &addrs, &flush);
        assert_eq!(planned, ["removed address fd00::1/64"]);
        let notes = ctx.take_warnings();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("tap0: --flush-addresses kept fe80::1/64")
                && notes[0].contains("IFA_PROTO (Linux 5.18)")
                && notes[0].contains("tuntapctl set tap0 --del-address fe80::1/64"),
            "{}",
            notes[0]
        );
        // With eui64 and the MAC's own address there, the other one was
        // added by hand: flushed, no note.
        link.addrgenmode = Some(0);
        let mut kernels = ll(7);
        kernels.address = "fe80::ff:fe00:1".parse().unwrap();
        kernels.protocol = None;
        let addrs = [unknown, kernels];
        assert_eq!(
            describe(&ctx, &link, &addrs, &flush),
            ["removed address fe80::1/64"]
        );
        assert!(ctx.take_warnings().is_empty());
    }

    #[test]
    fn mtu_range_without_the_kernels_is_the_drivers_by_mode() {
        let mut link = tap(None);
        link.min_mtu = None;
        link.max_mtu = None;
        let mtu = |m| Desired {
            mtu: Some(m),
            ..Default::default()
        };
        let err = check_against(&link, &mtu(65522)).unwrap_err();
        assert!(
            err.message.contains("68 to 65521") && err.message.contains("IFLA_MAX_MTU"),
            "{}",
            err.message
        );
        assert!(check_against(&link, &mtu(65521)).is_ok());
        link.max_mtu = Some(9000);
        link.min_mtu = Some(68);
        let err = check_against(&link, &mtu(9001)).unwrap_err();
        assert!(
            err.message.contains("this device takes 68 to 9000"),
            "{}",
            err.message
        );
    }

    #[test]
    fn alias_and_addrgenmode_texts_escape_outside_strings() {
        assert_eq!(alias_text("vm1 eth0"), "alias \"vm1 eth0\"");
        assert_eq!(alias_text(""), "alias removed");
        assert_eq!(alias_text("x\x1b[2J"), "alias \"x\\x1b[2J\"");
        let (_, step) = addrgenmode_change(&tap(None), 1);
        assert_eq!(step.text(), "addrgenmode none");
    }
}
