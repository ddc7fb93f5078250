//! Gathering the facts that `doctor` decides on: the device (netlink and
//! /proc), the user (passwd and group databases, running sessions), and the
//! real open (and, with --try, attach) done as the user in a child process.
//! The decision itself is `checks::diagnose`.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::Path;

mod checks;
mod delegation;
mod facts;
mod text;

use crate::error::{Error, Result};
use crate::request::DoctorRequest;
use crate::validate::{IdSpec, Mode};
use facts::{Attempt, Session};
use facts::{DeviceFacts, UserFacts};
pub use text::{DoctorReport, render_text};

use crate::asuser::{self, AttachSpec, Identity, Step};

/// Run doctor: what it found and its verdict (the exit status).
/// Errors (an unknown user, no root) name the interface asked about.
pub fn doctor(req: &DoctorRequest) -> Result<DoctorReport> {
    let name = req.name.as_str();
    run(req).map_err(|e| e.context(format!("{name}: doctor")).on(name))
}

fn run(req: &DoctorRequest) -> Result<DoctorReport> {
    let name = req.name.as_str();
    let (user, assumed) = user_facts(req)?;
    let device = device_facts(name)?;
    let identity = Identity {
        uid: user.uid,
        gid: user.gid,
        groups: user.groups.clone(),
    };
    let tun_path = Path::new(crate::tun::TUN_PATH);
    let open = as_user(&identity, tun_path, None)?;
    let attempt = match (&device, open) {
        (Some(dev), None) if req.asked.try_attach && dev.not_tun.is_none() => {
            let mode = req.asked.mode.or(dev.mode).unwrap_or(Mode::Tap);
            // The device's own pi/vnet_hdr: an attach with others would
            // rewrite them, and they never decide whether it succeeds.
            let mut flags = match mode {
                Mode::Tun => libc::IFF_TUN,
                Mode::Tap => libc::IFF_TAP,
            };
            if !dev.pi {
                flags |= libc::IFF_NO_PI;
            }
            if dev.vnet_hdr {
                flags |= libc::IFF_VNET_HDR;
            }
            if req.asked.multi_queue {
                flags |= libc::IFF_MULTI_QUEUE;
            }
            let spec = AttachSpec {
                name: name.to_string(),
                flags: flags as libc::c_short,
            };
            Some(as_user(&identity, tun_path, Some(&spec))?)
        }
        _ => None,
    };
    let mut diagnosis = checks::diagnose(name, device.as_ref(), &user, &req.asked, open, attempt);
    if let Some(assumed) = assumed {
        diagnosis.checks.insert(0, assumed);
    }
    // A user who cannot attach: could they make it themselves (SPEC §12)?
    if diagnosis.status != crate::error::ExitStatus::Success {
        let policy = delegation::system_policy();
        diagnosis
            .checks
            .extend(delegation::check(policy, name, &user, device.as_ref()));
    }
    Ok(DoctorReport {
        name: name.to_string(),
        user,
        diagnosis,
    })
}

/// Run the child; a failure to become the user is ours, not the user's.
fn as_user(who: &Identity, path: &Path, attach: Option<&AttachSpec>) -> Result<Attempt> {
    let result = asuser::open_and_attach(who, path, attach).map_err(|e| {
        Error::failed(format!(
            "cannot start a check process as uid {}: {e}",
            who.uid
        ))
    })?;
    match result {
        Ok(()) => Ok(None),
        Err((Step::Become, e)) => Err(Error::permission(format!(
            "cannot switch to uid {} gid {} ({}): doctor checks as the user for real and needs root; run sudo tuntapctl doctor ...",
            who.uid,
            who.gid,
            e.desc()
        ))),
        Err((_, e)) => Ok(Some(e)),
    }
}

