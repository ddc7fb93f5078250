//! `add`: create a persistent tun/tap atomically. Everything is validated and
//! resolved first; the device is made with IFF_TUN_EXCL, configured while our
//! fd holds it, and made persistent last, so any failure before that step
//! closes the fd and the kernel removes the half-made device.

use std::time::{Duration, Instant};

use nix::errno::Errno;

use super::converge::{
    Desired, converge, execute_plans, group_text, owner_text, plan_link_settings,
};
use super::{Action, AddRequest, Context, Outcome, not_tun};
use crate::error::kernel::{self, Step};
use crate::error::{Error, Result};
use crate::netlink::Link;
use crate::tun::{self, AttachFlags};
use crate::validate::Mode;

/// How long `add --exist-ok` waits for a device that another tuntapctl is
/// still building (not yet persistent) to be finished or rolled back, and how
/// often it looks again.
const CREATING_WAIT: Duration = Duration::from_secs(5);
const CREATING_POLL: Duration = Duration::from_millis(10);

/// What was found under a name that TUNSETIFF reported as taken.
enum Found {
    /// Handled: unchanged or updated (with --exist-ok).
    Done(Outcome),
    /// Not ready: gone again, or still being built by another tuntapctl.
    /// Try to create it again; the error is what to report if that keeps
    /// happening until the deadline.
    Retry(Error),
}

pub fn add(ctx: &Context, req: &AddRequest) -> Result<Outcome> {
    let mut building = match start(ctx, req)? {
        Started::Building(b) => b,
        Started::Existing(outcome) => return Ok(outcome),
    };
    // Step 4: link settings over netlink while our fd keeps the device alive.
    let result = match building.plan.take().filter(|p| !p.is_empty()) {
        Some(plan) => {
            crate::fault::pause_at("configure");
            execute_plans(ctx, vec![plan])?.remove(0).map(drop)
        }
        None => Ok(()),
    };
    building.finish(ctx, result)
}

/// Many adds at once (batch): every device is created and held, its owner
/// and group set, then the netlink changes of all of them go out in one
/// pipeline, and each is made persistent in order. One result per request;
/// None for a request not carried out because an earlier one failed and
/// `keep_going` is false (its device, never persistent, is gone with its
/// fd). Names must be distinct (a batch splits runs where one repeats).
pub fn add_many(
    ctx: &Context,
    reqs: &[&AddRequest],
    keep_going: bool,
) -> Vec<Option<Result<Outcome>>> {
    let mut results: Vec<Option<Result<Outcome>>> = Vec::with_capacity(reqs.len());
    let mut building: Vec<(usize, Building)> = Vec::new();
    for (i, req) in reqs.iter().enumerate() {
        match start(ctx, req) {
            Ok(Started::Building(b)) => {
                building.push((i, b));
                results.push(None);
            }
            Ok(Started::Existing(outcome)) => results.push(Some(Ok(outcome))),
            Err(e) => {
                results.push(Some(Err(e)));
                if !keep_going {
                    break;
                }
            }
        }
    }
    let mut plans = Vec::new();
    let mut planned = Vec::new();
    for (k, (_, b)) in building.iter_mut().enumerate() {
        if let Some(plan) = b.plan.take() {
            plans.push(plan);
            planned.push(k);
        }
    }
    let mut outcomes: Vec<Result<()>> = building.iter().map(|_| Ok(())).collect();
    match execute_plans(ctx, plans) {
        Ok(all) => {
            for (k, r) in planned.into_iter().zip(all) {
                outcomes[k] = r.map(drop);
            }
        }
        Err(e) => {
            for k in planned {
                outcomes[k] = Err(e.clone());
            }
        }
    }
    // Persist in order; without keep_going the first failure ends the run
    // and the devices after it are dropped unfinished (removed). A line
    // that failed before it was built (an existing name, a missing master)
    // ended the loop above: every device being built comes before it and
    // is finished, as running the lines one by one would have.
    let mut failed = false;
    for ((i, b), outcome) in building.into_iter().zip(outcomes) {
        if failed && !keep_going {
            b.abandon(ctx);
            continue;
        }
        let r = b.finish(ctx, outcome);
        failed |= r.is_err();
        results[i] = Some(r);
    }
    if !keep_going {
        // Nothing after the first failure counts as run.
        if let Some(first) = results.iter().position(|r| matches!(r, Some(Err(_)))) {
            for r in results.iter_mut().skip(first + 1) {
                *r = None;
            }
        }
    }
    results
}

