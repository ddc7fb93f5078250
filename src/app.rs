//! The edge: argv → validated request → command → report → render → exit
//! status. `main` only calls `run`. Batch and completions live here because
//! they need the command line itself.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};

use clap::Parser;

use crate::cli::{Cli, GlobalArgs};
use crate::commands::{self, Context};
use crate::error::{Error, ExitStatus, Result};
use crate::render;
use crate::report::Report;
use crate::request::Command;

pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    let json = cli.global.json;
    match run_cli(cli) {
        Ok(code) => code,
        Err(e) => fail(&e, json),
    }
}

/// Print an error: the message on stderr, and with --json the error object
/// on stdout (SPEC §6).
fn fail(e: &Error, json: bool) -> i32 {
    if json {
        let _ = writeln!(
            std::io::stdout().lock(),
            "{}",
            render::json_text(&e.to_json(), 0)
        );
    }
    eprintln!("tuntapctl: {}", e.message);
    e.status.code()
}

fn run_cli(cli: Cli) -> Result<i32> {
    refuse_setuid()?;
    let global = cli.global;
    let command = cli.command.into_command()?;
    if let Some(ns) = &global.netns {
        crate::netns::enter(ns)?;
    }
    let ctx = Context::new();
    let result = execute(&ctx, &global, &command);
    if !global.quiet {
        for w in ctx.take_warnings() {
            eprintln!("tuntapctl: {w}");
        }
    }
    let report = result?;
    let rendered = render::render(&report, global.json, terminal_width());
    if !global.quiet {
        for note in &rendered.stderr {
            eprintln!("tuntapctl: {note}");
        }
        print(&rendered.stdout);
    }
    // A batch reports every line; it fails when one of them did.
    if let (Report::Batch(lines), Command::Batch(req)) = (&report, &command) {
        if req.force {
            for e in lines.iter().filter_map(|l| l.result.as_ref().err()) {
                eprintln!("tuntapctl: {}", e.message);
            }
        }
        if let Some(e) = crate::batch::outcome_error(lines, &req.file, req.force) {
            eprintln!("tuntapctl: {}", e.message);
            return Ok(e.status.code());
        }
    }
    Ok(ExitStatus::Success.code())
}

/// Run one validated command to its report.
pub fn execute(ctx: &Context, global: &GlobalArgs, command: &Command) -> Result<Report> {
    match command {
        Command::Batch(req) => crate::batch::batch(ctx, global, req),
        Command::Completions(shell) => Ok(Report::Script(crate::docs::completion(*shell))),
        Command::CompleteNames => {
            // Completion must stay quiet: no warnings, no errors on stderr.
            let names = crate::netlink::dump_links(true, false)
                .map(|links| {
                    links
                        .into_iter()
                        .filter(|l| l.is_tun())
                        .map(|l| l.name)
                        .collect()
                })
                .unwrap_or_default();
            Ok(Report::Names(names))
        }
        Command::CompleteMasters => Ok(Report::Names(crate::commands::master_names())),
        Command::CompleteNetns => Ok(Report::Names(crate::commands::netns_names())),
        other => commands::run(ctx, other, global.json),
    }
}

fn print(lines: &[String]) {
    let mut stdout = std::io::stdout().lock();
    for line in lines {
        // A closed pipe (| head) is not an error worth a panic.
        if writeln!(stdout, "{line}").is_err() {
            break;
        }
    }
}

/// sudo is the supported way to elevate; a setuid binary would let any user
/// drive it with an environment we do not control.
fn refuse_setuid() -> Result<()> {
    let (uid, euid) = (nix::unistd::getuid(), nix::unistd::geteuid());
    let (gid, egid) = (nix::unistd::getgid(), nix::unistd::getegid());
    if uid != euid || gid != egid {
        return Err(Error::permission(
            "refusing to run setuid or setgid (real and effective ids differ); remove the setuid bit and use sudo tuntapctl instead",
        ));
    }
    Ok(())
}

/// The terminal's width when stdout is one; None for pipes and files.
fn terminal_width() -> Option<u16> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    Some(comfy_table::Table::new().width().unwrap_or(100))
}
