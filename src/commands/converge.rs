//! Bring an existing tun/tap to a desired state: shared by `set`,
//! `add --exist-ok` and the configuration step of `add`.

use nix::errno::Errno;

use super::{Context, permission_error};
use crate::error::{Error, Result, errno_text};
use crate::netlink::{Address, Link, LinkChange, Request, address_message, delete_address_message};
use crate::tun::{self, AttachFlags};
use crate::validate::{IfAddr, Mac, Mode};

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
    }
}

/// Check the desired values against what the device allows, before any
/// change.
pub fn check_against(link: &Link, desired: &Desired) -> Result<()> {
    let name = &link.name;
    let mode = link.tun.as_ref().and_then(|t| t.mode);
    if let Some(mac) = desired.mac
        && mode == Some(Mode::Tun)
    {
        return Err(Error::usage(format!(
            "{name}: cannot set MAC {mac}: {name} is a tun (layer 3) and has no MAC address; only a tap has one"
        )));
    }
    if let Some(mtu) = desired.mtu {
        let min = link.min_mtu.unwrap_or(crate::validate::MIN_MTU);
        let max = link.max_mtu.unwrap_or(crate::validate::MAX_TUN_MTU);
        // The kernel reports max_mtu 0 for "no limit".
        let max = if max == 0 { u32::MAX } else { max };
        if mtu < min || mtu > max {
            return Err(Error::usage(format!(
                "{name}: MTU {mtu} is out of range: this device takes {min} to {max}"
            )));
        }
    }
    if desired.carrier == Some(true) && link.tun.as_ref().and_then(|t| t.num_queues) == Some(0) {
        return Err(carrier_error(name));
    }
    Ok(())
}