/// A device created and held by us, owner and group set, not yet
/// persistent: dropping it removes the device.
struct Building {
    fd: tun::TunFd,
    name: String,
    mode: Mode,
    multi_queue: bool,
    owner: Option<u32>,
    group: Option<u32>,
    master: Option<String>,
    /// The netlink part of building it, if it has one (taken when sent).
    plan: Option<super::converge::LinkPlan>,
}

enum Started {
    Building(Building),
    /// The name existed and --exist-ok converged it.
    Existing(Outcome),
}

/// Steps 1 to 3: resolve, create with IFF_TUN_EXCL, set owner and group,
/// and plan the netlink settings.
/// Step 1 of add: resolve everything that can fail without the kernel
/// (users, groups, MAC, the master, which must exist: exit 3 and nothing
/// is created). Errors name the interface (or template) they were meant
/// for. `add --dry-run` runs it too.
pub(super) fn desired_of(ctx: &Context, req: &AddRequest) -> Result<Desired> {
    // Step 1: resolve everything that can fail without the kernel. Errors
    // name the interface (or template) they were meant for.
    let (owner, group, mac) = ctx
        .resolve(req.owner.as_ref(), req.group.as_ref(), req.mac)
        .map_err(|e| e.context(&req.name))?;
    // The master is looked up before anything is made: a missing one is
    // exit 3 and nothing is created.
    let master = req
        .around
        .master
        .as_ref()
        .map(|m| super::master::resolve_master(ctx, req.name.as_str(), m))
        .transpose()?;
    if let Some(m) = &master {
        super::master::check_master_for_mode(req.name.as_str(), Some(req.mode), m)?;
    }
    Ok(Desired {
        owner,
        group,
        mac,
        mtu: req.mtu,
        txqueuelen: req.txqueuelen,
        up: req.up.then_some(true),
        add_addresses: req.addresses.clone(),
        master,
        alias: req.around.alias.clone(),
        addrgenmode: req.around.addrgenmode.map(|m| m.value()),
        ..Default::default()
    })
}

fn start(ctx: &Context, req: &AddRequest) -> Result<Started> {
    let desired = desired_of(ctx, req)?;

    let flags = AttachFlags {
        mode: req.mode,
        pi: req.pi,
        vnet_hdr: req.vnet_hdr,
        multi_queue: req.multi_queue,
        exclusive: true,
        no_carrier: true,
    };
    let name = req.name.as_str();

    // Step 2: create, refusing an existing name.
    let deadline = Instant::now() + CREATING_WAIT;
    let fd = loop {
        let file = tun::open_tun(name)?;
        match tun::attach(file, name, flags) {
            Ok(fd) => break fd,
            Err(Errno::EBUSY) => match existing(ctx, req, &desired)? {
                Found::Done(outcome) => return Ok(Started::Existing(outcome)),
                Found::Retry(err) if Instant::now() >= deadline => return Err(err),
                Found::Retry(_) => std::thread::sleep(CREATING_POLL),
            },
            Err(errno) => return Err(kernel::error(&Step::Create, name, errno, &[])),
        }
    };
    let name = fd.name().to_string();
    if fd.carrier_left_on() {
        ctx.warn(crate::kernel_features::carrier_left_on_note(&name));
    }
    crate::fault::abort_after("create");
    crate::fault::pause_at("create");

    // Step 3: owner and group, on the creating fd.
    if let Some(uid) = desired.owner {
        fd.set_owner(uid)
            .map_err(|e| undone(&name, kernel::id_error(&name, false, uid, e)))?;
    }
    if let Some(gid) = desired.group {
        fd.set_group(gid)
            .map_err(|e| undone(&name, kernel::id_error(&name, true, gid, e)))?;
    }
    crate::fault::abort_after("owner");

    let plan = if desired.needs_netlink() {
        // The device is ours and new: its index is all we need (no netlink
        // lookup, one round trip fewer per interface in a batch).
        let nl = ctx.netlink().map_err(|e| undone(&name, e))?;
        let index = tun::interface_index(nl, &name)
            .map_err(|_| undone(&name, kernel::deleted(&name, "it was being created")))?;
        let link = Link::new_device(index, &name, req.mode, desired.mtu, desired.txqueuelen);
        Some(plan_link_settings(&link, &[], &desired))
    } else {
        None
    };
    Ok(Started::Building(Building {
        fd,
        name,
        mode: req.mode,
        multi_queue: req.multi_queue,
        owner: desired.owner,
        group: desired.group,
        master: desired
            .master
            .as_ref()
            .filter(|m| !m.is_free())
            .map(|m| m.name.clone()),
        plan,
    }))
}

