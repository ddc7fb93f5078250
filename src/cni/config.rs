//! The network configuration on stdin: parsed and every value validated
//! before anything is made. The input is untrusted: its size is bounded by
//! the reader, every field is type-checked here, and nothing panics.

use serde_json::{Map, Value};

use super::error::{CniError, CniResult, Code};
use super::version::CniVersion;
use crate::validate::around::{AddrGenMode, parse_alias, parse_device_name};
use crate::validate::{IdSpec, MacSpec, Mode, check_mtu_for_mode};

/// The largest config read from stdin (a prevResult of many addresses
/// fits easily; anything bigger is refused, not buffered).
pub const MAX_CONFIG_BYTES: usize = 1 << 20;

/// A network name (CNI spec: the same rule as libcni's).
const MAX_NETWORK_NAME: usize = 128;
/// An IPAM plugin name (a file name in CNI_PATH).
const MAX_PLUGIN_NAME: usize = 64;

/// A validated network configuration for this plugin.
#[derive(Clone, Debug, PartialEq)]
pub struct NetConf {
    pub version: CniVersion,
    pub name: String,
    pub mode: Mode,
    pub mtu: Option<u32>,
    /// From `mac`, overridden by CNI_ARGS `MAC=`, then by `runtimeConfig.mac`
    /// (the upstream tap plugin's order).
    pub mac: Option<MacSpec>,
    pub multi_queue: bool,
    pub vnet_hdr: bool,
    pub owner: Option<IdSpec>,
    pub group: Option<IdSpec>,
    pub selinux_context: Option<String>,
    pub bridge: Option<String>,
    pub txqueuelen: Option<u32>,
    pub alias: Option<String>,
    pub addrgenmode: Option<AddrGenMode>,
    /// `ipam.type`: the IPAM plugin to run from CNI_PATH.
    pub ipam: Option<String>,
    pub dns: Option<Value>,
    pub prev_result: Option<Value>,
}

fn invalid(msg: impl Into<String>) -> CniError {
    CniError::new(Code::InvalidConfig, msg)
}

/// A short, printable excerpt of an untrusted value for a message.
pub fn shown(text: &str) -> String {
    crate::text::printable(&crate::text::cut(text, 64)).into_owned()
}

/// Parse the bytes of stdin as JSON (code 6 when they are not one object).
pub fn decode(bytes: &[u8]) -> CniResult<Map<String, Value>> {
    if bytes.len() > MAX_CONFIG_BYTES {
        return Err(CniError::new(
            Code::Decode,
            format!(
                "the network configuration on stdin is over {MAX_CONFIG_BYTES} bytes; it is refused unread"
            ),
        ));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(CniError::new(
            Code::Decode,
            "the network configuration on stdin is JSON but not an object; give {\"cniVersion\": ..., \"name\": ..., \"type\": \"tuntapctl\", ...}",
        )),
        Err(e) => Err(CniError::new(
            Code::Decode,
            format!("cannot decode the network configuration on stdin: {e}"),
        )),
    }
}

/// The config's cniVersion, checked against the versions we speak (code 1).
pub fn version_of(map: &Map<String, Value>) -> CniResult<CniVersion> {
    let text = match map.get("cniVersion") {
        Some(Value::String(s)) => s,
        None => {
            return Err(invalid(
                "the network configuration has no cniVersion; give one of 0.3.1, 0.4.0, 1.0.0, 1.1.0",
            ));
        }
        Some(_) => return Err(invalid("cniVersion must be a string such as \"1.0.0\"")),
    };
    CniVersion::parse(text).ok_or_else(|| {
        CniError::new(
            Code::IncompatibleVersion,
            format!(
                "cniVersion {:?} is not supported by tuntapctl; it supports {}",
                shown(text),
                super::version::supported_strings().join(", ")
            ),
        )
        .details("set cniVersion to one of the supported versions")
    })
}

