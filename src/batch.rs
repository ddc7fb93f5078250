//! `batch`: many commands, one per line, in one process sharing one netlink
//! connection and one id cache. Each line goes through the same parser and
//! command functions as the command line.

use crate::cli::{Cli, GlobalArgs};
use crate::commands::Context;
use crate::error::{Error, Result};
use crate::report::{LineReport, Report};
use crate::request::{BatchRequest, Command, Origin};
use crate::text::{EXCERPT_CHARS, excerpt, printable};
use crate::validate::IdSpec;

/// Most command lines one batch may hold (parsed and kept before the first
/// runs).
const MAX_BATCH_COMMANDS: usize = 100_000;
/// Most words (command names, options, values) in one batch: parsing costs
/// per word, and a 64 MiB file of `del a a a ...` would take minutes.
const MAX_BATCH_WORDS: usize = 1_000_000;

/// Split one line into words, shell-like: 'single' and "double" quotes,
/// backslash escapes, and `#` starting a comment at the start of a word.
pub fn split_words(line: &str) -> std::result::Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '#' if !in_word => break,
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("unterminated single quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err("unterminated double quote".into()),
                        },
                        Some(c) => word.push(c),
                        None => return Err("unterminated double quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => word.push(c),
                    None => return Err("a backslash at the end of the line".into()),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// Parse one batch line into a command and its per-line global options.
#[cfg(test)]
fn parse_line(words: &[String]) -> Result<(GlobalArgs, Command)> {
    parse_line_with(&mut crate::cli::command(), words)
}

/// Parse with a clap command built once for the whole file: building it is
/// most of the cost of parsing a line.
fn parse_line_with(cmd: &mut clap::Command, words: &[String]) -> Result<(GlobalArgs, Command)> {
    // The lines boot scripts repeat by the thousand skip clap's matching;
    // the same translation (`into_command`) follows either way.
    if let Some((global, command)) = crate::cli::fast::parse(words) {
        return Ok((global, command.into_command()?));
    }
    let argv = std::iter::once("tuntapctl".to_string()).chain(words.iter().cloned());
    let parsed = cmd
        .try_get_matches_from_mut(argv)
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = parsed.map_err(|e| {
        use clap::error::ErrorKind;
        if matches!(
            e.kind(),
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        ) {
            return Error::usage(
                "--help, --version and a bare line print help, not a command; remove the line (see tuntapctl batch --help)",
            );
        }
        let text = e.to_string();
        let first = text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("invalid command")
            .trim_start_matches("error: ");
        // clap quotes the offending word whole: keep it short.
        let first = crate::text::short(first, 120);
        let tip = text
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with("tip: "))
            .map(|t| format!("; {t}"))
            .unwrap_or_default();
        Error::usage(format!(
            "{first}{tip}; each line is a tuntapctl command without the program name (see tuntapctl help)"
        ))
    })?;
    if cli.global.netns.is_some() {
        return Err(Error::usage(
            "--netns is not allowed on a batch line: give it once, as tuntapctl --netns NS batch FILE",
        ));
    }
    let command = cli.command.into_command()?;
    if !command.allowed_from(Origin::BatchLine) {
        return Err(Error::usage(format!(
            "{} is not allowed on a batch line: batch lines may hold add, del, set, list and show; run it as its own command",
            command.name()
        )));
    }
    Ok((cli.global, command))
}

/// Resolve user and group names while parsing, so that an unknown name on
/// line 90 stops the batch before line 1 runs (ids are cached for later).
fn resolve_ids(ctx: &Context, command: &mut Command) -> Result<()> {
    let (owner, group) = match command {
        Command::Add(r) => (&mut r.owner, &mut r.group),
        Command::Set(r) => (&mut r.owner, &mut r.group),
        Command::List(r) => (&mut r.filter.owner, &mut r.filter.group),
        _ => return Ok(()),
    };
    if let Some(spec @ IdSpec::Name(_)) = owner {
        *spec = IdSpec::Id(ctx.ids.resolve_user(spec)?);
    }
    if let Some(spec @ IdSpec::Name(_)) = group {
        *spec = IdSpec::Id(ctx.ids.resolve_group(spec)?);
    }
    Ok(())
}

/// One parsed line: its number, text, own global options and command.
struct Line {
    number: usize,
    text: String,
    global: GlobalArgs,
    command: Command,
}

/// Run a batch file. Every line is parsed (and its user and group names
/// resolved) before the first one runs. Lines run in order; a failing line
/// stops the rest unless `--force`. The report holds every line that ran.
/// How a batch runs one line: the one dispatch (`dispatch::execute`),
/// handed in so that batch need not know it.
type RunLine = fn(&Context, &GlobalArgs, &Command) -> Result<Report>;

