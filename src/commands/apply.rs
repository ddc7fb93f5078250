//! `apply`: make the namespace match a declared set of interfaces. Input is
//! what `list --json` prints. The whole file is validated and the whole plan
//! computed before the first change; a rerun converges.

use std::collections::HashSet;
use std::net::IpAddr;

use serde::Deserialize;
use serde_json::Value;

use super::converge::{Desired, describe, execute_plans, plan_link_settings, set_owner_group};
use super::{Action, AddRequest, ApplyRequest, Context, Outcome, add, not_tun};
use crate::error::{Error, Result};
use crate::netlink::{Address, Link};
use crate::validate::{IdSpec, IfAddr, IfName, Mac, MacSpec, Mode, check_mtu_for_mode};

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
];
/// Keys `list --json` prints that describe state apply cannot set.
const READ_ONLY: &[&str] = &[
    "ifindex",
    "processes",
    "carrier",
    "operstate",
    "queues",
    "changed",
];

/// One validated entry of the file.
#[derive(Clone, Debug)]
pub struct Declared {
    pub name: IfName,
    pub mode: Mode,
    pub owner: Option<u32>,
    pub group: Option<u32>,
    /// Flags: None (absent from the file) accepts what an existing device
    /// has, and means off for a new one.
    pub pi: Option<bool>,
    pub vnet_hdr: Option<bool>,
    pub multi_queue: Option<bool>,
    pub mac: Option<Mac>,
    pub mtu: Option<u32>,
    pub txqueuelen: Option<u32>,
    pub up: Option<bool>,
    /// None: leave addresses alone. Some: exactly these (link-local aside).
    pub addresses: Option<Vec<IfAddr>>,
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
    Ok((!is_link_local(&addr.address)).then_some(addr))
}

fn is_link_local(ip: &IpAddr) -> bool {
    matches!(ip, IpAddr::V6(v6) if v6.segments()[0] & 0xffc0 == 0xfe80)
}

fn opt_bool(v: &Value, index: usize, name: &str, field: &str) -> Result<Option<bool>> {
    match v {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        _ => Err(entry_error(
            index,
            Some(name),
            field,
            "expected true or false",
        )),
    }
}

fn opt_u32(v: &Value, index: usize, name: &str, field: &str) -> Result<Option<u32>> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| {
                entry_error(
                    index,
                    Some(name),
                    field,
                    format!("{n} is not a whole number from 0 to 4294967295"),
                )
            }),
        _ => Err(entry_error(index, Some(name), field, "expected a number")),
    }
}