/// A whole config, validated. `cni_args_mac` is CNI_ARGS `MAC=` if given.
pub fn parse(map: &Map<String, Value>, cni_args_mac: Option<&str>) -> CniResult<NetConf> {
    let version = version_of(map)?;
    let name = network_name(map)?;
    let mode = match opt_str(map, "mode")? {
        None | Some("tap") => Mode::Tap,
        Some("tun") => Mode::Tun,
        Some(other) => {
            return Err(invalid(format!(
                "mode {:?} is not valid: give \"tap\" (the default) or \"tun\"",
                shown(other)
            )));
        }
    };
    let mtu = opt_u32(map, "mtu")?.filter(|m| *m != 0);
    if let Some(m) = mtu {
        check_mtu_for_mode(m, mode, "mtu").map_err(|e| invalid(e.message))?;
    }
    let mac = mac_of(map, cni_args_mac)?;
    if mac.is_some() && mode == Mode::Tun {
        return Err(CniError::new(
            Code::UnsupportedField,
            "mac is given but mode is \"tun\": a tun has no MAC address; remove mac or use mode \"tap\"",
        ));
    }
    let conf = NetConf {
        version,
        name,
        mode,
        mtu,
        mac,
        multi_queue: opt_bool(map, "multiQueue")?.unwrap_or(false),
        vnet_hdr: opt_bool(map, "vnetHdr")?.unwrap_or(false),
        owner: id_of(map, "owner")?,
        group: id_of(map, "group")?,
        selinux_context: selinux_of(map)?,
        bridge: opt_str(map, "bridge")?
            .map(|b| parse_device_name("bridge", b).map_err(|e| invalid(e.message)))
            .transpose()?,
        txqueuelen: opt_u32(map, "txqueuelen")?,
        alias: opt_str(map, "alias")?
            .map(|a| parse_alias(a).map_err(|e| invalid(e.message)))
            .transpose()?,
        addrgenmode: opt_str(map, "addrgenmode")?
            .map(|a| AddrGenMode::parse(a).map_err(|e| invalid(e.message)))
            .transpose()?,
        ipam: ipam_of(map)?,
        dns: object_of(map, "dns")?,
        prev_result: object_of(map, "prevResult")?,
    };
    Ok(conf)
}

fn network_name(map: &Map<String, Value>) -> CniResult<String> {
    let Some(name) = opt_str(map, "name")? else {
        return Err(invalid(
            "the network configuration has no name; give \"name\": \"NETWORK\"",
        ));
    };
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
    let first_ok = name.starts_with(|c: char| c.is_ascii_alphanumeric());
    if !first_ok || name.len() > MAX_NETWORK_NAME || !name.chars().all(ok_char) {
        return Err(invalid(format!(
            "network name {:?} is not valid: use 1 to {MAX_NETWORK_NAME} letters, digits, '_', '.' or '-', starting with a letter or digit",
            shown(name)
        )));
    }
    Ok(name.to_string())
}

fn mac_of(map: &Map<String, Value>, cni_args_mac: Option<&str>) -> CniResult<Option<MacSpec>> {
    let runtime = match map.get("runtimeConfig") {
        None | Some(Value::Null) => None,
        Some(Value::Object(rc)) => {
            opt_str(rc, "mac").map_err(|e| invalid(format!("runtimeConfig: {}", e.msg)))?
        }
        Some(_) => return Err(invalid("runtimeConfig must be an object")),
    };
    let (from, text) = match (runtime, cni_args_mac, opt_str(map, "mac")?) {
        (Some(m), _, _) if !m.is_empty() => ("runtimeConfig.mac", m),
        (_, Some(m), _) if !m.is_empty() => ("CNI_ARGS MAC", m),
        (_, _, Some(m)) if !m.is_empty() => ("mac", m),
        _ => return Ok(None),
    };
    let code = if from == "CNI_ARGS MAC" {
        Code::InvalidEnvironment
    } else {
        Code::InvalidConfig
    };
    MacSpec::parse(text)
        .map(Some)
        .map_err(|e| CniError::new(code, format!("{from}: {}", e.message)))
}

fn id_of(map: &Map<String, Value>, key: &str) -> CniResult<Option<IdSpec>> {
    let what = if key == "owner" { "user" } else { "group" };
    let spec = match map.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => match n.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(id) if id != u32::MAX => IdSpec::Id(id),
            _ => {
                return Err(invalid(format!(
                    "{key} {n} is out of range: give a {what} id from 0 to 4294967294, or a {what} name"
                )));
            }
        },
        Some(Value::String(s)) => {
            IdSpec::parse(what, s).map_err(|e| invalid(format!("{key}: {}", e.message)))?
        }
        Some(_) => {
            return Err(invalid(format!(
                "{key} must be a {what} id (a number) or a {what} name (a string)"
            )));
        }
    };
    Ok(Some(spec))
}

fn selinux_of(map: &Map<String, Value>) -> CniResult<Option<String>> {
    let Some(ctx) = opt_str(map, "selinuxContext")?.filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    // user:role:type[:level]; printable, no NUL, bounded.
    if ctx.len() > 255
        || ctx.split(':').count() < 3
        || ctx.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(invalid(format!(
            "selinuxContext {:?} is not an SELinux context: give user:role:type[:level], e.g. system_u:system_r:svirt_t:s0",
            shown(ctx)
        )));
    }
    Ok(Some(ctx.to_string()))
}

