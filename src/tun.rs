//! The /dev/net/tun edge: small safe wrappers over the tun ioctls. Errors are
//! returned as raw errnos; the commands translate them, since the meaning of
//! EBUSY or EINVAL depends on which step failed.

use std::fs::{File, OpenOptions};
use std::os::fd::AsRawFd;
use std::path::Path;

use nix::errno::Errno;

use crate::kernel_features::Feature;
use crate::validate::Mode;

pub const TUN_PATH: &str = "/dev/net/tun";

/// IFF_PERSIST as TUNGETIFF reports it (linux/if_tun.h; not in libc).
pub const IFF_PERSIST: i32 = 0x0800;

pub use crate::error::kernel::MAX_QUEUES;

nix::ioctl_readwrite_bad!(tun_set_iff_raw, libc::TUNSETIFF, libc::ifreq);
nix::ioctl_read_bad!(tun_get_iff_raw, libc::TUNGETIFF, libc::ifreq);
nix::ioctl_write_int_bad!(tun_set_persist_raw, libc::TUNSETPERSIST);
nix::ioctl_write_int_bad!(tun_set_owner_raw, libc::TUNSETOWNER);
nix::ioctl_write_int_bad!(tun_set_group_raw, libc::TUNSETGROUP);
nix::ioctl_read_bad!(tun_get_features_raw, libc::TUNGETFEATURES, libc::c_uint);
nix::ioctl_write_ptr_bad!(tun_set_carrier_raw, libc::TUNSETCARRIER, libc::c_int);

/// How to attach: the device flags that TUNSETIFF takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttachFlags {
    pub mode: Mode,
    pub pi: bool,
    pub vnet_hdr: bool,
    pub multi_queue: bool,
    /// Fail with EBUSY if the name exists (create only).
    pub exclusive: bool,
    /// Attach without turning the carrier on (IFF_NO_CARRIER, Linux 5.0+):
    /// a link brought up while we configure it then does not start IPv6
    /// autoconfiguration only to tear it down when we detach, and listeners
    /// (NetworkManager, networkd) see no carrier flap.
    pub no_carrier: bool,
}

impl AttachFlags {
    fn bits(&self) -> libc::c_short {
        let mut flags = match self.mode {
            Mode::Tun => libc::IFF_TUN,
            Mode::Tap => libc::IFF_TAP,
        };
        if !self.pi {
            flags |= libc::IFF_NO_PI;
        }
        if self.vnet_hdr {
            flags |= libc::IFF_VNET_HDR;
        }
        if self.multi_queue {
            flags |= libc::IFF_MULTI_QUEUE;
        }
        if self.no_carrier {
            flags |= libc::IFF_NO_CARRIER;
        }
        if self.exclusive {
            flags |= libc::IFF_TUN_EXCL;
        }
        // All flags fit in the 16-bit ifr_flags (IFF_TUN_EXCL is 0x8000).
        flags as u16 as libc::c_short
    }
}

/// Why opening /dev/net/tun failed.
#[derive(Debug)]
pub struct OpenError {
    pub errno: Errno,
    pub path: String,
}

/// An open tun fd attached to a device. Dropping it detaches; a device that is
/// not persistent disappears with its last fd.
#[derive(Debug)]
pub struct TunFd {
    file: File,
    name: String,
    carrier_left_on: bool,
}

/// Open the clone device (not yet attached to anything).
pub fn open_clone_device(path: &Path) -> Result<File, OpenError> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| OpenError {
            errno: Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO)),
            path: path.display().to_string(),
        })
}

/// Open /dev/net/tun to create or attach to `name`, the error mapped as
/// every open of it is.
pub fn open_tun(name: &str) -> crate::error::Result<File> {
    use crate::error::kernel::{self, Step};
    open_clone_device(Path::new(TUN_PATH)).map_err(|e| {
        kernel::error(
            &Step::Open {
                path: e.path.clone(),
            },
            name,
            e.errno,
            &[],
        )
    })
}

