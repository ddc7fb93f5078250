//! Parsers and validators for everything a user types. No kernel calls here:
//! every check runs before the first syscall (SPEC §5).

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub mod around;

/// Longest interface name the kernel keeps (IFNAMSIZ - 1).
pub const MAX_NAME_LEN: usize = 15;

/// tun (layer 3) or tap (layer 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Tun,
    Tap,
}

impl Mode {
    /// The default when no mode is given: tun for names starting with "tun",
    /// tap otherwise (tunctl's default).
    pub fn for_name(name: &str) -> Mode {
        if name.starts_with("tun") {
            Mode::Tun
        } else {
            Mode::Tap
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Tun => "tun",
            Mode::Tap => "tap",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Mode> {
        match s {
            "tun" => Ok(Mode::Tun),
            "tap" => Ok(Mode::Tap),
            other => Err(Error::usage(format!(
                "mode {other:?} is not valid: use tun (layer 3, IP packets) or tap (layer 2, Ethernet frames)"
            ))),
        }
    }
}

/// A validated interface name, or a template with one `%d`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IfName(String);

impl IfName {
    /// A concrete name (no `%d`). Names are checked, never truncated:
    ///
    /// ```
    /// use tuntapctl::validate::IfName;
    /// assert_eq!(IfName::parse("tap44").unwrap().as_str(), "tap44");
    /// // 16 bytes: the kernel would cut it to 15; we refuse it.
    /// let err = IfName::parse("tap-for-vm-12345").unwrap_err();
    /// assert_eq!(err.status.code(), 2);
    /// assert!(err.message.contains("at most 15"));
    /// ```
    pub fn parse(name: &str) -> Result<IfName> {
        let parsed = Self::parse_template(name)?;
        if parsed.is_template() {
            return Err(Error::usage(format!(
                "interface name {:?} holds a %d template, which only add accepts: name the interface exactly",
                crate::text::cut(name, 40)
            )));
        }
        Ok(parsed)
    }

    /// A name or a template holding at most one `%d` that the kernel fills.
    pub fn parse_template(name: &str) -> Result<IfName> {
        // Quoted escaped and short: a name from a file may be any length.
        let bad = |why: &str| {
            Error::usage(format!(
                "interface name {:?} is not valid: {why}",
                crate::text::cut(name, 40)
            ))
        };
        if name.is_empty() {
            return Err(bad("it is empty; give 1 to 15 characters"));
        }
        if name.len() > MAX_NAME_LEN {
            return Err(bad(&format!(
                "it is {} bytes long and the kernel allows at most {MAX_NAME_LEN}; choose a shorter name (it would be cut silently to \"{}\" by other tools)",
                name.len(),
                crate::text::printable(truncate_bytes(name, MAX_NAME_LEN))
            )));
        }
        if name == "." || name == ".." {
            return Err(bad("\".\" and \"..\" are reserved"));
        }
        if name == "all" || name == "default" {
            return Err(bad("\"all\" and \"default\" are reserved by the kernel"));
        }
        if let Some(c) = name
            .chars()
            .find(|c| *c == '/' || *c == ':' || c.is_whitespace() || c.is_control())
        {
            return Err(bad(&format!(
                "it contains {c:?}; names may not hold '/', ':', whitespace or control characters"
            )));
        }
        // Invisible and bidi characters make one name look like another
        // (`tap1\u{200b}` prints as `tap1`).
        if let Some(c) = name.chars().find(|c| crate::text::is_invisible(*c)) {
            return Err(bad(&format!(
                "it contains the invisible or text-direction character U+{:04X}, which makes it look like another name; use visible characters only",
                c as u32
            )));
        }
        let percent_d = name.matches("%d").count();
        if percent_d > 1 {
            return Err(bad(
                "it holds more than one %d; a template takes exactly one",
            ));
        }
        // A '%' that is not part of "%d" would be read by the kernel as a format.
        if name.replace("%d", "").contains('%') {
            return Err(bad("'%' may appear only as the %d template"));
        }
        Ok(IfName(name.to_string()))
    }

    /// A name to look up an existing device by: anything the kernel can
    /// hold (its dev_valid_name: 1 to 15 bytes, not "." or "..", no '/',
    /// ':' or ASCII whitespace). Devices made by other tools may hold
    /// characters `add` refuses (ESC, BEL, zero-width); show, del and set
    /// must still reach them.
    pub fn lookup(name: &str) -> Result<IfName> {
        let shown = crate::text::cut(name, 40);
        let bad = |why: &str| Error::usage(format!("interface name {shown:?} is not valid: {why}"));
        if name.is_empty() {
            return Err(bad("it is empty; give 1 to 15 characters"));
        }
        if name.len() > MAX_NAME_LEN {
            return Err(bad(&format!(
                "it is {} bytes long and the kernel allows at most {MAX_NAME_LEN}, so no interface has it",
                name.len()
            )));
        }
        if name == "." || name == ".." {
            return Err(bad("\".\" and \"..\" are reserved"));
        }
        if let Some(c) = name.bytes().find(|b| {
            matches!(
                b,
                b'/' | b':' | b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'
            )
        }) {
            return Err(bad(&format!(
                "it contains {:?}, which no interface name can hold",
                c as char
            )));
        }
        if name.contains('%') {
            return Err(bad(
                "no interface name holds '%' (the kernel fills a %d template when it creates one); give the name the interface got",
            ));
        }
        Ok(IfName(name.to_string()))
    }

    pub fn is_template(&self) -> bool {
        self.0.contains("%d")
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IfName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn truncate_bytes(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// An Ethernet address that may be assigned to a tap: unicast, not all-zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Mac(pub [u8; 6]);

impl Mac {
    pub fn parse(text: &str) -> Result<Mac> {
        let bad = |why: &str| {
            Error::usage(format!(
                "MAC address {:?} is not valid: {why}",
                crate::text::cut(text, 40)
            ))
        };
        let sep = if text.contains(':') { ':' } else { '-' };
        let parts: Vec<&str> = text.split(sep).collect();
        if parts.len() != 6 {
            return Err(bad(
                "write six hex bytes as aa:bb:cc:dd:ee:ff or aa-bb-cc-dd-ee-ff, or use \"random\"",
            ));
        }
        let mut bytes = [0u8; 6];
        for (byte, part) in bytes.iter_mut().zip(&parts) {
            if part.is_empty() || part.len() > 2 || !part.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(bad(&format!("{part:?} is not a hex byte (00 to ff)")));
            }
            *byte = u8::from_str_radix(part, 16).map_err(|_| bad("not a hex byte"))?;
        }
        let mac = Mac(bytes);
        mac.check_assignable().map_err(|why| bad(&why))?;
        Ok(mac)
    }

    fn check_assignable(&self) -> std::result::Result<(), String> {
        if self.0 == [0; 6] {
            return Err("the all-zero address cannot be assigned".into());
        }
        if self.0[0] & 1 == 1 {
            let mut suggestion = *self;
            suggestion.0[0] = (self.0[0] & 0xfc) | 0x02;
            return Err(format!(
                "it is a multicast address (the low bit of the first byte, {:02x}, is set); use a unicast one, such as the locally administered {suggestion}",
                self.0[0]
            ));
        }
        Ok(())
    }

    /// A random locally administered unicast address.
    pub fn random() -> Result<Mac> {
        let mut bytes = [0u8; 6];
        let mut file = std::fs::File::open("/dev/urandom").map_err(|e| {
            Error::failed(format!(
                "cannot read /dev/urandom for a random MAC: {e}; give one with --mac aa:bb:cc:dd:ee:ff"
            ))
        })?;
        std::io::Read::read_exact(&mut file, &mut bytes).map_err(|e| {
            Error::failed(format!("cannot read /dev/urandom for a random MAC: {e}"))
        })?;
        bytes[0] = (bytes[0] & 0xfc) | 0x02;
        if bytes[1..] == [0; 5] {
            bytes[5] = 1;
        }
        Ok(Mac(bytes))
    }
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // By hand: six `{:02x}` through the formatting machinery cost more
        // than the rest of building an interface object in a large list.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut text = [b':'; 17];
        for (i, byte) in self.0.iter().enumerate() {
            text[i * 3] = HEX[usize::from(byte >> 4)];
            text[i * 3 + 1] = HEX[usize::from(byte & 0x0f)];
        }
        f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

/// `--mac` as typed: a fixed address or "random".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MacSpec {
    Fixed(Mac),
    Random,
}

impl MacSpec {
    pub fn parse(text: &str) -> Result<MacSpec> {
        if text.eq_ignore_ascii_case("random") {
            Ok(MacSpec::Random)
        } else {
            Mac::parse(text).map(MacSpec::Fixed)
        }
    }
    pub fn resolve(self) -> Result<Mac> {
        match self {
            MacSpec::Fixed(mac) => Ok(mac),
            MacSpec::Random => Mac::random(),
        }
    }
}

/// An interface address with its prefix, and optionally a point-to-point peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IfAddr {
    pub address: IpAddr,
    pub prefix_len: u8,
    pub peer: Option<IpAddr>,
}

impl IfAddr {
    /// `ADDR/PREFIX` or a bare `ADDR` (a host address, /32 or /128).
    pub fn parse(text: &str) -> Result<IfAddr> {
        let bad = |why: String| {
            Error::usage(format!(
                "address {:?} is not valid: {why}",
                crate::text::cut(text, 60)
            ))
        };
        let (addr_text, prefix_text) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let address: IpAddr = addr_text.parse().map_err(|_| {
            bad(format!(
                "{addr_text:?} is neither an IPv4 nor an IPv6 address; write e.g. 10.0.0.1/24 or fd00::1/64"
            ))
        })?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix_len = match prefix_text {
            None => max,
            Some(p) => {
                if p.is_empty() || p.len() > 3 || !p.chars().all(|c| c.is_ascii_digit()) {
                    return Err(bad(format!("prefix {p:?} is not a number from 0 to {max}")));
                }
                let n: u16 = p
                    .parse()
                    .map_err(|_| bad(format!("prefix {p:?} is not a number")))?;
                if n > max as u16 {
                    return Err(bad(format!(
                        "prefix /{n} is too long for an {} address (at most /{max})",
                        if address.is_ipv4() { "IPv4" } else { "IPv6" }
                    )));
                }
                n as u8
            }
        };
        if address.is_multicast() {
            return Err(bad(
                "it is a multicast address; interfaces take unicast addresses".into(),
            ));
        }
        if address.is_unspecified() {
            return Err(bad("the unspecified address cannot be assigned".into()));
        }
        Ok(IfAddr {
            address,
            prefix_len,
            peer: None,
        })
    }

    /// Attach a point-to-point peer (`--peer`); it must be of the same family.
    pub fn with_peer(mut self, peer_text: &str) -> Result<IfAddr> {
        let peer: IpAddr = peer_text.parse().map_err(|_| {
            Error::usage(format!(
                "peer address {peer_text:?} is not valid: give a bare IPv4 or IPv6 address such as 10.0.0.2"
            ))
        })?;
        if peer.is_ipv4() != self.address.is_ipv4() {
            return Err(Error::usage(format!(
                "peer {peer} and address {} are of different families; give a peer of the same family",
                self.address
            )));
        }
        self.peer = Some(peer);
        Ok(self)
    }

    pub fn family(&self) -> &'static str {
        if self.address.is_ipv4() {
            "inet"
        } else {
            "inet6"
        }
    }
}

impl fmt::Display for IfAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.address)?;
        if let Some(peer) = self.peer {
            write!(f, " peer {peer}")?;
        }
        write!(f, "/{}", self.prefix_len)
    }
}

