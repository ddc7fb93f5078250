//! The apply file's field values, each read from its JSON value: null
//! leaves a property as it is; a bad value is the words of why (the entry
//! reader adds the entry and the field). The fields around the device
//! (SPEC §6) also take "" (free the port, remove the alias).

use serde::Deserialize;
use serde_json::Value;

use crate::commands::Context;
use crate::error::Error;
use crate::netlink::is_ipv6_link_local;
use crate::validate::around::AddrGenMode;
use crate::validate::{IdSpec, IfAddr, Mac, MacSpec, Mode};

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

#[derive(Deserialize)]
#[serde(untagged)]
enum IdValue {
    Number(u64),
    Text(String),
    Object {
        #[serde(alias = "gid")]
        uid: Option<u64>,
        name: Option<String>,
    },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum AddressValue {
    Text(String),
    Object {
        address: String,
        prefix_len: Option<u8>,
        peer: Option<String>,
    },
}

/// The message of a validation error without the value's own prefix.
pub(super) fn why(e: Error) -> String {
    e.message
}

/// A MAC in a file: say what to write there ("random" is refused in a file).
pub(super) fn mac_why(e: Error) -> String {
    format!(
        "{}; write a fixed unicast address in the file (\"random\" is not accepted there: it would change on every run)",
        e.message
    )
}

pub(super) fn parse_id(
    ctx: &Context,
    value: &Value,
    what: &str,
) -> std::result::Result<Option<u32>, String> {
    if value.is_null() {
        return Ok(None);
    }
    let parsed: IdValue = serde_json::from_value(value.clone()).map_err(|_| {
        format!(
            "expected a name, a number or an object with {}",
            if what == "user" { "uid" } else { "gid" }
        )
    })?;
    let spec = match parsed {
        IdValue::Number(n) => IdSpec::parse(what, &n.to_string()).map_err(why)?,
        IdValue::Text(t) => IdSpec::parse(what, &t).map_err(why)?,
        // The object form: trust the id (names may differ between hosts
        // only if the id is absent).
        IdValue::Object { uid: Some(n), .. } => IdSpec::parse(what, &n.to_string()).map_err(why)?,
        IdValue::Object {
            uid: None,
            name: Some(n),
        } => IdSpec::parse(what, &n).map_err(why)?,
        IdValue::Object {
            uid: None,
            name: None,
        } => return Err("the object has neither an id nor a name".into()),
    };
    let id = if what == "user" {
        ctx.ids.resolve_user(&spec)
    } else {
        ctx.ids.resolve_group(&spec)
    };
    id.map(Some).map_err(why)
}

pub(super) fn parse_address(value: &Value) -> std::result::Result<Option<IfAddr>, String> {
    let parsed: AddressValue = serde_json::from_value(value.clone()).map_err(|_| {
        "expected \"ADDR/PREFIX\" or an object with address and prefix_len".to_string()
    })?;
    let addr = match parsed {
        AddressValue::Text(t) => IfAddr::parse(&t).map_err(why)?,
        AddressValue::Object {
            address,
            prefix_len,
            peer,
        } => {
            let text = match prefix_len {
                Some(p) => format!("{address}/{p}"),
                None => address,
            };
            let a = IfAddr::parse(&text).map_err(why)?;
            match peer {
                Some(p) => a.with_peer(&p).map_err(why)?,
                None => a,
            }
        }
    };
    // The kernel makes IPv6 link-local addresses itself; never declare them.
    Ok((!is_ipv6_link_local(&addr.address)).then_some(addr))
}

pub(super) fn bool_value(v: &Value) -> std::result::Result<Option<bool>, String> {
    match v {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        _ => Err("expected true or false".into()),
    }
}

pub(super) fn u32_value(v: &Value) -> std::result::Result<Option<u32>, String> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| format!("{n} is not a whole number from 0 to 4294967295")),
        _ => Err("expected a number".into()),
    }
}

pub(super) fn mode_value(v: &Value) -> std::result::Result<Option<Mode>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => s.parse::<Mode>().map(Some).map_err(why),
        _ => Err("expected \"tun\" or \"tap\"".into()),
    }
}

pub(super) fn mac_value(v: &Value) -> std::result::Result<Option<Mac>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => match MacSpec::parse(s).map_err(mac_why)? {
            MacSpec::Fixed(m) => Ok(Some(m)),
            MacSpec::Random => Err(
                "\"random\" would change on every run; write a fixed address such as \"02:00:00:00:00:01\" in the file".into(),
            ),
        },
        _ => Err("expected a string such as \"02:00:00:00:00:01\"".into()),
    }
}

/// A declared address list: None leaves addresses alone. IPv6 link-local
/// addresses are the kernel's and are skipped.
/// Errors name the field: `addresses` or `addresses[J]`.
pub(super) fn addresses_value(
    v: &Value,
) -> std::result::Result<Option<Vec<IfAddr>>, (String, String)> {
    let items = match v {
        Value::Null => return Ok(None),
        Value::Array(items) => items,
        _ => return Err(("addresses".into(), "expected an array".into())),
    };
    let mut out: Vec<IfAddr> = Vec::new();
    for (j, item) in items.iter().enumerate() {
        let at = || format!("addresses[{j}]");
        let Some(a) = parse_address(item).map_err(|e| (at(), e))? else {
            continue;
        };
        // The kernel keys IPv6 addresses by address alone and IPv4 by
        // address and prefix: a second one would fail with EEXIST halfway
        // through the run.
        if let Some(k) = out.iter().position(|b| {
            b.address == a.address && (a.address.is_ipv6() || b.prefix_len == a.prefix_len)
        }) {
            return Err((
                at(),
                format!(
                    "{a} repeats addresses[{k}] ({}); list each address once",
                    out[k]
                ),
            ));
        }
        out.push(a);
    }
    Ok(Some(out))
}
