//! Reading an apply file (JSON or TOML) into validated entries. Every bad
//! field of every entry is reported, each naming its entry and field.

use std::collections::HashSet;

use serde::Deserialize;
use serde_json::Value;

use super::Declared;
use crate::commands::Context;
use crate::error::{Error, Result};
use crate::netlink::is_ipv6_link_local;
use crate::validate::{
    IdSpec, IfAddr, IfName, Mac, MacSpec, Mode, check_mac_for_mode, check_mtu_for_mode,
};

/// Keys `list --json` prints that apply reads.
const SETTABLE: &[&str] = &[
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
const READ_ONLY: &[&str] = &[
    "ifindex",
    "processes",
    "carrier",
    "operstate",
    "queues",
    "changed",
    "stats",
];

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

fn entry_error(
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

/// The message of a validation error without the value's own prefix.
fn why(e: Error) -> String {
    e.message
}

/// A MAC in a file: say what to write there ("random" is refused in a file).
fn mac_why(e: Error) -> String {
    format!(
        "{}; write a fixed unicast address in the file (\"random\" is not accepted there: it would change on every run)",
        e.message
    )
}

fn parse_id(ctx: &Context, value: &Value, what: &str) -> std::result::Result<Option<u32>, String> {
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

fn parse_address(value: &Value) -> std::result::Result<Option<IfAddr>, String> {
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

/// Parse and validate the whole file (entries are numbered from 1).
pub fn parse_declared(ctx: &Context, text: &str) -> Result<Vec<Declared>> {
    declared_from_value(ctx, super::document::json(text)?)
}

/// The input formats apply reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Toml,
}

impl Format {
    /// By the file's extension; for stdin or other names, by the content: a
    /// TOML file starts with a table header (`[[interface]]`) or a key, a
    /// JSON file with `[` followed by an object, or `{`.
    pub fn detect(path: &str, text: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".toml") {
            return Format::Toml;
        }
        if lower.ends_with(".json") {
            return Format::Json;
        }
        let start = text.trim_start_matches('\u{feff}').trim_start();
        match start.chars().next() {
            Some('{') | None => Format::Json,
            Some('[') => {
                let after = start[1..].trim_start();
                if after.starts_with('{') || after.starts_with(']') {
                    Format::Json
                } else {
                    Format::Toml
                }
            }
            // JSON scalars: not an interface list, but JSON's error says so.
            Some('"' | '-' | '0'..='9') => Format::Json,
            Some(_) if ["true", "false", "null"].contains(&start.trim_end()) => Format::Json,
            Some(_) => Format::Toml,
        }
    }
}

/// TOML with the same fields: one `[[interface]]` table per interface.
///
/// ```toml
/// [[interface]]
/// name = "tap-vm1"
/// owner = "qemu"
/// mtu = 9000
/// addresses = ["192.0.2.1/30"]
/// flags = { vnet_hdr = true }
/// ```
pub fn parse_declared_toml(ctx: &Context, text: &str) -> Result<Vec<Declared>> {
    let root = super::document::toml(text)?;
    let Value::Object(mut map) = root else {
        return Err(Error::usage(
            "not valid TOML: expected [[interface]] tables",
        ));
    };
    let entries = match (map.remove("interface"), map.remove("interfaces")) {
        (Some(v), None) | (None, Some(v)) => v,
        (None, None) if map.is_empty() => Value::Array(Vec::new()),
        (Some(_), Some(_)) => {
            return Err(Error::usage(
                "the TOML file has both [[interface]] and [[interfaces]] tables; use one",
            ));
        }
        (None, None) => {
            let keys: Vec<&String> = map.keys().collect();
            return Err(Error::usage(format!(
                "the TOML file has no [[interface]] tables (found {keys:?}); write one [[interface]] table per interface"
            )));
        }
    };
    if let Some(key) = map.keys().next() {
        return Err(Error::usage(format!(
            "the TOML file has a top-level key {key:?} besides the [[interface]] tables; move it into an [[interface]] table or remove it"
        )));
    }
    if !entries.is_array() {
        return Err(Error::usage(
            "interface must be an array of tables: write [[interface]], with two brackets",
        ));
    }
    declared_from_value(ctx, entries)
}

/// Parse in the given format.
pub fn parse_declared_as(ctx: &Context, format: Format, text: &str) -> Result<Vec<Declared>> {
    match format {
        Format::Json => parse_declared(ctx, text),
        Format::Toml => parse_declared_toml(ctx, text),
    }
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

fn bool_value(v: &Value) -> std::result::Result<Option<bool>, String> {
    match v {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        _ => Err("expected true or false".into()),
    }
}

fn u32_value(v: &Value) -> std::result::Result<Option<u32>, String> {
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

fn mode_value(v: &Value) -> std::result::Result<Option<Mode>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => s.parse::<Mode>().map(Some).map_err(why),
        _ => Err("expected \"tun\" or \"tap\"".into()),
    }
}

fn mac_value(v: &Value) -> std::result::Result<Option<Mac>, String> {
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
fn addresses_value(v: &Value) -> std::result::Result<Option<Vec<IfAddr>>, (String, String)> {
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

/// Read one entry; None when it has errors (recorded in `errors`).
fn read_entry(
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
    };
    let name = name?;
    let n = name.as_str().to_string();
    r.name = Some(n.clone());
    if !seen.insert(n.clone()) {
        r.fail("name", "listed twice; each interface may appear once");
    }
    for key in map.keys() {
        if !SETTABLE.contains(&key.as_str()) && !READ_ONLY.contains(&key.as_str()) {
            r.fail(
                key,
                format!("unknown field; known fields are {}", SETTABLE.join(", ")),
            );
        }
    }
    let mode = r
        .field("mode", mode_value)
        .unwrap_or_else(|| Mode::for_name(&n));
    let owner = r.field("owner", |v| parse_id(ctx, v, "user"));
    let group = r.field("group", |v| parse_id(ctx, v, "group"));
    let flags = r.get("flags").clone();
    if !flags.is_null() && !flags.is_object() {
        r.fail(
            "flags",
            "expected an object such as {\"multi_queue\": false}",
        );
    }
    let flag = |r: &mut EntryReader, k: &str| match bool_value(flags.get(k).unwrap_or(&Value::Null))
    {
        Ok(v) => v,
        Err(e) => {
            r.fail(&format!("flags.{k}"), e);
            None
        }
    };
    let pi = flag(&mut r, "pi");
    let vnet_hdr = flag(&mut r, "vnet_hdr");
    let multi_queue = flag(&mut r, "multi_queue");
    if flag(&mut r, "persist") == Some(false) {
        r.fail(
            "flags.persist",
            "false is not supported: apply manages persistent interfaces",
        );
    }
    let mac = r.field("mac", mac_value);
    if let Some(mac) = mac
        && let Err(e) = check_mac_for_mode(
            mode,
            &n,
            &format!("mac {mac}"),
            "remove the field or use mode tap",
        )
    {
        r.fail("mac", why(e));
    }
    let mtu = r.field("mtu", u32_value);
    if let Some(m) = mtu
        && let Err(e) = check_mtu_for_mode(m, mode, &n)
    {
        r.fail("mtu", why(e));
    }
    let txqueuelen = r.field("txqueuelen", u32_value);
    let up = r.field("up", bool_value);
    let addresses = match addresses_value(r.get("addresses")) {
        Ok(v) => v,
        Err((field, why)) => {
            r.fail(&field, why);
            None
        }
    };
    let master = r.field("master", super::fields::master_value);
    let alias = r.field("alias", super::fields::alias_value);
    let addrgenmode = r.field("addrgenmode", super::fields::addrgenmode_value);
    if errors.len() > before {
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

/// Every entry of the file, or every error of every bad entry (one per
/// line, in file order), as one usage error.
fn declared_from_value(ctx: &Context, root: Value) -> Result<Vec<Declared>> {
    let entries = match root {
        Value::Array(a) => a,
        Value::Object(_) => vec![root],
        _ => {
            return Err(Error::usage(
                "the file must hold a JSON array of interface objects, as `tuntapctl list --json` prints",
            ));
        }
    };
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut errors: Vec<Error> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        if let Some(d) = read_entry(ctx, i + 1, entry, &mut seen, &mut errors) {
            out.push(d);
        }
    }
    match errors.len() {
        0 => Ok(out),
        1 => Err(errors.remove(0)),
        n => {
            let lines: Vec<String> = errors.into_iter().map(|e| e.message).collect();
            Err(Error::usage(format!(
                "{}\n({n} errors; nothing was changed)",
                lines.join("\n")
            )))
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Declared>> {
        parse_declared(&Context::new(), text)
    }

    #[test]
    fn validates_entries() {
        let ok = parse(r#"[{"name":"tap7","mtu":9000,"owner":0,"group":{"gid":0,"name":"root"},"addresses":["10.0.0.1/24",{"address":"fe80::1","prefix_len":64},{"address":"fd00::1","prefix_len":64,"peer":null}],"ifindex":3,"processes":[]}]"#).unwrap();
        assert_eq!(ok[0].mode, Mode::Tap);
        assert_eq!(
            ok[0].addresses.as_ref().unwrap().len(),
            2,
            "link-local dropped"
        );
        let e =
            parse(r#"[{"name":"tun1"},{"name":"tap7","mac":"01:00:5e:00:00:01"}]"#).unwrap_err();
        assert!(
            e.message.starts_with("entry 2 (tap7): mac:"),
            "{}",
            e.message
        );
        assert!(e.message.contains("multicast"));
        assert!(
            parse(r#"[{"name":"tun1","mac":"02:00:00:00:00:01"}]"#)
                .unwrap_err()
                .message
                .contains("tun has no MAC")
        );
        assert!(
            parse(r#"[{"name":"a"},{"name":"a"}]"#)
                .unwrap_err()
                .message
                .contains("twice")
        );
        assert!(
            parse(r#"[{"name":"a","mtux":1}]"#)
                .unwrap_err()
                .message
                .contains("unknown field")
        );
        assert!(
            parse(r#"[{"mtu":1}]"#)
                .unwrap_err()
                .message
                .contains("entry 1: name")
        );
        assert!(parse(r#"[1]"#).is_err());
        assert!(parse(r#"{"#).unwrap_err().message.contains("line 1"));
        assert!(
            parse(r#"[{"name":"a","owner":"no-such-user-xyz"}]"#)
                .unwrap_err()
                .message
                .contains("owner")
        );
        assert!(parse(r#"[{"name":"a","mtu":-1}]"#).is_err());
        assert!(parse(r#"[{"name":"a","up":"yes"}]"#).is_err());
        assert!(parse(r#"[]"#).unwrap().is_empty());
    }
}

#[cfg(test)]
mod toml_tests {
    use super::*;

    #[test]
    fn detects_the_format() {
        assert_eq!(Format::detect("x.toml", "[..."), Format::Toml);
        assert_eq!(Format::detect("x.JSON", "[[interface]]"), Format::Json);
        assert_eq!(
            Format::detect("-", "[[interface]]\nname=\"a\""),
            Format::Toml
        );
        assert_eq!(Format::detect("-", "[interface]"), Format::Toml);
        assert_eq!(Format::detect("-", "name = \"a\""), Format::Toml);
        assert_eq!(Format::detect("-", " [\n {\"name\":\"a\"}]"), Format::Json);
        assert_eq!(Format::detect("-", "[]"), Format::Json);
        assert_eq!(Format::detect("-", "{\"name\":\"a\"}"), Format::Json);
        assert_eq!(Format::detect("-", ""), Format::Json);
        assert_eq!(Format::detect("-", "\"tap2\""), Format::Json);
        assert_eq!(Format::detect("-", "42"), Format::Json);
        assert_eq!(Format::detect("-", "null"), Format::Json);
        assert_eq!(
            Format::detect("-", "# boot taps\n[[interface]]"),
            Format::Toml
        );
    }

    #[test]
    fn toml_has_the_same_fields() {
        let ctx = Context::new();
        let text = r#"
[[interface]]
name = "tap-vm1"
owner = 0
group = { gid = 0, name = "root" }
mtu = 9000
mac = "02:00:00:00:00:01"
addresses = ["192.0.2.1/30", { address = "fd00::1", prefix_len = 64 }]
flags = { vnet_hdr = true }
up = true

[[interface]]
name = "tun0"
"#;
        let d = parse_declared_toml(&ctx, text).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].mtu, Some(9000));
        assert_eq!(d[0].owner, Some(0));
        assert_eq!(d[0].addresses.as_ref().unwrap().len(), 2);
        assert_eq!(d[1].mode, Mode::Tun);
        let e = parse_declared_toml(
            &ctx,
            "[[interface]]\nname = \"a\"\nmac = \"01:00:5e:00:00:01\"\n",
        )
        .unwrap_err();
        assert!(e.message.starts_with("entry 1 (a): mac:"), "{}", e.message);
        assert!(
            parse_declared_toml(&ctx, "[[interface]\n")
                .unwrap_err()
                .message
                .contains("not valid TOML")
        );
        assert!(
            parse_declared_toml(&ctx, "[interface]\nname = \"a\"\n")
                .unwrap_err()
                .message
                .contains("two brackets")
        );
        assert!(
            parse_declared_toml(&ctx, "x = 1\n")
                .unwrap_err()
                .message
                .contains("no [[interface]]")
        );
        assert!(parse_declared_toml(&ctx, "").unwrap().is_empty());
    }
}

#[cfg(test)]
mod reader_tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Declared>> {
        parse_declared(&Context::new(), text)
    }

    #[test]
    fn every_bad_entry_is_reported() {
        let e = parse(
            r#"[{"name":"tap1","mtu":"big"},{"name":"tap2"},{"name":"tun3","mac":"02:00:00:00:00:01","up":1},{"nome":"x"}]"#,
        )
        .unwrap_err();
        let lines: Vec<&str> = e.message.lines().collect();
        assert!(
            lines[0].starts_with("entry 1 (tap1): mtu: expected a number"),
            "{}",
            e.message
        );
        assert!(
            lines[1].starts_with("entry 3 (tun3): mac:"),
            "{}",
            e.message
        );
        assert!(
            lines[2].starts_with("entry 3 (tun3): up: expected true or false"),
            "{}",
            e.message
        );
        assert!(lines[3].starts_with("entry 4: name:"), "{}", e.message);
        assert_eq!(lines[4], "(4 errors; nothing was changed)");
        assert_eq!(e.status, crate::error::ExitStatus::Usage);
    }

    #[test]
    fn a_random_mac_in_a_file_says_what_to_write() {
        let e = parse(r#"[{"name":"tap1","mac":"random"}]"#).unwrap_err();
        assert!(e.message.contains("write a fixed address"), "{}", e.message);
        assert!(!e.message.contains("--mac"), "{}", e.message);
    }

    #[test]
    fn repeated_addresses_are_refused_by_the_kernel_rule() {
        // IPv6 is keyed by address alone, IPv4 by address and prefix.
        assert!(parse(r#"[{"name":"a","addresses":["fd00::1/64","fd00::1/48"]}]"#).is_err());
        assert!(parse(r#"[{"name":"a","addresses":["10.0.0.1/24","10.0.0.1/24"]}]"#).is_err());
        let ok = parse(r#"[{"name":"a","addresses":["10.0.0.1/24","10.0.0.1/16"]}]"#).unwrap();
        assert_eq!(ok[0].addresses.as_ref().unwrap().len(), 2);
    }

    #[test]
    fn flags_must_be_an_object_and_persist_cannot_be_false() {
        assert!(
            parse(r#"[{"name":"a","flags":true}]"#)
                .unwrap_err()
                .message
                .contains("flags")
        );
        assert!(
            parse(r#"[{"name":"a","flags":{"persist":false}}]"#)
                .unwrap_err()
                .message
                .contains("flags.persist")
        );
        let ok = parse(r#"[{"name":"a","flags":{"persist":true,"pi":true}}]"#).unwrap();
        assert_eq!(ok[0].pi, Some(true));
    }
}
