//! Validated requests: what the command line (or a batch line, or a file
//! entry) asks for, with every value checked and typed. Commands take these;
//! nothing here touches the kernel.

use crate::glob::Pattern;
use crate::validate::around::{AddrGenMode, MasterSpec};
use crate::validate::{AddrSelector, IdSpec, IfAddr, IfName, MacSpec, Mode};

#[derive(Clone, Debug)]
pub struct AddRequest {
    pub name: IfName,
    pub mode: Mode,
    pub owner: Option<IdSpec>,
    pub group: Option<IdSpec>,
    pub pi: bool,
    pub vnet_hdr: bool,
    pub multi_queue: bool,
    pub mac: Option<MacSpec>,
    pub mtu: Option<u32>,
    pub txqueuelen: Option<u32>,
    pub addresses: Vec<IfAddr>,
    pub up: bool,
    pub exist_ok: bool,
    pub brief: bool,
    /// `--dry-run`: every check, no change; say what would be done.
    pub dry_run: bool,
    /// Master, alias, addrgenmode (SPEC §6).
    pub around: AroundRequest,
}

#[derive(Clone, Debug)]
pub struct DelRequest {
    pub names: Vec<IfName>,
    /// Shell patterns (`del 'tap-vm*'`), matched against the tun/tap
    /// devices; their matches are deleted as if named.
    pub patterns: Vec<Pattern>,
    pub missing_ok: bool,
    /// `--dry-run`: every check, no change; say what would be deleted.
    pub dry_run: bool,
    pub force: bool,
}

#[derive(Clone, Debug)]
pub struct SetRequest {
    pub name: IfName,
    /// More interfaces to give the same settings (`set tap1 tap2 ...`).
    pub more: Vec<IfName>,
    pub owner: Option<IdSpec>,
    pub group: Option<IdSpec>,
    pub mac: Option<MacSpec>,
    pub mtu: Option<u32>,
    pub txqueuelen: Option<u32>,
    pub up: Option<bool>,
    pub add_addresses: Vec<IfAddr>,
    /// `--del-address`: ADDR (any prefix) or ADDR/PREFIX (that one).
    pub del_addresses: Vec<AddrSelector>,
    pub flush_addresses: bool,
    pub carrier: Option<bool>,
    /// Master, alias, addrgenmode, rename, move (SPEC §6).
    pub around: AroundRequest,
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub mode: Option<Mode>,
    pub owner: Option<IdSpec>,
    pub group: Option<IdSpec>,
    pub up: Option<bool>,
    /// Names or shell globs; empty: every tun/tap.
    pub patterns: Vec<Pattern>,
    /// Only the ports of this master (`list --master BR`).
    pub master: Option<String>,
}

impl Filter {
    /// Does it leave anything out? (An empty list then "matches nothing"
    /// rather than "there is nothing".)
    pub fn is_narrowing(&self) -> bool {
        self.mode.is_some()
            || self.owner.is_some()
            || self.group.is_some()
            || self.up.is_some()
            || !self.patterns.is_empty()
            || self.master.is_some()
    }
}

#[derive(Clone, Debug)]
pub struct ListRequest {
    pub filter: Filter,
    /// Add the traffic counters (`list --stats`).
    pub stats: bool,
}

#[derive(Clone, Debug)]
pub struct ShowRequest {
    /// Names or shell globs; empty: every tun/tap.
    pub names: Vec<Pattern>,
}

/// What one invocation is: every command, matched once (`dispatch`).
#[derive(Clone, Debug)]
pub enum Command {
    Add(AddRequest),
    Del(DelRequest),
    Set(SetRequest),
    List(ListRequest),
    Show(ShowRequest),
    Apply(ApplyRequest),
    Batch(BatchRequest),
    Completions(Shell),
    Doctor(DoctorRequest),
    Monitor(MonitorRequest),
    /// The CNI plugin: its request is the CNI_* variables and stdin.
    Cni,
    /// The delegation service (SPEC §12).
    Serve(ServeRequest),
    /// qemu's bridge helper: a tap from the service, passed to qemu.
    BridgeHelper(BridgeHelperRequest),
    /// tun/tap names, for completion.
    CompleteNames,
    /// Devices that can be a master (bridges, bonds, vrfs), for completion.
    CompleteMasters,
    /// Network namespace names under /run/netns, for completion.
    CompleteNetns,
}

/// Where a command comes from. What each may run is one table
/// (`Command::allowed_from`), not a list per caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The command line (and tunctl mode, which builds the same requests).
    CommandLine,
    /// A line of `batch FILE`.
    BatchLine,
    /// A request to the delegation service from an unprivileged caller.
    Service,
}

