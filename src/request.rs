//! Validated requests: what the command line (or a batch line, or a file
//! entry) asks for, with every value checked and typed. Commands take these;
//! nothing here touches the kernel.

use crate::around::AroundRequest;
use crate::glob::Pattern;
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
    CompleteNames,
    Doctor(crate::doctor::DoctorRequest),
    Monitor(crate::events::MonitorRequest),
    /// Devices that can be a master (bridges, bonds, vrfs), for completion.
    CompleteMasters,
    /// Network namespace names under /run/netns, for completion.
    CompleteNetns,
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}
