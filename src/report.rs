//! What commands return: typed reports that one render step turns into
//! text, a table or JSON.

use crate::error::Error;

/// What add/set did to one interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Created,
    Updated(Vec<String>),
    Unchanged,
    Deleted,
    /// `del --missing-ok` of a name that is not there.
    Absent,
}

impl Action {
    pub fn changed(&self) -> bool {
        !matches!(self, Action::Unchanged | Action::Absent)
    }
    pub fn word(&self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Updated(_) => "updated",
            Action::Unchanged | Action::Absent => "unchanged",
            Action::Deleted => "deleted",
        }
    }
}

/// The result of a command that changes one interface.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub name: String,
    pub action: Action,
    /// "tap, owner waldner" for the one-line report.
    pub summary: String,
}

/// What one command produced, before it is rendered.
#[derive(Clone, Debug)]
pub enum Report {
    /// `add` or `set` on one interface; `interface` is fetched only when
    /// JSON output needs it. `brief`: print only the name (`add -b`).
    Changed {
        outcome: Outcome,
        interface: Option<Box<crate::model::Interface>>,
        brief: bool,
    },
    /// `del`: one outcome per deleted interface.
    Deleted(Vec<Outcome>),
    /// `set` on several interfaces: one outcome each, in order.
    Changes(Vec<Outcome>),
    /// `list` (a table) or `show` (details); `filtered` says whether a
    /// filter or pattern narrowed it, for the empty case.
    Interfaces {
        interfaces: Vec<crate::model::Interface>,
        detail: bool,
        filtered: bool,
    },
    /// `apply`: one outcome per declared (or pruned) interface.
    Applied {
        outcomes: Vec<Outcome>,
        dry_run: bool,
    },
    /// `batch`: one entry per line that ran; `file` as given, `force` as
    /// asked (the failure it ends with depends on both).
    Batch {
        lines: Vec<LineReport>,
        file: String,
        force: bool,
    },
    /// `doctor`: the checks, with the verdict as exit status.
    Doctor(Box<crate::doctor::DoctorReport>),
    /// The CNI plugin's answer (JSON for the runtime; failed when it
    /// holds an error).
    Plugin(crate::cni::Answer),
    /// One line of words (`serve --check`); empty says nothing.
    Message(String),
    /// `monitor`: the events were printed as they came (a stream has no
    /// report to wait for); this is how many.
    Followed(u64),
    /// A completion script, printed as it is.
    Script(String),
    /// Names for shell completion, one per line.
    Names(Vec<String>),
}

impl Report {
    /// The errors the report ends with, in the order they are said on
    /// stderr; the last one's status is the exit status. Only a batch has
    /// any: with --force every failed line and then a summary, without it
    /// the line that stopped it.
    pub fn closing_errors(&self) -> Vec<crate::error::Error> {
        let Report::Batch { lines, file, force } = self else {
            return Vec::new();
        };
        let mut out: Vec<crate::error::Error> = Vec::new();
        if *force {
            out.extend(
                lines
                    .iter()
                    .filter_map(|l| l.result.as_ref().err().cloned()),
            );
        }
        out.extend(outcome_error(lines, file, *force));
        out
    }

    /// The exit status of a report that rendered: doctor's verdict, the
    /// last closing error's, or success.
    pub fn status(&self) -> crate::error::ExitStatus {
        match self {
            Report::Doctor(d) => d.diagnosis.status,
            Report::Plugin(answer) if answer.error.is_some() => crate::error::ExitStatus::Failed,
            _ => self
                .closing_errors()
                .last()
                .map(|e| e.status)
                .unwrap_or(crate::error::ExitStatus::Success),
        }
    }
}

/// One batch line's result.
#[derive(Clone, Debug)]
pub struct LineReport {
    pub number: usize,
    pub command: String,
    /// The line's own --json / --quiet.
    pub json: bool,
    pub quiet: bool,
    pub result: Result<Report, crate::error::Error>,
}

/// The error a batch ends with, if any line failed: the failing line's own
/// error without --force, or a summary with it.
fn outcome_error(report: &[LineReport], file: &str, force: bool) -> Option<Error> {
    let failures: Vec<(usize, &Error)> = report
        .iter()
        .filter_map(|l| l.result.as_ref().err().map(|e| (l.number, e)))
        .collect();
    let (_, first) = failures.first()?;
    if !force {
        return Some((*first).clone());
    }
    let numbers: Vec<String> = failures.iter().map(|(n, _)| n.to_string()).collect();
    let file = if file == "-" { "stdin" } else { file };
    Some(Error::new(
        first.status,
        format!(
            "{file}: {} of {} commands failed (line{} {}); the others were carried out",
            failures.len(),
            report.len(),
            if failures.len() == 1 { "" } else { "s" },
            numbers.join(", ")
        ),
    ))
}
