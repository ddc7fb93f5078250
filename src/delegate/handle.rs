//! One request of one caller, in the service: parsed with the same command
//! line as root's (so the same validation), checked against the policy,
//! then run by the same commands, and rendered as root would see it.

use crate::cli::Cli;
use crate::commands::{self, Context};
use crate::error::{Error, Result};
use crate::report::Report;
use crate::request::{AddRequest, Command, Origin};
use crate::text::printable;

use super::check;
use super::policy::{Caller, Rule};
pub use super::shared::{Facts, Handled, Shared};
use super::wire::{Request, Response, VERSION};

pub fn handle(shared: &Shared, caller: &Caller, req: Request) -> Handled {
    let mut facts = Facts {
        command: req.command.clone(),
        ..Facts::default()
    };
    if req.command == "bridge-tap" {
        let bridge = req.bridge.clone().unwrap_or_default();
        facts.names.push(bridge.clone());
        let made = check::groups_known(&shared.policy, caller, &bridge)
            .and_then(|()| super::bridge::make(shared, caller, &bridge, req.vnet_hdr, &mut facts));
        return match made {
            Ok((name, fd)) => {
                facts.names.push(name.clone());
                Handled {
                    response: Response {
                        version: VERSION,
                        name: Some(name),
                        ..Response::default()
                    },
                    fd: Some(fd),
                    facts,
                }
            }
            Err(e) => Handled {
                response: Response::failure(&e, false),
                fd: None,
                facts,
            },
        };
    }
    let json = req.args.iter().any(|a| a == "--json" || a == "-j");
    let response = match cli_command(shared, caller, &req, &mut facts) {
        Ok(r) => r,
        Err(e) => Response::failure(&e, json),
    };
    Handled {
        response,
        fd: None,
        facts,
    }
}

fn parse(req: &Request) -> Result<Cli> {
    // What may run here is decided by the one table (`allowed_from`)
    // once the words are a command; nothing runs before that.
    let argv = ["tuntapctl", req.command.as_str()]
        .into_iter()
        .chain(req.args.iter().map(String::as_str));
    let matches = crate::cli::command()
        .try_get_matches_from(argv)
        .map_err(|e| {
            let text = e.to_string();
            let first = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("invalid command line")
                .trim_start_matches("error: ")
                .to_string();
            Error::usage(first)
        })?;
    <Cli as clap::FromArgMatches>::from_arg_matches(&matches)
        .map_err(|e| Error::usage(e.to_string()))
}