/// The user's facts, and the check that says what was assumed when the
/// databases know nothing of a numeric uid.
fn user_facts(req: &DoctorRequest) -> Result<(UserFacts, Option<facts::Check>)> {
    let entry = match &req.user {
        IdSpec::Name(n) => Some(uzers::get_user_by_name(OsStr::new(n)).ok_or_else(|| {
            Error::usage(format!(
                "user {n:?} does not exist (not in the passwd database); give an existing user or a numeric uid"
            ))
        })?),
        IdSpec::Id(uid) => uzers::get_user_by_uid(*uid),
    };
    let given: Vec<u32> = req
        .groups
        .iter()
        .map(|g| match g {
            IdSpec::Id(id) => Ok(*id),
            IdSpec::Name(n) => uzers::get_group_by_name(OsStr::new(n))
                .map(|g| g.gid())
                .ok_or_else(|| {
                    Error::usage(format!(
                        "group {n:?} does not exist (not in the group database); give an existing group or a numeric gid"
                    ))
                }),
        })
        .collect::<Result<_>>()?;
    let mut assumed = None;
    let (uid, name, gid) = match (&entry, &req.user) {
        (Some(u), _) => (
            u.uid(),
            Some(u.name().to_string_lossy().into_owned()),
            u.primary_group_id(),
        ),
        (None, IdSpec::Id(uid)) => match given.first() {
            Some(first) => (*uid, None, *first),
            // A process with no passwd entry has just its uid and gid
            // (container runtimes and systemd's DynamicUser give gid =
            // uid); an owner match needs no group at all.
            None => {
                assumed = Some(checks::assumed_ids(*uid));
                (*uid, None, *uid)
            }
        },
        (None, IdSpec::Name(n)) => {
            return Err(Error::usage(format!("user {n:?} does not exist")));
        }
    };
    let groups_given = !req.groups.is_empty();
    let mut groups = if groups_given {
        given
    } else {
        match &name {
            Some(n) => uzers::get_user_groups(OsStr::new(n), gid)
                .unwrap_or_default()
                .iter()
                .map(|g| g.gid())
                .collect(),
            None => vec![],
        }
    };
    groups.sort_unstable();
    groups.dedup();
    let mut group_names = BTreeMap::new();
    for gid in groups.iter().chain(std::iter::once(&gid)) {
        if let Some(g) = uzers::get_group_by_gid(*gid) {
            group_names.insert(*gid, g.name().to_string_lossy().into_owned());
        }
    }
    let sessions = if groups_given {
        vec![]
    } else {
        sessions_of(uid)
    };
    let facts = UserFacts {
        uid,
        name,
        gid,
        groups,
        groups_given,
        group_names,
        sessions,
    };
    Ok((facts, assumed))
}

/// The user's running processes and the groups each really has
/// (/proc/PID/status `Uid:` effective id and `Groups:`).
fn sessions_of(uid: u32) -> Vec<Session> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return vec![];
    };
    let mut out = Vec::new();
    for entry in dir.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        // Login sessions only: their leaders (login shells, sshd sessions,
        // systemd --user) got the groups at login; other processes may have
        // dropped or changed theirs on purpose.
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        if session_id(&stat) != Some(pid) {
            continue;
        }
        let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
            continue;
        };
        if let Some(session) = parse_status(pid, &status)
            && session.0 == uid
        {
            out.push(session.1);
        }
    }
    out
}

/// The session id from the text of /proc/PID/stat (`pid (comm) state ppid
/// pgrp session ...`; comm may hold spaces and parentheses).
fn session_id(stat: &str) -> Option<u32> {
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(3)?.parse().ok()
}

/// (effective uid, session) from the text of /proc/PID/status.
fn parse_status(pid: u32, status: &str) -> Option<(u32, Session)> {
    let mut euid = None;
    let mut egid: Option<u32> = None;
    let mut groups: Option<Vec<u32>> = None;
    let mut command = String::new();
    for line in status.lines() {
        if let Some(v) = line.strip_prefix("Name:") {
            command = v.trim().to_string();
        } else if let Some(v) = line.strip_prefix("Uid:") {
            euid = v.split_whitespace().nth(1).and_then(|s| s.parse().ok());
        } else if let Some(v) = line.strip_prefix("Gid:") {
            egid = v.split_whitespace().nth(1).and_then(|s| s.parse().ok());
        } else if let Some(v) = line.strip_prefix("Groups:") {
            groups = Some(
                v.split_whitespace()
                    .filter_map(|s| s.parse().ok())
                    .collect(),
            );
        }
    }
    // The effective gid counts as a group (in_egroup_p), listed or not.
    let mut groups = groups?;
    groups.extend(egid);
    groups.sort_unstable();
    groups.dedup();
    Some((
        euid?,
        Session {
            pid,
            command,
            groups,
        },
    ))
}

