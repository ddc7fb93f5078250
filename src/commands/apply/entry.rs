//! One entry of an apply file, read field by field. Each failure is
//! recorded with the entry and the field, and reading goes on, so one run
//! reports every bad field of every entry.

use std::collections::HashSet;

use serde_json::Value;

use super::Declared;
use super::fields::{
    addresses_value, addrgenmode_value, alias_value, bool_value, mac_value, master_value,
    mode_value, parse_id, u32_value, why,
};
use crate::commands::Context;
use crate::error::Error;
use crate::validate::{IfAddr, IfName, Mac, Mode, check_mac_for_mode, check_mtu_for_mode};

/// Keys `list --json` prints that apply reads.
pub(super) const SETTABLE: &[&str] = &[
    "name",
    "mode",
    "owner",
    "group",
    "flags",
    "mac",
    "mtu",
    "txqueuelen",
    "up",
    "addresses",
    "master",
    "alias",
    "addrgenmode",
];
/// Keys `list --json` prints that describe state apply cannot set.
pub(super) const READ_ONLY: &[&str] = &[
    "ifindex",
    "processes",
    "carrier",
    "operstate",
    "queues",
    "changed",
    "stats",
];

pub(super) fn entry_error(
    index: usize,
    name: Option<&str>,
    field: &str,
    why: impl std::fmt::Display,
) -> Error {
    let who = match name {
        Some(n) => format!("entry {index} ({n})"),
        None => format!("entry {index}"),
    };
    Error::usage(format!("{who}: {field}: {why}"))
}

/// Reads one entry's fields. Each failure is recorded with the entry and
/// the field, and reading goes on, so one run reports every bad field of
/// every entry instead of only the first.
struct EntryReader<'a> {
    index: usize,
    name: Option<String>,
    map: &'a serde_json::Map<String, Value>,
    errors: &'a mut Vec<Error>,
}

impl EntryReader<'_> {
    fn fail(&mut self, field: &str, why: impl std::fmt::Display) {
        self.errors
            .push(entry_error(self.index, self.name.as_deref(), field, why));
    }

    fn get(&self, key: &str) -> &Value {
        self.map.get(key).unwrap_or(&Value::Null)
    }

    /// A field through `parse`: None when absent (null) or bad (recorded).
    fn field<T>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&Value) -> std::result::Result<Option<T>, String>,
    ) -> Option<T> {
        let value = self.map.get(key).unwrap_or(&Value::Null);
        match parse(value) {
            Ok(v) => v,
            Err(why) => {
                self.fail(key, why);
                None
            }
        }
    }
}

/// Read one entry; None when it has errors (recorded in `errors`).
pub(super) fn read_entry(
    ctx: &Context,
    index: usize,
    entry: &Value,
    seen: &mut HashSet<String>,
    errors: &mut Vec<Error>,
) -> Option<Declared> {
    let Value::Object(map) = entry else {
        errors.push(entry_error(
            index,
            None,
            "entry",
            "expected an object with at least \"name\"",
        ));
        return None;
    };
    let before = errors.len();
    let mut r = EntryReader {
        index,
        name: None,
        map,
        errors,
    };
    let name = read_name(&mut r, seen)?;
    let n = name.as_str().to_string();
    check_known_keys(&mut r);
    let mode = r
        .field("mode", mode_value)
        .unwrap_or_else(|| Mode::for_name(&n));
    let owner = r.field("owner", |v| parse_id(ctx, v, "user"));
    let group = r.field("group", |v| parse_id(ctx, v, "group"));
    let (pi, vnet_hdr, multi_queue) = read_flags(&mut r);
    let mac = read_mac(&mut r, mode, &n);
    let mtu = read_mtu(&mut r, mode, &n);
    let txqueuelen = r.field("txqueuelen", u32_value);
    let up = r.field("up", bool_value);
    let addresses = read_addresses(&mut r);
    let master = r.field("master", master_value);
    let alias = r.field("alias", alias_value);
    let addrgenmode = r.field("addrgenmode", addrgenmode_value);
    if r.errors.len() > before {
        return None;
    }
    Some(Declared {
        name,
        mode,
        owner,
        group,
        pi,
        vnet_hdr,
        multi_queue,
        mac,
        mtu,
        txqueuelen,
        up,
        addresses,
        master,
        alias,
        addrgenmode,
    })
}

/// `name`: required, valid, and listed once in the file.
fn read_name(r: &mut EntryReader, seen: &mut HashSet<String>) -> Option<IfName> {
    let name = match r.get("name") {
        Value::String(s) => match IfName::parse(s) {
            Ok(name) => Some(name),
            Err(e) => {
                r.fail("name", why(e));
                None
            }
        },
        _ => {
            r.fail("name", "missing, or not a string; every entry needs a name");
            None
        }
    }?;
    let n = name.as_str().to_string();
    r.name = Some(n.clone());
    if !seen.insert(n) {
        r.fail("name", "listed twice; each interface may appear once");
    }
    Some(name)
}

/// Every key is one apply sets or one `list --json` prints as state.
fn check_known_keys(r: &mut EntryReader) {
    let unknown: Vec<String> = r
        .map
        .keys()
        .filter(|k| !SETTABLE.contains(&k.as_str()) && !READ_ONLY.contains(&k.as_str()))
        .cloned()
        .collect();
    for key in unknown {
        r.fail(
            &key,
            format!("unknown field; known fields are {}", SETTABLE.join(", ")),
        );
    }
}

/// `flags`: pi, vnet_hdr, multi_queue; persist may only be true.
fn read_flags(r: &mut EntryReader) -> (Option<bool>, Option<bool>, Option<bool>) {
    let flags = r.get("flags").clone();
    if !flags.is_null() && !flags.is_object() {
        r.fail(
            "flags",
            "expected an object such as {\"multi_queue\": false}",
        );
    }
    let mut flag = |k: &str| match bool_value(flags.get(k).unwrap_or(&Value::Null)) {
        Ok(v) => v,
        Err(e) => {
            r.fail(&format!("flags.{k}"), e);
            None
        }
    };
    let pi = flag("pi");
    let vnet_hdr = flag("vnet_hdr");
    let multi_queue = flag("multi_queue");
    if flag("persist") == Some(false) {
        r.fail(
            "flags.persist",
            "false is not supported: apply manages persistent interfaces",
        );
    }
    (pi, vnet_hdr, multi_queue)
}

/// `mac`: a unicast address, and only on a tap.
fn read_mac(r: &mut EntryReader, mode: Mode, name: &str) -> Option<Mac> {
    let mac = r.field("mac", mac_value)?;
    if let Err(e) = check_mac_for_mode(
        mode,
        name,
        &format!("mac {mac}"),
        "remove the field or use mode tap",
    ) {
        r.fail("mac", why(e));
    }
    Some(mac)
}

/// `mtu`: within what the mode allows.
fn read_mtu(r: &mut EntryReader, mode: Mode, name: &str) -> Option<u32> {
    let mtu = r.field("mtu", u32_value)?;
    if let Err(e) = check_mtu_for_mode(mtu, mode, name) {
        r.fail("mtu", why(e));
    }
    Some(mtu)
}

/// `addresses`: errors name `addresses` or `addresses[J]`.
fn read_addresses(r: &mut EntryReader) -> Option<Vec<IfAddr>> {
    match addresses_value(r.get("addresses")) {
        Ok(v) => v,
        Err((field, why)) => {
            r.fail(&field, why);
            None
        }
    }
}
