//! The synopsis of each command, made once from its clap definition: the
//! `Usage:` line of `--help` and of usage errors, and the SYNOPSIS of the
//! man pages. Every option is shown optional (in brackets) with its value
//! (`[-u|--user USER]`), mutually exclusive flags together
//! (`[--up|--down]`), positionals as they are required or not, and the
//! global options apart from the command's own.
//!
//! clap's own usage line lists only the arguments that were used or are
//! required, which made `add --gruop` print
//! `Usage: tuntapctl add --user <USER> --group <GROUP> <NAME>`.

use clap::{Arg, Command};

/// One element of a synopsis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// An option or several mutually exclusive ones, each as
    /// (spellings such as ["-u", "--user"], value name if it takes one).
    Options {
        alternatives: Vec<(Vec<String>, Option<String>)>,
        repeatable: bool,
    },
    Positional {
        name: String,
        required: bool,
        multiple: bool,
    },
    /// Literal words: the program, a subcommand, "[GLOBAL OPTIONS]".
    Word(String),
}

fn spellings(a: &Arg) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = a.get_short() {
        out.push(format!("-{s}"));
    }
    if let Some(l) = a.get_long() {
        out.push(format!("--{l}"));
    }
    out
}

fn value_of(a: &Arg) -> Option<String> {
    // The action, not num_args: this runs on commands clap has not built.
    if !a.get_action().takes_values() {
        return None;
    }
    let possible: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !possible.is_empty() {
        return Some(possible.join("|"));
    }
    Some(
        a.get_value_names()
            .and_then(|n| n.first())
            .map(|n| n.to_string())
            .unwrap_or_else(|| a.get_id().as_str().to_uppercase()),
    )
}

fn shown(a: &Arg) -> bool {
    !a.is_hide_set() && !matches!(a.get_id().as_str(), "help" | "version")
}

/// The synopsis items of a command: `prefix` words first (e.g.
/// "tuntapctl", "[GLOBAL OPTIONS]", "add"), then positionals, then options
/// in definition order. Global options are left out (`globals` false) or
/// shown (true, for the top-level command).
pub fn items(cmd: &Command, prefix: &[&str], globals: bool) -> Vec<Item> {
    let mut out: Vec<Item> = prefix.iter().map(|w| Item::Word(w.to_string())).collect();
    for p in cmd.get_positionals().filter(|a| shown(a) && !globals) {
        let multiple = matches!(p.get_action(), clap::ArgAction::Append)
            || p.get_num_args().is_some_and(|n| n.max_values() > 1);
        out.push(Item::Positional {
            name: p
                .get_value_names()
                .and_then(|n| n.first())
                .map(|n| n.to_string())
                .unwrap_or_else(|| p.get_id().as_str().to_uppercase()),
            required: p.is_required_set(),
            multiple,
        });
    }
    let order: Vec<&Arg> = cmd
        .get_arguments()
        .filter(|a| !a.is_positional() && shown(a) && a.is_global_set() == globals)
        .collect();
    let mut done: Vec<&str> = Vec::new();
    for a in &order {
        if done.contains(&a.get_id().as_str()) {
            continue;
        }
        // Flags that exclude each other, declared next to each other, are
        // shown as one choice: [--up|--down].
        let mut group = vec![*a];
        if value_of(a).is_none() {
            for b in &order {
                if b.get_id() != a.get_id()
                    && value_of(b).is_none()
                    && !done.contains(&b.get_id().as_str())
                    && conflicts(cmd, a, b)
                {
                    group.push(*b);
                }
            }
        }
        for g in &group {
            done.push(g.get_id().as_str());
        }
        let repeatable = matches!(a.get_action(), clap::ArgAction::Append);
        out.push(Item::Options {
            alternatives: group.iter().map(|g| (spellings(g), value_of(g))).collect(),
            repeatable,
        });
    }
    out
}

fn conflicts(cmd: &Command, a: &Arg, b: &Arg) -> bool {
    cmd.get_arg_conflicts_with(a)
        .iter()
        .any(|c| c.get_id() == b.get_id())
        || cmd
            .get_arg_conflicts_with(b)
            .iter()
            .any(|c| c.get_id() == a.get_id())
}

/// Plain text: `[-u|--user USER]`, `[--up|--down]`, `NAME...`, `[PATTERN]...`.
fn item_text(item: &Item) -> String {
    match item {
        Item::Word(w) => w.clone(),
        Item::Positional {
            name,
            required: true,
            multiple,
        } => format!("{name}{}", if *multiple { "..." } else { "" }),
        Item::Positional {
            name,
            required: false,
            multiple,
        } => format!("[{name}]{}", if *multiple { "..." } else { "" }),
        Item::Options {
            alternatives,
            repeatable,
        } => {
            let inner: Vec<String> = alternatives
                .iter()
                .map(|(spell, value)| match value {
                    Some(v) => format!("{} {v}", spell.join("|")),
                    None => spell.join("|"),
                })
                .collect();
            format!(
                "[{}]{}",
                inner.join(" | "),
                if *repeatable { "..." } else { "" }
            )
        }
    }
}

/// A subcommand's synopsis: `tuntapctl [GLOBAL OPTIONS] NAME ...`.
pub fn of_subcommand(sub: &Command) -> Vec<Item> {
    items(
        sub,
        &["tuntapctl", "[GLOBAL OPTIONS]", sub.get_name()],
        false,
    )
}

