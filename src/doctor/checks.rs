//! `doctor`: would USER be able to attach to NAME, and if not, why?
//!
//! The decision is a pure function ([`diagnose`]) of what we found out:
//! the device (netlink and /proc), the user (passwd and group databases,
//! running sessions), what the attacher asks for, and the result of really
//! opening /dev/net/tun as that user (and, with `--try`, really attaching).
//! The checks follow the kernel's own order in TUNSETIFF (NOTES.md), so the
//! first failing check is the error a real attach gets. Gathering the facts
//! lives in `doctor` (mod.rs), what was found in `facts`, the text in `text`.

use nix::errno::Errno;

use super::facts::{Attempt, Check, DeviceFacts, Diagnosis, Session, UserFacts};
use crate::error::ExitStatus;
use crate::request::Asked;
use crate::validate::Mode;

fn ok(check: &'static str, detail: impl Into<String>) -> Check {
    Check {
        check,
        ok: true,
        detail: detail.into(),
        fix: None,
    }
}

fn fail(check: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
    Check {
        check,
        ok: false,
        detail: detail.into(),
        fix: Some(fix.into()),
    }
}

/// The check that says how a uid without a passwd entry is checked: as a
/// process that has just that uid, gid = uid, and no other groups.
pub fn assumed_ids(uid: u32) -> Check {
    ok(
        "user",
        format!(
            "uid {uid} has no passwd entry: checked as uid {uid} gid {uid} with no supplementary groups, as a process started with only that uid has them (give --group GID... to check with others)"
        ),
    )
}

/// The exit status for the errno of a failed attach (SPEC §7), given
/// whether the device exists (a missing one is EPERM for an unprivileged
/// attacher: the kernel tries to create it).
fn status_for(errno: Option<Errno>, device_exists: bool) -> ExitStatus {
    match errno {
        None => ExitStatus::Success,
        Some(Errno::EPERM) if !device_exists => ExitStatus::NotFound,
        Some(Errno::ENODEV) => ExitStatus::NotFound,
        Some(Errno::EINVAL) => ExitStatus::Conflict,
        Some(Errno::EPERM | Errno::EACCES) => ExitStatus::Permission,
        Some(Errno::EBUSY | Errno::E2BIG) => ExitStatus::Busy,
        Some(_) => ExitStatus::Failed,
    }
}

fn flag_word(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

fn mode_flag(mode: Mode) -> &'static str {
    match mode {
        Mode::Tun => "IFF_TUN",
        Mode::Tap => "IFF_TAP",
    }
}

/// Walk the kernel's checks, in the order TUNSETIFF makes them. `open` is
/// the result of opening /dev/net/tun as the user; `attempt` the result of
/// `--try` (None when not tried).
pub fn diagnose(
    name: &str,
    device: Option<&DeviceFacts>,
    user: &UserFacts,
    asked: &Asked,
    open: Attempt,
    attempt: Option<Attempt>,
) -> Diagnosis {
    let who = user.label();
    let mut walk = Walk::default();
    check_open(&mut walk, user, &who, open);
    // TUNSETIFF looks the name up in the caller's namespace.
    let Some(dev) = device else {
        check_missing(&mut walk, name, user, &who);
        return finish(walk.checks, walk.first, false, attempt, asked, false);
    };
    if let Some(kind) = &dev.not_tun {
        check_not_tun(&mut walk, name, dev, kind);
        return finish(walk.checks, walk.first, true, attempt, asked, dev.up);
    }
    let dev_mode = dev.mode.unwrap_or(Mode::Tap);
    walk.checks.push(ok(
        "device",
        format!(
            "{name} is a {dev_mode} in this network namespace (ifindex {})",
            dev.index
        ),
    ));
    check_mode(&mut walk, name, dev_mode, asked);
    check_multi_queue(&mut walk, name, dev, asked);
    // Owner and group (tun_not_capable): both must allow, unless the
    // attacher has CAP_NET_ADMIN.
    check_owner(&mut walk, name, dev, user, &who);
    check_group(&mut walk, name, dev, user, &who);
    check_busy(&mut walk, name, dev);
    check_queues(&mut walk, name, dev);
    walk.checks.push(flags_check(dev, asked));
    finish(walk.checks, walk.first, true, attempt, asked, dev.up)
}

