//! Around the device (SPEC §6): the master it is a port of, its alias, its
//! IPv6 address generation mode, and moving it to another namespace. The
//! planning pieces are used by `converge` (so add, set, add --exist-ok and
//! apply share them); the move is `set`'s alone.

use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::stat::Mode as FileMode;

use super::Context;
use super::converge::Desired;
use std::collections::HashMap;

use serde_json::Value;

use crate::around::{AddrGenMode, MasterSpec, addrgenmode_word};
use crate::error::kernel::{self, LinkStep, Step};
use crate::error::{Error, Result};
use crate::model::Interface;
use crate::netlink::{Address, Change, Link, LinkChange};
use crate::text::printable;

/// Link kinds offered when completing `--master`.
const MASTER_KINDS: [&str; 4] = ["bridge", "bond", "vrf", "team"];

/// A resolved `--master` (or `--nomaster`: index 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MasterTarget {
    pub index: u32,
    pub name: String,
    /// What the master is ("a bridge device"), for a refusal.
    pub kind: String,
}

impl MasterTarget {
    pub fn free() -> MasterTarget {
        MasterTarget {
            index: 0,
            name: String::new(),
            kind: String::new(),
        }
    }

    pub fn is_free(&self) -> bool {
        self.index == 0
    }

    /// Whether `link` is not yet where this asks.
    pub fn differs(&self, link: &Link) -> bool {
        if self.is_free() {
            link.master.is_some()
        } else {
            link.master != Some(self.index)
        }
    }

    pub fn change(&self, link: &Link) -> (Change, LinkStep) {
        let change = LinkChange {
            master: Some(self.index),
            ..Default::default()
        };
        (
            Change::Link(link.index, change),
            LinkStep::Master {
                name: self.name.clone(),
                kind: self.kind.clone(),
                free: self.is_free(),
            },
        )
    }
}

/// The kernel frees a port from its old master before it tries the new
/// one, so a refused new master (`lo`, a veth) would leave the device
/// freed: after a failure, put it back where it was.
pub fn keep_old_master(ctx: &Context, link: &Link, desired: &Desired, err: Error) -> Error {
    let (Some(target), Some(old)) = (desired.master.as_ref(), link.master) else {
        return err;
    };
    if target.is_free() || !target.differs(link) {
        return err;
    }
    let now = crate::netlink::link_by_index(link.index).ok().flatten();
    if now.as_ref().is_none_or(|l| l.master.is_some()) {
        return err;
    }
    let old_name = crate::netlink::link_by_index(old)
        .ok()
        .flatten()
        .map(|m| printable(&m.name).into_owned())
        .unwrap_or_else(|| format!("index {old}"));
    let back = LinkChange {
        master: Some(old),
        ..Default::default()
    };
    match ctx
        .netlink()
        .map(|nl| nl.apply_one(Change::Link(link.index, back)))
    {
        Ok(Ok(())) => err.note(format!("; it is still a port of {old_name}")),
        _ => err.note(format!(
            "; the kernel freed it from {old_name} first and it could not be put back: tuntapctl set {} --master {old_name}",
            printable(&link.name)
        )),
    }
}

/// `alias "vm1 eth0"` / `alias removed`, escaped for a terminal.
pub fn alias_text(alias: &str) -> String {
    if alias.is_empty() {
        "alias removed".into()
    } else {
        // Quoted in errors too: at most EXCERPT_CHARS of it.
        format!(
            "alias \"{}\"",
            crate::text::short(alias, crate::text::EXCERPT_CHARS)
        )
    }
}

pub fn addrgenmode_change(link: &Link, mode: u8) -> (Change, LinkStep) {
    let change = LinkChange {
        addrgenmode: Some(mode),
        ..Default::default()
    };
    (
        Change::Link(link.index, change),
        LinkStep::AddrGenMode {
            word: addrgenmode_word(mode),
        },
    )
}

