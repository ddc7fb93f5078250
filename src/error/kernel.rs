//! The one place that turns a kernel errno into a message, per step: the
//! same errno means different things when opening /dev/net/tun, attaching,
//! setting an owner, making a device persistent, each netlink step, or
//! deleting. Bulk and single paths call the same function, so the same
//! failure reads the same everywhere.

use nix::errno::Errno;

use super::{Error, HolderInfo, NEED_NET_ADMIN, errno_text};

/// The most queues a multi-queue tun/tap takes (MAX_TAP_QUEUES); one
/// more attach is E2BIG.
pub const MAX_QUEUES: u32 = 256;

/// What the program was doing when the kernel said no.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Opening the clone device (/dev/net/tun or `-f PATH`).
    Open { path: String },
    /// TUNSETIFF creating a new device.
    Create,
    /// TUNSETIFF attaching to an existing device to re-own it.
    Reattach,
    /// TUNSETOWNER / TUNSETGROUP.
    SetId { group: bool, id: u32 },
    /// TUNSETPERSIST 1.
    Persist,
    /// One netlink change of a link.
    Link(LinkStep),
    /// RTM_DELLINK.
    Delete,
    /// A netlink read (dump or lookup) of `what`.
    Read { what: String },
}

/// The netlink steps of converging a link, each with the words that
/// describe it ("mtu 9000", "address 10.0.0.1/24").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkStep {
    /// MAC, MTU, txqueuelen, master, alias, addrgenmode... (`mac` says
    /// whether a MAC is among them).
    Settings {
        text: String,
        mac: bool,
    },
    CarrierOn,
    CarrierOff,
    AddAddress {
        text: String,
        ipv6: bool,
    },
    DelAddress {
        text: String,
    },
    UpDown {
        up: bool,
    },
    Rename {
        to: String,
    },
    Move {
        to: String,
    },
    /// IFLA_MASTER: `name` is the master (empty with `free`), `kind` what it
    /// is ("a bridge device", "the loopback device").
    Master {
        name: String,
        kind: String,
        free: bool,
    },
    /// IFLA_INET6_ADDR_GEN_MODE, with ip's word for it.
    AddrGenMode {
        word: String,
    },
}

impl LinkStep {
    pub fn text(&self) -> String {
        match self {
            LinkStep::Settings { text, .. }
            | LinkStep::AddAddress { text, .. }
            | LinkStep::DelAddress { text } => text.clone(),
            LinkStep::CarrierOn => "carrier on".into(),
            LinkStep::CarrierOff => "carrier off".into(),
            LinkStep::UpDown { up: true } => "up".into(),
            LinkStep::UpDown { up: false } => "down".into(),
            LinkStep::Rename { to } => format!("renamed to {}", crate::text::printable(to)),
            LinkStep::Move { to } => format!("moved to {}", crate::text::printable(to)),
            LinkStep::Master { free: true, .. } => "nomaster".into(),
            LinkStep::Master { name, .. } => format!("master {}", crate::text::printable(name)),
            LinkStep::AddrGenMode { word } => format!("addrgenmode {word}"),
        }
    }
}

/// A permission error from a kernel step.
pub fn permission(name: &str, doing: &str) -> Error {
    Error::permission(format!("{name}: {doing}: permission denied"))
        .fix(NEED_NET_ADMIN)
        .on(name)
}

/// The device went away while we were working on it: our fd is detached
/// (EBADFD) or the netlink request found no such index (ENODEV).
pub fn deleted(name: &str, while_doing: &str) -> Error {
    Error::not_found(format!(
        "{name}: was deleted by another process while {while_doing}; nothing more was changed"
    ))
    .fix("see `tuntapctl list`, and add it again if it is still wanted")
    .on(name)
}

/// A device is held and cannot be attached or deleted: name the holders.
pub fn busy(name: &str, to_do: &str, holders: Vec<HolderInfo>) -> Error {
    let list = if holders.is_empty() {
        "a process (not visible from here)".to_string()
    } else {
        holder_list(&holders)
    };
    Error::busy(format!(
        "{name}: is in use by {list}, so it cannot be attached to {to_do}"
    ))
    .fix("stop that process first, or delete and re-create the interface")
    .on(name)
    .with_holders(holders)
}

