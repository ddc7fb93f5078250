//! `del`: look every name up over netlink first (never a ghost device), refuse
//! what is not a tun/tap or is held by a process, then RTM_DELLINK by index.
//! All names are checked before anything is deleted.

use std::collections::{HashMap, HashSet};

use nix::errno::Errno;

use super::{Action, Context, DelRequest, Outcome, not_tun};
use crate::error::kernel::{self, Step};
use crate::error::{Error, Result};
use crate::netlink::{Change, Link};
use crate::procscan::Holder;
use crate::procscan::holder_infos;

/// What one `del` will do, checked but not yet carried out: the devices to
/// delete, and one outcome slot per distinct name (in command-line order).
pub struct DelPlan {
    targets: Vec<Link>,
    target_slots: Vec<usize>,
    outcomes: Vec<Option<Outcome>>,
    /// Said only once the delete is done (before it, an error may make it
    /// moot): some processes could not be inspected.
    warning: Option<String>,
}

impl DelPlan {
    /// What carrying the plan out would report (`del --dry-run`).
    pub fn preview(self, ctx: &Context) -> Vec<Outcome> {
        let mut outcomes = self.outcomes;
        for (link, slot) in self.targets.into_iter().zip(self.target_slots) {
            outcomes[slot] = Some(Outcome {
                summary: String::new(),
                name: link.name,
                action: Action::Deleted,
            });
        }
        if let Some(w) = self.warning {
            ctx.warn(w);
        }
        outcomes.into_iter().flatten().collect()
    }

    /// Interface indices this plan will delete.
    pub fn indices(&self) -> impl Iterator<Item = u32> + '_ {
        self.targets.iter().map(|l| l.index)
    }
}

/// Above this many names, `del` dumps the links once instead of asking for
/// each name.
const DUMP_ABOVE: usize = 32;

pub fn del(ctx: &Context, req: &DelRequest) -> Result<Vec<Outcome>> {
    let plan = plan_del(ctx, req, &HashSet::new())?;
    Ok(finish_del(ctx, vec![plan])?.remove(0))
}

