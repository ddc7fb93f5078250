//! Decoding apply files (JSON and TOML) into a `serde_json::Value` tree,
//! bounded and strict (SPEC §11):
//! - at most MAX_VALUES values in all and MAX_DEPTH levels of nesting, so a
//!   file under the 64 MiB cap stays far under 1 GiB of memory (a plain
//!   `Value` parse of `[0,0,...]` took 2.4 GB, TOML 5 GB);
//! - at most MAX_ENTRIES interfaces;
//! - NaN and infinity are errors (a plain `Value` turns them into null,
//!   silently dropping `owner = nan`), and so are duplicate keys (JSON would
//!   keep the last one);
//! - errors give a line and column and quote at most a short, escaped part
//!   of the input (the toml crate's own message prints the whole line).

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::text::{EXCERPT_CHARS, excerpt};

/// Values one file may hold, weighed by what they cost in memory: a
/// number, string, bool or null 1, an array 2, an object 4 (an ordered map
/// costs a few hundred bytes). `list --json` prints about 45 per interface
/// (so up to 44,000 in this form); a file of MAX_ENTRIES bare entries
/// (`{"name": ...}`) weighs 600,000. A file at the limit stays under
/// 300 MB, whatever its shape.
const MAX_VALUES: usize = 2_000_000;
const ARRAY_WEIGHT: usize = 2;
const OBJECT_WEIGHT: usize = 4;
/// Interfaces one file may declare.
const MAX_ENTRIES: usize = 100_000;
/// Nesting depth (the interface object needs 4).
const MAX_DEPTH: usize = 16;

/// The shared budget of one decode.
struct Budget {
    values_left: Cell<usize>,
    depth: Cell<usize>,
}

impl Budget {
    fn new() -> Self {
        Budget {
            values_left: Cell::new(MAX_VALUES),
            depth: Cell::new(0),
        }
    }
    fn take<E: de::Error>(&self) -> std::result::Result<(), E> {
        self.take_n(1)
    }
    fn take_n<E: de::Error>(&self, weight: usize) -> std::result::Result<(), E> {
        match self.values_left.get().checked_sub(weight) {
            None => Err(E::custom(format!(
                "more than {MAX_VALUES} values in the file (an object counts 4, an array 2); split it into smaller files"
            ))),
            Some(n) => {
                self.values_left.set(n);
                Ok(())
            }
        }
    }
    fn enter<E: de::Error>(&self) -> std::result::Result<(), E> {
        let d = self.depth.get() + 1;
        if d > MAX_DEPTH {
            return Err(E::custom(format!(
                "nested more than {MAX_DEPTH} levels deep; an interface entry needs 4"
            )));
        }
        self.depth.set(d);
        Ok(())
    }
    fn leave(&self) {
        self.depth.set(self.depth.get() - 1);
    }
}