fn ipam_of(map: &Map<String, Value>) -> CniResult<Option<String>> {
    let ipam = match map.get("ipam") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(o)) => o,
        Some(_) => {
            return Err(invalid(
                "ipam must be an object such as {\"type\": \"host-local\", ...}",
            ));
        }
    };
    let Some(kind) = opt_str(ipam, "type").map_err(|e| invalid(format!("ipam: {}", e.msg)))? else {
        // An empty ipam object: no IPAM (the upstream plugin's reading).
        return Ok(None);
    };
    if kind.is_empty() {
        return Ok(None);
    }
    let plain = kind.len() <= MAX_PLUGIN_NAME
        && kind != "."
        && kind != ".."
        && kind
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if !plain {
        return Err(invalid(format!(
            "ipam.type {:?} is not a plugin name: give the file name of an IPAM plugin in CNI_PATH (letters, digits, '_', '.', '-'), such as \"host-local\"",
            shown(kind)
        )));
    }
    Ok(Some(kind.to_string()))
}

fn opt_str<'a>(map: &'a Map<String, Value>, key: &str) -> CniResult<Option<&'a str>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(invalid(format!("{key} must be a string"))),
    }
}

fn opt_bool(map: &Map<String, Value>, key: &str) -> CniResult<Option<bool>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(invalid(format!("{key} must be true or false"))),
    }
}

fn opt_u32(map: &Map<String, Value>, key: &str) -> CniResult<Option<u32>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(v) => Ok(Some(v)),
            None => Err(invalid(format!(
                "{key} {n} is out of range: give a whole number from 0 to 4294967295"
            ))),
        },
        Some(_) => Err(invalid(format!("{key} must be a number"))),
    }
}