/// `qemu (pid 12), openvpn (pid 13)`: the one way holders are listed.
pub fn holder_list(holders: &[HolderInfo]) -> String {
    holders
        .iter()
        .map(|h| format!("{} (pid {})", crate::text::printable(&h.command), h.pid))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A kernel whose tun driver cannot change the carrier: what still works.
fn carrier_unsupported(name: &str, text: &str, after: &str) -> Error {
    let lacks = crate::kernel_features::Feature::TunCarrier.described();
    Error::failed(format!(
        "{name}: setting {text} failed: this kernel lacks {lacks}: its tun driver cannot change a carrier (EOPNOTSUPP){after}"
    ))
    .fix("leave out --carrier: the carrier still follows attachment (it comes on when a process attaches to the up device, off when the last one detaches), and every other setting works")
}

pub fn carrier_needs_a_holder(name: &str) -> Error {
    Error::conflict(format!(
        "{name}: cannot turn the carrier on: the kernel allows carrier only while a process is attached, and it drops again when the last one detaches"
    ))
    .fix(format!("start the process that uses {name} first"))
    .on(name)
}

/// TUNSETOWNER / TUNSETGROUP of `id` on `name` failed.
pub fn id_error(name: &str, group: bool, id: u32, errno: Errno) -> Error {
    error(&Step::SetId { group, id }, name, errno, &[])
}

/// A path the user named that we open: an input FILE or a namespace file.
/// The strings are already escaped for a terminal.
pub enum Opening<'a> {
    /// An apply or batch FILE (`what` is "apply file", ...); `as_whom` says
    /// who tried (" by alice (uid 1000), who ran sudo"), or is empty.
    Input {
        what: &'a str,
        path: &'a str,
        as_whom: &'a str,
    },
    /// The namespace of `option` (`--netns`, `--move-to`), `spec` as given,
    /// `path` where it points.
    Netns {
        option: &'a str,
        spec: &'a str,
        path: &'a str,
    },
}

/// Map an `open(2)` failure of a path the user named.
pub fn open_error(opening: &Opening, errno: Errno) -> Error {
    match (opening, errno) {
        (Opening::Input { what, path, .. }, Errno::ENOENT | Errno::ENOTDIR) => {
            Error::usage(format!("{what} {path} does not exist"))
        }
        (
            Opening::Input {
                what,
                path,
                as_whom,
            },
            Errno::EACCES | Errno::EPERM,
        ) => Error::permission(format!(
            "{what} {path} cannot be read{as_whom}: permission denied"
        )),
        (Opening::Input { what, path, .. }, Errno::ENXIO) => Error::usage(format!(
            "{what} {path} cannot be read: it is a FIFO or socket with no writer; give a file, or - for stdin"
        )),
        (
            Opening::Input {
                what,
                path,
                as_whom,
            },
            other,
        ) => Error::usage(format!(
            "{what} {path} cannot be read{as_whom}: {}",
            errno_text(other as i32)
        )),
        (Opening::Netns { option, spec, path }, Errno::ENOENT | Errno::ENOTDIR) => {
            Error::usage(format!(
                "{option} {spec}: network namespace not found ({path} does not exist); list them with `ip netns list`"
            ))
        }
        (Opening::Netns { option, spec, path }, Errno::EACCES | Errno::EPERM) => Error::permission(
            format!("{option} {spec}: cannot open {path}: permission denied; run as root"),
        ),
        (Opening::Netns { option, spec, path }, other) => Error::usage(format!(
            "{option} {spec}: cannot open {path}: {}; give a name under /run/netns, /proc/PID/ns/net, or a PID",
            errno_text(other as i32)
        )),
    }
}

/// Map a `setns(2)` failure for the namespace the user gave as `spec`.
pub fn setns_error(spec: &str, errno: Errno) -> Error {
    match errno {
        Errno::EPERM => Error::permission(format!(
            "cannot enter network namespace \"{spec}\": permission denied; entering a namespace needs CAP_SYS_ADMIN (run as root)"
        )),
        other => Error::failed(format!(
            "cannot enter network namespace \"{spec}\": {}",
            errno_text(other as i32)
        )),
    }
}