fn cli_command(
    shared: &Shared,
    caller: &Caller,
    req: &Request,
    facts: &mut Facts,
) -> Result<Response> {
    let cli = parse(req)?;
    let policy = &shared.policy;
    let (json, quiet) = (cli.global.json, cli.global.quiet);
    let command = cli.command.into_command()?;
    if !command.allowed_from(Origin::Service) {
        return Err(Error::usage(format!(
            "request refused: {} does not go through the service (only add, set and del)",
            command.name()
        )));
    }
    // An altname is judged and acted on as the device it names.
    let ctx = Context::new();
    let command = commands::resolve_altnames(&ctx, &command)?.unwrap_or(command);
    facts.names = match &command {
        Command::Add(a) => vec![a.name.as_str().to_string()],
        Command::Set(s) => vec![s.name.as_str().to_string()],
        Command::Del(d) => d.names.iter().map(|n| n.as_str().to_string()).collect(),
        _ => Vec::new(),
    };
    let name = facts.names.first().cloned().unwrap_or_default();
    // Refused before any rule is judged (the log names none): a deny rule
    // for a group could be passed over.
    check::groups_known(policy, caller, &name)?;
    if let Some(first) = facts.names.first() {
        facts.rule = match policy.decide(caller, first) {
            super::policy::Verdict::Allow(r)
            | super::policy::Verdict::Deny(r)
            | super::policy::Verdict::Undecided(r) => Some(r.describe()),
            super::policy::Verdict::NoRule => None,
        };
    }
    if cli.global.netns.is_some() {
        return Err(check::refuse(
            policy,
            &name,
            "--netns is never done for a delegated caller",
            "run it without --netns, or ask root",
        ));
    }
    let report = match command {
        Command::Add(mut a) => {
            let rule = check::add(&ctx, policy, caller, &mut a)?;
            facts.rule = Some(rule.describe());
            let outcome = add_counted(shared, &ctx, caller, rule, &a)?;
            // The log names the device made (a %d template is the kernel's pick).
            facts.names = vec![outcome.name.clone()];
            commands::changed_report(&ctx, outcome, json, a.brief)?
        }
        Command::Set(s) => {
            let rule = check::set(&ctx, policy, caller, &s)?;
            facts.rule = Some(rule.describe());
            let outcome = commands::set(&ctx, &s)?;
            commands::changed_report(&ctx, outcome, json, false)?
        }
        Command::Del(d) => {
            check::del(&ctx, policy, caller, &d)?;
            Report::Deleted(commands::del(&ctx, &d)?)
        }
        other => {
            return Err(Error::usage(format!(
                "request refused: {} does not go through the service (only add, set and del)",
                other.name()
            )));
        }
    };
    let rendered = crate::render::render(&report, json, None);
    let mut stderr = ctx.take_warnings();
    stderr.extend(rendered.stderr);
    Ok(Response {
        version: VERSION,
        exit: 0,
        stdout: if quiet { Vec::new() } else { rendered.stdout },
        stderr: if quiet { Vec::new() } else { stderr },
        ..Response::default()
    })
}

/// Count the caller's taps under the rule and create the new one, under the
/// rule's lock.
fn add_counted(
    shared: &Shared,
    ctx: &Context,
    caller: &Caller,
    rule: &Rule,
    req: &AddRequest,
) -> Result<crate::report::Outcome> {
    let policy = &shared.policy;
    let name = req.name.as_str();
    let _guard = shared.lock(rule);
    let links = ctx.links()?;
    let existing = links.iter().find(|l| l.name == name);
    let theirs = existing
        .is_some_and(|l| l.is_tun() && l.tun.as_ref().and_then(|t| t.owner) == Some(caller.uid));
    if existing.is_some() && !theirs && req.exist_ok {
        return Err(check::refuse(
            policy,
            name,
            &format!("it exists and is not owned by {}", caller.describe()),
            "choose another name",
        ));
    }
    if existing.is_none() {
        let taps = links
            .iter()
            .filter(|l| l.is_tun())
            .map(|l| (l.name.as_str(), l.tun.as_ref().and_then(|t| t.owner)));
        let count = super::policy::count_owned(rule, caller, taps);
        if count >= rule.max {
            return Err(check::refuse(
                policy,
                name,
                &format!(
                    "{} already owns {count} taps under {} (its max is {})",
                    caller.describe(),
                    rule.describe(),
                    rule.max
                ),
                "delete one of yours first (tuntapctl del NAME), or the admin would raise max in that rule",
            ));
        }
    }
    let outcome = commands::add(ctx, req)?;
    // The kernel's pick for a %d template must fit the rule too.
    if req.name.is_template() && check::rule_for(policy, caller, &outcome.name).ok() != Some(rule) {
        let gone = crate::request::DelRequest {
            names: vec![crate::validate::IfName::parse(&outcome.name)?],
            patterns: Vec::new(),
            missing_ok: true,
            dry_run: false,
            force: true,
        };
        commands::del(ctx, &gone)?;
        return Err(check::refuse(
            policy,
            &outcome.name,
            &format!(
                "the kernel's pick for {} leaves {}",
                printable(name),
                rule.describe()
            ),
            "name the tap exactly, within your rule's names pattern",
        ));
    }
    Ok(outcome)
}
