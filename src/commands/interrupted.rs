//! A bulk delete killed half-way (kill -9, a power cut of the process)
//! between moving its targets into its temporary interface group and
//! deleting that group leaves the devices in the group. The group id is
//! `TEMP_GROUP_BASE | pid` of the process that made it, and only devices
//! that were in the default group (0) are ever moved, so a later run knows
//! both whose group it is and where the devices came from, with no state
//! kept anywhere else: when that process is gone, the devices go back to
//! group 0 and a note says so. list, show, apply and every del that dumps
//! the links (3 or more names) look.

use crate::netlink::{Change, Link, LinkChange};
use crate::text::printable;

use super::Context;

/// The top byte of every temporary group; the low 24 bits are a pid (pids
/// are at most 2^22).
pub const TEMP_GROUP_BASE: u32 = 0x7000_0000;
const PID_MASK: u32 = 0x00ff_ffff;

/// The temporary group of the bulk delete run by `pid`.
pub fn temp_group(pid: u32) -> u32 {
    TEMP_GROUP_BASE | (pid & PID_MASK)
}

/// The pid whose temporary group `group` is, if it is one.
fn owner_of(group: u32) -> Option<u32> {
    (group & !PID_MASK == TEMP_GROUP_BASE && group != TEMP_GROUP_BASE).then_some(group & PID_MASK)
}

/// Is the group of `pid` left over? Not when `pid` is another running
/// tuntapctl (its delete may be under way). Our own pid is never mid-way
/// here: a leftover with our pid is an older process's (pid reuse).
fn is_left_over(pid: u32, own: u32, running_tuntapctl: impl Fn(u32) -> bool) -> bool {
    pid == own || !running_tuntapctl(pid)
}

fn running_tuntapctl(pid: u32) -> bool {
    match std::fs::read(format!("/proc/{pid}/comm")) {
        Ok(comm) => comm
            .strip_suffix(b"\n")
            .unwrap_or(&comm)
            .starts_with(b"tuntapctl"),
        // Gone (ENOENT), or hidden from us: a hidden one is left alone.
        Err(e) => e.kind() != std::io::ErrorKind::NotFound,
    }
}

/// Find tun/tap devices in `links` left in the temporary group of a bulk
/// delete whose process is gone, and put them back in group 0, with a note
/// (or, when that is refused, a note saying how to do it).
pub fn recover(ctx: &Context, links: &[Link]) {
    let own = std::process::id();
    let left: Vec<&Link> = links
        .iter()
        .filter(|l| l.is_tun())
        .filter(|l| owner_of(l.group).is_some_and(|pid| is_left_over(pid, own, running_tuntapctl)))
        .collect();
    if left.is_empty() {
        return;
    }
    let Ok(nl) = ctx.netlink() else { return };
    let requests = left
        .iter()
        .map(|l| {
            Change::Link(
                l.index,
                LinkChange {
                    group: Some(0),
                    ..Default::default()
                },
            )
        })
        .collect();
    let results = nl.apply(requests);
    let names = |ok: bool| -> Vec<String> {
        left.iter()
            .zip(&results)
            .filter(|(_, r)| r.is_ok() == ok)
            .map(|(l, _)| printable(&l.name).into_owned())
            .collect()
    };
    let (done, failed) = (names(true), names(false));
    let pids: std::collections::BTreeSet<u32> =
        left.iter().filter_map(|l| owner_of(l.group)).collect();
    let pids: Vec<String> = pids.iter().map(u32::to_string).collect();
    if !done.is_empty() {
        ctx.warn(format!(
            "note: {} left in the temporary group of a tuntapctl del that was killed before it finished (pid {}) are back in the default group: delete them again if they should go",
            shorten(&done),
            pids.join(", ")
        ));
    }
    if !failed.is_empty() {
        ctx.warn(format!(
            "warning: {} are in the temporary group of a tuntapctl del that was killed before it finished (pid {}); run tuntapctl list as root to put them back (or ip link set dev NAME group default)",
            shorten(&failed),
            pids.join(", ")
        ));
    }
}

/// How many, and at most five names.
fn shorten(names: &[String]) -> String {
    let shown = names.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
    let more = if names.len() > 5 { ", ..." } else { "" };
    let what = if names.len() == 1 {
        "interface"
    } else {
        "interfaces"
    };
    format!("{} {what} ({shown}{more})", names.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_groups_name_their_pid() {
        assert_eq!(temp_group(4242), 0x7000_1092);
        assert_eq!(owner_of(temp_group(4_194_304)), Some(4_194_304));
        assert_eq!(owner_of(0), None);
        assert_eq!(owner_of(77), None);
        assert_eq!(owner_of(0x7100_0001), None);
        assert_eq!(owner_of(TEMP_GROUP_BASE), None);
    }

    #[test]
    fn only_a_gone_process_leaves_a_group_over() {
        assert!(is_left_over(10, 99, |_| false), "gone");
        assert!(!is_left_over(10, 99, |_| true), "a running tuntapctl");
        assert!(
            is_left_over(99, 99, |_| true),
            "our own pid: an older run's"
        );
    }

    #[test]
    fn many_names_are_shortened() {
        let names: Vec<String> = (0..7).map(|i| format!("t{i}")).collect();
        assert_eq!(shorten(&names), "7 interfaces (t0, t1, t2, t3, t4, ...)");
        assert_eq!(shorten(&names[..1]), "1 interface (t0)");
    }
}