/// The checks so far, and the first failure in kernel order: the errno of
/// a real attach.
#[derive(Default)]
struct Walk {
    checks: Vec<Check>,
    first: Option<Errno>,
}

impl Walk {
    fn note(&mut self, errno: Errno) {
        self.first.get_or_insert(errno);
    }
}

/// Check 1: open("/dev/net/tun", O_RDWR), as the user.
fn check_open(walk: &mut Walk, user: &UserFacts, who: &str, open: Attempt) {
    let ids = format!(
        "uid {} gid {} groups {}",
        user.uid,
        user.gid,
        if user.groups.is_empty() {
            "none".to_string()
        } else {
            user.groups
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",")
        }
    );
    match open {
        None => walk.checks.push(ok(
            "/dev/net/tun",
            format!("{who} may open /dev/net/tun read-write (opened as {ids})"),
        )),
        Some(e) => {
            walk.note(e);
            let (detail, fix) = match e {
                Errno::EACCES => (
                    format!("{who} may not open /dev/net/tun read-write: permission denied (EACCES), opened as {ids}"),
                    format!("give {who} read-write access: chmod 0666 /dev/net/tun (the usual mode), or setfacl -m u:{}:rw /dev/net/tun", user.name.clone().unwrap_or_else(|| user.uid.to_string())),
                ),
                Errno::EPERM => (
                    format!("opening /dev/net/tun as {who} is not permitted (EPERM): a device cgroup, container or security policy forbids it"),
                    "allow character device 10:200 for the user's processes (device cgroup, container or LSM policy)".to_string(),
                ),
                Errno::ENOENT => (
                    "/dev/net/tun does not exist".to_string(),
                    "load the tun module (modprobe tun) or create the node (mknod -m 666 /dev/net/tun c 10 200)".to_string(),
                ),
                other => (
                    format!("opening /dev/net/tun as {who} failed: {} ({other:?})", other.desc()),
                    "check the node: ls -l /dev/net/tun should show a character device 10, 200".to_string(),
                ),
            };
            walk.checks.push(fail("/dev/net/tun", detail, fix));
        }
    }
}

/// Check 2: The device does not exist: the kernel creates a missing name, if the
/// caller may.
fn check_missing(walk: &mut Walk, name: &str, user: &UserFacts, who: &str) {
    // The kernel creates a missing name, if the caller may: root gets a
    // new, empty, non-persistent device instead of the one it wanted.
    let (errno, what) = if user.uid == 0 {
        (
            Errno::ENODEV,
            "would create a new, non-persistent device of that name instead (root may), not reach the one meant",
        )
    } else {
        (
            Errno::EPERM,
            "would try to create it, which needs CAP_NET_ADMIN (EPERM)",
        )
    };
    walk.note(errno);
    walk.checks.push(fail(
        "device",
        format!("{name}: no such device here (in this network namespace); an attach by {who} {what}"),
        format!("create it: tuntapctl add {name} --user {} ...; if it lives in another network namespace, run tuntapctl --netns NS doctor {name} ...", user.name.clone().unwrap_or_else(|| user.uid.to_string())),
    ));
}

/// Check 2: The name is another kind of link: EINVAL.
fn check_not_tun(walk: &mut Walk, name: &str, dev: &DeviceFacts, kind: &str) {
    walk.note(Errno::EINVAL);
    walk.checks.push(fail(
        "device",
        format!("{name} (ifindex {}) is {kind}, not a tun/tap: an attach gets EINVAL", dev.index),
        format!("choose another name for the tun/tap, or remove {name} (ip link del {name}) and create it with tuntapctl add"),
    ));
}