/// Look every name up and refuse what must not be deleted; nothing changes.
/// `pending` holds indices that earlier plans (earlier batch lines) will
/// delete: to this one they are already gone.
pub fn plan_del(ctx: &Context, req: &DelRequest, pending: &HashSet<u32>) -> Result<DelPlan> {
    let expanded = super::del_patterns::expand(ctx, req)?;
    let req = expanded.as_ref().unwrap_or(req);
    let mut targets: Vec<Link> = Vec::new();
    let mut errors: Vec<Error> = Vec::new();
    // One slot per distinct name, so the report follows the command line.
    let mut outcomes: Vec<Option<Outcome>> = Vec::new();
    let mut target_slots: Vec<usize> = Vec::new();
    // A name given twice is looked at once (and reported once). Hashed:
    // comparing every pair made 100,000 names take 38 s.
    let mut seen: HashSet<&str> = HashSet::with_capacity(req.names.len());
    let distinct: Vec<&str> = req
        .names
        .iter()
        .map(|n| n.as_str())
        .filter(|n| seen.insert(n))
        .collect();
    // Many names: one dump instead of one request per name.
    let dumped: Option<HashMap<String, Link>> = if distinct.len() > DUMP_ABOVE {
        Some(
            ctx.links()?
                .into_iter()
                .map(|l| (l.name.clone(), l))
                .collect(),
        )
    } else {
        None
    };
    // Whether an error already says that nothing was deleted.
    let mut said_nothing_deleted = false;
    for name in distinct {
        let found = match &dumped {
            Some(all) => all.get(name).cloned(),
            None => ctx.link_by_name(name)?,
        }
        .filter(|l| !pending.contains(&l.index));
        match found {
            None if req.missing_ok => outcomes.push(Some(Outcome {
                name: name.to_string(),
                action: Action::Absent,
                summary: String::new(),
            })),
            None => {
                said_nothing_deleted = true;
                errors.push(
                    Error::not_found(format!(
                        "{}: no such interface in this network namespace; nothing was deleted (use --missing-ok to ignore missing names)",
                        crate::text::printable(name)
                    ))
                    .on(name),
                )
            }
            Some(link) if !link.is_tun() => errors.push(not_tun(&link)),
            Some(link) => {
                target_slots.push(outcomes.len());
                outcomes.push(None);
                targets.push(link);
            }
        }
    }
    let mut warning = None;
    if !targets.is_empty() && !req.force {
        let holders = crate::procscan::scan().settle(&targets);
        warning = holders.note_for(&targets);
        for link in &targets {
            let who: Vec<Holder> = holders
                .of(&link.name)
                .iter()
                .filter(|h| !holders.is_passing(h))
                .cloned()
                .collect();
            if !who.is_empty() {
                let who = holder_infos(&who);
                let mut busy = Error::busy(format!(
                    "{}: is in use by {}; stop {} first, or use --force to delete it anyway (the process then gets EBADFD)",
                    crate::text::printable(&link.name),
                    kernel::holder_list(&who),
                    if who.len() == 1 { "it" } else { "them" }
                ))
                .on(&link.name)
                .with_holders(who);
                // Refused on a weaker proof (SPEC §11, §14): say so.
                if let Some(note) = holders
                    .warning()
                    .filter(|_| holders.unproven.contains_key(&link.name))
                {
                    busy.message = format!("{}\n{note}", busy.message);
                }
                errors.push(busy);
            }
        }
    }
    if let Some(first) = errors.first() {
        let mut err = first.clone();
        if errors.len() > 1 {
            let rest: Vec<String> = errors[1..].iter().map(|e| e.message.clone()).collect();
            err.message = format!("{}\n{}", err.message, rest.join("\n"));
        }
        if !targets.is_empty() && !said_nothing_deleted {
            err.message.push_str("\nnothing was deleted");
        }
        return Err(err);
    }
    Ok(DelPlan {
        targets,
        target_slots,
        outcomes,
        warning,
    })
}

/// Carry out checked plans together: with several targets in all, one group
/// delete (one RCU wait) instead of one per device. One outcome list per plan.
pub fn finish_del(ctx: &Context, plans: Vec<DelPlan>) -> Result<Vec<Vec<Outcome>>> {
    let nl = ctx.netlink()?;
    let all: Vec<Link> = plans
        .iter()
        .flat_map(|p| p.targets.iter().cloned())
        .collect();
    let bulk = all.len() >= super::bulk::GROUP_DELETE_THRESHOLD;
    if bulk {
        super::delete_many(ctx, &all)?;
    }
    let mut deleted: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(plans.len());
    for plan in plans {
        let DelPlan {
            targets,
            target_slots,
            mut outcomes,
            warning,
        } = plan;
        if let Some(w) = warning {
            notes.push(w);
        }
        for (link, slot) in targets.into_iter().zip(target_slots) {
            let result = if bulk {
                Ok(())
            } else {
                nl.apply_one(Change::DelLink(link.index))
            };
            let failure = match result {
                // (mapped by the one delete mapping that bulk deletes use too)
                // ENODEV: deleted by someone else meanwhile; gone is what was asked.
                Ok(()) | Err(Errno::ENODEV) => None,
                Err(errno) => Some(kernel::error(&Step::Delete, &link.name, errno, &[])),
            };
            if let Some(mut err) = failure {
                // Say what is already gone, so a retry can be planned.
                if !deleted.is_empty() {
                    err = err.note(format!(" (already deleted: {})", deleted.join(", ")));
                }
                return Err(err);
            }
            deleted.push(link.name.clone());
            outcomes[slot] = Some(Outcome {
                summary: link
                    .tun
                    .as_ref()
                    .and_then(|t| t.mode)
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
                name: link.name,
                action: Action::Deleted,
            });
        }
        out.push(outcomes.into_iter().flatten().collect());
    }
    for w in notes {
        ctx.warn(w);
    }
    Ok(out)
}