impl Command {
    /// The command's name as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Add(_) => "add",
            Command::Del(_) => "del",
            Command::Set(_) => "set",
            Command::List(_) => "list",
            Command::Show(_) => "show",
            Command::Apply(_) => "apply",
            Command::Batch(_) => "batch",
            Command::Completions(_) => "completions",
            Command::Doctor(_) => "doctor",
            Command::Monitor(_) => "monitor",
            Command::Cni => "cni",
            Command::Serve(_) => "serve",
            Command::BridgeHelper(_) => "bridge-helper",
            Command::CompleteNames => "__complete-names",
            Command::CompleteMasters => "__complete-masters",
            Command::CompleteNetns => "__complete-netns",
        }
    }

    /// The table of what may run where: a batch line runs the commands
    /// that act on interfaces by name; the service only those that change
    /// them (list and show need no privilege); neither runs anything that
    /// reads a file, streams, serves, or prints for a shell.
    pub fn allowed_from(&self, origin: Origin) -> bool {
        match self {
            Command::Add(_) | Command::Del(_) | Command::Set(_) => true,
            Command::List(_) | Command::Show(_) => origin != Origin::Service,
            Command::Apply(_)
            | Command::Batch(_)
            | Command::Completions(_)
            | Command::Doctor(_)
            | Command::Monitor(_)
            | Command::Cni
            | Command::Serve(_)
            | Command::BridgeHelper(_)
            | Command::CompleteNames
            | Command::CompleteMasters
            | Command::CompleteNetns => origin == Origin::CommandLine,
        }
    }
}

#[derive(Clone, Debug)]
pub struct ApplyRequest {
    /// A path, or "-" for stdin.
    pub file: String,
    pub dry_run: bool,
    pub prune: bool,
}

#[derive(Clone, Debug)]
pub struct BatchRequest {
    /// A path, or "-" for stdin.
    pub file: String,
    pub force: bool,
    /// Check and list every line; run none.
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

/// What add and set ask for around the device. add never renames or moves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AroundRequest {
    pub master: Option<MasterSpec>,
    /// Some("") removes the alias.
    pub alias: Option<String>,
    pub addrgenmode: Option<AddrGenMode>,
    pub rename: Option<IfName>,
    /// A name under /run/netns, a path, or a PID (as for --netns).
    pub move_to: Option<String>,
}

impl AroundRequest {
    pub fn is_empty(&self) -> bool {
        *self == AroundRequest::default()
    }
}

/// What `tuntapctl doctor` was asked.
#[derive(Clone, Debug)]
pub struct DoctorRequest {
    pub name: IfName,
    pub user: IdSpec,
    /// The groups to check with; empty: the user's groups from the database.
    pub groups: Vec<IdSpec>,
    pub asked: Asked,
}

/// What the attacher asks TUNSETIFF for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Asked {
    /// None: the device's own mode (the attacher is assumed to know it).
    pub mode: Option<Mode>,
    pub pi: bool,
    pub vnet_hdr: bool,
    pub multi_queue: bool,
    /// Really attach as the user (`--try`).
    pub try_attach: bool,
}

/// What `tuntapctl monitor` was asked.
#[derive(Clone, Debug, Default)]
pub struct MonitorRequest {
    /// Names or shell globs; empty: every tun/tap.
    pub patterns: Vec<String>,
    /// Exit after this many events.
    pub count: Option<u64>,
}

/// `serve`: the policy file, and `--check` to validate it and exit. The
/// socket is the global `--socket`.
#[derive(Clone, Debug)]
pub struct ServeRequest {
    pub policy: String,
    pub check: bool,
}

/// `bridge-helper` as qemu runs it: `--br`, `--fd`, `--use-vnet`.
#[derive(Clone, Debug)]
pub struct BridgeHelperRequest {
    pub bridge: String,
    /// The socket qemu passed, to send the tap's fd over.
    pub fd: i32,
    pub vnet_hdr: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_command() -> Vec<Command> {
        let name = IfName::parse("tap0").unwrap();
        vec![
            Command::Del(DelRequest {
                names: vec![name.clone()],
                patterns: vec![],
                missing_ok: false,
                force: false,
                dry_run: false,
            }),
            Command::List(ListRequest {
                filter: Filter::default(),
                stats: false,
            }),
            Command::Show(ShowRequest { names: vec![] }),
            Command::Apply(ApplyRequest {
                file: "-".into(),
                dry_run: false,
                prune: false,
            }),
            Command::Batch(BatchRequest {
                file: "-".into(),
                force: false,
                dry_run: false,
            }),
            Command::Completions(Shell::Bash),
            Command::Doctor(DoctorRequest {
                name,
                user: IdSpec::Id(0),
                groups: vec![],
                asked: Asked::default(),
            }),
            Command::Monitor(MonitorRequest::default()),
            Command::Cni,
            Command::Serve(ServeRequest {
                policy: "/etc/tuntapctl/delegate.toml".into(),
                check: true,
            }),
            Command::BridgeHelper(BridgeHelperRequest {
                bridge: "br0".into(),
                fd: 3,
                vnet_hdr: true,
            }),
            Command::CompleteNames,
            Command::CompleteMasters,
            Command::CompleteNetns,
        ]
    }

    #[test]
    fn one_table_says_what_runs_where() {
        for command in every_command() {
            assert!(
                command.allowed_from(Origin::CommandLine),
                "{}",
                command.name()
            );
            let by_name = matches!(command.name(), "add" | "del" | "set" | "list" | "show");
            assert_eq!(
                command.allowed_from(Origin::BatchLine),
                by_name,
                "{}",
                command.name()
            );
            let changes = matches!(command.name(), "add" | "del" | "set");
            assert_eq!(
                command.allowed_from(Origin::Service),
                changes,
                "{}",
                command.name()
            );
        }
    }
}
