//! Deleting many interfaces in one kernel pass. Each RTM_DELLINK of a single
//! device waits for an RCU barrier (~16 ms); deleting an interface group does
//! the whole group in one pass. We move exactly the targets into a group no
//! other link uses, verify that, delete the group, and restore the targets'
//! groups if anything fails, so no foreign interface is ever caught.

use std::collections::{HashMap, HashSet};

use nix::errno::Errno;

use super::Context;
use crate::error::kernel::{self, Step};
use crate::error::{Error, Result, errno_text};
use crate::netlink::{Change, Link, LinkChange};

/// Below this many targets the plain per-link delete is as fast.
pub const GROUP_DELETE_THRESHOLD: usize = 3;

/// Our temporary group (derived from our pid, so that a later run knows
/// whose it is: super::interrupted), when no link in `links` uses it.
fn free_group(links: &[Link]) -> Option<u32> {
    let group = super::interrupted::temp_group(std::process::id());
    (!links.iter().any(|l| l.group == group)).then_some(group)
}

fn set_groups(ctx: &Context, targets: &[(u32, u32)]) -> Vec<std::result::Result<(), Errno>> {
    let requests = targets
        .iter()
        .map(|(index, group)| {
            let change = LinkChange {
                group: Some(*group),
                ..Default::default()
            };
            Change::Link(*index, change)
        })
        .collect();
    match ctx.netlink() {
        Ok(nl) => nl.apply(requests),
        Err(_) => vec![Err(Errno::EIO); targets.len()],
    }
}

/// Delete `targets` (already checked to be tun/tap and free to delete).
/// Only devices in the default group go through the temporary group (so a
/// killed run's devices can be put back: super::interrupted); the others,
/// after them, one by one.
pub fn delete_many(ctx: &Context, all: &[Link]) -> Result<()> {
    let (targets, others): (Vec<Link>, Vec<Link>) = all.iter().cloned().partition(|l| l.group == 0);
    delete_grouped(ctx, &targets)?;
    delete_one_by_one(ctx, &others)
}

fn delete_grouped(ctx: &Context, targets: &[Link]) -> Result<()> {
    let nl = ctx.netlink()?;
    if targets.len() < GROUP_DELETE_THRESHOLD {
        return delete_one_by_one(ctx, targets);
    }
    let before = ctx.links()?;
    super::interrupted::recover(ctx, &before);
    let Some(group) = free_group(&before) else {
        return delete_one_by_one(ctx, targets);
    };
    let original: HashMap<u32, u32> = targets.iter().map(|l| (l.index, l.group)).collect();
    let restore = |ctx: &Context| {
        let back: Vec<(u32, u32)> = original.iter().map(|(i, g)| (*i, *g)).collect();
        let _ = set_groups(ctx, &back);
    };
    let moved: Vec<(u32, u32)> = targets.iter().map(|l| (l.index, group)).collect();
    let results = set_groups(ctx, &moved);
    if let Some((link, err)) = targets
        .iter()
        .zip(&results)
        .find_map(|(l, r)| r.err().filter(|e| *e != Errno::ENODEV).map(|e| (l, e)))
    {
        restore(ctx);
        return Err(Error::failed(format!(
            "{}: preparing the bulk delete failed: {}; nothing was deleted",
            link.name,
            errno_text(err as i32)
        )));
    }
    // Verify: the group must hold exactly our targets, nothing foreign.
    let after = ctx.links()?;
    let in_group: HashSet<u32> = after
        .iter()
        .filter(|l| l.group == group)
        .map(|l| l.index)
        .collect();
    let ours: HashSet<u32> = original.keys().copied().collect();
    if !in_group.is_subset(&ours) {
        restore(ctx);
        return delete_one_by_one(ctx, targets);
    }
    if let Err(err) = crate::fault::group_delete_failure()
        .map_or_else(|| nl.apply_one(Change::DelGroup(group)), Err)
    {
        restore(ctx);
        return Err(Error::failed(format!(
            "deleting {} interfaces as group {group} failed: {}; their groups were restored and nothing was deleted",
            targets.len(),
            errno_text(err as i32)
        )));
    }
    Ok(())
}

fn delete_one_by_one(ctx: &Context, targets: &[Link]) -> Result<()> {
    let nl = ctx.netlink()?;
    for link in targets {
        match nl.apply_one(Change::DelLink(link.index)) {
            // ENODEV: deleted by someone else meanwhile; gone is what was asked.
            Ok(()) | Err(Errno::ENODEV) => {}
            Err(errno) => return Err(kernel::error(&Step::Delete, &link.name, errno, &[])),
        }
    }
    Ok(())
}