/// Check 3: Mode: IFF_TUN or IFF_TAP must be the device's.
fn check_mode(walk: &mut Walk, name: &str, dev_mode: Mode, asked: &Asked) {
    let want_mode = asked.mode.unwrap_or(dev_mode);
    if want_mode == dev_mode {
        let how = if asked.mode.is_some() {
            "as asked"
        } else {
            "assumed: give --tun or --tap to check what the attacher asks for"
        };
        walk.checks.push(ok(
            "mode",
            format!(
                "{name} is a {dev_mode} ({how}); the attacher must ask for {}",
                mode_flag(dev_mode)
            ),
        ));
    } else {
        walk.note(Errno::EINVAL);
        walk.checks.push(fail(
            "mode",
            format!("{name} is a {dev_mode}, but the attacher asks for a {want_mode} ({}): EINVAL", mode_flag(want_mode)),
            format!("attach as a {dev_mode} ({}), or recreate it as a {want_mode}: tuntapctl del {name} && tuntapctl add {name} --{want_mode} ...", mode_flag(dev_mode)),
        ));
    }
}

/// Check 4: Multi-queue must match.
fn check_multi_queue(walk: &mut Walk, name: &str, dev: &DeviceFacts, asked: &Asked) {
    if asked.multi_queue == dev.multi_queue {
        walk.checks.push(ok(
            "multi-queue",
            format!(
                "{name} is {}, as asked",
                if dev.multi_queue {
                    "multi-queue"
                } else {
                    "single-queue"
                }
            ),
        ));
    } else if dev.multi_queue {
        walk.note(Errno::EINVAL);
        walk.checks.push(fail(
            "multi-queue",
            format!("{name} is multi-queue, but the attacher asks for a single queue (no IFF_MULTI_QUEUE): EINVAL"),
            format!("attach with IFF_MULTI_QUEUE (qemu: -netdev tap,...,queues=N), or recreate {name} without --multi-queue"),
        ));
    } else {
        walk.note(Errno::EINVAL);
        walk.checks.push(fail(
            "multi-queue",
            format!("{name} is single-queue, but the attacher asks for IFF_MULTI_QUEUE: EINVAL"),
            format!("attach without IFF_MULTI_QUEUE (qemu: drop queues=N), or recreate {name} with --multi-queue"),
        ));
    }
}

/// Check 5a: The owner, when there is one, must be the attacher.
fn check_owner(walk: &mut Walk, name: &str, dev: &DeviceFacts, user: &UserFacts, who: &str) {
    let privileged = user.uid == 0;
    let owner_label = |uid: u32| match &dev.owner_name {
        Some(n) => format!("{n} ({uid})"),
        None => format!("uid {uid}"),
    };
    match dev.owner {
        None => walk.checks.push(ok(
            "owner",
            format!("{name} has no owner: any user passes this check"),
        )),
        Some(o) if o == user.uid => walk
            .checks
            .push(ok("owner", format!("{name} is owned by {who}"))),
        Some(o) if privileged => walk.checks.push(ok(
            "owner",
            format!(
                "{name} is owned by {}, but uid 0 has CAP_NET_ADMIN and passes",
                owner_label(o)
            ),
        )),
        Some(o) => {
            walk.note(Errno::EPERM);
            walk.checks.push(fail(
                "owner",
                format!("{name} is owned by {}, not by {who}: EPERM", owner_label(o)),
                format!(
                    "give it to {who}: tuntapctl set {name} --user {}, or attach as {}",
                    user.name.clone().unwrap_or_else(|| user.uid.to_string()),
                    dev.owner_name.clone().unwrap_or_else(|| format!("uid {o}"))
                ),
            ));
        }
    }
}

