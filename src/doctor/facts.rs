//! What doctor finds out before it decides: the device, the user and their
//! running sessions, the outcome of each step done as the user; and the
//! checks it reports.

use std::collections::BTreeMap;

use nix::errno::Errno;
use serde::Serialize;

use crate::error::ExitStatus;
use crate::procscan::Holder;
use crate::validate::Mode;

/// The device as netlink and /proc show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceFacts {
    pub index: u32,
    /// "a veth device" and the like when it is not a tun/tap.
    pub not_tun: Option<String>,
    pub mode: Option<Mode>,
    pub owner: Option<u32>,
    pub owner_name: Option<String>,
    pub group: Option<u32>,
    pub group_name: Option<String>,
    pub pi: bool,
    pub vnet_hdr: bool,
    pub multi_queue: bool,
    pub queues: u32,
    pub disabled_queues: u32,
    pub up: bool,
    /// IFLA_CARRIER: on while a queue is attached.
    pub carrier: bool,
    pub holders: Vec<Holder>,
    /// Why the holders may be more than the device's own (procscan's note).
    pub holders_note: Option<String>,
    /// Every holder was matched by the device name alone: each may hold a
    /// same-named device in another namespace.
    pub holders_unproven: bool,
}

/// A running process of the user and the groups it actually has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub pid: u32,
    pub command: String,
    pub groups: Vec<u32>,
}

/// The user as the databases describe it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserFacts {
    pub uid: u32,
    pub name: Option<String>,
    pub gid: u32,
    /// Supplementary groups (from the group database, or --group).
    pub groups: Vec<u32>,
    /// True when --group gave the groups.
    pub groups_given: bool,
    /// Names of the gids we may mention.
    pub group_names: BTreeMap<u32, String>,
    /// The user's running processes (for "added after login").
    pub sessions: Vec<Session>,
}

impl UserFacts {
    pub(super) fn label(&self) -> String {
        match &self.name {
            Some(n) => n.clone(),
            None => format!("uid {}", self.uid),
        }
    }
    pub(super) fn group_label(&self, gid: u32) -> String {
        match self.group_names.get(&gid) {
            Some(n) => format!("{n} ({gid})"),
            None => format!("gid {gid}"),
        }
    }
    /// in_egroup_p: the effective gid or a supplementary group.
    pub(super) fn in_group(&self, gid: u32) -> bool {
        self.gid == gid || self.groups.contains(&gid)
    }
}

/// The outcome of one step done as the user: None is success, else the errno.
pub type Attempt = Option<Errno>;

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    pub check: &'static str,
    pub ok: bool,
    pub detail: String,
    pub fix: Option<String>,
}

/// The checks and what a real attach would get.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnosis {
    pub checks: Vec<Check>,
    pub status: ExitStatus,
    /// The errno a real attach gets (None: it succeeds).
    pub errno: Option<Errno>,
}
