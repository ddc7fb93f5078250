//! Commands as plain functions over validated requests, sharing one context
//! (a lazily opened netlink connection and an id cache), so that batch and
//! apply can reuse them.

use std::cell::OnceCell;

use crate::error::kernel::{self, Step};
use crate::error::{Error, Result};
use crate::ids::IdResolver;
use crate::netlink::{Address, ConnectError, Link, Netlink};
use crate::validate::{IdSpec, MacSpec};

mod add;
mod altname;
mod apply;
mod bulk;
mod converge;
mod del;
mod del_patterns;
mod dry_run;
mod interrupted;
mod list;
mod master;
mod moves;
mod ports;
mod set;
mod set_many;

pub use crate::report::{Action, Outcome};
pub use crate::request::*;
pub use moves::fetch_interface_in;

pub use add::{add, add_many};
pub use altname::resolve as resolve_altnames;
pub use apply::{Format, apply, parse_declared, parse_declared_as, parse_declared_toml};
pub use bulk::delete_many;
pub use converge::{Desired, converge};
pub use del::{DelPlan, del, finish_del, plan_del};
pub use dry_run::{add as dry_run_add, del as dry_run_del};
pub use list::{fetch_interface, fetch_interfaces, list, show};
pub use set::set;
pub use set_many::{check_set_many, set_many};

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
    /// Links the altname pass (`resolve_altnames`) just looked up, each
    /// handed once to the command's own lookup of the same name, so the
    /// kernel is not asked twice in a row. Cleared before every command.
    looked_up: std::cell::RefCell<Vec<Link>>,
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
        let nl = Netlink::connect().map_err(connect_error)?;
        Ok(self.netlink.get_or_init(|| nl))
    }

    /// Look a link up by name; None when there is none.
    pub fn link_by_name(&self, name: &str) -> Result<Option<Link>> {
        let mut kept = self.looked_up.borrow_mut();
        if let Some(i) = kept.iter().position(|l| l.name == name) {
            return Ok(Some(kept.swap_remove(i)));
        }
        drop(kept);
        crate::netlink::link_by_name(name).map_err(|e| read_error(name, e))
    }

    /// Keep `link`, just looked up, for the next lookup of its name.
    fn keep_looked_up(&self, link: Link) {
        self.looked_up.borrow_mut().push(link);
    }

    /// Forget what the last command's altname pass looked up.
    pub fn forget_looked_up(&self) {
        self.looked_up.borrow_mut().clear();
    }

    /// Every link in the namespace.
    pub fn links(&self) -> Result<Vec<Link>> {
        crate::netlink::dump_links(false, false).map_err(|e| read_error("links", e))
    }

    /// Every address in the namespace.
    pub fn addresses(&self) -> Result<Vec<Address>> {
        crate::netlink::dump_addresses().map_err(|e| read_error("addresses", e))
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
        match self.link_by_name(name)? {
            None => Err(Error::not_found(format!(
                "{}: no such interface in this network namespace",
                crate::text::printable(name)
            ))
            .fix("see `tuntapctl list`")
            .on(name)),
            Some(link) if !link.is_tun() => Err(not_tun(&link)),
            Some(link) => Ok(link),
        }
    }
}

pub fn not_tun(link: &Link) -> Error {
    Error::conflict(format!(
        "{}: is {}, not a tun/tap interface",
        crate::text::printable(&link.name),
        link.describe_kind()
    ))
    .fix("tuntapctl manages only tun/tap interfaces (use ip-link(8) for others)")
    .on(&link.name)
}

pub(crate) fn read_error(what: &str, errno: nix::errno::Errno) -> Error {
    kernel::error(&Step::Read { what: what.into() }, "", errno, &[])
}

fn connect_error(e: ConnectError) -> Error {
    match e {
        ConnectError::Socket(e) => {
            let fix = match e.kind() {
                std::io::ErrorKind::PermissionDenied => {
                    "a seccomp, container or security policy forbids netlink sockets here; run tuntapctl where NETLINK_ROUTE sockets are allowed"
                }
                _ => {
                    "check that the kernel has netlink support and the process may open sockets (ulimit -n)"
                }
            };
            Error::failed(format!(
                "cannot open a netlink socket (NETLINK_ROUTE): {e}; {fix}"
            ))
        }
    }
}

/// The report of a command that changed one interface: with JSON, the
/// interface object as it now is.
pub fn changed_report(
    ctx: &Context,
    outcome: crate::report::Outcome,
    json: bool,
    brief: bool,
) -> Result<crate::report::Report> {
    let interface = if json {
        Some(Box::new(fetch_interface(ctx, &outcome.name)?))
    } else {
        None
    };
    Ok(crate::report::Report::Changed {
        outcome,
        interface,
        brief,
    })
}