fn carrier_error(name: &str) -> Error {
    Error::conflict(format!(
        "{name}: cannot turn the carrier on: the kernel allows carrier only while a process is attached, and it drops again when the last one detaches; start the process that uses {name} first"
    ))
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
    let file = tun::open_clone_device(std::path::Path::new(tun::TUN_PATH))
        .map_err(|e| super::open_error(e).context(name))?;
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
    pause_point("attach");
    let fd = tun::attach(file, name, flags).map_err(|errno| match errno {
        Errno::EBUSY => busy_error(name, "change its owner or group"),
        Errno::EPERM => permission_error(name, "attaching to change the owner or group"),
        Errno::EINVAL => Error::conflict(format!(
            "{name}: changed underneath us (its mode or multi-queue setting no longer matches); look at it with tuntapctl show {name} and retry"
        )),
        Errno::E2BIG => Error::busy(format!(
            "{name}: already has {} queues attached, the kernel's maximum for a multi-queue device (E2BIG), so it cannot be attached once more to change its owner or group; stop one of the processes attached to it (see `tuntapctl show {name}`) and retry",
            tun::MAX_QUEUES
        )),
        other => Error::failed(format!(
            "{name}: attaching to change the owner or group failed: {}",
            errno_text(other as i32)
        )),
    })?;
    // Attaching without IFF_TUN_EXCL to a name that another process deleted
    // since we looked it up creates a new, transient device instead: it is
    // not the persistent one we meant (it vanishes when our fd closes).
    if fd.flags().is_ok_and(|f| f & tun::IFF_PERSIST == 0) {
        return Err(deleted_error(name, "its owner or group was being changed"));
    }
    let mut changes = Vec::new();
    if let Some(uid) = owner_change {
        fd.set_owner(uid)
            .map_err(|e| id_error(name, "owner", "uid", uid, e))?;
        changes.push(owner_text(ctx, uid));
    }
    if let Some(gid) = group_change {
        fd.set_group(gid)
            .map_err(|e| id_error(name, "group", "gid", gid, e))?;
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
        .chain(
            plan_link_settings(link, addresses, desired)
                .requests
                .into_iter()
                .map(|(_, text, _)| text),
        )
        .collect()
}

/// A device is held and we cannot attach: name the holders.
pub fn busy_error(name: &str, to_do: &str) -> Error {
    let holders = crate::procscan::scan();
    let who = holders.of(name);
    let list = if who.is_empty() {
        "a process (not visible from here)".to_string()
    } else {
        who.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    Error::busy(format!(
        "{name}: is in use by {list}, so it cannot be attached to {to_do}; stop that process first, or delete and re-create the interface"
    ))
}

/// The device went away while we were working on it: our fd is detached
/// (EBADFD) or the netlink request found no such index (ENODEV).
pub fn deleted_error(name: &str, while_doing: &str) -> Error {
    Error::not_found(format!(
        "{name}: was deleted by another process while {while_doing}; nothing more was changed; see `tuntapctl list`, and add it again if it is still wanted"
    ))
}

/// Test builds can pause at a named step until a line (or EOF) arrives on
/// stdin, so that a test can delete the device in between deterministically;
/// release builds never read this.
#[cfg(debug_assertions)]
pub(super) fn pause_point(step: &str) {
    if std::env::var("TUNTAPCTL_TEST_PAUSE_AT").as_deref() == Ok(step) {
        eprintln!("paused at {step}");
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
    }
}
#[cfg(not(debug_assertions))]
pub(super) fn pause_point(_step: &str) {}

pub fn id_error(name: &str, what: &str, id_kind: &str, id: u32, errno: Errno) -> Error {
    match errno {
        Errno::EBADFD => deleted_error(name, &format!("its {what} was being set")),
        Errno::EINVAL => Error::usage(format!(
            "{name}: cannot set {what} {id_kind} {id}: the kernel refused it (EINVAL): the id is not mapped in this user namespace; use an id that exists inside the namespace"
        )),
        Errno::EPERM => permission_error(name, &format!("setting {what} {id}")),
        other => Error::failed(format!(
            "{name}: setting {what} {id} failed: {}",
            errno_text(other as i32)
        )),
    }
}

/// Link settings and addresses over netlink, pipelined. Returns what changed.
pub fn apply_link_settings(
    ctx: &Context,
    link: &Link,
    addresses: &[Address],
    desired: &Desired,
) -> Result<Vec<String>> {
    let plan = plan_link_settings(link, addresses, desired);
    if plan.requests.is_empty() {
        return Ok(Vec::new());
    }
    pause_point("configure");
    execute_plans(ctx, vec![plan])?.remove(0)
}

/// The netlink requests that bring one link to `desired`, in the order they
/// must run, each with the words that describe it in a message.
pub struct LinkPlan {
    name: String,
    requests: Vec<(Request, String, Step)>,
}

/// Send the requests of every plan at once (the kernel handles them in
/// order, so each plan's own order holds) and check every acknowledgement.
/// One result per plan: what it changed, or its first failure. Err only when
/// netlink itself cannot be reached.
pub fn execute_plans(ctx: &Context, plans: Vec<LinkPlan>) -> Result<Vec<Result<Vec<String>>>> {
    let mut messages = Vec::new();
    let mut steps: Vec<Vec<(String, Step)>> = Vec::with_capacity(plans.len());
    let mut names = Vec::with_capacity(plans.len());
    for plan in plans {
        let mut own = Vec::with_capacity(plan.requests.len());
        for (message, text, step) in plan.requests {
            messages.push(message);
            own.push((text, step));
        }
        steps.push(own);
        names.push(plan.name);
    }
    if messages.is_empty() {
        return Ok(steps.iter().map(|_| Ok(Vec::new())).collect());
    }
    let mut results = ctx.netlink()?.execute(messages).into_iter();
    let mut out = Vec::with_capacity(steps.len());
    for (own, name) in steps.into_iter().zip(names) {
        let mut done = Vec::new();
        let mut failure = None;
        for (text, step) in own {
            let result = results.next().unwrap_or(Err(Errno::EIO));
            if failure.is_some() {
                continue; // keep the iterator in step with the requests
            }
            match result {
                Ok(()) => done.push(text),
                // Removed by someone else meanwhile: gone is what was asked.
                Err(Errno::EADDRNOTAVAIL) if step == Step::DelAddress => {}
                Err(errno) => failure = Some(netlink_step_error(&name, &text, step, errno, &done)),
            }
        }
        out.push(match failure {
            Some(e) => Err(e),
            None => Ok(done),
        });
    }
    Ok(out)
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
    if let Some(c) = desired.carrier.filter(|c| *c != link.carrier) {
        settings.carrier = Some(c);
        settings_text.push(format!("carrier {}", if c { "on" } else { "off" }));
    }

    // Each request with the words that describe it in a message, and what
    // kind of step it is (the same errno means different things per step).
    let mut requests: Vec<(Request, String, Step)> = Vec::new();
    if !settings.is_empty() {
        requests.push((
            Request::SetLink(settings.to_message(link.index)),
            settings_text.join(", "),
            Step::Settings,
        ));
    }
    let own: Vec<&Address> = addresses.iter().filter(|a| a.index == link.index).collect();
    let mut removed: Vec<&Address> = Vec::new();
    for addr in &own {
        let flush = desired.flush_addresses && !addr.is_kernel_link_local();
        let named = desired.del_addresses.iter().any(|d| addr.matches(d));
        if flush || named {
            removed.push(addr);
            requests.push((
                Request::DelAddress(delete_address_message(addr)),
                format!("removed address {}/{}", addr.address, addr.prefix_len),
                Step::DelAddress,
            ));
        }
    }
    for want in &desired.add_addresses {
        let present = own
            .iter()
            .any(|a| a.matches(want) && !removed.iter().any(|r| std::ptr::eq(*r, *a)));
        if !present {
            requests.push((
                Request::AddAddress(address_message(link.index, want)),
                format!("address {want}"),
                Step::AddAddress {
                    ipv6: want.address.is_ipv6(),
                },
            ));
        }
    }
    if let Some(up) = desired.up.filter(|u| *u != link.up) {
        let change = LinkChange {
            up: Some(up),
            ..Default::default()
        };
        requests.push((
            Request::SetLink(change.to_message(link.index)),
            if up { "up".into() } else { "down".into() },
            Step::UpDown,
        ));
    }
    LinkPlan {
        name: link.name.clone(),
        requests,
    }
}

/// What a netlink request does, for choosing the message for its errno.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// MAC, MTU, txqueuelen, carrier.
    Settings,
    AddAddress {
        ipv6: bool,
    },
    DelAddress,
    UpDown,
}

fn netlink_step_error(name: &str, text: &str, step: Step, errno: Errno, done: &[String]) -> Error {
    let after = if done.is_empty() {
        String::new()
    } else {
        format!(" (already applied: {})", done.join(", "))
    };
    let ipv6_add = step == Step::AddAddress { ipv6: true };
    match errno {
        Errno::EPERM | Errno::EACCES if text.starts_with("carrier on") => carrier_error(name),
        // The kernel answers EACCES (not EPERM) when IPv6 is disabled on the
        // device; a missing capability is EPERM.
        Errno::EACCES if ipv6_add => Error::failed(format!(
            "{name}: adding {text} failed: IPv6 is disabled on {name} (net.ipv6.conf.{name}.disable_ipv6 = 1; EACCES){after}; enable it with `sysctl -w net.ipv6.conf.{name}.disable_ipv6=0` (and net.ipv6.conf.default.disable_ipv6=0 for new interfaces), or give an IPv4 address"
        )),
        Errno::EAFNOSUPPORT if ipv6_add => Error::failed(format!(
            "{name}: adding {text} failed: this kernel has no IPv6 (booted with ipv6.disable=1 or built without it; EAFNOSUPPORT){after}; give an IPv4 address or enable IPv6 in the kernel"
        )),
        Errno::EPERM | Errno::EACCES => permission_error(name, &format!("setting {text}")),
        Errno::EADDRNOTAVAIL if matches!(step, Step::AddAddress { .. }) => Error::usage(format!(
            "{name}: adding {text} failed: the kernel refused the address (EADDRNOTAVAIL){after}; give a unicast address (and a peer of the same family)"
        )),
        Errno::EADDRNOTAVAIL => Error::usage(format!(
            "{name}: setting {text} failed: the kernel refused the address (EADDRNOTAVAIL){after}; give a unicast MAC address (the low bit of the first byte clear)"
        )),
        Errno::EOPNOTSUPP if text.starts_with("mac") => Error::usage(format!(
            "{name}: setting {text} failed: not supported by this device (EOPNOTSUPP){after}; a tun has no MAC address, only a tap has one"
        )),
        Errno::EOPNOTSUPP => Error::failed(format!(
            "{name}: setting {text} failed: not supported by this device (EOPNOTSUPP){after}; see `tuntapctl show {name}` for what it is"
        )),
        Errno::EEXIST if ipv6_add => Error::conflict(format!(
            "{name}: adding {text} failed: the address is already on {name} with another prefix length (EEXIST){after}; an IPv6 address can be on an interface only once: remove the old one first (tuntapctl set {name} --del-address ADDRESS/PREFIX; see `tuntapctl show {name}`)"
        )),
        Errno::EEXIST => Error::conflict(format!(
            "{name}: adding {text} failed: the address already exists on {name} (EEXIST){after}; remove it first (tuntapctl set {name} --del-address ...), see `tuntapctl show {name}`"
        )),
        Errno::ENODEV => Error::not_found(format!(
            "{name}: was deleted by another process while setting {text} (ENODEV){after}; see `tuntapctl list`, and add it again if it is still wanted"
        )),
        Errno::EBUSY => Error::busy(format!(
            "{name}: setting {text} failed: the device is busy (EBUSY){after}; bring it down first (tuntapctl set {name} --down) or stop the process using it, then retry"
        )),
        Errno::EINVAL => Error::usage(format!(
            "{name}: setting {text} failed: the kernel rejected the value (EINVAL){after}; check it against `tuntapctl show {name}`"
        )),
        other => Error::failed(format!(
            "{name}: setting {text} failed: {}{after}",
            errno_text(other as i32)
        )),
    }
}

/// Converge an existing tun/tap to `desired`: owner/group first (the step
/// that can be refused as busy), then link settings and addresses.
pub fn converge(ctx: &Context, link: &Link, desired: &Desired) -> Result<Vec<String>> {
    check_against(link, desired)?;
    let mut changes = set_owner_group(ctx, link, desired)?;
    if desired.needs_netlink() {
        let addresses = if desired.add_addresses.is_empty()
            && desired.del_addresses.is_empty()
            && !desired.flush_addresses
        {
            Vec::new()
        } else {
            ctx.netlink()?.addresses()?
        };
        changes.extend(
            apply_link_settings(ctx, link, &addresses, desired)
                .map_err(|e| prefix_done(e, &changes))?,
        );
    }
    Ok(changes)
}

fn prefix_done(err: Error, done: &[String]) -> Error {
    if done.is_empty() {
        err
    } else {
        let status = err.status;
        Error::new(
            status,
            format!("{} (already changed: {})", err.message, done.join(", ")),
        )
    }
}