/// TUNSETIFF: create (with `exclusive`) or attach to `name`, which may be a
/// `%d` template. The name must already be validated (at most 15 bytes, no NUL).
pub fn attach(file: File, name: &str, flags: AttachFlags) -> Result<TunFd, Errno> {
    let mut req = IfReq::with_name(name);
    let mut bits = flags.bits();
    let turn_carrier_off = flags.no_carrier && !has_no_carrier_flag(&file);
    if turn_carrier_off {
        bits &= !(libc::IFF_NO_CARRIER as libc::c_short);
    }
    req.set_flags(bits);
    // SAFETY: `req.0` is a valid, initialised ifreq that outlives the call;
    // the kernel reads it and writes the chosen name back into it.
    unsafe { tun_set_iff_raw(file.as_raw_fd(), &mut req.0) }?;
    let carrier_left_on = turn_carrier_off && set_carrier(&file, false).is_err();
    Ok(TunFd {
        file,
        name: req.name(),
        carrier_left_on,
    })
}

/// Does TUNGETFEATURES list IFF_NO_CARRIER (Linux 6.0)?
fn has_no_carrier_flag(file: &File) -> bool {
    if crate::kernel_features::simulated_absence(Feature::TunNoCarrier).is_some() {
        return false;
    }
    let mut features: libc::c_uint = 0;
    // SAFETY: TUNGETFEATURES writes one unsigned int into `features`, which
    // outlives the call.
    unsafe { tun_get_features_raw(file.as_raw_fd(), &mut features) }
        .is_ok_and(|_| features & libc::IFF_NO_CARRIER as libc::c_uint != 0)
}

/// TUNSETCARRIER on an attached fd (Linux 5.0; EINVAL before).
fn set_carrier(file: &File, on: bool) -> Result<(), Errno> {
    if let Some(e) = crate::kernel_features::simulated_absence(Feature::TunCarrier) {
        return Err(e);
    }
    let value = on as libc::c_int;
    // SAFETY: TUNSETCARRIER reads one int from `value`, which outlives the
    // call.
    unsafe { tun_set_carrier_raw(file.as_raw_fd(), &value) }.map(drop)
}

impl TunFd {
    /// The device's name as the kernel chose it (a template comes back filled).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Asked to attach without a carrier, on a kernel that could not keep
    /// it off (no IFF_NO_CARRIER, no TUNSETCARRIER): the carrier is on
    /// while this fd is held.
    pub fn carrier_left_on(&self) -> bool {
        self.carrier_left_on
    }

    pub fn set_owner(&self, uid: u32) -> Result<(), Errno> {
        // SAFETY: TUNSETOWNER takes the uid by value; no memory is shared.
        unsafe { tun_set_owner_raw(self.file.as_raw_fd(), uid as libc::c_int) }.map(drop)
    }

    pub fn set_group(&self, gid: u32) -> Result<(), Errno> {
        // SAFETY: TUNSETGROUP takes the gid by value; no memory is shared.
        unsafe { tun_set_group_raw(self.file.as_raw_fd(), gid as libc::c_int) }.map(drop)
    }

    pub fn set_persist(&self, persist: bool) -> Result<(), Errno> {
        // SAFETY: TUNSETPERSIST takes 0 or 1 by value; no memory is shared.
        unsafe { tun_set_persist_raw(self.file.as_raw_fd(), persist as libc::c_int) }.map(drop)
    }

    /// TUNGETIFF: the flags the device now has (IFF_TUN/TAP, NO_PI, ...).
    pub fn flags(&self) -> Result<i32, Errno> {
        attached(&self.file).map(|(_, flags)| flags)
    }
}

/// The fd itself, to hand on (delegation passes it with SCM_RIGHTS).
impl From<TunFd> for std::os::fd::OwnedFd {
    fn from(t: TunFd) -> Self {
        t.file.into()
    }
}

