//! One validated command to its report: the single dispatch that both the
//! command line and `batch` use. Batch and completions, which need the
//! command line itself, are handled by `app`.

use super::Context;
use crate::error::Result;
use crate::report::Report;
use crate::request::Command;

/// Run `command`. `json` says the report will be rendered as JSON, so `add`
/// and `set` fetch the interface object it needs.
pub fn run(ctx: &Context, command: &Command, json: bool) -> Result<Report> {
    Ok(match command {
        Command::Add(req) => {
            let outcome = super::add(ctx, req)?;
            changed_report(ctx, outcome, json, req.brief)?
        }
        Command::Set(req) => {
            let outcome = super::set(ctx, req)?;
            match &req.around.move_to {
                // Moved: it is shown as it is in its new namespace.
                Some(ns) if json => {
                    let interface = super::moves::fetch_interface_in(&outcome.name, ns)?;
                    Report::Changed {
                        outcome,
                        interface: Some(Box::new(interface)),
                        brief: false,
                    }
                }
                _ => changed_report(ctx, outcome, json, false)?,
            }
        }
        Command::Del(req) => Report::Deleted(super::del(ctx, req)?),
        Command::List(req) => Report::Interfaces {
            interfaces: super::list(ctx, req)?,
            detail: false,
            filtered: req.filter.is_narrowing(),
        },
        Command::Show(req) => Report::Interfaces {
            interfaces: super::show(ctx, req)?,
            detail: true,
            filtered: !req.names.is_empty(),
        },
        Command::Apply(req) => {
            let text = crate::input::read_input(&req.file, "apply file")?;
            Report::Applied {
                outcomes: super::apply(ctx, req, &text)?,
                dry_run: req.dry_run,
            }
        }
        // Handled at the edge (app), which owns the command line.
        Command::Batch(_)
        | Command::Completions(_)
        | Command::CompleteNames
        | Command::Doctor(_)
        | Command::Monitor(_)
        | Command::CompleteMasters
        | Command::CompleteNetns => {
            return Err(crate::error::Error::usage(
                "batch, completions, doctor and monitor cannot run inside a batch; run them as their own command",
            ));
        }
    })
}

pub fn changed_report(
    ctx: &Context,
    outcome: crate::report::Outcome,
    json: bool,
    brief: bool,
) -> Result<Report> {
    let interface = if json {
        Some(Box::new(super::fetch_interface(ctx, &outcome.name)?))
    } else {
        None
    };
    Ok(Report::Changed {
        outcome,
        interface,
        brief,
    })
}
