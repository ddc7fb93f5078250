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

/// TUNSETIFF: create (with `exclusive`) or attach to `name`, which may be a
/// `%d` template. The name must already be validated (at most 15 bytes, no NUL).
///
/// `no_carrier` on a kernel without IFF_NO_CARRIER (which ignores the flag;
/// TUNGETFEATURES tells): the carrier is turned off right after attaching
/// (TUNSETCARRIER); where that is missing too, the fd says so
/// ([`TunFd::carrier_left_on`]).
pub fn attach(file: File, name: &str, flags: AttachFlags) -> Result<TunFd, Errno> {
    let mut req = ifreq_with_name(name);
    let mut bits = flags.bits();
    let turn_carrier_off = flags.no_carrier && !has_no_carrier_flag(&file);
    if turn_carrier_off {
        bits &= !(libc::IFF_NO_CARRIER as libc::c_short);
    }
    req.ifr_ifru.ifru_flags = bits;
    // SAFETY: `req` is a valid, initialised ifreq that outlives the call; the
    // kernel reads it and writes the chosen name back into it.
    unsafe { tun_set_iff_raw(file.as_raw_fd(), &mut req) }?;
    let chosen = name_from_ifreq(&req);
    let carrier_left_on = turn_carrier_off && set_carrier(&file, false).is_err();
    Ok(TunFd {
        file,
        name: chosen,
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
        // SAFETY: ifreq is plain old data; all-zero is a valid value.
        let mut req: libc::ifreq = unsafe { std::mem::zeroed() };
        // SAFETY: `req` is valid and writable for the duration of the call.
        unsafe { tun_get_iff_raw(self.file.as_raw_fd(), &mut req) }?;
        // SAFETY: TUNGETIFF fills ifru_flags, so reading that field is defined.
        Ok(unsafe { req.ifr_ifru.ifru_flags } as u16 as i32)
    }
}

fn ifreq_with_name(name: &str) -> libc::ifreq {
    // SAFETY: ifreq is plain old data; all-zero is a valid value.
    let mut req: libc::ifreq = unsafe { std::mem::zeroed() };
    // Copy at most IFNAMSIZ-1 bytes so the name stays NUL-terminated; callers
    // have already refused longer names, this is only a bound.
    for (dst, src) in req
        .ifr_name
        .iter_mut()
        .zip(name.as_bytes().iter().take(libc::IFNAMSIZ - 1))
    {
        *dst = *src as libc::c_char;
    }
    req
}

fn name_from_ifreq(req: &libc::ifreq) -> String {
    let bytes: Vec<u8> = req
        .ifr_name
        .iter()
        .take_while(|c| **c != 0)
        .map(|c| *c as u8)
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

nix::ioctl_none_bad!(tun_get_dev_netns_raw, libc::TUNGETDEVNETNS);

/// TUNGETDEVNETNS on any attached tun fd: an fd for the device's network
/// namespace (compare its inode to tell namespaces apart).
/// Without it (before Linux 5.2) the tun driver answers EINVAL.
pub fn device_netns(fd: &impl AsRawFd) -> Result<std::os::fd::OwnedFd, Errno> {
    if let Some(e) = crate::kernel_features::simulated_absence(Feature::TunGetDevNetns) {
        return Err(e);
    }
    // SAFETY: TUNGETDEVNETNS takes no argument and returns a new fd or -1.
    let ns = unsafe { tun_get_dev_netns_raw(fd.as_raw_fd()) }?;
    // SAFETY: the ioctl returned a fresh fd that we now own.
    Ok(unsafe { std::os::fd::FromRawFd::from_raw_fd(ns) })
}

/// The interface index of `name` (SIOCGIFINDEX on a socket): cheaper than a
/// netlink lookup when a freshly created device is all we need to address.
pub fn interface_index(name: &str) -> Result<u32, Errno> {
    nix::net::if_::if_nametoindex(name)
}
