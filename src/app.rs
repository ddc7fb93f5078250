//! From argv to exit status: parse, enter the namespace, run one command,
//! render its result. `main` only calls `run`.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};

use clap::Parser;

use crate::cli::{Cli, GlobalArgs, Shell};
use crate::commands::{self, Command, Context};
use crate::error::{Error, ExitStatus, Result};
use crate::render;

/// Output collected by a command: lines for stdout, printed only on success.
pub struct Output {
    pub stdout: Vec<String>,
}

pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    match run_cli(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tuntapctl: {}", screen_text(&e.message));
            e.status.code()
        }
    }
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
            eprintln!("tuntapctl: {}", screen_text(&w));
        }
    }
    let output = result?;
    if !global.quiet {
        let mut stdout = std::io::stdout().lock();
        for line in output.stdout {
            // A closed pipe (| head) is not an error worth a panic.
            if writeln!(stdout, "{line}").is_err() {
                break;
            }
        }
    }
    Ok(ExitStatus::Success.code())
}

/// A message for stderr: every line escaped (the last line of defence for
/// outside strings an error quotes), the line breaks between them kept.
pub fn screen_text(message: &str) -> String {
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

/// Run one validated command and render its result.
pub fn execute(ctx: &Context, global: &GlobalArgs, command: &Command) -> Result<Output> {
    let mut stdout = Vec::new();
    match command {
        Command::Add(req) => {
            let outcome = commands::add(ctx, req)?;
            if global.json {
                let i = commands::fetch_interface(ctx, &outcome.name)?;
                stdout.push(render::json_text(
                    &render::changed_json(&i, outcome.action.changed()),
                    0,
                ));
            } else if req.brief {
                stdout.push(outcome.name.clone());
            } else {
                stdout.push(render::outcome_line(&outcome));
            }
        }
        Command::Del(req) => {
            return Ok(del_output(global, &commands::del(ctx, req)?));
        }
        Command::Set(req) => {
            let outcome = commands::set(ctx, req)?;
            if global.json {
                let i = commands::fetch_interface(ctx, &outcome.name)?;
                stdout.push(render::json_text(
                    &render::changed_json(&i, outcome.action.changed()),
                    0,
                ));
            } else {
                stdout.push(render::outcome_line(&outcome));
            }
        }
        Command::List(req) => {
            let interfaces = commands::list(ctx, req)?;
            if global.json {
                // Straight from the structs: building a Value tree first
                // doubled the time of a 5000-interface list.
                stdout.push(render::json_text(&interfaces, interfaces.len() * 1024));
            } else if interfaces.is_empty() {
                ctx.warn("no tun/tap interfaces match");
            } else {
                stdout.push(render::table(&interfaces, terminal_width()));
            }
        }
        Command::Show(req) => {
            let interfaces = commands::show(ctx, req)?;
            if global.json {
                // Straight from the structs: building a Value tree first
                // doubled the time of a 5000-interface list.
                stdout.push(render::json_text(&interfaces, interfaces.len() * 1024));
            } else {
                stdout.push(
                    interfaces
                        .iter()
                        .map(render::detail)
                        .collect::<Vec<_>>()
                        .join("\n\n"),
                );
            }
        }
        Command::Apply(req) => {
            let text = crate::input::read_input(&req.file, "apply file")?;
            let outcomes = commands::apply(ctx, req, &text)?;
            if global.json {
                let items: Vec<serde_json::Value> = outcomes
                    .iter()
                    .map(|o| serde_json::json!({"name": o.name, "action": o.action.word()}))
                    .collect();
                stdout.push(render::json_text(&serde_json::Value::Array(items), 0));
            } else {
                let prefix = if req.dry_run { "would be " } else { "" };
                for o in outcomes.iter().filter(|o| o.action.changed()) {
                    stdout.push(format!("{prefix}{}", render::outcome_line(o)));
                }
                let changed = outcomes.iter().filter(|o| o.action.changed()).count();
                if changed == 0 {
                    let n = outcomes.len();
                    stdout.push(format!(
                        "nothing to change ({n} interface{} as declared)",
                        if n == 1 { "" } else { "s" }
                    ));
                }
            }
        }
        Command::Batch(req) => {
            return crate::batch::batch(ctx, global, req);
        }
        Command::Completions(shell) => {
            stdout.push(completion_script(*shell));
        }
        Command::CompleteNames => {
            // Completion must stay quiet: no warnings, no errors on stderr.
            if let Ok(links) = ctx.netlink().and_then(|nl| nl.links()) {
                // A name the shell would have to escape is left out: its
                // escaped form is not the name, and raw it could draw on
                // the terminal.
                stdout.extend(
                    links
                        .into_iter()
                        .filter(|l| l.is_tun() && crate::text::printable(&l.name) == l.name)
                        .map(|l| l.name),
                );
            }
        }
    }
    Ok(Output { stdout })
}

/// What `del` prints for its outcomes.
pub fn del_output(global: &GlobalArgs, outcomes: &[commands::Outcome]) -> Output {
    let stdout = if global.json {
        vec![render::json_text(&render::outcomes_json(outcomes), 0)]
    } else {
        outcomes.iter().map(render::outcome_line).collect()
    };
    Output { stdout }
}

pub fn completion_script(shell: Shell) -> String {
    // Printed with a trailing newline: exactly completions/<file>.
    crate::docs::completion(shell).trim_end().to_string()
}