/// Parse and validate the whole file (entries are numbered from 1).
pub fn parse_declared(ctx: &Context, text: &str) -> Result<Vec<Declared>> {
    declared_from_value(ctx, crate::document::json(text)?)
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
    let root = crate::document::toml(text)?;
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
    for (i, entry) in entries.iter().enumerate() {
        let index = i + 1;
        let Value::Object(map) = entry else {
            return Err(entry_error(
                index,
                None,
                "entry",
                "expected an object with at least \"name\"",
            ));
        };
        let name_text = match map.get("name") {
            Some(Value::String(s)) => s.clone(),
            _ => {
                return Err(entry_error(
                    index,
                    None,
                    "name",
                    "missing, or not a string; every entry needs a name",
                ));
            }
        };
        let name =
            IfName::parse(&name_text).map_err(|e| entry_error(index, None, "name", why(e)))?;
        let n = name_text.as_str();
        if !seen.insert(name_text.clone()) {
            return Err(entry_error(
                index,
                Some(n),
                "name",
                "listed twice; each interface may appear once",
            ));
        }
        for key in map.keys() {
            if !SETTABLE.contains(&key.as_str()) && !READ_ONLY.contains(&key.as_str()) {
                return Err(entry_error(
                    index,
                    Some(n),
                    key,
                    format!("unknown field; known fields are {}", SETTABLE.join(", ")),
                ));
            }
        }
        let get = |k: &str| map.get(k).unwrap_or(&Value::Null);
        let mode = match get("mode") {
            Value::Null => Mode::for_name(n),
            Value::String(s) => s
                .parse::<Mode>()
                .map_err(|e| entry_error(index, Some(n), "mode", why(e)))?,
            _ => {
                return Err(entry_error(
                    index,
                    Some(n),
                    "mode",
                    "expected \"tun\" or \"tap\"",
                ));
            }
        };
        let owner = parse_id(ctx, get("owner"), "user")
            .map_err(|e| entry_error(index, Some(n), "owner", e))?;
        let group = parse_id(ctx, get("group"), "group")
            .map_err(|e| entry_error(index, Some(n), "group", e))?;
        let flags = get("flags");
        if !flags.is_null() && !flags.is_object() {
            return Err(entry_error(
                index,
                Some(n),
                "flags",
                "expected an object such as {\"multi_queue\": false}",
            ));
        }
        let flag = |k: &str| {
            opt_bool(
                flags.get(k).unwrap_or(&Value::Null),
                index,
                n,
                &format!("flags.{k}"),
            )
        };
        let pi = flag("pi")?;
        let vnet_hdr = flag("vnet_hdr")?;
        let multi_queue = flag("multi_queue")?;
        if flag("persist")? == Some(false) {
            return Err(entry_error(
                index,
                Some(n),
                "flags.persist",
                "false is not supported: apply manages persistent interfaces",
            ));
        }
        let mac = match get("mac") {
            Value::Null => None,
            Value::String(s) => {
                match MacSpec::parse(s).map_err(|e| entry_error(index, Some(n), "mac", why(e)))? {
                    MacSpec::Fixed(m) => Some(m),
                    MacSpec::Random => {
                        return Err(entry_error(
                            index,
                            Some(n),
                            "mac",
                            "\"random\" would change on every run; give a fixed address",
                        ));
                    }
                }
            }
            _ => {
                return Err(entry_error(
                    index,
                    Some(n),
                    "mac",
                    "expected a string such as \"02:00:00:00:00:01\"",
                ));
            }
        };
        if mac.is_some() && mode == Mode::Tun {
            return Err(entry_error(
                index,
                Some(n),
                "mac",
                "a tun has no MAC address; remove the field or use mode tap",
            ));
        }
        let mtu = opt_u32(get("mtu"), index, n, "mtu")?;
        if let Some(m) = mtu {
            check_mtu_for_mode(m, mode, n)
                .map_err(|e| entry_error(index, Some(n), "mtu", why(e)))?;
        }
        let txqueuelen = opt_u32(get("txqueuelen"), index, n, "txqueuelen")?;
        let up = opt_bool(get("up"), index, n, "up")?;
        let addresses = match get("addresses") {
            Value::Null => None,
            Value::Array(items) => {
                let mut v: Vec<IfAddr> = Vec::new();
                for (j, item) in items.iter().enumerate() {
                    if let Some(a) = parse_address(item)
                        .map_err(|e| entry_error(index, Some(n), &format!("addresses[{j}]"), e))?
                    {
                        // The kernel keys IPv6 addresses by address alone and
                        // IPv4 by address and prefix: a second one would fail
                        // with EEXIST halfway through the run.
                        if let Some(k) = v.iter().position(|b| {
                            b.address == a.address
                                && (a.address.is_ipv6() || b.prefix_len == a.prefix_len)
                        }) {
                            return Err(entry_error(
                                index,
                                Some(n),
                                &format!("addresses[{j}]"),
                                format!(
                                    "{a} repeats addresses[{k}] ({}); list each address once",
                                    v[k]
                                ),
                            ));
                        }
                        v.push(a);
                    }
                }
                Some(v)
            }
            _ => {
                return Err(entry_error(
                    index,
                    Some(n),
                    "addresses",
                    "expected an array",
                ));
            }
        };
        out.push(Declared {
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
        });
    }
    Ok(out)
}

