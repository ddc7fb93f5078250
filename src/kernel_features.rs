//! Kernel facilities newer than the oldest supported kernel (SPEC §14,
//! README "Kernels"). Each is detected from the kernel's answer to the call
//! itself (ENOSYS, ENOTTY, EINVAL, EOPNOTSUPP), never from a version number:
//! distributions backport features to old version numbers. The version
//! below is only for the words of a note or an error.
//!
//! Debug builds have a fault hook: `TUNTAPCTL_TEST_KERNEL_LACKS=WORD,...`
//! (the words of [`Feature::word`], or `all`) makes the named facilities
//! answer as a kernel without them does, so the fallbacks run in the
//! normal test suite on a kernel that has everything.

use nix::errno::Errno;

/// A facility some supported kernels lack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Feature {
    /// pidfd_open(2): a handle on a process, to copy its fds.
    PidfdOpen,
    /// pidfd_getfd(2): a copy of another process's fd (a holder's tun fd).
    PidfdGetfd,
    /// TUNGETDEVNETNS: which network namespace a tun fd's device is in.
    TunGetDevNetns,
    /// NS_GET_NSTYPE: which kind of namespace a namespace file is.
    NsGetNstype,
    /// Changing a tun/tap's carrier (netlink IFLA_CARRIER, TUNSETCARRIER;
    /// tun's ndo_change_carrier).
    TunCarrier,
    /// IFF_NO_CARRIER: attach without turning the carrier on (TUNGETFEATURES
    /// lists it; older kernels ignore the flag).
    TunNoCarrier,
    /// Renaming a device while it is up (dev_change_name's EBUSY check
    /// dropped).
    LiveRename,
    /// IFLA_INET6_ADDR_GEN_MODE in link answers that skip counters
    /// (RTEXT_FILTER_SKIP_STATS): left out until the fix 7ac6ea4a3e08 (6.15,
    /// backported to 5.10.236 and 6.1.134): Debian 11's 5.10.223 lacks it.
    AddrGenModeWithoutStats,
    /// IFA_PROTO: the kernel tags the addresses it makes (its IPv6
    /// link-local ones), so one added by hand is told apart.
    AddressProtocol,
    /// SO_PEERGROUPS: a Unix socket peer's supplementary groups (the
    /// delegation service's group rules).
    PeerGroups,
}

impl Feature {
    pub const ALL: [Feature; 10] = [
        Feature::PidfdOpen,
        Feature::PidfdGetfd,
        Feature::TunGetDevNetns,
        Feature::NsGetNstype,
        Feature::TunCarrier,
        Feature::TunNoCarrier,
        Feature::LiveRename,
        Feature::AddrGenModeWithoutStats,
        Feature::AddressProtocol,
        Feature::PeerGroups,
    ];

    /// The name users and the fault hook know it by.
    pub fn word(self) -> &'static str {
        match self {
            Feature::PidfdOpen => "pidfd_open",
            Feature::PidfdGetfd => "pidfd_getfd",
            Feature::TunGetDevNetns => "TUNGETDEVNETNS",
            Feature::NsGetNstype => "NS_GET_NSTYPE",
            Feature::TunCarrier => "tun_carrier",
            Feature::TunNoCarrier => "IFF_NO_CARRIER",
            Feature::LiveRename => "live_rename",
            Feature::AddrGenModeWithoutStats => "addrgenmode_without_stats",
            Feature::AddressProtocol => "IFA_PROTO",
            Feature::PeerGroups => "SO_PEERGROUPS",
        }
    }

    /// The mainline release that brought it (words only, never compared).
    pub fn since(self) -> &'static str {
        match self {
            Feature::PidfdOpen => "Linux 5.3",
            Feature::PidfdGetfd => "Linux 5.6",
            Feature::TunGetDevNetns => "Linux 5.2",
            Feature::NsGetNstype => "Linux 4.11",
            Feature::TunCarrier => "Linux 5.0",
            Feature::TunNoCarrier => "Linux 6.0",
            Feature::LiveRename => "Linux 6.2",
            Feature::AddrGenModeWithoutStats => {
                "Linux 6.15; 5.10.236, 6.1.134 and 6.6.87 by backport"
            }
            Feature::AddressProtocol => "Linux 5.18",
            Feature::PeerGroups => "Linux 4.13",
        }
    }

    /// The errno a kernel without it answers with: an unknown system call
    /// is ENOSYS, an ioctl the tun driver does not know EINVAL, one nsfs
    /// does not know ENOTTY, a driver without the operation EOPNOTSUPP.
    pub fn errno_when_absent(self) -> Errno {
        match self {
            Feature::PidfdOpen | Feature::PidfdGetfd => Errno::ENOSYS,
            Feature::TunGetDevNetns => Errno::EINVAL,
            Feature::NsGetNstype => Errno::ENOTTY,
            Feature::TunCarrier => Errno::EOPNOTSUPP,
            // Not an errno: TUNGETFEATURES leaves the bit out.
            Feature::TunNoCarrier => Errno::EINVAL,
            Feature::LiveRename => Errno::EBUSY,
            // Not an errno: the attribute is missing from the answer.
            Feature::AddrGenModeWithoutStats | Feature::AddressProtocol => Errno::ENODATA,
            // An unknown socket option.
            Feature::PeerGroups => Errno::ENOPROTOOPT,
        }
    }

    /// Does `errno`, from the call that uses this facility, mean that the
    /// kernel lacks it? (Not a refusal for lack of rights, nor a device
    /// gone: those keep their own meaning.)
    pub fn is_absence(self, errno: Errno) -> bool {
        match self {
            Feature::PidfdOpen | Feature::PidfdGetfd => errno == Errno::ENOSYS,
            // Older tun drivers answer an unknown ioctl with EINVAL; ENOTTY
            // is the generic answer.
            Feature::TunGetDevNetns => matches!(errno, Errno::EINVAL | Errno::ENOTTY),
            Feature::NsGetNstype => matches!(errno, Errno::ENOTTY | Errno::EINVAL),
            // EOPNOTSUPP over netlink; the tun driver answers an unknown
            // TUNSETCARRIER with EINVAL.
            Feature::TunCarrier => matches!(errno, Errno::EOPNOTSUPP | Errno::EINVAL),
            Feature::TunNoCarrier => errno == Errno::EINVAL,
            // Only asked of a rename of an up device.
            Feature::LiveRename => errno == Errno::EBUSY,
            Feature::AddrGenModeWithoutStats | Feature::AddressProtocol => errno == Errno::ENODATA,
            Feature::PeerGroups => errno == Errno::ENOPROTOOPT,
        }
    }

    /// "pidfd_getfd (Linux 5.6)".
    pub fn described(self) -> String {
        format!("{} ({})", self.word(), self.since())
    }
}