pub fn batch(
    ctx: &Context,
    global: &GlobalArgs,
    req: &BatchRequest,
    run_line: RunLine,
) -> Result<Report> {
    let shown_file = crate::text::printable(&req.file);
    let file: &str = if req.file == "-" {
        "stdin"
    } else {
        &shown_file
    };
    // Parse every line first: a typo on line 90 should not leave 89 lines
    // done. The file is read a line at a time (each at most
    // MAX_LINE_BYTES), and at most MAX_BATCH_COMMANDS lines are kept.
    let mut lines: Vec<Line> = Vec::new();
    let mut cmd = crate::cli::command();
    let mut words_total = 0usize;
    crate::input::for_each_line(&req.file, "batch file", |number, raw| {
        let where_ = || format!("{file}: line {number} ({})", excerpt(raw, EXCERPT_CHARS));
        let words = split_words(raw).map_err(|why| {
            Error::usage(format!(
                "{}: {why}; close the quote or escape it with a backslash",
                where_()
            ))
        })?;
        if words.is_empty() {
            return Ok(());
        }
        words_total += words.len();
        if words_total > MAX_BATCH_WORDS {
            return Err(Error::usage(format!(
                "{file}: line {number}: more than {MAX_BATCH_WORDS} words in one batch; split it into several files"
            )));
        }
        if lines.len() == MAX_BATCH_COMMANDS {
            return Err(Error::usage(format!(
                "{file}: line {number}: more than {MAX_BATCH_COMMANDS} commands in one batch; split it into several files"
            )));
        }
        let (line_global, mut command) =
            parse_line_with(&mut cmd, &words).map_err(|e| e.context(where_()))?;
        resolve_ids(ctx, &mut command).map_err(|e| e.context(where_()))?;
        lines.push(Line {
            number,
            text: raw.trim().to_string(),
            global: effective(global, &line_global),
            command,
        });
        Ok(())
    })?;
    if req.dry_run {
        return Ok(batch_report(would_run(&lines), req));
    }
    let mut reports: Vec<LineReport> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        // Consecutive `del` lines are checked one by one but deleted
        // together: one group delete instead of one RCU wait per device.
        let run_end = (i..lines.len())
            .find(|&j| !matches!(lines[j].command, Command::Del(_)))
            .unwrap_or(lines.len());
        let add_end = add_run_end(&lines, i);
        let results: Vec<(usize, Result<Report>)> = if run_end > i {
            let results = delete_run(ctx, &lines[i..run_end], i, req.force);
            i += results.len().max(1);
            results
        } else if add_end > i + 1 {
            let results = add_run(ctx, &lines[i..add_end], i, req.force);
            // Without --force a failing line is among the results and ends
            // the batch below.
            i = add_end;
            results
        } else {
            let line = &lines[i];
            i += 1;
            vec![(i - 1, run_line(ctx, &line.global, &line.command))]
        };
        for (index, result) in results {
            let line = &lines[index];
            let failed = result.is_err();
            reports.push(LineReport {
                number: line.number,
                command: line.text.clone(),
                json: line.global.json,
                quiet: line.global.quiet,
                result: result.map_err(|e| {
                    e.context(format!(
                        "{file}: line {} ({})",
                        line.number,
                        excerpt(&line.text, EXCERPT_CHARS)
                    ))
                }),
            });
            if failed && !req.force {
                return Ok(batch_report(reports, req));
            }
        }
    }
    Ok(batch_report(reports, req))
}

/// `batch --dry-run`: every line parsed and checked, none run; each says
/// what would run.
fn would_run(lines: &[Line]) -> Vec<LineReport> {
    lines
        .iter()
        .map(|line| LineReport {
            number: line.number,
            command: line.text.clone(),
            json: line.global.json,
            quiet: line.global.quiet,
            result: Ok(Report::Message(format!(
                "would run line {}: {}",
                line.number,
                printable(&line.text)
            ))),
        })
        .collect()
}

fn batch_report(lines: Vec<LineReport>, req: &BatchRequest) -> Report {
    Report::Batch {
        lines,
        file: req.file.clone(),
        force: req.force,
    }
}

/// The end of a run of `add` lines starting at `start` that can be built
/// together: distinct names (a repeated one waits for the next run, so it
/// sees the first as made) and no more devices held at once than the fd
/// limit allows.
fn add_run_end(lines: &[Line], start: usize) -> usize {
    let most = start + add_chunk();
    let mut names = std::collections::HashSet::new();
    let mut end = start;
    while end < lines.len().min(most) {
        let Command::Add(req) = &lines[end].command else {
            break;
        };
        if !names.insert(req.name.as_str()) {
            break;
        }
        end += 1;
    }
    end
}