/// What `--del-address` names: an address with a prefix length (only that
/// exact one), or without (that address whatever its prefix, as `ip addr
/// del` does).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddrSelector {
    pub address: IpAddr,
    pub prefix_len: Option<u8>,
}

impl AddrSelector {
    pub fn parse(text: &str) -> Result<AddrSelector> {
        let parsed = IfAddr::parse(text)?;
        Ok(AddrSelector {
            address: parsed.address,
            prefix_len: text.contains('/').then_some(parsed.prefix_len),
        })
    }

    /// Does this select an address `address/prefix_len` on a device?
    pub fn selects(&self, address: IpAddr, prefix_len: u8) -> bool {
        self.address == address && self.prefix_len.is_none_or(|p| p == prefix_len)
    }
}

impl fmt::Display for AddrSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.prefix_len {
            Some(p) => write!(f, "{}/{p}", self.address),
            None => write!(f, "{}", self.address),
        }
    }
}

/// MTU bounds before we know the device (the kernel's absolute floor for
/// Ethernet is 68; tap allows up to 65521). Exact per-device bounds are checked
/// against the dumped min/max MTU where the device exists.
pub const MIN_MTU: u32 = 68;
const MAX_TAP_MTU: u32 = 65521;
pub const MAX_TUN_MTU: u32 = 65535;