/// Look the master up by name before anything changes: a missing one is
/// exit 3 naming it. `device` is the interface it is for (for messages).
pub fn resolve_master(ctx: &Context, device: &str, spec: &MasterSpec) -> Result<MasterTarget> {
    let name = match spec {
        MasterSpec::Free => return Ok(MasterTarget::free()),
        MasterSpec::Set(name) => name,
    };
    let shown = printable(name);
    if name == device {
        return Err(
            Error::usage(format!("{device}: cannot be its own master ({shown})")).on(device),
        );
    }
    match ctx.link_by_name(name)? {
        None => Err(Error::not_found(format!(
            "{device}: master {shown} does not exist in this network namespace; create it first (ip link add {shown} type bridge) or check the name (ip link show type bridge)"
        ))
        .on(device)),
        Some(master) => Ok(MasterTarget {
            index: master.index,
            name: name.clone(),
            kind: master.describe_kind(),
        }),
    }
}

/// An apply file's `"master"`: a name, "" to free the port, null to leave
/// it.
pub fn master_value(v: &Value) -> std::result::Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(Some(String::new())),
        Value::String(s) => crate::around::parse_device_name("master", s)
            .map(Some)
            .map_err(|e| e.message),
        _ => Err(
            "expected the name of a bridge (or bond, vrf), \"\" to free the port, or null".into(),
        ),
    }
}

/// An apply file's `"alias"`: text, "" to remove it, null to leave it.
pub fn alias_value(v: &Value) -> std::result::Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => crate::around::parse_alias(s)
            .map(Some)
            .map_err(|e| e.message),
        _ => Err("expected a string (\"\" removes the alias) or null".into()),
    }
}

/// An apply file's `"addrgenmode"`: ip's word, or null.
pub fn addrgenmode_value(v: &Value) -> std::result::Result<Option<AddrGenMode>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => AddrGenMode::parse(s).map(Some).map_err(|e| e.message),
        _ => Err("expected \"eui64\", \"none\", \"stable_secret\" or \"random\"".into()),
    }
}

/// Resolve an apply file's master against the dumped links (apply's plan
/// makes no kernel calls): "" frees the port, a missing name is exit 3.
pub fn master_in(links: &HashMap<&str, &Link>, device: &str, name: &str) -> Result<MasterTarget> {
    if name.is_empty() {
        return Ok(MasterTarget::free());
    }
    let shown = printable(name);
    if name == device {
        return Err(Error::usage(format!("master: {device} cannot be its own master")).on(device));
    }
    match links.get(name) {
        Some(m) => Ok(MasterTarget {
            index: m.index,
            name: name.to_string(),
            kind: m.describe_kind(),
        }),
        None => Err(Error::not_found(format!(
            "master: {shown} does not exist in this network namespace; create it first (ip link add {shown} type bridge), or write \"master\": \"\" to free the port or null to leave it"
        ))
        .on(device)),
    }
}

/// A tun (layer 3) has no Ethernet header: a bridge refuses it (EINVAL).
/// Said before anything is made or changed.
pub fn check_master_for_mode(
    device: &str,
    mode: Option<crate::validate::Mode>,
    target: &MasterTarget,
) -> Result<()> {
    if mode == Some(crate::validate::Mode::Tun) && target.kind == "a bridge device" {
        let bridge = printable(&target.name);
        return Err(Error::conflict(format!(
            "{device}: a tun (layer 3, no Ethernet header) cannot be a port of the bridge {bridge}: a bridge takes Ethernet devices; use a tap (tuntapctl add NAME --tap --master {bridge})"
        ))
        .on(device));
    }
    Ok(())
}

/// The names of the links that can take ports, sorted (for completion).
pub fn master_names() -> Vec<String> {
    let mut names: Vec<String> = crate::netlink::dump_links(false, false)
        .unwrap_or_default()
        .into_iter()
        .filter(|l| l.kind.as_deref().is_some_and(|k| MASTER_KINDS.contains(&k)))
        .map(|l| l.name)
        .collect();
    names.sort();
    names
}

