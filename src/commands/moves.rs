//! `set --move-to`: moving a tun/tap to another network namespace, what
//! the kernel drops on the way, and showing it from inside its new
//! namespace. The namespace file is opened by `netns::open` alone.

use std::os::fd::AsRawFd;

use super::Context;
use crate::error::kernel::{self, LinkStep, Step};
use crate::error::{Error, Result};
use crate::model::Interface;
use crate::netlink::{Address, Change, Link, LinkChange, Origin, Origins};
use crate::text::printable;

/// What the kernel drops when a device leaves its namespace, in words:
/// `address 10.0.0.1/24, master br0`. Kernel-made link-local addresses are
/// left out (the kernel makes new ones there).
fn dropped_by_move(link: &Link, addresses: &[Address], master: Option<&str>) -> Vec<String> {
    let origins = Origins::of(addresses);
    let mut out: Vec<String> = addresses
        .iter()
        .filter(|a| a.index == link.index && origins.origin(a, link) != Origin::Kernel)
        .map(|a| format!("address {}", a.cidr()))
        .collect();
    if let Some(m) = master {
        out.push(format!("master {}", printable(m)));
    }
    out
}

/// The words for a finished move.
fn move_text(to: &str, final_name: &str, dropped: &[String], was_up: bool) -> String {
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
    Ok(crate::netns::is_current(&crate::netns::open(
        to,
        "--move-to",
    )?))
}

/// Move `link` to the namespace `to` (renamed to `rename` on the way, in
/// the same request). Returns the words for the report.
pub fn move_link(ctx: &Context, link: &Link, to: &str, rename: Option<&str>) -> Result<String> {
    let fd = crate::netns::open(to, "--move-to")?;
    let addresses = ctx.addresses()?;
    let master = link.master.map(|index| {
        crate::netlink::link_by_index(index)
            .ok()
            .flatten()
            .map(|m| m.name)
            .unwrap_or_else(|| format!("(index {index})"))
    });
    let dropped = dropped_by_move(link, &addresses, master.as_deref());
    // The name always goes with the move: a kernel that takes a missing
    // name as an empty pattern (4.18) answers a name taken there with
    // EINVAL, not EEXIST; given the name, every kernel says EEXIST.
    let change = LinkChange {
        netns_fd: Some(fd.as_raw_fd()),
        rename: Some(rename.unwrap_or(&link.name).to_string()),
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
    let fd = crate::netns::open(ns, "--move-to")?;
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

    #[test]
    fn move_texts_escape_and_say_what_was_dropped() {
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
        assert_eq!(move_text("b\x1b", "t", &[], false), "moved to b\\x1b");
    }
}
