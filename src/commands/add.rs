//! `add`: create a persistent tun/tap atomically. Everything is validated and
//! resolved first; the device is made with IFF_TUN_EXCL, configured while our
//! fd holds it, and made persistent last, so any failure before that step
//! closes the fd and the kernel removes the half-made device.

use std::path::Path;
use std::time::{Duration, Instant};

use nix::errno::Errno;

use super::converge::{
    Desired, apply_link_settings, converge, deleted_error, group_text, id_error, owner_text,
    pause_point,
};
use super::{Action, AddRequest, Context, Outcome, not_tun, open_error, permission_error};
use crate::error::{Error, Result, errno_text};
use crate::netlink::Link;
use crate::tun::{self, AttachFlags};
use crate::validate::Mode;

/// Test builds can stop after a named step to prove what a crash leaves
/// behind; release builds never read this.
#[cfg(debug_assertions)]
fn crash_point(step: &str) {
    if std::env::var("TUNTAPCTL_TEST_ABORT_AFTER").as_deref() == Ok(step) {
        std::process::abort();
    }
}
#[cfg(not(debug_assertions))]
fn crash_point(_step: &str) {}

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
    // Step 1: resolve everything that can fail without the kernel. Errors
    // name the interface (or template) they were meant for.
    let (owner, group, mac) = ctx
        .resolve(req.owner.as_ref(), req.group.as_ref(), req.mac)
        .map_err(|e| e.context(&req.name))?;
    let desired = Desired {
        owner,
        group,
        mac,
        mtu: req.mtu,
        txqueuelen: req.txqueuelen,
        up: req.up.then_some(true),
        add_addresses: req.addresses.clone(),
        ..Default::default()
    };
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
        let file = tun::open_clone_device(Path::new(tun::TUN_PATH))
            .map_err(|e| open_error(e).context(name))?;
        match tun::attach(file, name, flags) {
            Ok(fd) => break fd,
            Err(Errno::EBUSY) => match existing(ctx, req, &desired)? {
                Found::Done(outcome) => return Ok(outcome),
                Found::Retry(err) if Instant::now() >= deadline => return Err(err),
                Found::Retry(_) => std::thread::sleep(CREATING_POLL),
            },
            Err(errno) => return Err(create_error(name, errno)),
        }
    };
    let name = fd.name().to_string();
    let undone = |e: Error| {
        Error::new(
            e.status,
            format!(
                "{}; nothing was created (the half-made {name} was removed)",
                e.message
            ),
        )
    };
    crash_point("create");
    pause_point("create");

    // Step 3: owner and group, on the creating fd.
    if let Some(uid) = owner {
        fd.set_owner(uid)
            .map_err(|e| undone(id_error(&name, "owner", "uid", uid, e)))?;
    }
    if let Some(gid) = group {
        fd.set_group(gid)
            .map_err(|e| undone(id_error(&name, "group", "gid", gid, e)))?;
    }
    crash_point("owner");

    // Step 4: link settings over netlink while our fd keeps the device alive.
    if desired.needs_netlink() {
        // The device is ours and new: its index is all we need (no netlink
        // lookup, one round trip fewer per interface in a batch).
        let index = tun::interface_index(&name)
            .map_err(|_| undone(deleted_error(&name, "it was being created")))?;
        let link = Link::new_device(index, &name, req.mode, &desired);
        apply_link_settings(ctx, &link, &[], &desired).map_err(undone)?;
    }
    crash_point("configure");

    // Step 5: persist last; until here a failure removes the device.
    fd.set_persist(true).map_err(|e| {
        undone(match e {
            Errno::EPERM => permission_error(&name, "making the device persistent"),
            Errno::EBADFD => deleted_error(&name, "it was being made persistent"),
            other => Error::failed(format!(
                "{name}: making the device persistent failed: {}",
                errno_text(other as i32)
            )),
        })
    })?;
    drop(fd);

    if owner.is_none() && group.is_none() {
        ctx.warn_unowned(&name);
    }
    Ok(Outcome {
        summary: summary(ctx, req.mode, req.multi_queue, owner, group),
        name,
        action: Action::Created,
    })
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

/// TUNSETIFF refused to create `name` for a reason other than "it exists".
fn create_error(name: &str, errno: Errno) -> Error {
    match errno {
        Errno::EPERM => permission_error(name, "creating the device"),
        Errno::EINVAL => Error::usage(format!(
            "{name}: the kernel refused the name or flags (EINVAL); check the name against the rules in tuntapctl-add(8)"
        )),
        Errno::ENFILE => Error::failed(format!(
            "{name}: no free name for the template (ENFILE); delete unused interfaces or use another template"
        )),
        Errno::ENOMEM | Errno::ENOBUFS => Error::failed(format!(
            "{name}: creating the device failed: the kernel is out of memory ({errno}); free memory or create fewer queues, then retry"
        )),
        other => Error::failed(format!(
            "{name}: creating the device failed: {}",
            errno_text(other as i32)
        )),
    }
}

/// The name exists: refuse (exit 4) or, with --exist-ok, converge.
fn existing(ctx: &Context, req: &AddRequest, desired: &Desired) -> Result<Found> {
    let name = req.name.as_str();
    let Some(link) = ctx.netlink()?.link_by_name(name)? else {
        // Gone again (another add rolled back, or a del ran): create it.
        return Ok(Found::Retry(Error::conflict(format!(
            "{name}: kept being created and removed by other processes for {}s; nothing was changed; retry",
            CREATING_WAIT.as_secs()
        ))));
    };
    if !link.is_tun() {
        return Err(not_tun(&link));
    }
    let tun_attrs = link.tun.clone().unwrap_or_default();
    if !req.exist_ok {
        let still_making = if tun_attrs.persist {
            ""
        } else {
            " (not persistent: another process is creating or holding it)"
        };
        return Err(Error::conflict(format!(
            "{name} already exists ({}){still_making}; use --exist-ok to update it",
            link_summary(ctx, &link)
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
    if !tun_attrs.persist {
        // Not persistent: it lives only as long as its holder. Another
        // tuntapctl may be building it right now (persist comes last); then
        // configuring it would race with that process and could make its
        // rollback remove the device for both. Wait for it to finish or roll
        // back. A device held by anything else is not ours to adopt.
        let holders = crate::procscan::scan();
        let who = holders.of(name);
        let list = who
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        // Another tuntapctl holds it while building it (and for an instant
        // while scanning /proc): wait for that one. Anything else: refuse.
        if who
            .iter()
            .any(|h| !super::del::is_passing_holder(&holders, h))
        {
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
    let fresh = ctx.netlink()?.link_by_name(name)?.unwrap_or(link);
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