/// The network namespaces under /run/netns, sorted (for completion).
pub fn netns_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir("/run/netns")
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Open the target namespace of `--move-to` without blocking (a FIFO there
/// must not hang us) and refuse what is not a namespace file. The kernel
/// checks the fd once more when it moves the device.
fn open_netns(spec: &str) -> Result<OwnedFd> {
    let path = crate::netns::resolve(spec).map_err(|e| e.context("--move-to"))?;
    let shown = printable(spec);
    let flags = OFlag::O_RDONLY | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC | OFlag::O_NOCTTY;
    let fd = nix::fcntl::open(&path, flags, FileMode::empty()).map_err(|e| match e {
        Errno::ENOENT | Errno::ENOTDIR => Error::usage(format!(
            "--move-to {shown}: network namespace not found ({} does not exist); list them with `ip netns list`",
            path.display()
        )),
        Errno::EACCES | Errno::EPERM => Error::permission(format!(
            "--move-to {shown}: cannot open {}: permission denied; run as root",
            path.display()
        )),
        other => Error::usage(format!(
            "--move-to {shown}: cannot open {}: {}",
            path.display(),
            crate::error::errno_text(other as i32)
        )),
    })?;
    let st = nix::sys::stat::fstat(&fd).map_err(|e| {
        Error::failed(format!(
            "--move-to {shown}: cannot inspect it: {}",
            crate::error::errno_text(e as i32)
        ))
    })?;
    if st.st_mode & libc::S_IFMT != libc::S_IFREG {
        return Err(Error::usage(format!(
            "--move-to {shown}: {} is not a network namespace; give a name under /run/netns, /proc/PID/ns/net, or a PID",
            path.display()
        )));
    }
    Ok(fd)
}

/// Is `fd` the namespace this thread is in?
fn is_current_netns(fd: &OwnedFd) -> bool {
    let Ok(ours) = std::fs::metadata("/proc/thread-self/ns/net") else {
        return false;
    };
    nix::sys::stat::fstat(fd).is_ok_and(|st| st.st_dev == ours.dev() && st.st_ino == ours.ino())
}

/// What the kernel drops when a device leaves its namespace, in words:
/// `address 10.0.0.1/24, master br0`. Kernel-made link-local addresses are
/// left out (the kernel makes new ones there).
pub fn dropped_by_move(link: &Link, addresses: &[Address], master: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = addresses
        .iter()
        .filter(|a| a.index == link.index && !a.is_kernel_link_local())
        .map(|a| match a.peer {
            Some(p) => format!("address {} peer {}/{}", a.address, p, a.prefix_len),
            None => format!("address {}/{}", a.address, a.prefix_len),
        })
        .collect();
    if let Some(m) = master {
        out.push(format!("master {}", printable(m)));
    }
    out
}

/// The words for a finished move.
pub fn move_text(to: &str, final_name: &str, dropped: &[String], was_up: bool) -> String {
    let to = printable(to);
    let mut text = format!("moved to {to}");
    if !dropped.is_empty() {
        text += &format!(" (the kernel dropped its {})", dropped.join(", "));
    }
    if was_up {
        text += &format!(
            "; it is down there: tuntapctl --netns {to} set {} --up",
            printable(final_name)
        );
    }
    text
}

/// Whether `--move-to NS` names the namespace we are in (then there is
/// nothing to move). Errors for a namespace that cannot be opened.
pub fn already_there(to: &str) -> Result<bool> {
    Ok(is_current_netns(&open_netns(to)?))
}

/// Move `link` to the namespace `to` (renamed to `rename` on the way, in
/// the same request). Returns the words for the report.
pub fn move_link(ctx: &Context, link: &Link, to: &str, rename: Option<&str>) -> Result<String> {
    let fd = open_netns(to)?;
    let addresses = ctx.addresses()?;
    let master = link.master.map(|index| {
        crate::netlink::link_by_index(index)
            .ok()
            .flatten()
            .map(|m| m.name)
            .unwrap_or_else(|| format!("(index {index})"))
    });
    let dropped = dropped_by_move(link, &addresses, master.as_deref());
    let change = LinkChange {
        netns_fd: Some(fd.as_raw_fd()),
        rename: rename.map(str::to_string),
        ..Default::default()
    };
    let step = LinkStep::Move { to: to.to_string() };
    ctx.netlink()?
        .apply_one(Change::Link(link.index, change))
        .map_err(|errno| kernel::error(&Step::Link(step), &link.name, errno, &[]))?;
    drop(fd);
    let final_name = rename.unwrap_or(&link.name);
    Ok(move_text(to, final_name, &dropped, link.up))
}

/// The interface object of `name` as seen inside the namespace `ns` (after
/// a move), read on a thread that enters it: netlink sockets follow the
/// thread's namespace.
pub fn fetch_interface_in(name: &str, ns: &str) -> Result<Interface> {
    let fd = open_netns(ns)?;
    let name = name.to_string();
    std::thread::scope(|s| {
        s.spawn(move || {
            nix::sched::setns(&fd, nix::sched::CloneFlags::CLONE_NEWNET).map_err(|e| {
                Error::failed(format!(
                    "{name}: was moved, but entering {} to show it failed: {}",
                    printable(ns),
                    crate::error::errno_text(e as i32)
                ))
            })?;
            let ctx = Context::new();
            super::fetch_interface(&ctx, &name)
        })
        .join()
        .unwrap_or_else(|_| {
            Err(Error::failed(
                "showing the moved interface failed unexpectedly (internal error); please report it",
            ))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Mode;

    fn tap(master: Option<u32>) -> Link {
        let mut l = Link::new_device(7, "tap0", Mode::Tap, None, None);
        l.master = master;
        l
    }

    #[test]
    fn master_targets_compare_with_the_link() {
        let br = MasterTarget {
            index: 3,
            name: "br0".into(),
            kind: "a bridge device".into(),
        };
        assert!(br.differs(&tap(None)));
        assert!(br.differs(&tap(Some(4))));
        assert!(!br.differs(&tap(Some(3))));
        let free = MasterTarget::free();
        assert!(free.differs(&tap(Some(3))));
        assert!(!free.differs(&tap(None)));
        let (change, step) = free.change(&tap(Some(3)));
        assert_eq!(
            change,
            Change::Link(
                7,
                LinkChange {
                    master: Some(0),
                    ..Default::default()
                }
            )
        );
        assert_eq!(step.text(), "nomaster");
        assert_eq!(br.change(&tap(None)).1.text(), "master br0");
    }

    fn br0() -> MasterTarget {
        MasterTarget {
            index: 3,
            name: "br0".into(),
            kind: "a bridge device".into(),
        }
    }

    fn ll(index: u32) -> Address {
        Address {
            index,
            address: "fe80::1".parse().unwrap(),
            prefix_len: 64,
            peer: None,
            scope: "link".into(),
            protocol: Some(3), // IFAPROT_KERNEL_LL
        }
    }

    /// The planned changes, in the order they are sent.
    fn planned(link: &Link, addrs: &[Address], desired: &Desired) -> Vec<String> {
        crate::commands::converge::describe(&Context::new(), link, addrs, desired)
    }

    #[test]
    fn plan_orders_addrgenmode_before_up_and_rename_last() {
        let desired = Desired {
            up: Some(true),
            master: Some(br0()),
            alias: Some("vm1 eth0".into()),
            addrgenmode: Some(1),
            rename: Some("tap-vm1".into()),
            mtu: Some(9000),
            ..Default::default()
        };
        assert_eq!(
            planned(&tap(None), &[], &desired),
            [
                "mtu 9000, alias \"vm1 eth0\"",
                "addrgenmode none",
                "master br0",
                "up",
                "renamed to tap-vm1"
            ]
        );
    }

    #[test]
    fn plan_leaves_what_is_already_so() {
        let mut link = tap(Some(3));
        link.alias = Some("vm1 eth0".into());
        link.addrgenmode = Some(1);
        link.up = true;
        let desired = Desired {
            up: Some(true),
            master: Some(br0()),
            alias: Some("vm1 eth0".into()),
            addrgenmode: Some(1),
            rename: Some("tap0".into()),
            ..Default::default()
        };
        assert!(planned(&link, &[], &desired).is_empty());
        // An empty alias on a link without one, nomaster on a free link.
        link.alias = None;
        link.master = None;
        let desired = Desired {
            alias: Some(String::new()),
            master: Some(MasterTarget::free()),
            ..Default::default()
        };
        assert!(planned(&link, &[], &desired).is_empty());
        link.alias = Some("x".into());
        link.master = Some(4);
        assert_eq!(planned(&link, &[], &desired), ["alias removed", "nomaster"]);
    }

    #[test]
    fn addrgenmode_none_removes_the_kernels_link_local_address() {
        let mut link = tap(None);
        link.up = true;
        link.addrgenmode = Some(0);
        let mut mine = ll(7);
        mine.address = "fe80::99".parse().unwrap();
        mine.protocol = None; // added by a user, e.g. ip addr add
        let addrs = [ll(7), ll(8), mine];
        let none = Desired {
            addrgenmode: Some(1),
            ..Default::default()
        };
        assert!(none.needs_addresses(&link));
        assert_eq!(
            planned(&link, &addrs, &none),
            ["addrgenmode none", "removed address fe80::1/64"]
        );
        // Another mode leaves the address; a down link has none to fetch.
        let random = Desired {
            addrgenmode: Some(3),
            ..Default::default()
        };
        assert_eq!(planned(&link, &addrs, &random), ["addrgenmode random"]);
        assert!(!random.needs_addresses(&link));
        link.up = false;
        assert!(!none.needs_addresses(&link));
    }

    #[test]
    fn apply_resolves_masters_from_the_dump() {
        let ctx = Context::new();
        let mut bridge = tap(None);
        bridge.index = 3;
        bridge.name = "br0".into();
        bridge.kind = Some("bridge".into());
        bridge.tun = None;
        let mut port = tap(Some(3));
        port.tun.as_mut().unwrap().persist = true;
        port.addrgenmode = Some(0);
        let links = [bridge, port];
        let plan_of = |json: &str| {
            let d = crate::commands::parse_declared(&ctx, json).unwrap();
            crate::commands::apply::plan(&ctx, &d, &links, &[], None, false).map(|p| p.preview())
        };
        let words = |json: &str| {
            plan_of(json)
                .unwrap()
                .into_iter()
                .map(|o| match o.action {
                    crate::report::Action::Updated(c) => c.join(", "),
                    other => other.word().to_string(),
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(words(r#"[{"name":"tap0","master":"br0"}]"#), ["unchanged"]);
        assert_eq!(words(r#"[{"name":"tap0","master":null}]"#), ["unchanged"]);
        assert_eq!(words(r#"[{"name":"tap0","master":""}]"#), ["nomaster"]);
        assert_eq!(
            words(r#"[{"name":"tap0","alias":"a","addrgenmode":"none"}]"#),
            ["alias \"a\", addrgenmode none"]
        );
        assert_eq!(words(r#"[{"name":"tap1","master":"br0"}]"#), ["created"]);
        let e = plan_of(r#"[{"name":"tun1","master":"br0"}]"#).unwrap_err();
        assert_eq!(e.status, crate::error::ExitStatus::Conflict);
        assert!(e.message.contains("a tun (layer 3"), "{}", e.message);
        let e = plan_of(r#"[{"name":"tap1","master":"nosuch"}]"#).unwrap_err();
        assert_eq!(e.status, crate::error::ExitStatus::NotFound);
        assert!(
            e.message
                .starts_with("entry 1 (tap1): master: nosuch does not exist"),
            "{}",
            e.message
        );
        let bad = |json: &str| {
            crate::commands::parse_declared(&ctx, json)
                .unwrap_err()
                .message
        };
        assert!(bad(r#"[{"name":"tap0","addrgenmode":"x"}]"#).contains("addrgenmode"));
        assert!(bad(r#"[{"name":"tap0","master":7}]"#).contains("master"));
        assert!(bad(r#"[{"name":"tap0","alias":false}]"#).contains("alias"));
        // The counters of list --json --stats are read-only, not unknown.
        assert!(crate::commands::parse_declared(&ctx, r#"[{"name":"tap0","stats":{}}]"#).is_ok());
    }

    #[test]
    fn texts_escape_outside_strings() {
        assert_eq!(alias_text("vm1 eth0"), "alias \"vm1 eth0\"");
        assert_eq!(alias_text(""), "alias removed");
        assert_eq!(alias_text("x\x1b[2J"), "alias \"x\\x1b[2J\"");
        let (_, step) = addrgenmode_change(&tap(None), 1);
        assert_eq!(step.text(), "addrgenmode none");
        assert_eq!(
            move_text(
                "blue",
                "tap0",
                &["address 10.0.0.1/24".into(), "master br0".into()],
                true
            ),
            "moved to blue (the kernel dropped its address 10.0.0.1/24, master br0); it is down there: tuntapctl --netns blue set tap0 --up"
        );
        assert_eq!(
            move_text("/proc/1/ns/net", "t", &[], false),
            "moved to /proc/1/ns/net"
        );
    }
}
