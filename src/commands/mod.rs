//! Commands as plain functions over validated requests, sharing one context
//! (a lazily opened netlink connection and an id cache), so that batch and
//! apply can reuse them.

use std::cell::OnceCell;

use crate::cli::Shell;
use crate::error::{Error, ExitStatus, NEED_NET_ADMIN, Result, errno_text};
use crate::ids::IdResolver;
use crate::netlink::{Link, Netlink};
use crate::validate::{IdSpec, IfAddr, IfName, MacSpec, Mode};

mod add;
mod apply;
mod bulk;
mod converge;
mod del;
mod list;
mod set;

pub use add::add;
pub use apply::{Format, apply, parse_declared, parse_declared_as, parse_declared_toml};
pub use bulk::delete_many;
pub use converge::{Desired, converge};
pub use del::{DelPlan, del, finish_del, plan_del};
pub use list::{fetch_interface, fetch_interfaces, list, show};
pub use set::set;

/// What every command shares within one process.
#[derive(Default)]
pub struct Context {
    netlink: OnceCell<Netlink>,
    pub ids: IdResolver,
    /// Warnings for stderr (suppressed by --quiet).
    pub warnings: std::cell::RefCell<Vec<String>>,
    /// Interfaces created without owner or group: one warning for all, so a
    /// batch of a thousand does not print a thousand lines.
    unowned: std::cell::RefCell<Vec<String>>,
}

impl Context {
    pub fn new() -> Self {
        Self::default()
    }

    /// The netlink connection, opened on first use: a plain `add` never
    /// needs one.
    pub fn netlink(&self) -> Result<&Netlink> {
        if let Some(nl) = self.netlink.get() {
            return Ok(nl);
        }
        let nl = Netlink::connect()?;
        Ok(self.netlink.get_or_init(|| nl))
    }

    /// Queue a warning for stderr; the same text twice is said once (a
    /// batch of many lines gives one note).
    pub fn warn(&self, message: impl Into<String>) {
        let message = message.into();
        let mut warnings = self.warnings.borrow_mut();
        if !warnings.contains(&message) {
            warnings.push(message);
        }
    }

    /// Resolve the owner, group and MAC of a request (user/group lookups,
    /// a random MAC drawn): everything that can fail before the kernel.
    pub fn resolve(
        &self,
        owner: Option<&IdSpec>,
        group: Option<&IdSpec>,
        mac: Option<MacSpec>,
    ) -> Result<(Option<u32>, Option<u32>, Option<crate::validate::Mac>)> {
        let owner = owner.map(|u| self.ids.resolve_user(u)).transpose()?;
        let group = group.map(|g| self.ids.resolve_group(g)).transpose()?;
        let mac = mac.map(MacSpec::resolve).transpose()?;
        Ok((owner, group, mac))
    }

    pub fn warn_unowned(&self, name: &str) {
        self.unowned.borrow_mut().push(name.to_string());
    }

    pub fn take_warnings(&self) -> Vec<String> {
        let mut out = std::mem::take(&mut *self.warnings.borrow_mut());
        let unowned = std::mem::take(&mut *self.unowned.borrow_mut());
        const FIX: &str =
            "any user who can open /dev/net/tun may attach; give --user or --group to restrict";
        match unowned.as_slice() {
            [] => {}
            [one] => out.push(format!("warning: {one} has no owner or group: {FIX} it")),
            many => {
                let shown: Vec<&str> = many.iter().take(5).map(String::as_str).collect();
                let more = if many.len() > 5 { ", ..." } else { "" };
                out.push(format!(
                    "warning: {} interfaces have no owner or group ({}{more}): {FIX} them",
                    many.len(),
                    shown.join(", ")
                ));
            }
        }
        out
    }

    /// Look a name up and insist that it is a tun/tap.
    pub fn tun_link(&self, name: &str) -> Result<Link> {
        match self.netlink()?.link_by_name(name)? {
            None => Err(Error::not_found(format!(
                "{name}: no such interface in this network namespace; see `tuntapctl list`"
            ))),
            Some(link) if !link.is_tun() => Err(not_tun(&link)),
            Some(link) => Ok(link),
        }
    }
}

pub fn not_tun(link: &Link) -> Error {
    Error::conflict(format!(
        "{}: is {}, not a tun/tap interface; tuntapctl manages only tun/tap interfaces (use ip-link(8) for others)",
        link.name,
        link.describe_kind()
    ))
}

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
}

#[derive(Clone, Debug)]
pub struct DelRequest {
    pub names: Vec<IfName>,
    pub missing_ok: bool,
    pub force: bool,
}

#[derive(Clone, Debug)]
pub struct SetRequest {
    pub name: IfName,
    pub owner: Option<IdSpec>,
    pub group: Option<IdSpec>,
    pub mac: Option<MacSpec>,
    pub mtu: Option<u32>,
    pub txqueuelen: Option<u32>,
    pub up: Option<bool>,
    pub add_addresses: Vec<IfAddr>,
    pub del_addresses: Vec<IfAddr>,
    pub flush_addresses: bool,
    pub carrier: Option<bool>,
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub mode: Option<Mode>,
    pub owner: Option<IdSpec>,
    pub group: Option<IdSpec>,
    pub up: Option<bool>,
}

#[derive(Clone, Debug)]
pub struct ListRequest {
    pub filter: Filter,
}

#[derive(Clone, Debug)]
pub struct ShowRequest {
    pub names: Vec<IfName>,
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

/// What add/set did to one interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Created,
    Updated(Vec<String>),
    Unchanged,
    Deleted,
}

impl Action {
    pub fn changed(&self) -> bool {
        !matches!(self, Action::Unchanged)
    }
    pub fn word(&self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Updated(_) => "updated",
            Action::Unchanged => "unchanged",
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

/// Translate an errno from opening /dev/net/tun.
pub fn open_error(err: crate::tun::OpenError) -> Error {
    use nix::errno::Errno;
    match err.errno {
        Errno::ENOENT => Error::failed(format!(
            "{} does not exist: load the tun module (modprobe tun) or create the node (mknod {} c 10 200)",
            err.path, err.path
        )),
        Errno::ENODEV | Errno::ENXIO => Error::failed(format!(
            "{}: the tun driver is not available in this kernel; load it with modprobe tun",
            err.path
        )),
        Errno::EACCES => Error::permission(format!(
            "cannot open {}: permission denied (EACCES): the node is not readable and writable for this user; run as root (sudo tuntapctl ...), or give the user read-write access to {} (it is usually mode 0666) plus CAP_NET_ADMIN",
            err.path, err.path
        )),
        Errno::EPERM => Error::permission(format!(
            "cannot open {}: operation not permitted (EPERM): a device cgroup, container or security policy forbids the tun device here; allow character device 10:200 for this process or run it on the host",
            err.path
        )),
        other => Error::failed(format!(
            "cannot open {}: {}",
            err.path,
            errno_text(other as i32)
        )),
    }
}

/// A permission error from a kernel step.
pub fn permission_error(name: &str, step: &str) -> Error {
    Error::new(
        ExitStatus::Permission,
        format!("{name}: {step}: permission denied; {NEED_NET_ADMIN}"),
    )
}
