//! The one dispatch: every command an invocation can be, matched once.
//! The command line, batch lines (through `batch`, which is handed this
//! function) and the delegation service all come through here with a
//! validated `Command`; what each origin may run is the table beside the
//! requests (`Command::allowed_from`). Adding a command is one request type
//! and one arm here.

use crate::cli::GlobalArgs;
use crate::commands::{self, Context};
use crate::error::Result;
use crate::report::Report;
use crate::request::Command;

/// Run one validated command to its report. `global.json` says the report
/// will be rendered as JSON (add and set then fetch the interface object).
pub fn execute(ctx: &Context, global: &GlobalArgs, command: &Command) -> Result<Report> {
    // An altname is resolved once, to the device's own name (with a note);
    // what that looked up is handed to the command and gone after it.
    ctx.forget_looked_up();
    let report = commands::resolve_altnames(ctx, command)
        .and_then(|resolved| run(ctx, global, resolved.as_ref().unwrap_or(command)));
    ctx.forget_looked_up();
    report
}

/// The one match.
fn run(ctx: &Context, global: &GlobalArgs, command: &Command) -> Result<Report> {
    let json = global.json;
    Ok(match command {
        Command::Add(req) if req.dry_run => Report::Applied {
            outcomes: vec![commands::dry_run_add(ctx, req)?],
            dry_run: true,
        },
        Command::Del(req) if req.dry_run => Report::Applied {
            outcomes: commands::dry_run_del(ctx, req)?,
            dry_run: true,
        },
        Command::Set(req) if !req.more.is_empty() => Report::Changes(commands::set_many(ctx, req)?),
        Command::Add(req) => {
            let outcome = commands::add(ctx, req)?;
            commands::changed_report(ctx, outcome, json, req.brief)?
        }
        Command::Set(req) => {
            let outcome = commands::set(ctx, req)?;
            match &req.around.move_to {
                // Moved: it is shown as it is in its new namespace.
                Some(ns) if json => Report::Changed {
                    interface: Some(Box::new(commands::fetch_interface_in(&outcome.name, ns)?)),
                    outcome,
                    brief: false,
                },
                _ => commands::changed_report(ctx, outcome, json, false)?,
            }
        }
        Command::Del(req) => Report::Deleted(commands::del(ctx, req)?),
        Command::List(req) => Report::Interfaces {
            interfaces: commands::list(ctx, req)?,
            detail: false,
            filtered: req.filter.is_narrowing(),
        },
        Command::Show(req) => Report::Interfaces {
            interfaces: commands::show(ctx, req)?,
            detail: true,
            filtered: !req.names.is_empty(),
        },
        Command::Apply(req) => {
            let text = crate::input::read_input(&req.file, "apply file")?;
            Report::Applied {
                outcomes: commands::apply(ctx, req, &text)?,
                dry_run: req.dry_run,
            }
        }
        Command::Batch(req) => crate::batch::batch(ctx, global, req, execute)?,
        Command::Completions(shell) => Report::Script(crate::docs::completion(*shell)),
        Command::Doctor(req) => Report::Doctor(Box::new(crate::doctor::doctor(req)?)),
        Command::Monitor(req) => Report::Followed(crate::monitor::run(req, json, global.quiet)?),
        Command::Cni => Report::Plugin(crate::cni::run()),
        Command::Serve(req) => Report::Message(crate::delegate::run_serve(global, req)?),
        // qemu reads only the exit status and stderr.
        Command::BridgeHelper(req) => {
            crate::delegate::run_bridge_helper(global, req)?;
            Report::Message(String::new())
        }
        Command::CompleteNames => Report::Names(crate::complete::interface_names()),
        Command::CompleteMasters => Report::Names(crate::complete::master_names()),
        Command::CompleteNetns => Report::Names(crate::complete::netns_names()),
    })
}