/// The note for a device attached on a kernel that could not keep its
/// carrier off (neither IFF_NO_CARRIER nor carrier changes): what that
/// means while it is held, and what avoids it.
pub fn carrier_left_on_note(name: &str) -> String {
    format!(
        "note: {}: this kernel lacks {} and {}: its carrier was on while tuntapctl set it up, so, if up, it may have got an IPv6 link-local address (give --addrgenmode none to prevent that); the carrier went off when tuntapctl let go",
        crate::text::printable(name),
        Feature::TunNoCarrier.described(),
        Feature::TunCarrier.described()
    )
}

/// The note for an IPv6 link-local address kept because the kernel's answer
/// does not say who made it (no IFA_PROTO; see `netlink::Origins`).
pub fn unknown_link_local_note(name: &str, address: &str, kept_by: &str) -> String {
    let name = crate::text::printable(name);
    format!(
        "note: {name}: {kept_by} kept {address}: it may be the kernel's own IPv6 link-local address: no address here carries the kernel's tag for those, {}, and the MAC does not settle it; if it was added by hand, remove it: tuntapctl set {name} --del-address {address}",
        Feature::AddressProtocol.described()
    )
}

/// The fault hook: the errno to answer instead of calling the kernel, when
/// the test environment says this facility is absent. Always None in
/// release builds.
#[cfg(debug_assertions)]
pub fn simulated_absence(feature: Feature) -> Option<Errno> {
    let lacks = std::env::var("TUNTAPCTL_TEST_KERNEL_LACKS").ok()?;
    lacks
        .split(',')
        .map(str::trim)
        .any(|w| w == "all" || w.eq_ignore_ascii_case(feature.word()))
        .then(|| feature.errno_when_absent())
}

#[cfg(not(debug_assertions))]
pub fn simulated_absence(_feature: Feature) -> Option<Errno> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_of_an_old_kernel_is_recognised_as_absence() {
        for f in Feature::ALL {
            assert!(f.is_absence(f.errno_when_absent()), "{f:?}");
            // No right, or a device gone, is never taken for absence.
            assert!(!f.is_absence(Errno::EPERM), "{f:?}");
            assert!(!f.is_absence(Errno::EBADFD), "{f:?}");
            assert!(!f.is_absence(Errno::ENODEV), "{f:?}");
        }
        assert!(!Feature::PidfdGetfd.is_absence(Errno::EINVAL));
        assert!(!Feature::TunCarrier.is_absence(Errno::ENOSYS));
    }

    #[test]
    fn words_are_distinct() {
        let mut words: Vec<&str> = Feature::ALL.iter().map(|f| f.word()).collect();
        words.sort();
        words.dedup();
        assert_eq!(words.len(), Feature::ALL.len());
        assert_eq!(
            Feature::PidfdGetfd.described(),
            "pidfd_getfd (Linux 5.6)".to_string()
        );
    }
}
