//! Carrying out a plan: creations through `add`, owner/group changes one
//! attach each, every update's netlink changes in one pipeline, and the
//! prune in one group delete.

use super::Declared;
use super::plan::{Plan, Step, outcome};
use crate::commands::converge::{execute_plans, plan_link_settings, set_owner_group};
use crate::commands::{Action, AddRequest, Context, Outcome, add_many, delete_many};
use crate::error::{Error, Result};
use crate::netlink::{Address, Link};
use crate::request::AroundRequest;
use crate::validate::around::MasterSpec;
use crate::validate::{IdSpec, MacSpec};

pub fn execute(ctx: &Context, plan: Plan, addrs: &[Address]) -> Result<Vec<Outcome>> {
    let mut outcomes = Vec::with_capacity(plan.steps.len());
    let mut pruned: Vec<Link> = Vec::new();
    let mut link_plans = Vec::new();
    let mut updates: Vec<(usize, Vec<String>)> = Vec::new();
    let mut creates: Vec<(usize, String, AddRequest)> = Vec::new();
    for step in plan.steps {
        let done = match step {
            Step::Keep(d) => outcome(d.name.as_str(), Action::Unchanged, d.mode.to_string()),
            Step::Create(d) => {
                creates.push((outcomes.len(), d.name.to_string(), create_request(&d)));
                outcome(d.name.as_str(), Action::Created, d.mode.to_string())
            }
            Step::Update {
                declared,
                link,
                desired,
                ..
            } => {
                // Owner and group now (an attach each); the netlink part of
                // every update goes out below in one pipeline.
                let done = set_owner_group(ctx, &link, &desired)
                    .map_err(doing("updating", declared.name.as_str()))?;
                updates.push((outcomes.len(), done));
                link_plans.push(plan_link_settings(&link, addrs, &desired));
                outcome(declared.name.as_str(), Action::Unchanged, String::new())
            }
            Step::Delete(link) => {
                let o = outcome(&link.name, Action::Deleted, String::new());
                pruned.push(link);
                o
            }
        };
        outcomes.push(done);
    }
    // Every creation at once: all made and held, configured in one
    // pipeline, persisted in order (the first failure ends it, and what it
    // had not persisted is gone).
    let reqs: Vec<&AddRequest> = creates.iter().map(|(_, _, r)| r).collect();
    for ((slot, name, _), result) in creates.iter().zip(add_many(ctx, &reqs, false)) {
        match result {
            Some(Ok(made)) => outcomes[*slot] = made,
            Some(Err(e)) => return Err(doing("creating", name)(e)),
            None => {}
        }
    }
    // Every update's link settings and addresses in one pipeline.
    let results = execute_plans(ctx, link_plans)?;
    let mut first_error = None;
    for ((slot, mut done), result) in updates.into_iter().zip(results) {
        match result {
            Ok(more) => done.extend(more),
            Err(e) => {
                let name = outcomes[slot].name.clone();
                first_error.get_or_insert(doing("updating", &name)(e));
            }
        }
        if !done.is_empty() {
            outcomes[slot].action = Action::Updated(done);
        }
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    // Prune in one pass: a group delete when there are several.
    if !pruned.is_empty() {
        delete_many(ctx, &pruned).map_err(|e| e.context("--prune"))?;
    }
    Ok(outcomes)
}

/// "creating tap1: ..." without repeating the name: an error about the
/// interface already names it first, so it only gains the verb.
fn doing<'a>(what: &'static str, name: &'a str) -> impl Fn(Error) -> Error + 'a {
    move |e: Error| {
        if e.interface.as_deref() == Some(name) {
            e.while_doing(what)
        } else {
            e.context(format!("{what} {name}")).on(name)
        }
    }
}

/// The `add` that creates a declared interface: what the file leaves out is
/// the default of a new device.
fn create_request(d: &Declared) -> AddRequest {
    AddRequest {
        name: d.name.clone(),
        mode: d.mode,
        owner: d.owner.map(IdSpec::Id),
        group: d.group.map(IdSpec::Id),
        pi: d.pi.unwrap_or(false),
        vnet_hdr: d.vnet_hdr.unwrap_or(false),
        multi_queue: d.multi_queue.unwrap_or(false),
        mac: d.mac.map(MacSpec::Fixed),
        mtu: d.mtu,
        txqueuelen: d.txqueuelen,
        addresses: d.addresses.clone().unwrap_or_default(),
        up: d.up == Some(true),
        exist_ok: false,
        brief: false,
        dry_run: false,
        around: AroundRequest {
            // "" (free) means nothing for a new device.
            master: d
                .master
                .clone()
                .filter(|m| !m.is_empty())
                .map(MasterSpec::Set),
            alias: d.alias.clone().filter(|a| !a.is_empty()),
            addrgenmode: d.addrgenmode,
            ..Default::default()
        },
    }
}