fn undone(name: &str, e: Error) -> Error {
    e.note(format!(
        "; nothing was created (the half-made {name} was removed)"
    ))
}

impl Building {
    /// Step 5, after the netlink step's `configured` result: persist last;
    /// until here a failure removes the device (our fd is its only holder).
    /// Stop building: delete the device now. Closing our fd removes it
    /// too, but not while another process holds a copy of the fd for an
    /// instant (another tuntapctl scanning /proc does), and a failed command
    /// must leave nothing behind when it returns.
    fn abandon(self, ctx: &Context) {
        if let Ok(nl) = ctx.netlink()
            && let Ok(index) = tun::interface_index(nl, &self.name)
        {
            let _ = nl.apply_one(crate::netlink::Change::DelLink(index));
        }
        drop(self.fd);
    }

    fn finish(self, ctx: &Context, configured: Result<()>) -> Result<Outcome> {
        if let Err(e) = configured {
            let e = undone(&self.name, e);
            self.abandon(ctx);
            return Err(e);
        }
        crate::fault::abort_after("configure");
        if let Err(errno) = self.fd.set_persist(true) {
            let e = undone(
                &self.name,
                kernel::error(&Step::Persist, &self.name, errno, &[]),
            );
            self.abandon(ctx);
            return Err(e);
        }
        let name = self.name;
        drop(self.fd);
        if self.owner.is_none() && self.group.is_none() {
            ctx.warn_unowned(&name);
        }
        let mut summary = summary(ctx, self.mode, self.multi_queue, self.owner, self.group);
        if let Some(m) = &self.master {
            summary += &format!(", master {}", crate::text::printable(m));
        }
        Ok(Outcome {
            summary,
            name,
            action: Action::Created,
        })
    }
}

fn summary(
    ctx: &Context,
    mode: Mode,
    multi_queue: bool,
    owner: Option<u32>,
    group: Option<u32>,
) -> String {
    let mut parts = vec![mode.to_string()];
    if multi_queue {
        parts.push("multi_queue".into());
    }
    match owner {
        Some(uid) => parts.push(owner_text(ctx, uid)),
        None => parts.push("no owner".into()),
    }
    parts.extend(group.map(|gid| group_text(ctx, gid)));
    parts.join(", ")
}

fn link_summary(ctx: &Context, link: &Link) -> String {
    let t = link.tun.clone().unwrap_or_default();
    summary(
        ctx,
        t.mode.unwrap_or(Mode::Tap),
        t.multi_queue,
        t.owner,
        t.group,
    )
}

/// An existing tun/tap: exit 4 without --exist-ok, or when what cannot
/// change in place (mode, multi_queue) differs. `add --dry-run` runs it
/// too.
/// The name `add` was given is taken by `link`: by its own name, or by an
/// altname of it (said in a note). The device's own name, which the
/// outcome reports. Found only where the name turns out taken, so a plain
/// add makes no lookup for it.
pub(super) fn taken_by(ctx: &Context, asked: &str, link: &Link) -> String {
    if link.name != asked {
        ctx.warn(super::altname::note(asked, &link.name));
    }
    link.name.clone()
}