/// Map `errno` from `step` on interface `name`. `done` lists what the same
/// command already changed, for the message.
pub fn error(step: &Step, name: &str, errno: Errno, done: &[String]) -> Error {
    let after = if done.is_empty() {
        String::new()
    } else {
        format!(" (already applied: {})", done.join(", "))
    };
    let e = match step {
        Step::Open { path } if name.is_empty() => open(path, errno),
        Step::Open { path } => open(path, errno).context(name),
        Step::Create => create(name, errno),
        Step::Reattach => match errno {
            Errno::EBUSY => busy(name, "change its owner or group", Vec::new()),
            Errno::EPERM => permission(name, "attaching to change the owner or group"),
            Errno::EINVAL => Error::conflict(format!(
                "{name}: changed underneath us (its mode or multi-queue setting no longer matches)"
            ))
            .fix(format!("look at it with tuntapctl show {name} and retry")),
            Errno::E2BIG => Error::busy(format!(
                "{name}: already has {MAX_QUEUES} queues attached, the kernel's maximum for a multi-queue device (E2BIG), so it cannot be attached once more to change its owner or group"
            ))
            .fix(format!("stop one of the processes attached to it (see `tuntapctl show {name}`) and retry")),
            other => Error::failed(format!(
                "{name}: attaching to change the owner or group failed: {}",
                errno_text(other as i32)
            )),
        },
        Step::SetId { group, id } => {
            let (what, id_kind) = if *group {
                ("group", "gid")
            } else {
                ("owner", "uid")
            };
            match errno {
                Errno::EBADFD => deleted(name, &format!("its {what} was being set")),
                Errno::EINVAL => Error::usage(format!(
                    "{name}: cannot set {what} {id_kind} {id}: the kernel refused it (EINVAL): the id is not mapped in this user namespace"
                ))
                .fix("use an id that exists inside the namespace"),
                Errno::EPERM => permission(name, &format!("setting {what} {id}")),
                other => Error::failed(format!(
                    "{name}: setting {what} {id} failed: {}",
                    errno_text(other as i32)
                )),
            }
        }
        Step::Persist => match errno {
            Errno::EPERM => permission(name, "making the device persistent"),
            Errno::EBADFD => deleted(name, "it was being made persistent"),
            other => Error::failed(format!(
                "{name}: making the device persistent failed: {}",
                errno_text(other as i32)
            )),
        },
        Step::Link(link_step) => link(name, link_step, errno, &after),
        Step::Delete => match errno {
            Errno::EPERM | Errno::EACCES => permission(name, "deleting"),
            Errno::EOPNOTSUPP => Error::failed(format!(
                "{name}: deleting failed: the kernel does not allow deleting it over netlink (EOPNOTSUPP)"
            ))
            .fix("stop the process that created it, which removes a non-persistent device"),
            Errno::EBUSY => Error::busy(format!(
                "{name}: deleting failed: the device is busy (EBUSY)"
            ))
            .fix(format!("stop the processes using it (see `tuntapctl show {name}`) and retry")),
            other => Error::failed(format!(
                "{name}: deleting failed: {}",
                errno_text(other as i32)
            )),
        },
        Step::Read { what } => read(what, errno),
    };
    if name.is_empty() { e } else { e.on(name) }
}

fn open(path: &str, errno: Errno) -> Error {
    match errno {
        Errno::ENOENT => Error::failed(format!("{path} does not exist")).fix(format!(
            "load the tun module (modprobe tun) or create the node (mknod {path} c 10 200)"
        )),
        Errno::ENODEV | Errno::ENXIO => Error::failed(format!(
            "{path}: the tun driver is not available in this kernel"
        ))
        .fix("load it with modprobe tun"),
        Errno::EACCES => Error::permission(format!(
            "cannot open {path}: permission denied (EACCES): the node is not readable and writable for this user"
        ))
        .fix(format!("run as root (sudo tuntapctl ...), or give the user read-write access to {path} (it is usually mode 0666) plus CAP_NET_ADMIN")),
        Errno::EPERM => Error::permission(format!(
            "cannot open {path}: operation not permitted (EPERM): a device cgroup, container or security policy forbids the tun device here"
        ))
        .fix("allow character device 10:200 for this process or run it on the host"),
        other => Error::failed(format!("cannot open {path}: {}", errno_text(other as i32))),
    }
}