/// One value of the document, built under the budget.
struct Node<'b>(&'b Budget);

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON or TOML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Value, E> {
        self.0.take()?;
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Value, E> {
        self.0.take()?;
        Ok(Value::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Value, E> {
        self.0.take()?;
        Ok(Value::from(v))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> std::result::Result<Value, E> {
        self.0.take()?;
        i64::try_from(v)
            .map(Value::from)
            .or_else(|_| u64::try_from(v).map(Value::from))
            .map_err(|_| E::custom(format!("the number {v} is out of range")))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> std::result::Result<Value, E> {
        self.0.take()?;
        u64::try_from(v)
            .map(Value::from)
            .map_err(|_| E::custom(format!("the number {v} is out of range")))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Value, E> {
        self.0.take()?;
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| {
                E::custom(format!(
                    "{v} is not a number a field can hold (NaN and infinity are refused); give a whole number"
                ))
            })
    }
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Value, E> {
        self.0.take()?;
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<Value, E> {
        self.0.take()?;
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<Value, E> {
        self.0.take()?;
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> std::result::Result<Value, E> {
        self.visit_unit()
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        self.0.take_n(ARRAY_WEIGHT)?;
        self.0.enter()?;
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(Node(self.0))? {
            items.push(v);
        }
        self.0.leave();
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        self.0.take_n(OBJECT_WEIGHT)?;
        self.0.enter()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "the key \"{}\" appears twice in one object; keep one",
                    excerpt(&key, 40)
                )));
            }
            let value = map.next_value_seed(Node(self.0))?;
            out.insert(key, value);
        }
        self.0.leave();
        Ok(Value::Object(out))
    }
}

/// Line and column (from 1) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut end = offset;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[start..].chars().count() + 1)
}

/// At most a short escaped piece of line `line` (from 1) around `column`
/// (from 1, in characters), for an error: on a 64 MiB one-line file the
/// start of the line says nothing about column 4,000,000.
fn line_excerpt(text: &str, line: usize, column: usize) -> String {
    let Some(l) = text.lines().nth(line.saturating_sub(1)) else {
        return String::new();
    };
    let start = column.saturating_sub(EXCERPT_CHARS / 2 + 1);
    let tail: String = l.chars().skip(start).take(EXCERPT_CHARS + 1).collect();
    let shown = excerpt(&tail, EXCERPT_CHARS);
    if start > 0 {
        format!("...{shown}")
    } else {
        shown
    }
}

/// Decode JSON under the limits.
pub fn json(text: &str) -> Result<Value> {
    let budget = Budget::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let decoded = Node(&budget)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    let value = decoded.map_err(|e| {
        let message = e.to_string();
        // serde_json appends " at line L column C"; we say it ourselves.
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        let near = line_excerpt(text, e.line(), e.column());
        Error::usage(format!(
            "not valid JSON at line {}, column {}: {}{}; the file should hold what `tuntapctl list --json` prints",
            e.line(),
            e.column(),
            crate::text::printable(&message),
            if near.is_empty() {
                String::new()
            } else {
                format!(" (near: {near})")
            }
        ))
    })?;
    check_entries(&value)?;
    Ok(value)
}

/// Decode TOML under the limits. The toml crate builds its own document
/// before ours (about 150 bytes a value, 1.7 kB a table), so the values are
/// weighed first by a quick scan, and a file over the budget never reaches
/// it.
pub fn toml(text: &str) -> Result<Value> {
    let estimate = toml_value_estimate(text);
    if estimate > MAX_VALUES {
        return Err(Error::usage(format!(
            "the TOML file holds about {estimate} values (a table counts 4), more than the limit of {MAX_VALUES}; split it into smaller files"
        )));
    }
    let budget = Budget::new();
    let decoded = toml::de::Deserializer::parse(text).and_then(|de| Node(&budget).deserialize(de));
    let value = decoded.map_err(|e| {
        let at = e
            .span()
            .map(|span| {
                let (line, column) = line_col(text, span.start);
                let near = line_excerpt(text, line, column);
                format!(" at line {line}, column {column} (near: {near})")
            })
            .unwrap_or_default();
        Error::usage(format!(
            "not valid TOML{at}: {}; write one [[interface]] table per interface with the fields that `tuntapctl list --json` prints",
            crate::text::printable(e.message().trim_end()).replace("\\x0a", " ")
        ))
    })?;
    if let Value::Object(map) = &value {
        for key in ["interface", "interfaces"] {
            if let Some(entries) = map.get(key) {
                check_entries(entries)?;
            }
        }
    }
    Ok(value)
}

fn check_entries(value: &Value) -> Result<()> {
    match value {
        Value::Array(entries) if entries.len() > MAX_ENTRIES => Err(Error::usage(format!(
            "the file declares {} interfaces, more than the limit of {MAX_ENTRIES}; split it into smaller files",
            entries.len()
        ))),
        _ => Ok(()),
    }
}

/// An upper bound on the values in a TOML text, tables and arrays weighed
/// 4 (the toml crate's table costs ten times a number): every value but
/// the first of an array follows a comma, every key/value pair has an `=`,
/// every array and table header opens with `[`, every inline table with
/// `{`. Strings and comments are skipped. Linear, no allocation.
fn toml_value_estimate(text: &str) -> usize {
    let b = text.as_bytes();
    let mut count = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            q @ (b'"' | b'\'') => {
                count += 1;
                let triple = b.get(i..i + 3) == Some(&[q, q, q][..]);
                i += if triple { 3 } else { 1 };
                while i < b.len() {
                    if q == b'"' && b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if triple {
                        if b.get(i..i + 3) == Some(&[q, q, q][..]) {
                            i += 2;
                            break;
                        }
                    } else if b[i] == q || b[i] == b'\n' {
                        break;
                    }
                    i += 1;
                }
            }
            b',' | b'=' => count += 1,
            b'[' | b'{' => count += 4,
            _ => {}
        }
        i += 1;
    }
    count + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_refuses_duplicates_and_reads_the_rest() {
        let v = json(r#"[{"name":"a","mtu":1400,"x":[1,-2,1.5,null,true]}]"#).unwrap();
        assert_eq!(v[0]["mtu"], 1400);
        assert_eq!(v[0]["x"][1], -2);
        let e = json(r#"[{"name":"a","name":"b"}]"#).unwrap_err();
        assert_eq!(e.status.code(), 2);
        assert!(e.message.contains("\"name\" appears twice"), "{e}");
        assert!(e.message.contains("line 1"), "{e}");
        // NaN is not JSON at all.
        assert!(json(r#"[{"name":"a","mtu":NaN}]"#).is_err());
        assert!(json("[1e999]").is_err(), "an infinite number");
    }

    #[test]
    fn toml_refuses_nan_and_infinity() {
        for bad in ["nan", "inf", "-inf", "+nan"] {
            let text = format!("[[interface]]\nname = \"a\"\nowner = {bad}\n");
            let e = toml(&text).unwrap_err();
            assert_eq!(e.status.code(), 2, "{bad}");
            assert!(e.message.contains("NaN and infinity"), "{bad}: {e}");
            assert!(e.message.contains("line 3"), "{bad}: {e}");
        }
        let e = toml("[[interface]]\nname = \"a\"\nname = \"b\"\n").unwrap_err();
        assert!(e.message.contains("line 3"), "{e}");
        let v = toml("[[interface]]\nname = \"a\"\nmtu = 1400\n").unwrap();
        assert_eq!(v["interface"][0]["mtu"], 1400);
    }

    #[test]
    fn errors_quote_a_short_escaped_piece() {
        let secret = format!("root:$6${}:20228:0:99999:7:::", "x".repeat(200));
        let e = toml(&format!("{secret}\n")).unwrap_err();
        assert!(!e.message.contains(&secret), "{e}");
        assert!(e.message.len() < 400, "{e}");
        let e = json(&format!("[\"\x1b]0;pwned\x07\", {}]", "x".repeat(500))).unwrap_err();
        assert!(!e.message.contains('\x1b'), "{e}");
        assert!(e.message.len() < 400, "{e}");
    }

    #[test]
    fn limits() {
        let many = format!("[{}0]", "0,".repeat(MAX_VALUES));
        let e = json(&many).unwrap_err();
        assert!(e.message.contains("more than 2000000 values"), "{e}");
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert!(json(&deep).unwrap_err().message.contains("nested"));
        let entries = format!("[{}{{}}]", "[],".repeat(MAX_ENTRIES));
        let e = json(&entries).unwrap_err();
        assert!(e.message.contains("limit of 100000"), "{e}");
        let t = format!("x = [{}0]\n", "0,".repeat(MAX_VALUES));
        assert!(toml(&t).unwrap_err().message.contains("about"));
        // Strings and comments do not count.
        assert_eq!(toml_value_estimate("a = \"x,y,=[\" # ,,,,\n"), 3);
        assert_eq!(toml_value_estimate("a = '''x,\ny'''\nb = 1"), 4);
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_excerpt("ab\ncd", 2, 1), "cd");
        let long = format!("{}X{}", "a".repeat(1000), "b".repeat(1000));
        let near = line_excerpt(&long, 1, 1001);
        assert!(near.starts_with("...") && near.contains('X'), "{near}");
        assert!(near.len() < 70, "{near}");
        assert_eq!(toml_value_estimate("[[interface]]\nname = \"a\"\n"), 11);
    }
}
