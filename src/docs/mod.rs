//! Generated documentation: man pages (clap_mangen plus hand-written roff
//! sections) and shell completion scripts (clap_complete plus small
//! additions that complete interface names, users and groups).
//!
//! The output is checked in under man/ and completions/; tests/golden.rs
//! fails when it is stale (`UPDATE_GOLDEN=1 cargo test --test golden`
//! rewrites it). Nothing here touches the kernel or the file system.

use clap::Command;
use clap_mangen::Man;

use crate::cli;
use crate::request::Shell;

pub mod applyfile;
mod completion;
mod pages;

pub use completion::completion;
use pages::{FILES, INIT_SCRIPT_EXAMPLE, NOTES, description, exit_status};

/// Every shell we ship a script for, with the file name under completions/.
const COMPLETION_FILES: [(Shell, &str); 5] = [
    (Shell::Bash, "tuntapctl.bash"),
    (Shell::Zsh, "_tuntapctl"),
    (Shell::Fish, "tuntapctl.fish"),
    (Shell::Elvish, "tuntapctl.elv"),
    (Shell::Powershell, "_tuntapctl.ps1"),
];

/// Subcommands whose positional NAME arguments are existing interfaces.
pub(super) const NAME_SUBCOMMANDS: [&str; 4] = ["del", "set", "show", "list"];

/// Every generated file: (path relative to the crate root, contents).
pub fn generated_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = man_pages()
        .into_iter()
        .map(|(name, text)| (format!("man/{name}"), text))
        .collect();
    for (shell, file) in COMPLETION_FILES {
        files.push((format!("completions/{file}"), completion(shell)));
    }
    files
}

/// The date in the pages' title line; bump it with notable changes.
const DATE: &str = "2026-11-21";

const SEE_ALSO_EXTERNAL: &str = ".BR ip\\-tuntap (8),\n.BR ip\\-link (8),\n.BR tunctl (8)";

/// The man pages: (file name, roff text), `tuntapctl.8` first.
pub fn man_pages() -> Vec<(String, String)> {
    let mut cmd = cli::command().disable_help_subcommand(true);
    cmd.build();
    let subs: Vec<Command> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .cloned()
        .collect();
    let sub_names: Vec<String> = subs.iter().map(|s| s.get_name().to_string()).collect();
    let mut pages = vec![(
        "tuntapctl.8".to_string(),
        man_page(cmd.clone(), None, &sub_names),
    )];
    for sub in subs {
        let name = sub.get_name().to_string();
        pages.push((
            format!("tuntapctl-{name}.8"),
            man_page(sub, Some(&name), &sub_names),
        ));
    }
    pages
}

fn render(f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut buf = Vec::new();
    f(&mut buf).expect("rendering into memory cannot fail");
    let text = String::from_utf8(buf).expect("clap_mangen writes UTF-8");
    // Every render_* call starts with roff's apostrophe preamble; the page
    // needs it once, at the top.
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with(".ie \\n(.g .ds Aq") && !l.starts_with(".el .ds Aq"))
        .map(|l| format!("{l}\n"))
        .collect();
    // clap_mangen separates "Possible values:" with `.br`, a blank line and
    // `.br`, which mandoc -T lint warns about; one `.sp` says the same.
    text.replace(".br\n\n.br\n", ".sp\n")
}

fn man_page(cmd: Command, sub: Option<&str>, all_subs: &[String]) -> String {
    let title = match sub {
        Some(s) => format!("TUNTAPCTL-{}", s.to_uppercase()),
        None => "TUNTAPCTL".to_string(),
    };
    let has_args = cmd.get_arguments().any(|a| !a.is_hide_set());
    let has_subs = cmd.get_subcommands().any(|s| !s.is_hide_set());
    let examples = cmd.get_after_help().map(|h| h.to_string());
    let has_version = cmd.get_version().is_some();
    // The same synopsis as the usage line of --help (src/synopsis.rs):
    // option values shown, global options apart from the command's own.
    let synopsis = match sub {
        Some(_) => crate::synopsis::of_subcommand(&cmd),
        None => crate::synopsis::of_program(&cmd),
    };
    let man = Man::new(cmd)
        .title(title)
        .section("8")
        .date(DATE)
        .source(format!("tuntapctl {}", env!("CARGO_PKG_VERSION")))
        .manual("System Administration");

    let mut out = String::from(".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n");
    out += &render(|w| man.render_title(w));
    out += &render(|w| man.render_name_section(w));
    out += ".SH SYNOPSIS\n.na\n";
    out += &crate::synopsis::roff(&synopsis);
    out += "\n.ad\n";
    if sub.is_some() {
        out += ".PP\nGLOBAL OPTIONS are listed below and in \\fBtuntapctl\\fR(8).\n";
    }
    // NAME already carries the one-line summary: DESCRIPTION does not
    // repeat it.
    out += ".SH DESCRIPTION\n";
    out += description(sub);
    if has_args {
        out += &render(|w| man.render_options_section(w));
    }
    if has_subs {
        out += &render(|w| man.render_subcommands_section(w));
    }
    if sub == Some("apply") {
        out += &applyfile::roff();
    }
    out += ".SH EXAMPLES\n";
    if let Some(ex) = examples {
        out += &examples_roff(&ex);
    }
    if matches!(sub, None | Some("add")) {
        out += INIT_SCRIPT_EXAMPLE;
    }
    out += &match sub {
        Some("cni") => crate::cni::doc::EXIT_STATUS.to_string(),
        _ => exit_status(sub),
    };
    out += FILES;
    out += NOTES;
    out += ".SH SEE ALSO\n";
    match sub {
        None => {
            for s in all_subs {
                out += &format!(".BR tuntapctl\\-{} (8),\n", s.replace('-', "\\-"));
            }
        }
        Some(_) => out += ".BR tuntapctl (8),\n",
    }
    out += SEE_ALSO_EXTERNAL;
    out += "\n";
    if has_version {
        out += &render(|w| man.render_version_section(w));
    }
    out
}

/// Escape plain text for a roff text line.
fn roff_escape(line: &str) -> String {
    let s = line.replace('\\', "\\e").replace('-', "\\-");
    if s.starts_with('.') || s.starts_with('\'') {
        format!("\\&{s}")
    } else {
        s
    }
}

/// The clap `after_help` examples (shared with `--help`) as a literal block.
fn examples_roff(after_help: &str) -> String {
    let mut out = String::from(".nf\n.RS 4\n");
    for line in after_help.lines() {
        if line.trim_end() == "Examples:" {
            continue;
        }
        let line = line.strip_prefix("  ").unwrap_or(line);
        out += &roff_escape(line);
        out += "\n";
    }
    out += ".RE\n.fi\n";
    out
}