/// The program's synopsis: its global options, then COMMAND [ARGS].
pub fn of_program(cmd: &Command) -> Vec<Item> {
    let mut out = items(cmd, &["tuntapctl"], true);
    out.push(Item::Word("COMMAND".into()));
    out.push(Item::Word("[ARGS]".into()));
    out
}

/// Width of a usage line, leaving room for clap's "Usage: ".
pub const USAGE_WIDTH: usize = 72;

/// The synopsis as text wrapped to `width`, continuation lines indented
/// under the first option, never splitting an item.
pub fn text(items: &[Item], width: usize) -> String {
    let words: Vec<String> = items.iter().map(item_text).collect();
    let lead = 8;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for w in words {
        if !line.is_empty() && line.len() + 1 + w.len() > width {
            lines.push(std::mem::take(&mut line));
            line = " ".repeat(lead);
            line.push_str(&w);
            continue;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&w);
    }
    lines.push(line);
    lines.join("\n")
}

/// The synopsis in roff: option names bold, values and positionals italic;
/// each item unbreakable and unhyphenated, so a line never ends inside one.
pub fn roff(items: &[Item]) -> String {
    let esc = |s: &str| s.replace('\\', "\\e").replace('-', "\\-");
    let parts: Vec<String> = items
        .iter()
        .map(|item| match item {
            Item::Word(w) if w.starts_with('[') => {
                let inner = w.trim_start_matches('[').trim_end_matches(']');
                format!("[\\fI{}\\fR]", esc(inner).replace(' ', "\\ "))
            }
            Item::Word(w) if w.chars().all(|c| c.is_ascii_uppercase()) => {
                format!("\\fI{}\\fR", esc(w))
            }
            Item::Word(w) => format!("\\fB{}\\fR", esc(w)),
            Item::Positional {
                name,
                required,
                multiple,
            } => {
                let dots = if *multiple { "..." } else { "" };
                if *required {
                    format!("\\fI{}\\fR{dots}", esc(name))
                } else {
                    format!("[\\fI{}\\fR]{dots}", esc(name))
                }
            }
            Item::Options {
                alternatives,
                repeatable,
            } => {
                let inner: Vec<String> = alternatives
                    .iter()
                    .map(|(spell, value)| {
                        let names: Vec<String> = spell
                            .iter()
                            .map(|s| format!("\\fB{}\\fR", esc(s)))
                            .collect();
                        match value {
                            Some(v) => format!("{} \\fI{}\\fR", names.join("|"), esc(v)),
                            None => names.join("|"),
                        }
                    })
                    .collect();
                format!(
                    "[{}]{}",
                    inner.join(" | ").replace(' ', "\\ "),
                    if *repeatable { "..." } else { "" }
                )
            }
        })
        .map(|part| format!("\\%{part}"))
        .collect();
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{ArgAction, value_parser};

    fn sample() -> Command {
        Command::new("x")
            .arg(
                Arg::new("json")
                    .short('j')
                    .long("json")
                    .action(ArgAction::SetTrue)
                    .global(true),
            )
            .arg(Arg::new("name").value_name("NAME").required(true))
            .arg(Arg::new("user").short('u').long("user").value_name("USER"))
            .arg(Arg::new("mode").long("mode").value_parser(["tun", "tap"]))
            .arg(
                Arg::new("up")
                    .long("up")
                    .action(ArgAction::SetTrue)
                    .conflicts_with("down"),
            )
            .arg(Arg::new("down").long("down").action(ArgAction::SetTrue))
            .arg(
                Arg::new("address")
                    .short('a')
                    .long("address")
                    .value_name("ADDR")
                    .action(ArgAction::Append),
            )
            .arg(
                Arg::new("n")
                    .long("n")
                    .value_parser(value_parser!(u32))
                    .value_name("N"),
            )
    }

    #[test]
    fn options_are_optional_with_their_values() {
        let mut cmd = sample();
        cmd.build();
        let items = items(&cmd, &["tuntapctl", "[GLOBAL OPTIONS]", "set"], false);
        assert_eq!(
            text(&items, 1000),
            "tuntapctl [GLOBAL OPTIONS] set NAME [-u|--user USER] [--mode tun|tap] [--up | --down] [-a|--address ADDR]... [--n N]"
        );
        let globals = items_of_globals(&cmd);
        assert_eq!(globals, "[-j|--json]");
    }

    fn items_of_globals(cmd: &Command) -> String {
        text(&items(cmd, &[], true), 1000)
    }

    #[test]
    fn wraps_between_items() {
        let mut cmd = sample();
        cmd.build();
        let t = text(&items(&cmd, &["tuntapctl", "set"], false), 40);
        for line in t.lines() {
            assert!(line.len() <= 40, "{t}");
        }
        assert!(t.contains("[-u|--user USER]"), "{t}");
        assert!(t.lines().nth(1).unwrap().starts_with("        ["), "{t}");
    }

    #[test]
    fn roff_marks_names_and_values() {
        let mut cmd = sample();
        cmd.build();
        let r = roff(&items(&cmd, &["tuntapctl", "set"], false));
        assert!(
            r.contains("[\\fB\\-u\\fR|\\fB\\-\\-user\\fR\\ \\fIUSER\\fR]"),
            "{r}"
        );
        assert!(
            r.starts_with("\\%\\fBtuntapctl\\fR \\%\\fBset\\fR \\%\\fINAME\\fR"),
            "{r}"
        );
    }
}