/// Check 5b: The group, when there is one, must be one of the attacher's.
fn check_group(walk: &mut Walk, name: &str, dev: &DeviceFacts, user: &UserFacts, who: &str) {
    let privileged = user.uid == 0;
    match dev.group {
        None => walk.checks.push(ok(
            "group",
            format!("{name} has no group: any user passes this check"),
        )),
        Some(g) => {
            let glabel = dev
                .group_name
                .as_ref()
                .map(|n| format!("{n} ({g})"))
                .unwrap_or_else(|| user.group_label(g));
            let source = if user.groups_given {
                "as given with --group"
            } else {
                "in the group database"
            };
            if user.in_group(g) {
                let mut check = ok("group", format!("{who} is in {glabel} ({source})"));
                if !user.groups_given
                    && let Some(stale) = stale_sessions(user, g)
                {
                    check.detail = format!(
                        "{}; but {} of {who}'s running processes (e.g. {} pid {}) do not have it: it was added after they logged in, and processes keep their groups until the next login",
                        check.detail, stale.0, stale.1.command, stale.1.pid
                    );
                    check.fix = Some(format!(
                        "log out and in again (or start the attacher with: sg {} ...)",
                        dev.group_name.clone().unwrap_or_else(|| g.to_string())
                    ));
                }
                walk.checks.push(check);
            } else if privileged {
                walk.checks.push(ok(
                    "group",
                    format!("{name}'s group is {glabel}; uid 0 has CAP_NET_ADMIN and passes"),
                ));
            } else {
                walk.note(Errno::EPERM);
                let uname = user.name.clone().unwrap_or_else(|| user.uid.to_string());
                let gname = dev.group_name.clone().unwrap_or_else(|| g.to_string());
                walk.checks.push(fail(
                    "group",
                    format!("{name}'s group is {glabel}, and {who} is not in it ({source}): EPERM"),
                    format!("add {who} to it: usermod -aG {gname} {uname} (takes effect at the next login), or tuntapctl set {name} --group <a group of {who}>"),
                ));
            }
        }
    }
}

/// Check 6: A single-queue device takes one attacher.
fn check_busy(walk: &mut Walk, name: &str, dev: &DeviceFacts) {
    // Holders matched by name alone prove nothing by themselves; the
    // carrier (on while a queue is attached) does.
    let held = (!dev.holders.is_empty() && !dev.holders_unproven) || dev.carrier;
    let holder_text = if dev.holders.is_empty() {
        "a process this doctor cannot see (the carrier is on: in another namespace, or its /proc entry is unreadable)".to_string()
    } else {
        let names: Vec<String> = dev.holders.iter().map(|h| h.to_string()).collect();
        match &dev.holders_note {
            Some(note) => format!(
                "{} ({})",
                names.join(", "),
                note.trim_start_matches("note: ")
            ),
            None => names.join(", "),
        }
    };
    if dev.multi_queue {
        walk.checks.push(ok(
            "busy",
            format!(
                "{name} is multi-queue: more attachers may join ({} queue{} attached{})",
                dev.queues,
                if dev.queues == 1 { "" } else { "s" },
                if dev.holders.is_empty() {
                    String::new()
                } else {
                    format!(", by {holder_text}")
                }
            ),
        ));
    } else if held {
        walk.note(Errno::EBUSY);
        walk.checks.push(fail(
            "busy",
            format!("{name} is single-queue and already held by {holder_text}: EBUSY"),
            format!("stop the holder (or detach it) first; for several attachers recreate {name} with --multi-queue"),
        ));
    } else if !dev.holders.is_empty() {
        // Cannot tell: the carrier can be off while a queue is attached
        // (set --carrier off, IFF_NO_CARRIER).
        let mut check = ok(
            "busy",
            format!(
                "{name} is single-queue and its carrier is off, so nothing is proven to hold it: {holder_text} holds a device of this name, maybe in another namespace"
            ),
        );
        check.fix = Some(format!(
            "if attaching fails with EBUSY, that process holds {name} itself (its carrier was turned off): stop it first"
        ));
        walk.checks.push(check);
    } else {
        walk.checks.push(ok(
            "busy",
            format!("{name} is single-queue and nothing holds it"),
        ));
    }
}