/// TUNSETIFF refused to create `name` for a reason other than "it exists".
fn create(name: &str, errno: Errno) -> Error {
    match errno {
        Errno::EPERM => permission(name, "creating the device"),
        Errno::EINVAL => Error::usage(format!(
            "{name}: the kernel refused the name or flags (EINVAL)"
        ))
        .fix("check the name against the rules in tuntapctl-add(8)"),
        Errno::ENFILE => Error::failed(format!("{name}: no free name for the template (ENFILE)"))
            .fix("delete unused interfaces or use another template"),
        Errno::ENOMEM | Errno::ENOBUFS => Error::failed(format!(
            "{name}: creating the device failed: the kernel is out of memory ({errno})"
        ))
        .fix("free memory or create fewer queues, then retry"),
        other => Error::failed(format!(
            "{name}: creating the device failed: {}",
            errno_text(other as i32)
        )),
    }
}

fn link(name: &str, step: &LinkStep, errno: Errno, after: &str) -> Error {
    if let Some(e) = around(name, step, errno, after) {
        return e;
    }
    let text = step.text();
    let ipv6_add = matches!(step, LinkStep::AddAddress { ipv6: true, .. });
    let add = matches!(step, LinkStep::AddAddress { .. });
    let mac = matches!(step, LinkStep::Settings { mac: true, .. });
    match errno {
        Errno::EPERM | Errno::EACCES if *step == LinkStep::CarrierOn => {
            carrier_needs_a_holder(name)
        }
        // The kernel answers EACCES (not EPERM) when IPv6 is disabled on the
        // device; a missing capability is EPERM.
        Errno::EACCES if ipv6_add => Error::failed(format!(
            "{name}: adding {text} failed: IPv6 is disabled on {name} (net.ipv6.conf.{name}.disable_ipv6 = 1; EACCES){after}"
        ))
        .fix(format!("enable it with `sysctl -w net.ipv6.conf.{name}.disable_ipv6=0` (and net.ipv6.conf.default.disable_ipv6=0 for new interfaces), or give an IPv4 address")),
        Errno::EAFNOSUPPORT if ipv6_add => Error::failed(format!(
            "{name}: adding {text} failed: this kernel has no IPv6 (booted with ipv6.disable=1 or built without it; EAFNOSUPPORT){after}"
        ))
        .fix("give an IPv4 address or enable IPv6 in the kernel"),
        Errno::EPERM | Errno::EACCES => permission(name, &format!("setting {text}")),
        Errno::EADDRNOTAVAIL if add => Error::usage(format!(
            "{name}: adding {text} failed: the kernel refused the address (EADDRNOTAVAIL){after}"
        ))
        .fix("give a unicast address (and a peer of the same family)"),
        Errno::EADDRNOTAVAIL => Error::usage(format!(
            "{name}: setting {text} failed: the kernel refused the address (EADDRNOTAVAIL){after}"
        ))
        .fix("give a unicast MAC address (the low bit of the first byte clear)"),
        // Renaming answers EBUSY only for an up device, on kernels that
        // cannot rename one (before Linux 6.2).
        Errno::EBUSY if matches!(step, LinkStep::Rename { .. }) => {
            let lacks = crate::kernel_features::Feature::LiveRename.described();
            Error::busy(format!(
                "{name}: cannot be {text}: it is up, and this kernel lacks {lacks}: it renames only a device that is down (EBUSY){after}"
            ))
            .fix(format!("bring it down first (tuntapctl set {name} --down), rename it, then bring it up again; attached processes keep their fds"))
        }
        // Only tun drivers without carrier changes (before Linux 5.0)
        // answer so: named as what this kernel lacks.
        Errno::EOPNOTSUPP if matches!(step, LinkStep::CarrierOn | LinkStep::CarrierOff) => {
            carrier_unsupported(name, &text, after)
        }
        Errno::EOPNOTSUPP if mac => Error::usage(format!(
            "{name}: setting {text} failed: not supported by this device (EOPNOTSUPP){after}"
        ))
        .fix("a tun has no MAC address, only a tap has one"),
        Errno::EOPNOTSUPP => Error::failed(format!(
            "{name}: setting {text} failed: not supported by this device (EOPNOTSUPP){after}"
        ))
        .fix(format!("see `tuntapctl show {name}` for what it is")),
        Errno::EEXIST if ipv6_add => Error::conflict(format!(
            "{name}: adding {text} failed: the address is already on {name} with another prefix length (EEXIST){after}; an IPv6 address can be on an interface only once: remove the old one first (tuntapctl set {name} --del-address ADDRESS/PREFIX"
        ))
        .fix(format!("see `tuntapctl show {name}`)")),
        Errno::EEXIST if add => Error::conflict(format!(
            "{name}: adding {text} failed: the address already exists on {name} (EEXIST){after}"
        ))
        .fix(format!("remove it first (tuntapctl set {name} --del-address ...), see `tuntapctl show {name}`")),
        Errno::EEXIST => Error::conflict(format!(
            "{name}: {text} failed: the name is already taken (EEXIST){after}"
        ))
        .fix("pick a free name (see `tuntapctl list`)"),
        Errno::ENODEV => Error::not_found(format!(
            "{name}: was deleted by another process while setting {text} (ENODEV){after}"
        ))
        .fix("see `tuntapctl list`, and add it again if it is still wanted"),
        Errno::EBUSY => Error::busy(format!(
            "{name}: setting {text} failed: the device is busy (EBUSY){after}"
        ))
        .fix(format!("bring it down first (tuntapctl set {name} --down) or stop the process using it, then retry")),
        Errno::EINVAL => Error::usage(format!(
            "{name}: setting {text} failed: the kernel rejected the value (EINVAL){after}"
        ))
        .fix(format!("check it against `tuntapctl show {name}`")),
        other => Error::failed(format!(
            "{name}: setting {text} failed: {}{after}",
            errno_text(other as i32)
        )),
    }
}