fn object_of(map: &Map<String, Value>, key: &str) -> CniResult<Option<Value>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Object(_)) => Ok(Some(v.clone())),
        Some(_) => Err(invalid(format!("{key} must be an object"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn parse_json(v: Value, mac: Option<&str>) -> CniResult<NetConf> {
        parse(v.as_object().unwrap(), mac)
    }

    fn base(extra: Value) -> Value {
        let mut v = json!({"cniVersion": "1.0.0", "name": "net", "type": "tuntapctl"});
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        v
    }

    #[test]
    fn defaults_are_the_upstream_plugins() {
        let c = parse_json(base(json!({})), None).unwrap();
        assert_eq!(c.mode, Mode::Tap);
        assert!(!c.multi_queue && !c.vnet_hdr);
        assert_eq!((c.mtu, c.mac, c.ipam), (None, None, None));
    }

    #[test]
    fn every_option_is_read() {
        let c = parse_json(
            base(
                json!({"mtu": 9000, "mac": "02:00:00:00:00:01", "multiQueue": true,
                        "owner": "root", "group": 0, "bridge": "br0", "mode": "tap",
                        "vnetHdr": true, "txqueuelen": 5, "alias": "vm1",
                        "addrgenmode": "none", "ipam": {"type": "host-local"},
                        "selinuxContext": "system_u:system_r:svirt_t:s0"}),
            ),
            None,
        )
        .unwrap();
        assert_eq!(c.mtu, Some(9000));
        assert!(c.multi_queue && c.vnet_hdr);
        assert_eq!(c.owner, Some(IdSpec::Name("root".into())));
        assert_eq!(c.group, Some(IdSpec::Id(0)));
        assert_eq!(c.bridge.as_deref(), Some("br0"));
        assert_eq!(c.txqueuelen, Some(5));
        assert_eq!(c.alias.as_deref(), Some("vm1"));
        assert_eq!(c.addrgenmode, Some(AddrGenMode::parse("none").unwrap()));
        assert_eq!(c.ipam.as_deref(), Some("host-local"));
        assert!(c.selinux_context.is_some());
    }

    #[test]
    fn mac_precedence_is_runtime_config_then_cni_args_then_mac() {
        let fixed = |s: &str| Some(MacSpec::parse(s).unwrap());
        let v = base(json!({"mac": "02:00:00:00:00:01"}));
        assert_eq!(
            parse_json(v.clone(), None).unwrap().mac,
            fixed("02:00:00:00:00:01")
        );
        assert_eq!(
            parse_json(v.clone(), Some("02:00:00:00:00:02"))
                .unwrap()
                .mac,
            fixed("02:00:00:00:00:02")
        );
        let mut v = v;
        v["runtimeConfig"] = json!({"mac": "02:00:00:00:00:03"});
        assert_eq!(
            parse_json(v, Some("02:00:00:00:00:02")).unwrap().mac,
            fixed("02:00:00:00:00:03")
        );
    }

    #[test]
    fn bad_values_are_refused_with_their_codes() {
        let cases = [
            (json!({"mtu": 67}), Code::InvalidConfig),
            (json!({"mtu": 65522}), Code::InvalidConfig),
            (json!({"mtu": -1}), Code::InvalidConfig),
            (json!({"mtu": 1.5}), Code::InvalidConfig),
            (json!({"mac": "ff:ff:ff:ff:ff:ff"}), Code::InvalidConfig),
            (json!({"mac": "00:00:00:00:00:00"}), Code::InvalidConfig),
            (
                json!({"mode": "tun", "mac": "02:00:00:00:00:01"}),
                Code::UnsupportedField,
            ),
            (json!({"mode": "bridge"}), Code::InvalidConfig),
            (json!({"owner": 4294967295u64}), Code::InvalidConfig),
            (json!({"owner": "-1"}), Code::InvalidConfig),
            (json!({"owner": true}), Code::InvalidConfig),
            (json!({"bridge": "a/b"}), Code::InvalidConfig),
            (json!({"addrgenmode": "sometimes"}), Code::InvalidConfig),
            (json!({"ipam": {"type": "../x"}}), Code::InvalidConfig),
            (json!({"ipam": "host-local"}), Code::InvalidConfig),
            (json!({"selinuxContext": "nocolons"}), Code::InvalidConfig),
            (json!({"cniVersion": "0.2.0"}), Code::IncompatibleVersion),
            (json!({"cniVersion": 1}), Code::InvalidConfig),
            (json!({"name": ""}), Code::InvalidConfig),
            (json!({"name": "a b"}), Code::InvalidConfig),
            (json!({"dns": []}), Code::InvalidConfig),
        ];
        for (extra, code) in cases {
            let e = parse_json(base(extra.clone()), None).unwrap_err();
            assert_eq!(e.code, code, "{extra}: {}", e.msg);
        }
        let e = parse_json(base(json!({})), Some("zz")).unwrap_err();
        assert_eq!(e.code, Code::InvalidEnvironment);
    }

    #[test]
    fn a_tun_allows_a_bigger_mtu() {
        assert!(parse_json(base(json!({"mode": "tun", "mtu": 65535})), None).is_ok());
    }

    #[test]
    fn decode_refuses_non_objects_and_oversize() {
        assert_eq!(decode(b"[]").unwrap_err().code, Code::Decode);
        assert_eq!(decode(b"{").unwrap_err().code, Code::Decode);
        assert_eq!(decode(b"").unwrap_err().code, Code::Decode);
        let big = vec![b' '; MAX_CONFIG_BYTES + 1];
        assert_eq!(decode(&big).unwrap_err().code, Code::Decode);
    }

    /// Any JSON value under any key we read.
    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            any::<f64>().prop_map(|f| json!(f)),
            ".{0,40}".prop_map(Value::String),
            prop_oneof![
                Just("1.0.0"),
                Just("0.3.1"),
                Just("tun"),
                Just("tap"),
                Just("02:00:00:00:00:01"),
                Just("root"),
                Just("host-local"),
                Just("a:b:c"),
                Just("none"),
                Just("random")
            ]
            .prop_map(|s| Value::String(s.into())),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec(("[a-z]{1,6}", inner), 0..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    const KEYS: [&str; 19] = [
        "cniVersion",
        "name",
        "type",
        "mode",
        "mtu",
        "mac",
        "multiQueue",
        "vnetHdr",
        "owner",
        "group",
        "selinuxContext",
        "bridge",
        "txqueuelen",
        "alias",
        "addrgenmode",
        "ipam",
        "dns",
        "prevResult",
        "runtimeConfig",
    ];

    proptest! {
        /// No config, however malformed, makes the parser panic; it is
        /// either a config or an error with a code and a message.
        #[test]
        fn no_config_panics(values in prop::collection::vec((0..KEYS.len(), any_json()), 0..12),
                            mac in proptest::option::of(".{0,30}")) {
            let mut map = Map::new();
            map.insert("cniVersion".into(), json!("1.0.0"));
            map.insert("name".into(), json!("n"));
            for (k, v) in values {
                map.insert(KEYS[k].into(), v);
            }
            if let Err(e) = parse(&map, mac.as_deref()) {
                prop_assert!(!e.msg.is_empty());
            }
        }

        #[test]
        fn no_bytes_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            if let Ok(map) = decode(&bytes) {
                let _ = parse(&map, None);
            }
        }
    }
}