/// Check 7: At most 256 queues.
fn check_queues(walk: &mut Walk, name: &str, dev: &DeviceFacts) {
    let used = dev.queues.saturating_add(dev.disabled_queues);
    if !dev.multi_queue {
        walk.checks
            .push(ok("queues", "single-queue: one queue at most"));
    } else if used >= crate::tun::MAX_QUEUES {
        walk.note(Errno::E2BIG);
        walk.checks.push(fail(
            "queues",
            format!("{name} already has {used} queues ({} attached, {} disabled), the kernel's limit of {}: E2BIG", dev.queues, dev.disabled_queues, crate::tun::MAX_QUEUES),
            "close some queues (fewer qemu queues=N) before another attaches",
        ));
    } else {
        walk.checks.push(ok(
            "queues",
            format!("{used} of {} queues in use", crate::tun::MAX_QUEUES),
        ));
    }
}

/// Not a check the kernel makes: the attacher's pi/vnet_hdr win.
fn flags_check(dev: &DeviceFacts, asked: &Asked) -> Check {
    let mut differ = Vec::new();
    if asked.pi != dev.pi {
        differ.push(format!(
            "pi {} -> {}",
            flag_word(dev.pi),
            flag_word(asked.pi)
        ));
    }
    if asked.vnet_hdr != dev.vnet_hdr {
        differ.push(format!(
            "vnet_hdr {} -> {}",
            flag_word(dev.vnet_hdr),
            flag_word(asked.vnet_hdr)
        ));
    }
    if differ.is_empty() {
        ok(
            "flags",
            format!(
                "pi {} and vnet_hdr {}, as asked",
                flag_word(dev.pi),
                flag_word(dev.vnet_hdr)
            ),
        )
    } else {
        ok(
            "flags",
            format!(
                "not an error: the attach rewrites the device's flags ({})",
                differ.join(", ")
            ),
        )
    }
}

/// The user's processes that lack a group the database gives them: the
/// count and the oldest (lowest pid).
fn stale_sessions(user: &UserFacts, gid: u32) -> Option<(usize, &Session)> {
    let stale: Vec<&Session> = user
        .sessions
        .iter()
        .filter(|s| !s.groups.contains(&gid))
        .collect();
    let oldest = stale.iter().min_by_key(|s| s.pid)?;
    Some((stale.len(), oldest))
}