pub fn parse_mtu(text: &str) -> Result<u32> {
    let n: u32 = text.trim().parse().map_err(|_| {
        Error::usage(format!(
            "MTU {text:?} is not a number; give bytes, e.g. --mtu 1500 (from {MIN_MTU} to {MAX_TAP_MTU} for a tap)"
        ))
    })?;
    if !(MIN_MTU..=MAX_TUN_MTU).contains(&n) {
        return Err(Error::usage(format!(
            "MTU {n} is out of range: a tun takes {MIN_MTU} to {MAX_TUN_MTU}, a tap {MIN_MTU} to {MAX_TAP_MTU}"
        )));
    }
    Ok(n)
}

/// Check an MTU against the mode's limits (before the device exists).
/// The one place that says a MAC is for a tap only (K: a tun has none; the
/// kernel answers EOPNOTSUPP). `what` names the value as the user gave it
/// (`--mac 02:...`, `mac 02:...`), `fix` says what to do where it was given.
pub fn check_mac_for_mode(mode: Mode, name: &str, what: &str, fix: &str) -> Result<()> {
    if mode == Mode::Tun {
        return Err(Error::usage(format!(
            "{name}: {what} applies only to a tap; a tun has no MAC address, only a tap has one; {fix}"
        ))
        .on(name));
    }
    Ok(())
}