/// The steps of SPEC §6 whose errnos mean something of their own: None
/// falls through to the general link mapping.
fn around(name: &str, step: &LinkStep, errno: Errno, after: &str) -> Option<Error> {
    Some(match (step, errno) {
        (
            LinkStep::Master {
                name: master,
                kind,
                free: false,
            },
            Errno::EOPNOTSUPP,
        ) => {
            let master = crate::text::printable(master);
            Error::conflict(format!(
                "{name}: cannot be a port of {master}: {master} is {kind}, which cannot be a master (EOPNOTSUPP){after}"
            ))
            .fix("give a bridge, bond or vrf (see `ip link show type bridge`)")
        }
        (LinkStep::Master { free: true, .. }, Errno::EOPNOTSUPP) => Error::failed(format!(
            "{name}: cannot be freed from its master: the master does not release ports (EOPNOTSUPP){after}"
        ))
        .fix(format!("see `ip -d link show {name}`")),
        // A bridge refuses a port that is not Ethernet (a tun) with
        // EINVAL; so does the kernel when the master's index is gone.
        (
            LinkStep::Master {
                name: master,
                kind,
                free: false,
            },
            Errno::EINVAL,
        ) => {
            let master = crate::text::printable(master);
            Error::conflict(format!(
                "{name}: cannot be a port of {master} ({kind}): the kernel refused it (EINVAL): a bridge takes only Ethernet devices (a tap, not a tun), or {master} was deleted just now{after}"
            ))
            .fix(format!("see `ip -d link show {master}`"))
        }
        (
            LinkStep::Master {
                name: master,
                free: false,
                ..
            },
            Errno::ELOOP | Errno::EBUSY,
        ) => Error::conflict(format!(
            "{name}: cannot be a port of {}: the kernel refused ({errno}: it would make a loop, or {name} is already part of another stack){after}; see `ip -d link show {name}`",
            crate::text::printable(master)
        )),
        (LinkStep::AddrGenMode { word }, Errno::EINVAL) if word == "stable_secret" => {
            Error::usage(format!(
                "{name}: setting addrgenmode stable_secret failed: no secret is set (EINVAL){after}"
            ))
            .fix(format!("set one first (sysctl -w net.ipv6.conf.{name}.stable_secret=<an IPv6 address>, or net.ipv6.conf.default.stable_secret) or choose another mode"))
        }
        (LinkStep::AddrGenMode { .. }, Errno::EAFNOSUPPORT) => Error::failed(format!(
            "{name}: {} failed: IPv6 is not available on {name} (no IPv6 in this kernel, or the device has no IPv6 state; EAFNOSUPPORT){after}; without IPv6 there is no link-local address to control",
            step.text()
        )),
        (LinkStep::Move { to }, Errno::EEXIST) => Error::conflict(format!(
            "{name}: cannot be moved to {}: a device named {name} already exists there (EEXIST){after}; move it under another name with --rename NEW, or remove the other one",
            crate::text::printable(to)
        )),
        (LinkStep::Move { to }, Errno::EINVAL | Errno::EBADF) => Error::usage(format!(
            "{name}: cannot be moved to {}: the kernel does not take it as a network namespace ({errno}){after}; give a name under /run/netns, /proc/PID/ns/net, or a PID",
            crate::text::printable(to)
        )),
        (LinkStep::Move { to }, Errno::EOPNOTSUPP) => Error::failed(format!(
            "{name}: cannot be moved to {}: this device is bound to its namespace (EOPNOTSUPP){after}",
            crate::text::printable(to)
        )),
        (LinkStep::Move { to }, Errno::EPERM | Errno::EACCES) => Error::permission(format!(
            "{name}: moving to {} was refused ({errno}){after}; moving needs CAP_NET_ADMIN in both namespaces: run it as root",
            crate::text::printable(to)
        )),
        _ => return None,
    })
}