/// TUNGETIFF on any tun fd (ours or a copy of another process's): the name
/// of the device it is attached to and that device's flags (EBADFD when it
/// is attached to none).
pub fn attached(fd: &impl AsRawFd) -> Result<(String, i32), Errno> {
    let mut req = IfReq::new();
    // SAFETY: `req.0` is a valid, writable ifreq for the duration of the
    // call; TUNGETIFF writes the device's name and flags into it.
    unsafe { tun_get_iff_raw(fd.as_raw_fd(), &mut req.0) }?;
    Ok((req.name(), req.flags()))
}

/// The one ifreq wrapper: a zeroed request with a bounded, NUL-terminated
/// name, read back with the name the kernel wrote.
struct IfReq(libc::ifreq);

impl IfReq {
    fn new() -> IfReq {
        // SAFETY: ifreq is plain old data; all-zero is a valid value.
        IfReq(unsafe { std::mem::zeroed() })
    }

    fn with_name(name: &str) -> IfReq {
        let mut req = IfReq::new();
        // Copy at most IFNAMSIZ-1 bytes so the name stays NUL-terminated;
        // callers have already refused longer names, this is only a bound.
        for (dst, src) in req
            .0
            .ifr_name
            .iter_mut()
            .zip(name.as_bytes().iter().take(libc::IFNAMSIZ - 1))
        {
            *dst = *src as libc::c_char;
        }
        req
    }

    fn set_flags(&mut self, flags: libc::c_short) {
        self.0.ifr_ifru.ifru_flags = flags;
    }

    fn flags(&self) -> i32 {
        // SAFETY: every ifreq we hand to the kernel for TUNSETIFF/TUNGETIFF
        // uses the flags member of the union, and a zeroed one reads 0.
        (unsafe { self.0.ifr_ifru.ifru_flags }) as u16 as i32
    }

    fn name(&self) -> String {
        let bytes: Vec<u8> = self
            .0
            .ifr_name
            .iter()
            .take_while(|c| **c != 0)
            .map(|c| *c as u8)
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

nix::ioctl_none_bad!(tun_get_dev_netns_raw, libc::TUNGETDEVNETNS);

/// TUNGETDEVNETNS on any attached tun fd: an fd for the device's network
/// namespace (compare its inode to tell namespaces apart).
pub fn device_netns(fd: &impl AsRawFd) -> Result<std::os::fd::OwnedFd, Errno> {
    if let Some(e) = crate::kernel_features::simulated_absence(Feature::TunGetDevNetns) {
        return Err(e);
    }
    // SAFETY: TUNGETDEVNETNS takes no argument and returns a new fd or -1.
    let ns = unsafe { tun_get_dev_netns_raw(fd.as_raw_fd()) }?;
    // SAFETY: the ioctl returned a fresh fd that we now own.
    Ok(unsafe { std::os::fd::FromRawFd::from_raw_fd(ns) })
}

nix::ioctl_readwrite_bad!(siocgifindex_raw, libc::SIOCGIFINDEX, libc::ifreq);

/// The interface index of `name` (SIOCGIFINDEX), asked on `socket`: every
/// socket answers for its own network namespace, so the netlink socket the
/// changes go out on is the one to ask (no socket opened per device, and
/// the index is looked up where the changes will be made).
pub fn interface_index(socket: &impl AsRawFd, name: &str) -> Result<u32, Errno> {
    let mut req = IfReq::with_name(name);
    // SAFETY: `req.0` is a valid, initialised ifreq that outlives the call;
    // the kernel reads the name and writes the index into it.
    unsafe { siocgifindex_raw(socket.as_raw_fd(), &mut req.0) }?;
    // SAFETY: SIOCGIFINDEX filled the ifindex member of the union.
    let index = unsafe { req.0.ifr_ifru.ifru_ifindex };
    u32::try_from(index).map_err(|_| Errno::ENODEV)
}