/// The tun driver's own MTU range for a mode (min_mtu 68, max_mtu 65535
/// less the Ethernet header for a tap), for when the kernel does not
/// report the device's (IFLA_MIN_MTU/IFLA_MAX_MTU came in Linux 4.19).
pub fn mtu_range_of(mode: Mode) -> (u32, u32) {
    match mode {
        Mode::Tun => (MIN_MTU, MAX_TUN_MTU),
        Mode::Tap => (MIN_MTU, MAX_TAP_MTU),
    }
}

pub fn check_mtu_for_mode(mtu: u32, mode: Mode, name: &str) -> Result<()> {
    let (_, max) = mtu_range_of(mode);
    if !(MIN_MTU..=max).contains(&mtu) {
        return Err(Error::usage(format!(
            "{name}: MTU {mtu} is out of range for a {mode}: give {MIN_MTU} to {max}"
        ))
        .on(name));
    }
    Ok(())
}

pub fn parse_txqueuelen(text: &str) -> Result<u32> {
    text.trim().parse::<u32>().map_err(|_| {
        Error::usage(format!(
            "txqueuelen {text:?} is not valid: give a packet count from 0 to 4294967295 (default 500 for tun, 1000 for tap)"
        ))
    })
}

/// `--user`/`--group` as typed: a name or a numeric id, resolved later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdSpec {
    Id(u32),
    Name(String),
}