fn read(what: &str, errno: Errno) -> Error {
    match errno {
        Errno::EPERM | Errno::EACCES => {
            Error::permission(format!("reading {what} over netlink was refused ({errno})"))
                .fix(NEED_NET_ADMIN)
        }
        // Raised by our own reply parser, not by the kernel.
        Errno::EMSGSIZE | Errno::EBADMSG => Error::failed(format!(
            "the kernel's reply listing {what} could not be read ({})",
            if errno == Errno::EMSGSIZE {
                "a message larger than the receive buffer"
            } else {
                "a malformed message"
            }
        ))
        .fix("this is a bug in tuntapctl: please report it with the output of `uname -r`"),
        _ => Error::failed(format!(
            "reading {what} over netlink failed: {}",
            errno_text(errno as i32)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ExitStatus;

    fn status(step: Step, errno: Errno) -> ExitStatus {
        error(&step, "tap1", errno, &[]).status
    }

    #[test]
    fn open_errors() {
        let open = || Step::Open {
            path: "/dev/net/tun".into(),
        };
        assert_eq!(status(open(), Errno::EACCES), ExitStatus::Permission);
        assert_eq!(status(open(), Errno::EPERM), ExitStatus::Permission);
        assert_eq!(status(open(), Errno::ENOENT), ExitStatus::Failed);
        let e = error(&open(), "tap1", Errno::ENOENT, &[]);
        assert!(
            e.message.contains("mknod /dev/net/tun c 10 200"),
            "{}",
            e.message
        );
        assert_eq!(e.interface.as_deref(), Some("tap1"));
    }

    #[test]
    fn create_errors() {
        assert_eq!(status(Step::Create, Errno::EPERM), ExitStatus::Permission);
        assert_eq!(status(Step::Create, Errno::EINVAL), ExitStatus::Usage);
        assert_eq!(status(Step::Create, Errno::ENFILE), ExitStatus::Failed);
        assert_eq!(status(Step::Create, Errno::EIO), ExitStatus::Failed);
    }

    #[test]
    fn reattach_and_id_errors() {
        assert_eq!(status(Step::Reattach, Errno::EBUSY), ExitStatus::Busy);
        assert_eq!(status(Step::Reattach, Errno::E2BIG), ExitStatus::Busy);
        assert_eq!(status(Step::Reattach, Errno::EINVAL), ExitStatus::Conflict);
        assert_eq!(status(Step::Reattach, Errno::EPERM), ExitStatus::Permission);
        let id = || Step::SetId { group: true, id: 5 };
        assert_eq!(status(id(), Errno::EINVAL), ExitStatus::Usage);
        assert_eq!(status(id(), Errno::EBADFD), ExitStatus::NotFound);
        assert!(
            error(&id(), "tap1", Errno::EINVAL, &[])
                .message
                .contains("gid 5")
        );
        assert_eq!(status(Step::Persist, Errno::EBADFD), ExitStatus::NotFound);
        assert_eq!(status(Step::Persist, Errno::EPERM), ExitStatus::Permission);
    }

    #[test]
    fn link_step_errors_depend_on_the_step_not_the_text() {
        let l = |s: LinkStep| Step::Link(s);
        assert_eq!(
            status(l(LinkStep::CarrierOn), Errno::EPERM),
            ExitStatus::Conflict
        );
        assert_eq!(
            status(l(LinkStep::CarrierOff), Errno::EPERM),
            ExitStatus::Permission
        );
        let mac = || LinkStep::Settings {
            text: "mac 02:00:00:00:00:01".into(),
            mac: true,
        };
        let mtu = || LinkStep::Settings {
            text: "mtu 9000".into(),
            mac: false,
        };
        assert_eq!(status(l(mac()), Errno::EOPNOTSUPP), ExitStatus::Usage);
        assert_eq!(status(l(mtu()), Errno::EOPNOTSUPP), ExitStatus::Failed);
        assert_eq!(status(l(mtu()), Errno::EINVAL), ExitStatus::Usage);
        assert_eq!(status(l(mtu()), Errno::ENODEV), ExitStatus::NotFound);
        assert_eq!(status(l(mtu()), Errno::EBUSY), ExitStatus::Busy);
        let add6 = || LinkStep::AddAddress {
            text: "address fd00::1/64".into(),
            ipv6: true,
        };
        let add4 = || LinkStep::AddAddress {
            text: "address 10.0.0.1/24".into(),
            ipv6: false,
        };
        assert_eq!(status(l(add6()), Errno::EACCES), ExitStatus::Failed);
        assert_eq!(status(l(add4()), Errno::EACCES), ExitStatus::Permission);
        assert_eq!(status(l(add6()), Errno::EEXIST), ExitStatus::Conflict);
        assert_eq!(status(l(add4()), Errno::EADDRNOTAVAIL), ExitStatus::Usage);
        let rename = l(LinkStep::Rename { to: "x".into() });
        assert!(
            error(&rename, "tap1", Errno::EEXIST, &[])
                .message
                .contains("already taken")
        );
        let e = error(&l(mtu()), "tap1", Errno::EINVAL, &["owner 5".into()]);
        assert!(
            e.message.contains("(already applied: owner 5)"),
            "{}",
            e.message
        );
    }

    #[test]
    fn around_the_device_errors() {
        let l = |s: LinkStep| Step::Link(s);
        let master = |free| LinkStep::Master {
            name: "lo".into(),
            kind: "the loopback device".into(),
            free,
        };
        assert_eq!(
            status(l(master(false)), Errno::EOPNOTSUPP),
            ExitStatus::Conflict
        );
        let e = error(&l(master(false)), "tap1", Errno::EOPNOTSUPP, &[]);
        assert!(
            e.message
                .contains("lo is the loopback device, which cannot be a master"),
            "{}",
            e.message
        );
        assert_eq!(
            status(l(master(false)), Errno::EINVAL),
            ExitStatus::Conflict
        );
        assert_eq!(
            status(l(master(true)), Errno::EOPNOTSUPP),
            ExitStatus::Failed
        );
        assert_eq!(
            status(l(master(false)), Errno::ENODEV),
            ExitStatus::NotFound
        );
        let mode = |w: &str| LinkStep::AddrGenMode { word: w.into() };
        assert_eq!(
            status(l(mode("stable_secret")), Errno::EINVAL),
            ExitStatus::Usage
        );
        assert!(
            error(&l(mode("stable_secret")), "tap1", Errno::EINVAL, &[])
                .message
                .contains("stable_secret")
        );
        assert_eq!(
            status(l(mode("none")), Errno::EAFNOSUPPORT),
            ExitStatus::Failed
        );
        let mv = || LinkStep::Move { to: "blue".into() };
        assert_eq!(status(l(mv()), Errno::EEXIST), ExitStatus::Conflict);
        assert!(
            error(&l(mv()), "tap1", Errno::EEXIST, &[])
                .message
                .contains("--rename")
        );
        assert_eq!(status(l(mv()), Errno::EINVAL), ExitStatus::Usage);
        assert_eq!(status(l(mv()), Errno::EPERM), ExitStatus::Permission);
        assert_eq!(master(false).text(), "master lo");
        assert_eq!(master(true).text(), "nomaster");
    }

    /// Every errno a step maps on purpose comes with a fix, as data.
    #[test]
    fn mapped_errors_carry_their_fix() {
        let cases: Vec<(Step, Vec<Errno>)> = vec![
            (
                Step::Open {
                    path: "/dev/net/tun".into(),
                },
                vec![Errno::ENOENT, Errno::ENODEV, Errno::EACCES, Errno::EPERM],
            ),
            (
                Step::Create,
                vec![Errno::EPERM, Errno::EINVAL, Errno::ENFILE, Errno::ENOMEM],
            ),
            (
                Step::Reattach,
                vec![Errno::EBUSY, Errno::EPERM, Errno::EINVAL, Errno::E2BIG],
            ),
            (
                Step::SetId {
                    group: false,
                    id: 7,
                },
                vec![Errno::EBADFD, Errno::EINVAL, Errno::EPERM],
            ),
            (Step::Persist, vec![Errno::EPERM, Errno::EBADFD]),
            (
                Step::Delete,
                vec![Errno::EPERM, Errno::EOPNOTSUPP, Errno::EBUSY],
            ),
            (
                Step::Link(LinkStep::AddAddress {
                    text: "address fd00::1/64".into(),
                    ipv6: true,
                }),
                vec![
                    Errno::EACCES,
                    Errno::EAFNOSUPPORT,
                    Errno::EEXIST,
                    Errno::EADDRNOTAVAIL,
                    Errno::ENODEV,
                    Errno::EBUSY,
                    Errno::EINVAL,
                    Errno::EPERM,
                ],
            ),
            (
                Step::Read {
                    what: "links".into(),
                },
                vec![Errno::EPERM, Errno::EBADMSG],
            ),
        ];
        for (step, errnos) in cases {
            for errno in errnos {
                let e = error(&step, "tap1", errno, &[]);
                let fix = e
                    .fix
                    .as_deref()
                    .unwrap_or_else(|| panic!("{step:?} {errno}: no fix"));
                assert!(e.message.contains(fix), "{step:?} {errno}: {}", e.message);
            }
        }
    }

    #[test]
    fn delete_errors_are_the_same_for_every_path() {
        assert_eq!(status(Step::Delete, Errno::EPERM), ExitStatus::Permission);
        assert_eq!(status(Step::Delete, Errno::EACCES), ExitStatus::Permission);
        assert_eq!(status(Step::Delete, Errno::EBUSY), ExitStatus::Busy);
        assert_eq!(status(Step::Delete, Errno::EOPNOTSUPP), ExitStatus::Failed);
        assert_eq!(status(Step::Delete, Errno::EIO), ExitStatus::Failed);
    }

    #[test]
    fn read_errors() {
        let r = |e| {
            error(
                &Step::Read {
                    what: "links".into(),
                },
                "",
                e,
                &[],
            )
        };
        assert_eq!(r(Errno::EPERM).status, ExitStatus::Permission);
        assert!(r(Errno::EBADMSG).message.contains("malformed"));
        assert_eq!(r(Errno::EBADMSG).interface, None);
    }

    #[test]
    fn busy_names_its_holders_once() {
        let h = vec![
            HolderInfo {
                pid: 1,
                command: "qemu".into(),
            },
            HolderInfo {
                pid: 2,
                command: "evil\x1b]0;x\x07".into(),
            },
        ];
        let e = busy("tap1", "delete it", h);
        assert!(
            e.message
                .contains("qemu (pid 1), evil\\x1b]0;x\\x07 (pid 2)"),
            "{}",
            e.message
        );
        assert_eq!(e.holders.len(), 2);
        assert!(busy("tap1", "x", vec![]).message.contains("not visible"));
    }
}
