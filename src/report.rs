//! What commands return: typed reports that one render step turns into
//! text, a table or JSON.

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
    /// `batch`: one entry per line that ran.
    Batch(Vec<LineReport>),
    /// A completion script, printed as it is.
    Script(String),
    /// Names for shell completion, one per line.
    Names(Vec<String>),
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