/// How many devices one run may hold open: well under RLIMIT_NOFILE.
fn add_chunk() -> usize {
    let soft = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE)
        .map(|(soft, _)| soft)
        .unwrap_or(1024);
    (soft.saturating_sub(64) as usize).clamp(16, 1024)
}

/// A run of `add` lines: created together, configured in one netlink
/// pipeline, each made persistent in order (see `commands::add_many`).
/// Without --force the first failure ends it: the lines after it are not
/// carried out and are left out of the result.
fn add_run(ctx: &Context, run: &[Line], base: usize, force: bool) -> Vec<(usize, Result<Report>)> {
    let reqs: Vec<&crate::request::AddRequest> = run
        .iter()
        .filter_map(|l| match &l.command {
            Command::Add(r) => Some(r),
            _ => None,
        })
        .collect();
    crate::commands::add_many(ctx, &reqs, force)
        .into_iter()
        .zip(run)
        .enumerate()
        .filter_map(|(k, (result, line))| {
            let req = reqs[k];
            let report = result?.and_then(|outcome| {
                crate::commands::changed_report(ctx, outcome, line.global.json, req.brief)
            });
            Some((base + k, report))
        })
        .collect()
}

fn effective(global: &GlobalArgs, line: &GlobalArgs) -> GlobalArgs {
    GlobalArgs {
        json: global.json || line.json,
        quiet: global.quiet || line.quiet,
        netns: None,
        socket: None,
    }
}

/// A run of consecutive `del` lines: each is checked in turn (seeing the
/// earlier lines' targets as already gone), then all their targets are
/// deleted together. Without --force a failing line ends the run: the lines
/// before it are carried out, the ones after are not, as if run one by one.
/// Returns (index into the batch's lines, result) for every line handled;
/// `base` is the index of the run's first line.
fn delete_run(
    ctx: &Context,
    run: &[Line],
    base: usize,
    force: bool,
) -> Vec<(usize, Result<Report>)> {
    let mut pending: std::collections::HashSet<u32> = std::collections::HashSet::new();
    let mut planned: Vec<(usize, crate::commands::DelPlan)> = Vec::new();
    let mut failed: Vec<(usize, Error)> = Vec::new();
    for (offset, line) in run.iter().enumerate() {
        let Command::Del(req) = &line.command else {
            continue;
        };
        match crate::commands::plan_del(ctx, req, &pending) {
            Ok(plan) => {
                pending.extend(plan.indices());
                planned.push((offset, plan));
            }
            Err(e) => {
                failed.push((offset, e));
                if !force {
                    break;
                }
            }
        }
    }
    let mut out: Vec<(usize, Result<Report>)> = Vec::new();
    let (offsets, plans): (Vec<usize>, Vec<_>) = planned.into_iter().unzip();
    match crate::commands::finish_del(ctx, plans) {
        Ok(all) => {
            for (offset, outcomes) in offsets.into_iter().zip(all) {
                out.push((base + offset, Ok(Report::Deleted(outcomes))));
            }
        }
        Err(e) => {
            // The whole run's delete failed: every planned line reports it.
            for offset in offsets {
                out.push((base + offset, Err(e.clone())));
            }
        }
    }
    out.extend(
        failed
            .into_iter()
            .map(|(offset, e)| (base + offset, Err(e))),
    );
    out.sort_by_key(|(index, _)| *index);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(
            split_words("add tap1 --user qemu").unwrap(),
            ["add", "tap1", "--user", "qemu"]
        );
        assert_eq!(split_words("  # comment").unwrap(), Vec::<String>::new());
        assert_eq!(
            split_words("add 'a b' \"c \\\"d\\\"\" e\\ f # x").unwrap(),
            ["add", "a b", "c \"d\"", "e f"]
        );
        assert_eq!(split_words("add a#b").unwrap(), ["add", "a#b"]);
        assert_eq!(split_words("''").unwrap(), [""]);
        assert!(split_words("add 'x").is_err());
        assert!(split_words("add \"x").is_err());
        assert!(split_words("add x\\").is_err());
    }

    #[test]
    fn lines_refused() {
        let w = |s: &str| split_words(s).unwrap();
        assert!(parse_line(&w("batch x")).is_err());
        assert!(parse_line(&w("--netns x list")).is_err());
        assert_eq!(
            parse_line(&w("add tap%d%d")).unwrap_err().status,
            crate::error::ExitStatus::Usage
        );
        assert!(parse_line(&w("add tap1 --user qemu --up")).is_ok());
    }
}
