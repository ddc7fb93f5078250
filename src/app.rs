//! The edge: argv → validated request → command → report → render → exit
//! status. `main` only calls `run`. Batch and completions live here because
//! they need the command line itself.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};

use crate::cli::{Cli, CliCommand, GlobalArgs};
use crate::commands::Context;
use crate::error::{Error, ExitStatus, Result};
use crate::render;
use crate::request::Command;

pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let mut args: Vec<OsString> = args.into_iter().collect();
    // A container runtime's call (CNI_COMMAND, no arguments) or `tuntapctl cni`.
    if crate::cni::invoked(&args) {
        return run_command(GlobalArgs::default(), Command::Cni)
            .unwrap_or_else(|e| fail(&e, false));
    }
    // Started as tunctl (a symlink): tunctl's command line, not ours.
    if crate::cli::tunctl::invoked_as_tunctl(args.first()) {
        let prog = args.remove(0).to_string_lossy().into_owned();
        return run_tunctl(&prog, &args, &GlobalArgs::default());
    }
    // Started as qemu-bridge-helper (a symlink): bridge-helper's command line.
    if crate::delegate::invoked_as_bridge_helper(args.first()) {
        args.insert(1, OsString::from("bridge-helper"));
    }
    if let Some((global, raw)) = tunctl_subcommand(&args) {
        return run_tunctl("tuntapctl tunctl", &raw, &global);
    }
    // A plain `add`/`del` (what init scripts run) skips building clap's
    // whole command tree; anything else, errors included, goes to clap.
    let fast = args
        .iter()
        .skip(1)
        .map(|a| a.to_str().map(str::to_string))
        .collect::<Option<Vec<String>>>()
        .and_then(|words| crate::cli::fast::parse(&words));
    let wants_json = args.iter().any(|a| a == "--json" || a == "-j");
    let raw = args.clone();
    let parsed = match fast {
        Some((global, command)) => Ok(Cli { global, command }),
        None => crate::cli::command()
            .try_get_matches_from(args)
            .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m)),
    };
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            if wants_json && e.use_stderr() {
                // A usage error found by clap: the same error object as ours.
                let text = e.to_string();
                let first = text
                    .lines()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("invalid command line")
                    .trim_start_matches("error: ");
                let _ = writeln!(
                    std::io::stdout().lock(),
                    "{}",
                    render::json_text(&Error::usage(first).to_json(), 0)
                );
            }
            return e.exit_code();
        }
    };
    if let CliCommand::Tunctl(t) = &cli.command {
        return run_tunctl("tuntapctl tunctl", &t.args, &cli.global);
    }
    let json = cli.global.json;
    // Without CAP_NET_ADMIN, add/set/del go through the service (SPEC §12).
    if let Some(result) = crate::delegate::forward_if_delegated(&cli, &raw) {
        return result.unwrap_or_else(|e| fail(&e, json));
    }
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
    eprintln!("tuntapctl: {}", screen_text(&e.message));
    e.status.code()
}

fn run_cli(cli: Cli) -> Result<i32> {
    refuse_setuid()?;
    let command = cli.command.into_command()?;
    run_command(cli.global, command)
}

/// Run one validated command: enter its namespace, dispatch, render, and
/// say how it ended.
fn run_command(global: GlobalArgs, command: Command) -> Result<i32> {
    refuse_setuid()?;
    if let Some(ns) = &global.netns {
        crate::netns::enter(ns)?;
    }
    let ctx = Context::new();
    let result = crate::dispatch::execute(&ctx, &global, &command);
    if !global.quiet {
        for w in ctx.take_warnings() {
            eprintln!("tuntapctl: {}", screen_text(&w));
        }
    }
    let report = result?;
    let rendered = render::render(&report, global.json, terminal_width());
    if !global.quiet {
        for note in &rendered.stderr {
            eprintln!("tuntapctl: {}", screen_text(note));
        }
        print(&rendered.stdout);
    }
    // A batch reports every line; it fails when one of them did.
    for e in report.closing_errors() {
        eprintln!("tuntapctl: {}", screen_text(&e.message));
    }
    Ok(report.status().code())
}

/// `tuntapctl [GLOBAL OPTIONS] tunctl ARGS`: ARGS go to tunctl as they are,
/// even words that clap would take for our global options (tunctl's -q is
/// an invalid option, not --quiet). The first "tunctl" word that clap reads
/// as the subcommand splits the line. `tuntapctl tunctl --help` alone is
/// left to clap, which prints the help.
fn tunctl_subcommand(args: &[OsString]) -> Option<(GlobalArgs, Vec<OsString>)> {
    if args.len() == 3 && args[1] == "tunctl" && (args[2] == "--help" || args[2] == "-h") {
        return None;
    }
    args.iter()
        .enumerate()
        .skip(1)
        .filter(|(_, word)| *word == "tunctl")
        .find_map(
            |(k, _)| match <Cli as clap::Parser>::try_parse_from(&args[..=k]) {
                Ok(Cli {
                    global,
                    command: CliCommand::Tunctl(_),
                }) => Some((global, args[k + 1..].to_vec())),
                _ => None,
            },
        )
}

/// tunctl mode (SPEC §9): every failure exits 1, as tunctl's do.
fn run_tunctl(prog: &str, args: &[OsString], global: &GlobalArgs) -> i32 {
    let ready = refuse_setuid().and_then(|()| match &global.netns {
        Some(ns) => crate::netns::enter(ns),
        None => Ok(()),
    });
    if let Err(e) = ready {
        eprintln!("{prog}: {}", screen_text(&e.message));
        return ExitStatus::Failed.code();
    }
    crate::cli::tunctl::run(prog, args, global)
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

/// A message for stderr: every line escaped (the last line of defence for
/// outside strings an error quotes), the line breaks between them kept.
fn screen_text(message: &str) -> String {
    message
        .split('\n')
        .map(|line| crate::text::printable(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// sudo is the supported way to elevate. A binary that gained privilege at
/// exec (setuid, setgid, or file capabilities such as cap_net_admin+ep)
/// would let any user drive it with an environment we do not control; the
/// kernel marks all three with AT_SECURE.
fn refuse_setuid() -> Result<()> {
    if crate::input::exec_gained_privilege() {
        return Err(Error::permission(
            "refusing to run with privileges gained at exec (setuid or setgid bit, or file capabilities such as cap_net_admin+ep; AT_SECURE is set): remove them (chmod u-s,g-s; setcap -r) and run sudo tuntapctl instead",
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
