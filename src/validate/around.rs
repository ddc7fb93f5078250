//! What sits around a tun/tap device (SPEC §6): the bridge (or bond, vrf)
//! it is a port of, its alias, how the kernel makes its IPv6 link-local
//! address, a new name, another namespace. The values a user types, checked
//! before any kernel call; nothing here touches the kernel.

use std::fmt;

use crate::error::{Error, Result};
use crate::validate::MAX_NAME_LEN;

/// The longest alias the kernel keeps (IFALIASZ - 1).
const MAX_ALIAS_LEN: usize = 255;

/// IFLA_INET6_ADDR_GEN_MODE, with iproute2's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum AddrGenMode {
    /// A link-local address from the MAC (the kernel's default)
    Eui64,
    /// No IPv6 link-local address (usual for bridge ports)
    None,
    /// A stable address from net.ipv6.conf.*.stable_secret (RFC 7217)
    #[value(name = "stable_secret")]
    StableSecret,
    /// A random link-local address
    Random,
}

impl AddrGenMode {
    const ALL: [AddrGenMode; 4] = [
        AddrGenMode::Eui64,
        AddrGenMode::None,
        AddrGenMode::StableSecret,
        AddrGenMode::Random,
    ];

    /// The kernel's number.
    pub fn value(self) -> u8 {
        match self {
            AddrGenMode::Eui64 => 0,
            AddrGenMode::None => 1,
            AddrGenMode::StableSecret => 2,
            AddrGenMode::Random => 3,
        }
    }

    pub fn from_value(v: u8) -> Option<AddrGenMode> {
        Self::ALL.into_iter().find(|m| m.value() == v)
    }

    /// ip's word ("stable_secret" for the kernel's stable_privacy).
    pub fn word(self) -> &'static str {
        match self {
            AddrGenMode::Eui64 => "eui64",
            AddrGenMode::None => "none",
            AddrGenMode::StableSecret => "stable_secret",
            AddrGenMode::Random => "random",
        }
    }

    pub fn parse(text: &str) -> Result<AddrGenMode> {
        Self::ALL
            .into_iter()
            .find(|m| m.word() == text)
            .ok_or_else(|| {
                Error::usage(format!(
                    "addrgenmode {:?} is not valid: use eui64, none, stable_secret or random",
                    crate::text::printable(text)
                ))
            })
    }
}

impl fmt::Display for AddrGenMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// The word for a mode number from the kernel; an unknown number as itself.
pub fn addrgenmode_word(value: u8) -> String {
    AddrGenMode::from_value(value)
        .map(|m| m.word().to_string())
        .unwrap_or_else(|| value.to_string())
}

/// An alias: at most 255 bytes (the kernel refuses longer ones), no NUL
/// (it would cut the string). Empty means "remove the alias".
pub fn parse_alias(text: &str) -> Result<String> {
    if text.len() > MAX_ALIAS_LEN {
        return Err(Error::usage(format!(
            "alias {:?} is {} bytes long: the kernel keeps at most {MAX_ALIAS_LEN}; shorten it",
            crate::text::excerpt(text, 40),
            text.len()
        )));
    }
    if text.contains('\0') {
        return Err(Error::usage(
            "alias holds a NUL character, which would cut it short; remove it",
        ));
    }
    Ok(text.to_string())
}

/// The name of an existing device to use as a master. Any name the kernel
/// can hold is accepted (the device was made by another tool): 1 to 15
/// bytes, no NUL or '/'.
pub fn parse_device_name(what: &str, text: &str) -> Result<String> {
    if text.is_empty() || text.len() > MAX_NAME_LEN || text.contains(['\0', '/']) {
        return Err(Error::usage(format!(
            "{what} {:?} is not a device name: a name is 1 to {MAX_NAME_LEN} bytes without '/'; see `ip link show type bridge`",
            crate::text::excerpt(text, 40)
        )));
    }
    Ok(text.to_string())
}

/// `--master DEV` or `--nomaster`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MasterSpec {
    Set(String),
    Free,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addrgenmode_words_and_numbers() {
        for m in AddrGenMode::ALL {
            assert_eq!(AddrGenMode::parse(m.word()).unwrap(), m);
            assert_eq!(AddrGenMode::from_value(m.value()), Some(m));
        }
        assert_eq!(AddrGenMode::None.value(), 1);
        assert_eq!(addrgenmode_word(2), "stable_secret");
        assert_eq!(addrgenmode_word(9), "9");
        assert_eq!(
            AddrGenMode::parse("stable_privacy")
                .unwrap_err()
                .status
                .code(),
            2
        );
        // The clap words are ip's words.
        use clap::ValueEnum;
        for m in AddrGenMode::ALL {
            assert_eq!(m.to_possible_value().unwrap().get_name(), m.word());
        }
    }

    #[test]
    fn aliases_and_device_names() {
        assert_eq!(parse_alias("vm1 eth0").unwrap(), "vm1 eth0");
        assert_eq!(parse_alias("").unwrap(), "");
        assert!(parse_alias(&"x".repeat(255)).is_ok());
        let e = parse_alias(&"x".repeat(256)).unwrap_err();
        assert!(e.message.contains("at most 255"), "{}", e.message);
        assert!(parse_alias("a\0b").is_err());
        assert_eq!(parse_device_name("master", "br0").unwrap(), "br0");
        assert!(parse_device_name("master", "").is_err());
        assert!(parse_device_name("master", "a/b").is_err());
        assert!(parse_device_name("master", "bridge-for-vm-123").is_err());
        // Names other tools made, with characters add refuses, still work.
        assert!(parse_device_name("master", "br\x1b0").is_ok());
    }
}
