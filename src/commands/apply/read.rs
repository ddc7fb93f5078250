//! Reading an apply file (JSON or TOML) into validated entries. Every bad
//! field of every entry is reported, each naming its entry and field.

use std::collections::HashSet;

use serde_json::Value;

use super::Declared;
use crate::commands::Context;
use crate::error::{Error, Result};

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
    let entries = match map.remove("interface") {
        Some(v) => v,
        None if map.is_empty() => Value::Array(Vec::new()),
        None => {
            let key = map.keys().next().map(String::as_str).unwrap_or_default();
            return Err(Error::usage(format!(
                "the TOML file has an unknown top-level key {:?}; apply expects only [[interface]] tables (singular, two brackets), one per interface",
                crate::text::cut(key, 40)
            )));
        }
    };
    if let Some(key) = map.keys().next() {
        return Err(Error::usage(format!(
            "the TOML file has an unknown top-level key {:?} besides the [[interface]] tables; apply expects only [[interface]] tables: move it into one or remove it",
            crate::text::cut(key, 40)
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

/// Every entry of the file, or every error of every bad entry (one per
/// line, in file order), as one usage error.
fn declared_from_value(ctx: &Context, root: Value) -> Result<Vec<Declared>> {
    let entries = match root {
        Value::Array(a) => a,
        Value::Object(ref map) => {
            // One interface object is accepted as a list of one; an object
            // that is not one (no "name", a key no interface has, such as
            // {"interfaces": [...]}) is a wrapper apply does not read.
            let unknown = map.keys().find(|k| {
                !super::entry::SETTABLE.contains(&k.as_str())
                    && !super::entry::READ_ONLY.contains(&k.as_str())
            });
            if let (None, Some(key)) = (map.get("name"), unknown) {
                return Err(Error::usage(format!(
                    "the file's top-level object has an unknown key {:?}; apply expects a JSON array of interface objects, [{{\"name\": ...}}, ...], as `tuntapctl list --json` prints (or one interface object)",
                    crate::text::cut(key, 40)
                )));
            }
            vec![root]
        }
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
        if let Some(d) = super::entry::read_entry(ctx, i + 1, entry, &mut seen, &mut errors) {
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
    use crate::validate::Mode;

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
    use crate::validate::Mode;

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
                .contains("unknown top-level key \"x\"")
        );
        let e = parse_declared_toml(&ctx, "[[interfaces]]\nname = \"a\"\n").unwrap_err();
        assert!(
            e.message.contains("\"interfaces\"")
                && e.message.contains("[[interface]] tables (singular"),
            "{}",
            e.message
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