impl IdSpec {
    pub fn parse(what: &str, text: &str) -> Result<IdSpec> {
        if text.is_empty() {
            return Err(Error::usage(format!(
                "{what} is empty; give a {what} name or a numeric id"
            )));
        }
        if text.chars().all(|c| c.is_ascii_digit()) {
            return match text.parse::<u32>() {
                Ok(u32::MAX) | Err(_) => Err(Error::usage(format!(
                    "{what} id {text} is out of range: ids run from 0 to 4294967294 (-1 means \"none\" to the kernel and cannot be set)"
                ))),
                Ok(id) => Ok(IdSpec::Id(id)),
            };
        }
        if text.starts_with('-') {
            return Err(Error::usage(format!(
                "{what} {text:?} is not valid: the kernel cannot clear an owner or group once set; delete and re-add the interface instead"
            )));
        }
        if text
            .chars()
            .any(|c| c.is_control() || c == ':' || c.is_whitespace())
        {
            return Err(Error::usage(format!(
                "{what} {text:?} is not a valid {what} name"
            )));
        }
        Ok(IdSpec::Name(text.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(IfName::parse("tap44").is_ok());
        assert!(IfName::parse("a").is_ok());
        assert!(IfName::parse("fifteen_chars_x").is_ok());
        for bad in [
            "",
            ".",
            "..",
            "all",
            "default",
            "a/b",
            "a:b",
            "a b",
            "a\tb",
            "sixteen_chars_xx",
        ] {
            let e = IfName::parse(bad).unwrap_err();
            assert_eq!(e.status, crate::error::ExitStatus::Usage, "{bad}");
            assert!(e.message.contains("not valid"), "{}", e.message);
        }
        assert!(
            IfName::parse("tap%d")
                .unwrap_err()
                .message
                .contains("template")
        );
        assert!(IfName::parse_template("tap%d").unwrap().is_template());
        assert!(IfName::parse_template("t%d%d").is_err());
        assert!(IfName::parse_template("t%s").is_err());
        // 16 bytes: refused, never truncated.
        let e = IfName::parse("abcdefghijklmnop").unwrap_err();
        assert!(e.message.contains("16 bytes"), "{}", e.message);
        // multi-byte characters count in bytes
        assert!(IfName::parse("ééééééééé").is_err());
        // Invisible and bidi characters: refused for new names.
        for bad in [
            "tap1\u{200b}",
            "\u{202e}1pat",
            "tap\u{2066}1",
            "\u{feff}tap1",
            "tap\u{061c}",
            "tap\u{200f}",
        ] {
            let e = IfName::parse(bad).unwrap_err();
            assert!(e.message.contains("invisible"), "{}", e.message);
        }
        assert!(IfName::parse("bücher").is_ok());
    }

    #[test]
    fn lookups_reach_what_the_kernel_holds() {
        for ok in [
            "tap1",
            "\x1b]0;pwned\x07",
            "a\u{9b}b",
            "tap1\u{200b}",
            "all",
        ] {
            assert_eq!(IfName::lookup(ok).unwrap().as_str(), ok);
        }
        for bad in [
            "",
            ".",
            "..",
            "a/b",
            "a:b",
            "a b",
            "a\tb",
            "a\nb",
            "a\rb",
            "sixteen_chars_xx",
            "tap%d",
        ] {
            let e = IfName::lookup(bad).unwrap_err();
            assert_eq!(e.status, crate::error::ExitStatus::Usage, "{bad:?}");
            assert!(!e.message.contains('\n'), "escaped: {}", e.message);
        }
    }

    #[test]
    fn macs() {
        assert_eq!(
            Mac::parse("02:44:44:44:44:44").unwrap().0,
            [2, 0x44, 0x44, 0x44, 0x44, 0x44]
        );
        assert_eq!(
            Mac::parse("02-aa-BB-cc-dd-ee").unwrap().to_string(),
            "02:aa:bb:cc:dd:ee"
        );
        assert!(
            Mac::parse("01:00:5e:00:00:01")
                .unwrap_err()
                .message
                .contains("multicast")
        );
        assert!(
            Mac::parse("00:00:00:00:00:00")
                .unwrap_err()
                .message
                .contains("all-zero")
        );
        for bad in [
            "",
            "02:44:44:44:44",
            "02:44:44:44:44:44:44",
            "0g:00:00:00:00:01",
            "002:0:0:0:0:1",
            "02:44:44-44:44:44",
            "+2:44:44:44:44:44",
        ] {
            assert!(Mac::parse(bad).is_err(), "{bad}");
        }
        for _ in 0..50 {
            let m = Mac::random().unwrap();
            assert_eq!(m.0[0] & 0x03, 0x02, "locally administered unicast");
        }
        assert_eq!(MacSpec::parse("random").unwrap(), MacSpec::Random);
    }

    #[test]
    fn addresses() {
        let a = IfAddr::parse("10.0.0.1/24").unwrap();
        assert_eq!(
            (a.address.to_string(), a.prefix_len),
            ("10.0.0.1".into(), 24)
        );
        assert_eq!(IfAddr::parse("10.0.0.1").unwrap().prefix_len, 32);
        assert_eq!(IfAddr::parse("fd00::1").unwrap().prefix_len, 128);
        assert_eq!(IfAddr::parse("fd00::1/64").unwrap().family(), "inet6");
        for bad in [
            "10.0.0.1/33",
            "fd00::1/129",
            "10.0.0.1/",
            "10.0.0.1/-1",
            "10.0.0/24",
            "x/24",
            "224.0.0.1/4",
            "0.0.0.0/0",
            "10.0.0.1/2x",
            "10.0.0.1/0024",
        ] {
            assert!(IfAddr::parse(bad).is_err(), "{bad}");
        }
        let p = IfAddr::parse("10.0.0.1")
            .unwrap()
            .with_peer("10.0.0.2")
            .unwrap();
        assert_eq!(p.to_string(), "10.0.0.1 peer 10.0.0.2/32");
        assert!(
            IfAddr::parse("10.0.0.1")
                .unwrap()
                .with_peer("fd00::2")
                .is_err()
        );
    }

    #[test]
    fn numbers_and_ids() {
        assert_eq!(parse_mtu("1500").unwrap(), 1500);
        assert!(parse_mtu("67").is_err());
        assert!(parse_mtu("abc").is_err());
        assert!(parse_mtu("99999999999").is_err());
        assert!(check_mtu_for_mode(65535, Mode::Tap, "tap0").is_err());
        assert!(check_mtu_for_mode(65535, Mode::Tun, "tun0").is_ok());
        assert_eq!(parse_txqueuelen("0").unwrap(), 0);
        assert!(parse_txqueuelen("-1").is_err());
        assert_eq!(IdSpec::parse("user", "1000").unwrap(), IdSpec::Id(1000));
        assert_eq!(
            IdSpec::parse("user", "waldner").unwrap(),
            IdSpec::Name("waldner".into())
        );
        assert!(
            IdSpec::parse("user", "-1")
                .unwrap_err()
                .message
                .contains("cannot clear")
        );
        assert!(IdSpec::parse("user", "4294967295").is_err());
        assert!(IdSpec::parse("user", "").is_err());
        assert_eq!(Mode::for_name("tun0"), Mode::Tun);
        assert_eq!(Mode::for_name("vm1"), Mode::Tap);
        assert!("tup".parse::<Mode>().is_err());
    }
}