/// What would change on an existing device (also the dry-run text).
pub fn diff(ctx: &Context, link: &Link, addrs: &[Address], d: &Declared) -> (Desired, Vec<String>) {
    let mut desired = Desired {
        owner: d.owner,
        group: d.group,
        mac: d.mac,
        mtu: d.mtu,
        txqueuelen: d.txqueuelen,
        up: d.up,
        ..Default::default()
    };
    // A declared address list is the whole set (the kernel's link-local
    // addresses aside): add what is missing, remove what is extra.
    if let Some(want) = &d.addresses {
        let own: Vec<&Address> = addrs
            .iter()
            .filter(|a| a.index == link.index && !a.is_kernel_link_local())
            .collect();
        desired.add_addresses = want
            .iter()
            .filter(|w| !own.iter().any(|a| a.matches(w)))
            .copied()
            .collect();
        desired.del_addresses = own
            .iter()
            .filter(|a| !want.iter().any(|w| a.matches(w)))
            .map(|a| IfAddr {
                address: a.address,
                prefix_len: a.prefix_len,
                peer: a.peer,
            })
            .collect();
    }
    let changes = describe(ctx, link, addrs, &desired);
    (desired, changes)
}

enum Step<'a> {
    Create(&'a Declared),
    Update(&'a Declared, Link, Desired, Vec<String>),
    Keep(&'a Declared),
    Delete(Link),
}

pub fn apply(ctx: &Context, req: &ApplyRequest, text: &str) -> Result<Vec<Outcome>> {
    let declared = parse_declared_as(ctx, Format::detect(&req.file, text), text)?;
    let _guard = if req.dry_run {
        None
    } else {
        crate::lock::acquire(&|w| ctx.warn(w))?
    };
    let nl = ctx.netlink()?;
    let links = nl.links()?;
    let addrs = nl.addresses()?;
    let mut steps = Vec::new();
    for (i, d) in declared.iter().enumerate() {
        let who = format!("entry {} ({})", i + 1, d.name);
        match links.iter().find(|l| l.name == d.name.as_str()) {
            None => steps.push(Step::Create(d)),
            Some(link) if !link.is_tun() => return Err(not_tun(link).context(who)),
            Some(link) => {
                let tun = link.tun.clone().unwrap_or_default();
                let multi_queue = d.multi_queue.unwrap_or(tun.multi_queue);
                if tun.mode != Some(d.mode) || tun.multi_queue != multi_queue {
                    return Err(Error::conflict(format!(
                        "{who}: exists as a {}{} but the file declares a {}{}; mode and multi_queue cannot change in place: delete it first (tuntapctl del {}), or change the entry",
                        tun.mode
                            .map(|m| m.to_string())
                            .unwrap_or_else(|| "?".into()),
                        if tun.multi_queue {
                            " (multi_queue)"
                        } else {
                            ""
                        },
                        d.mode,
                        if multi_queue { " (multi_queue)" } else { "" },
                        d.name,
                    )));
                }
                for (flag, want, have) in
                    [("pi", d.pi, tun.pi), ("vnet_hdr", d.vnet_hdr, tun.vnet_hdr)]
                {
                    // pi and vnet_hdr belong to whoever attaches (the kernel
                    // rewrites them on every attach, e.g. when a VM starts),
                    // so a difference is reported, not fought over or failed.
                    if let Some(want) = want.filter(|w| *w != have) {
                        ctx.warn(format!(
                            "warning: {who}: flags.{flag}: the file declares {want} but the device has {have}; {flag} is set by the process that attaches, so apply leaves it (to force it, delete the interface and apply again)"
                        ));
                    }
                }
                super::converge::check_against(
                    link,
                    &Desired {
                        mac: d.mac,
                        mtu: d.mtu,
                        ..Default::default()
                    },
                )
                .map_err(|e| e.context(&who))?;
                let (desired, changes) = diff(ctx, link, &addrs, d);
                if changes.is_empty() {
                    steps.push(Step::Keep(d));
                } else {
                    steps.push(Step::Update(d, link.clone(), desired, changes));
                }
            }
        }
    }
    if req.prune {
        let doomed: Vec<&Link> = links
            .iter()
            .filter(|l| l.is_tun() && !declared.iter().any(|d| d.name.as_str() == l.name))
            .collect();
        if !doomed.is_empty() {
            // Like del: never pull a device from under a running process.
            let holders = crate::procscan::scan();
            if let Some(w) = holders.warning() {
                ctx.warn(w);
            }
            let busy: Vec<String> = doomed
                .iter()
                .filter_map(|l| {
                    let who = holders.of(&l.name);
                    (!who.is_empty()).then(|| {
                        format!(
                            "{} (in use by {})",
                            l.name,
                            who.iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    })
                })
                .collect();
            if !busy.is_empty() {
                return Err(Error::busy(format!(
                    "--prune would delete {}, which {} not in the file; nothing was changed: stop the process, add the interface to the file, or run without --prune",
                    busy.join(", "),
                    if busy.len() == 1 {
                        "is in use and"
                    } else {
                        "are in use and"
                    }
                )));
            }
        }
        steps.extend(doomed.into_iter().map(|l| Step::Delete(l.clone())));
    }
    let mut outcomes = Vec::new();
    let mut pruned: Vec<Link> = Vec::new();
    let mut plans = Vec::new();
    let mut updates: Vec<(usize, Vec<String>)> = Vec::new();
    for step in steps {
        let outcome = match step {
            Step::Keep(d) => Outcome {
                name: d.name.to_string(),
                action: Action::Unchanged,
                summary: d.mode.to_string(),
            },
            Step::Create(d) if req.dry_run => Outcome {
                name: d.name.to_string(),
                action: Action::Created,
                summary: d.mode.to_string(),
            },
            Step::Create(d) => {
                let add_req = AddRequest {
                    name: d.name.clone(),
                    mode: d.mode,
                    owner: d.owner.map(IdSpec::Id),
                    group: d.group.map(IdSpec::Id),
                    pi: d.pi.unwrap_or(false),
                    vnet_hdr: d.vnet_hdr.unwrap_or(false),
                    multi_queue: d.multi_queue.unwrap_or(false),
                    mac: d.mac.map(MacSpec::Fixed),
                    mtu: d.mtu,
                    txqueuelen: d.txqueuelen,
                    addresses: d.addresses.clone().unwrap_or_default(),
                    up: d.up == Some(true),
                    exist_ok: false,
                    brief: false,
                };
                add(ctx, &add_req).map_err(|e| e.context(format!("creating {}", d.name)))?
            }
            Step::Update(d, _, _, changes) if req.dry_run => Outcome {
                name: d.name.to_string(),
                action: Action::Updated(changes),
                summary: String::new(),
            },
            Step::Update(d, link, desired, _) => {
                // Owner and group now (an attach each); the netlink part of
                // every update goes out below in one pipeline.
                let done = set_owner_group(ctx, &link, &desired)
                    .map_err(|e| e.context(format!("updating {}", d.name)))?;
                updates.push((outcomes.len(), done));
                plans.push(plan_link_settings(&link, &addrs, &desired));
                Outcome {
                    name: d.name.to_string(),
                    action: Action::Unchanged,
                    summary: String::new(),
                }
            }
            Step::Delete(link) => {
                let outcome = Outcome {
                    name: link.name.clone(),
                    action: Action::Deleted,
                    summary: String::new(),
                };
                pruned.push(link);
                outcome
            }
        };
        outcomes.push(outcome);
    }
    // Every update's link settings and addresses in one pipeline.
    let results = execute_plans(ctx, plans)?;
    let mut first_error = None;
    for ((slot, mut done), result) in updates.into_iter().zip(results) {
        match result {
            Ok(more) => done.extend(more),
            Err(e) => {
                let e = e.context(format!("updating {}", outcomes[slot].name));
                first_error.get_or_insert(e);
            }
        }
        if !done.is_empty() {
            outcomes[slot].action = Action::Updated(done);
        }
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    // Prune in one pass: a group delete when there are several.
    if !req.dry_run && !pruned.is_empty() {
        super::delete_many(ctx, &pruned).map_err(|e| e.context("--prune"))?;
    }
    Ok(outcomes)
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