fn device_facts(name: &str) -> Result<Option<DeviceFacts>> {
    let link = crate::netlink::link_by_name(name).map_err(|e| {
        Error::failed(format!(
            "cannot look it up over netlink: {}",
            crate::error::errno_text(e as i32)
        ))
    })?;
    let Some(link) = link else {
        return Ok(None);
    };
    if !link.is_tun() {
        return Ok(Some(DeviceFacts {
            index: link.index,
            not_tun: Some(link.describe_kind()),
            mode: None,
            owner: None,
            owner_name: None,
            group: None,
            group_name: None,
            pi: false,
            vnet_hdr: false,
            multi_queue: false,
            queues: 0,
            disabled_queues: 0,
            up: link.up,
            carrier: link.carrier,
            holders: vec![],
            holders_note: None,
            holders_unproven: false,
        }));
    }
    let tun = link.tun.clone().unwrap_or_default();
    // Scanned twice, keeping the holders seen both times: a process that
    // exits during a scan (another namespace's short-lived attacher of the
    // same name) can be counted once, but its fds are gone by the second.
    let scanned = crate::procscan::scan().settle([&link]);
    // Matched by name alone on this kernel (SPEC §14): said with the holders.
    let holders_note = scanned.note_for([&link]);
    let unproven = scanned.unproven.get(name).cloned().unwrap_or_default();
    let first = scanned.of(name).to_vec();
    let holders = if first.is_empty() {
        first
    } else {
        let again = crate::procscan::scan().settle([&link]);
        let again = again.of(name);
        first.into_iter().filter(|h| again.contains(h)).collect()
    };
    Ok(Some(DeviceFacts {
        index: link.index,
        not_tun: None,
        mode: tun.mode,
        owner: tun.owner,
        owner_name: tun
            .owner
            .and_then(uzers::get_user_by_uid)
            .map(|u| u.name().to_string_lossy().into_owned()),
        group: tun.group,
        group_name: tun
            .group
            .and_then(uzers::get_group_by_gid)
            .map(|g| g.name().to_string_lossy().into_owned()),
        pi: tun.pi,
        vnet_hdr: tun.vnet_hdr,
        multi_queue: tun.multi_queue,
        queues: tun.num_queues.unwrap_or(0),
        disabled_queues: tun.num_disabled_queues.unwrap_or(0),
        up: link.up,
        carrier: link.carrier,
        holders_unproven: !holders.is_empty() && holders.iter().all(|h| unproven.contains(&h.pid)),
        holders,
        holders_note,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_parse() {
        assert_eq!(session_id("900 (bash) S 899 900 900 34816 ..."), Some(900));
        assert_eq!(session_id("901 (a b) c)) S 1 901 77 0"), Some(77));
        assert_eq!(session_id("garbage"), None);
    }

    #[test]
    fn status_parse() {
        let text = "Name:\tbash\nUmask:\t0022\nUid:\t1000\t1001\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\nGroups:\t24 27 \n";
        let (euid, s) = parse_status(42, text).unwrap();
        assert_eq!(euid, 1001);
        assert_eq!(s.command, "bash");
        assert_eq!(s.groups, vec![24, 27, 1000]);
        assert!(parse_status(1, "Name:\tx\n").is_none());
        assert_eq!(
            parse_status(1, "Uid:\t5\t5\t5\t5\nGroups:\t\n")
                .unwrap()
                .1
                .groups,
            Vec::<u32>::new()
        );
    }
}
