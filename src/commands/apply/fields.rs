//! The apply file's fields around the device (SPEC §6): `master`, `alias`
//! and `addrgenmode`, each read from its JSON value with the rule for null
//! (leave it) and "" (free the port, remove the alias).

use serde_json::Value;

use crate::validate::around::AddrGenMode;

/// An apply file's `"master"`: a name, "" to free the port, null to leave
/// it.
pub fn master_value(v: &Value) -> std::result::Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(Some(String::new())),
        Value::String(s) => crate::validate::around::parse_device_name("master", s)
            .map(Some)
            .map_err(|e| e.message),
        _ => Err(
            "expected the name of a bridge (or bond, vrf), \"\" to free the port, or null".into(),
        ),
    }
}

/// An apply file's `"alias"`: text, "" to remove it, null to leave it.
pub fn alias_value(v: &Value) -> std::result::Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => crate::validate::around::parse_alias(s)
            .map(Some)
            .map_err(|e| e.message),
        _ => Err("expected a string (\"\" removes the alias) or null".into()),
    }
}

/// An apply file's `"addrgenmode"`: ip's word, or null.
pub fn addrgenmode_value(v: &Value) -> std::result::Result<Option<AddrGenMode>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => AddrGenMode::parse(s).map(Some).map_err(|e| e.message),
        _ => Err("expected \"eui64\", \"none\", \"stable_secret\" or \"random\"".into()),
    }
}