/// Add the `--try` line and the verdict. A real attach is the truth: when
/// it disagrees with the prediction, it wins and the line says so.
fn finish(
    mut checks: Vec<Check>,
    predicted: Option<Errno>,
    device_exists: bool,
    attempt: Option<Attempt>,
    asked: &Asked,
    link_up: bool,
) -> Diagnosis {
    let mut errno = predicted;
    if let Some(result) = attempt {
        let agree = result == predicted;
        let mut check = match result {
            None if link_up => ok(
                "try",
                "attached as the user and detached again; the link is up, so its carrier flickered on and off (listeners such as tuntapctl monitor saw attached, then detached)",
            ),
            None => ok(
                "try",
                "attached as the user and detached again (the link is down: the carrier flicker was not announced)",
            ),
            Some(e) => fail(
                "try",
                format!(
                    "a real attach as the user failed: TUNSETIFF: {} ({e:?})",
                    e.desc()
                ),
                "see the failing checks above",
            ),
        };
        if !agree {
            check.ok = false;
            check.detail = format!(
                "{}; the checks above predicted {}: something else decides here (a security module, or the device changed meanwhile)",
                check.detail,
                match predicted {
                    None => "success".to_string(),
                    Some(e) => format!("{e:?}"),
                }
            );
            check.fix = Some(
                "look for LSM denials (journalctl -k, ausearch -m avc) and run doctor again".into(),
            );
        }
        checks.push(check);
        errno = result;
    } else if asked.try_attach {
        checks.push(ok(
            "try",
            if device_exists {
                "not tried: the user cannot even open /dev/net/tun, or the name is not a tun/tap"
            } else {
                "not tried: there is no device to attach to (an attach would try to create one)"
            },
        ));
    }
    Diagnosis {
        checks,
        status: status_for(errno, device_exists),
        errno,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::render_text;
    use crate::procscan::Holder;
    use std::collections::BTreeMap;

    fn other(mode: Mode) -> Mode {
        match mode {
            Mode::Tun => Mode::Tap,
            Mode::Tap => Mode::Tun,
        }
    }

    fn user() -> UserFacts {
        UserFacts {
            uid: 1000,
            name: Some("waldner".into()),
            gid: 1000,
            groups: vec![27],
            groups_given: false,
            group_names: BTreeMap::from([(27, "sudo".into()), (108, "kvm".into())]),
            sessions: vec![],
        }
    }

    fn tap() -> DeviceFacts {
        DeviceFacts {
            index: 7,
            not_tun: None,
            mode: Some(Mode::Tap),
            owner: Some(1000),
            owner_name: Some("waldner".into()),
            group: None,
            group_name: None,
            pi: false,
            vnet_hdr: false,
            multi_queue: false,
            queues: 0,
            disabled_queues: 0,
            up: true,
            carrier: false,
            holders: vec![],
            holders_note: None,
            holders_unproven: false,
        }
    }

    fn asked() -> Asked {
        Asked {
            mode: Some(Mode::Tap),
            ..Default::default()
        }
    }

    fn run(dev: Option<&DeviceFacts>, u: &UserFacts, a: &Asked) -> Diagnosis {
        diagnose("tap44", dev, u, a, None, None)
    }

    fn failed(d: &Diagnosis) -> Vec<&'static str> {
        d.checks.iter().filter(|c| !c.ok).map(|c| c.check).collect()
    }

    #[test]
    fn all_good() {
        let d = run(Some(&tap()), &user(), &asked());
        assert_eq!(d.status, ExitStatus::Success);
        assert_eq!(d.errno, None);
        assert!(failed(&d).is_empty(), "{d:?}");
        let order: Vec<_> = d.checks.iter().map(|c| c.check).collect();
        assert_eq!(
            order,
            [
                "/dev/net/tun",
                "device",
                "mode",
                "multi-queue",
                "owner",
                "group",
                "busy",
                "queues",
                "flags"
            ]
        );
    }

    #[test]
    fn open_refused_comes_first() {
        let mut dev = tap();
        dev.owner = Some(1);
        let d = diagnose(
            "tap44",
            Some(&dev),
            &user(),
            &asked(),
            Some(Errno::EACCES),
            None,
        );
        assert_eq!(d.errno, Some(Errno::EACCES));
        assert_eq!(d.status, ExitStatus::Permission);
        assert_eq!(failed(&d), ["/dev/net/tun", "owner"]);
        assert!(
            d.checks[0]
                .fix
                .as_deref()
                .unwrap()
                .contains("setfacl -m u:waldner:rw")
        );
    }

    #[test]
    fn missing_device() {
        let d = run(None, &user(), &asked());
        assert_eq!(d.status, ExitStatus::NotFound);
        assert!(d.checks[1].detail.contains("no such device here"));
        let mut root = user();
        root.uid = 0;
        let d = run(None, &root, &asked());
        assert_eq!(
            (d.status, d.errno),
            (ExitStatus::NotFound, Some(Errno::ENODEV))
        );
        // A missing /dev/net/tun is exit 1, whatever the device.
        let d = diagnose("tap44", None, &user(), &asked(), Some(Errno::ENOENT), None);
        assert_eq!(d.status, ExitStatus::Failed);
        let d = diagnose(
            "tap44",
            Some(&tap()),
            &user(),
            &asked(),
            Some(Errno::ENOENT),
            None,
        );
        assert_eq!(d.status, ExitStatus::Failed);
    }

    #[test]
    fn not_a_tun() {
        let mut dev = tap();
        dev.not_tun = Some("a veth device".into());
        let d = run(Some(&dev), &user(), &asked());
        assert_eq!(
            (d.status, d.errno),
            (ExitStatus::Conflict, Some(Errno::EINVAL))
        );
    }

    #[test]
    fn mode_and_multi_queue() {
        let a = Asked {
            mode: Some(other(Mode::Tap)),
            ..asked()
        };
        let d = run(Some(&tap()), &user(), &a);
        assert_eq!(
            (d.status, d.errno),
            (ExitStatus::Conflict, Some(Errno::EINVAL))
        );
        assert_eq!(failed(&d), ["mode"]);
        let a = Asked {
            multi_queue: true,
            ..asked()
        };
        let d = run(Some(&tap()), &user(), &a);
        assert_eq!(failed(&d), ["multi-queue"]);
        assert_eq!(d.status, ExitStatus::Conflict);
        // No mode asked: the device's is assumed.
        let d = run(Some(&tap()), &user(), &Asked::default());
        assert_eq!(d.status, ExitStatus::Success);
        assert!(d.checks[2].detail.contains("assumed"));
    }

    #[test]
    fn mode_before_owner() {
        let mut dev = tap();
        dev.owner = Some(1);
        let a = Asked {
            mode: Some(Mode::Tun),
            ..asked()
        };
        let d = run(Some(&dev), &user(), &a);
        assert_eq!(d.errno, Some(Errno::EINVAL));
        assert_eq!(failed(&d), ["mode", "owner"]);
    }

    #[test]
    fn owner_and_group() {
        let mut dev = tap();
        dev.owner = Some(1);
        dev.owner_name = Some("daemon".into());
        let d = run(Some(&dev), &user(), &asked());
        assert_eq!(
            (d.status, d.errno),
            (ExitStatus::Permission, Some(Errno::EPERM))
        );
        assert!(
            d.checks[4]
                .fix
                .as_deref()
                .unwrap()
                .contains("tuntapctl set tap44 --user waldner")
        );

        let mut dev = tap();
        dev.owner = None;
        dev.group = Some(108);
        dev.group_name = Some("kvm".into());
        let d = run(Some(&dev), &user(), &asked());
        assert_eq!(failed(&d), ["group"]);
        assert!(
            d.checks[5]
                .fix
                .as_deref()
                .unwrap()
                .contains("usermod -aG kvm waldner")
        );

        let mut u = user();
        u.groups.push(108);
        assert_eq!(run(Some(&dev), &u, &asked()).status, ExitStatus::Success);
        // The primary group counts too.
        let mut u = user();
        u.gid = 108;
        assert_eq!(run(Some(&dev), &u, &asked()).status, ExitStatus::Success);
        // root passes both.
        let mut u = user();
        u.uid = 0;
        dev.owner = Some(1);
        assert_eq!(run(Some(&dev), &u, &asked()).status, ExitStatus::Success);
    }

    #[test]
    fn group_added_after_login() {
        let mut dev = tap();
        dev.group = Some(108);
        dev.group_name = Some("kvm".into());
        let mut u = user();
        u.groups.push(108);
        u.sessions = vec![
            Session {
                pid: 900,
                command: "bash".into(),
                groups: vec![27],
            },
            Session {
                pid: 950,
                command: "sshd".into(),
                groups: vec![27, 108],
            },
        ];
        let d = run(Some(&dev), &u, &asked());
        assert_eq!(d.status, ExitStatus::Success);
        let g = &d.checks[5];
        assert!(g.ok);
        assert!(g.detail.contains("bash pid 900"), "{}", g.detail);
        assert!(g.fix.is_some());
        // No note when every session has it, or when --group gave the groups.
        u.sessions.remove(0);
        assert!(run(Some(&dev), &u, &asked()).checks[5].fix.is_none());
    }

    #[test]
    fn busy_and_queues() {
        let mut dev = tap();
        dev.holders = vec![Holder {
            pid: 1234,
            command: "qemu-system-x86".into(),
        }];
        let d = run(Some(&dev), &user(), &asked());
        assert_eq!((d.status, d.errno), (ExitStatus::Busy, Some(Errno::EBUSY)));
        assert!(d.checks[6].detail.contains("qemu-system-x86 (pid 1234)"));
        // Matched by name alone (a kernel before 5.6): said beside them, and
        // without the carrier they prove nothing.
        dev.holders_note = Some("note: this kernel lacks pidfd_getfd (Linux 5.6): ...".into());
        dev.holders_unproven = true;
        let d = run(Some(&dev), &user(), &asked());
        assert_eq!(d.status, ExitStatus::Success);
        assert!(
            d.checks[6].detail.contains("nothing is proven to hold it"),
            "{}",
            d.checks[6].detail
        );
        dev.carrier = true;
        let d = run(Some(&dev), &user(), &asked());
        assert!(
            d.checks[6]
                .detail
                .contains("qemu-system-x86 (pid 1234) (this kernel lacks pidfd_getfd"),
            "{}",
            d.checks[6].detail
        );
        // Held but invisible: the carrier tells.
        let mut dev = tap();
        dev.carrier = true;
        assert_eq!(run(Some(&dev), &user(), &asked()).status, ExitStatus::Busy);
        // Owner refused before busy.
        let mut dev = tap();
        dev.owner = Some(1);
        dev.carrier = true;
        assert_eq!(run(Some(&dev), &user(), &asked()).errno, Some(Errno::EPERM));
        // Multi-queue: holders are fine, 256 queues are not.
        let mut dev = tap();
        dev.multi_queue = true;
        dev.queues = 3;
        dev.carrier = true;
        let a = Asked {
            multi_queue: true,
            ..asked()
        };
        assert_eq!(run(Some(&dev), &user(), &a).status, ExitStatus::Success);
        dev.queues = 250;
        dev.disabled_queues = 6;
        let d = run(Some(&dev), &user(), &a);
        assert_eq!((d.status, d.errno), (ExitStatus::Busy, Some(Errno::E2BIG)));
    }

    #[test]
    fn flags_only_noted() {
        let a = Asked {
            pi: true,
            vnet_hdr: true,
            ..asked()
        };
        let d = run(Some(&tap()), &user(), &a);
        assert_eq!(d.status, ExitStatus::Success);
        assert!(d.checks.last().unwrap().detail.contains("pi off -> on"));
    }

    #[test]
    fn try_is_the_truth() {
        let a = Asked {
            try_attach: true,
            ..asked()
        };
        let d = diagnose("tap44", Some(&tap()), &user(), &a, None, Some(None));
        assert_eq!(d.status, ExitStatus::Success);
        assert!(d.checks.last().unwrap().detail.contains("carrier"));
        let d = diagnose(
            "tap44",
            Some(&tap()),
            &user(),
            &a,
            None,
            Some(Some(Errno::EPERM)),
        );
        assert_eq!(d.status, ExitStatus::Permission);
        let last = d.checks.last().unwrap();
        assert!(!last.ok && last.detail.contains("predicted success"));
        // Missing device: not tried, no ghost made.
        let d = diagnose("tap44", None, &user(), &a, None, None);
        assert!(d.checks.last().unwrap().detail.contains("not tried"));
    }

    #[test]
    fn exit_for_errno() {
        assert_eq!(status_for(None, true), ExitStatus::Success);
        assert_eq!(status_for(Some(Errno::EPERM), true), ExitStatus::Permission);
        assert_eq!(status_for(Some(Errno::EPERM), false), ExitStatus::NotFound);
        assert_eq!(status_for(Some(Errno::EINVAL), true), ExitStatus::Conflict);
        assert_eq!(status_for(Some(Errno::EBUSY), true), ExitStatus::Busy);
        assert_eq!(status_for(Some(Errno::E2BIG), true), ExitStatus::Busy);
    }

    #[test]
    fn text_has_fix_and_verdict() {
        let mut dev = tap();
        dev.owner = Some(1);
        dev.owner_name = None;
        let d = run(Some(&dev), &user(), &asked());
        let text = render_text("tap44", &user(), &d).join("\n");
        assert!(text.contains("FAIL owner"), "{text}");
        assert!(text.contains("fix: give it to waldner"), "{text}");
        assert!(
            text.ends_with("fails with Operation not permitted (EPERM) (exit 5)"),
            "{text}"
        );
    }
}
