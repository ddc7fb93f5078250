//! `del`: look every name up over netlink first (never a ghost device), refuse
//! what is not a tun/tap or is held by a process, then RTM_DELLINK by index.
//! All names are checked before anything is deleted.

use nix::errno::Errno;

use super::{Action, Context, DelRequest, Outcome, not_tun, permission_error};
use crate::error::{Error, Result, errno_text};
use crate::netlink::Link;

pub fn del(ctx: &Context, req: &DelRequest) -> Result<Vec<Outcome>> {
    let nl = ctx.netlink()?;
    let mut targets: Vec<Link> = Vec::new();
    let mut errors: Vec<Error> = Vec::new();
    let mut outcomes = Vec::new();
    for name in &req.names {
        if targets.iter().any(|t| t.name == name.as_str()) {
            continue;
        }
        match nl.link_by_name(name.as_str())? {
            None if req.missing_ok => outcomes.push(Outcome {
                name: name.to_string(),
                action: Action::Unchanged,
                summary: "not present".into(),
            }),
            None => errors.push(Error::not_found(format!(
                "{name}: no such interface in this network namespace; nothing was deleted (use --missing-ok to ignore missing names)"
            ))),
            Some(link) if !link.is_tun() => errors.push(not_tun(&link)),
            Some(link) => targets.push(link),
        }
    }
    if !targets.is_empty() && !req.force {
        let holders = crate::procscan::scan();
        if let Some(w) = holders.warning() {
            ctx.warn(w);
        }
        for link in &targets {
            let who = holders.of(&link.name);
            if !who.is_empty() {
                let list: Vec<String> = who.iter().map(ToString::to_string).collect();
                errors.push(Error::busy(format!(
                    "{}: is in use by {}; stop {} first, or use --force to delete it anyway (the process then gets EBADFD)",
                    link.name,
                    list.join(", "),
                    if who.len() == 1 { "it" } else { "them" }
                )));
            }
        }
    }
    if let Some(first) = errors.first() {
        let mut err = first.clone();
        if errors.len() > 1 {
            let rest: Vec<String> = errors[1..].iter().map(|e| e.message.clone()).collect();
            err.message = format!("{}\n{}", err.message, rest.join("\n"));
        }
        if !targets.is_empty() {
            err.message.push_str("\nnothing was deleted");
        }
        return Err(err);
    }
    for link in targets {
        match nl.delete_link(link.index) {
            // ENODEV: deleted by someone else meanwhile; gone is what was asked.
            Ok(()) | Err(Errno::ENODEV) => {}
            Err(Errno::EPERM) => return Err(permission_error(&link.name, "deleting")),
            Err(other) => {
                return Err(Error::failed(format!(
                    "{}: deleting failed: {}",
                    link.name,
                    errno_text(other as i32)
                )));
            }
        }
        outcomes.push(Outcome {
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
    Ok(outcomes)
}