pub(super) fn refuse_existing(ctx: &Context, req: &AddRequest, link: &Link) -> Result<()> {
    let name = crate::text::printable(&link.name);
    let tun_attrs = link.tun.clone().unwrap_or_default();
    if !req.exist_ok {
        let still_making = if tun_attrs.persist {
            ""
        } else {
            " (not persistent: another process is creating or holding it)"
        };
        return Err(Error::conflict(format!(
            "{name} already exists ({}){still_making}; use --exist-ok to update it",
            link_summary(ctx, link)
        )));
    }
    let mut differences = Vec::new();
    if tun_attrs.mode != Some(req.mode) {
        differences.push(format!(
            "it is a {} and a {} was asked for",
            tun_attrs
                .mode
                .map(|m| m.to_string())
                .unwrap_or_else(|| "tun/tap of unknown mode".into()),
            req.mode
        ));
    }
    if tun_attrs.multi_queue != req.multi_queue {
        differences.push(if tun_attrs.multi_queue {
            "it is multi-queue and --multi-queue was not given".to_string()
        } else {
            "it is single-queue and --multi-queue was given".to_string()
        });
    }
    if !differences.is_empty() {
        return Err(Error::conflict(format!(
            "{name} exists but differs: {}; these cannot be changed in place: delete it first (tuntapctl del {name}) or choose another name",
            differences.join("; ")
        )));
    }
    Ok(())
}

/// The name exists: refuse (exit 4) or, with --exist-ok, converge.
fn existing(ctx: &Context, req: &AddRequest, desired: &Desired) -> Result<Found> {
    let Some(link) = ctx.link_by_name(req.name.as_str())? else {
        let name = req.name.as_str();
        // Gone again (another add rolled back, or a del ran): create it.
        return Ok(Found::Retry(Error::conflict(format!(
            "{name}: kept being created and removed by other processes for {}s; nothing was changed; retry",
            CREATING_WAIT.as_secs()
        ))));
    };
    if !link.is_tun() {
        return Err(not_tun(&link));
    }
    let name = &taken_by(ctx, req.name.as_str(), &link);
    refuse_existing(ctx, req, &link)?;
    let tun_attrs = link.tun.clone().unwrap_or_default();
    if !tun_attrs.persist {
        // Not persistent: it lives only as long as its holder. Another
        // tuntapctl may be building it right now (persist comes last); then
        // configuring it would race with that process and could make its
        // rollback remove the device for both. Wait for it to finish or roll
        // back. A device held by anything else is not ours to adopt.
        let holders = crate::procscan::scan().settle([&link]);
        let who = holders.of(name);
        let list = kernel::holder_list(&crate::procscan::holder_infos(who));
        // Another tuntapctl holds it while building it (and for an instant
        // while scanning /proc): wait for that one. Anything else: refuse.
        if who.iter().any(|h| !holders.is_passing(h)) {
            return Err(Error::conflict(format!(
                "{name} exists but is not persistent: it belongs to {list} and disappears when that process closes it; --exist-ok does not take it over. Stop that process, or delete it (tuntapctl del --force {name}), then add it again"
            )));
        }
        let by = if who.is_empty() {
            "a process not visible from here".to_string()
        } else {
            list
        };
        return Ok(Found::Retry(Error::conflict(format!(
            "{name} exists but is still not persistent after {}s: {by} is creating it and has not finished; nothing was changed; retry, or delete it (tuntapctl del --force {name})",
            CREATING_WAIT.as_secs()
        ))));
    }
    let changes = converge(ctx, &link, desired)?;
    let fresh = ctx.link_by_name(name)?.unwrap_or(link);
    Ok(Found::Done(Outcome {
        name: name.to_string(),
        summary: link_summary(ctx, &fresh),
        action: if changes.is_empty() {
            Action::Unchanged
        } else {
            Action::Updated(changes)
        },
    }))
}
