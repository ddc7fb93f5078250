//! What monitor prints: one tun/tap event, made from a `netlink::Link`, as a
//! text line or a JSON object, and whether the name patterns select it.
//! Which events a change makes is decided in `state`.

use std::net::IpAddr;

use serde_json::{Map, Value, json};

use crate::glob::Pattern;
use crate::netlink::Link;
use crate::validate::Mode;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Created,
    Deleted,
    Up,
    Down,
    Attached,
    Detached,
    Renamed,
    Mtu,
    Mac,
    Master,
    AddressAdded,
    AddressRemoved,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Created => "created",
            Kind::Deleted => "deleted",
            Kind::Up => "up",
            Kind::Down => "down",
            Kind::Attached => "attached",
            Kind::Detached => "detached",
            Kind::Renamed => "renamed",
            Kind::Mtu => "mtu",
            Kind::Mac => "mac",
            Kind::Master => "master",
            Kind::AddressAdded => "address-added",
            Kind::AddressRemoved => "address-removed",
        }
    }
}

/// One event.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub kind: Kind,
    pub index: u32,
    pub name: String,
    /// The name before a rename.
    pub old_name: Option<String>,
    /// Text after the event word.
    pub detail: String,
    /// Extra JSON keys.
    pub extra: Vec<(&'static str, Value)>,
}

impl Event {
    pub fn new(kind: Kind, link: &Link) -> Event {
        Event {
            kind,
            index: link.index,
            name: link.name.clone(),
            old_name: None,
            detail: String::new(),
            extra: Vec::new(),
        }
    }

    pub fn detail(mut self, text: impl Into<String>) -> Event {
        self.detail = text.into();
        self
    }

    pub fn with(mut self, key: &'static str, value: Value) -> Event {
        self.extra.push((key, value));
        self
    }

    /// `created tap` / `deleted tun`, with the mode as a JSON key.
    pub fn lifetime(kind: Kind, link: &Link) -> Event {
        let mode = link.mode();
        let text = mode
            .map(|m| m.to_string())
            .unwrap_or_else(|| "tun/tap".into());
        Event::new(kind, link)
            .detail(text)
            .with("mode", mode_value(mode))
    }

    pub fn address(link: &Link, ip: IpAddr, prefix: u8, added: bool) -> Event {
        let kind = if added {
            Kind::AddressAdded
        } else {
            Kind::AddressRemoved
        };
        Event::new(kind, link)
            .detail(format!("{ip}/{prefix}"))
            .with("family", json!(if ip.is_ipv4() { "inet" } else { "inet6" }))
            .with("address", json!(ip.to_string()))
            .with("prefix_len", json!(prefix))
    }

    /// `HH:MM:SS.mmm name event detail`, the time given.
    pub fn text_line(&self, time: &str) -> String {
        let name = escape(&self.name);
        if self.detail.is_empty() {
            format!("{time} {name} {}", self.kind.word())
        } else {
            format!(
                "{time} {name} {} {}",
                self.kind.word(),
                escape(&self.detail)
            )
        }
    }

    /// One JSON object: time (RFC 3339), event, name, ifindex, extras.
    pub fn json_line(&self, time: &str) -> String {
        let mut obj = Map::new();
        obj.insert("time".into(), json!(time));
        obj.insert("event".into(), json!(self.kind.word()));
        obj.insert("name".into(), json!(self.name));
        obj.insert("ifindex".into(), json!(self.index));
        for (k, v) in &self.extra {
            obj.insert((*k).into(), v.clone());
        }
        Value::Object(obj).to_string()
    }

    /// Does the event concern a name the patterns select (its name, or its
    /// name before a rename)? No pattern selects every event.
    pub fn matches(&self, patterns: &[Pattern]) -> bool {
        patterns.is_empty()
            || patterns.iter().any(|p| {
                p.matches(&self.name) || self.old_name.as_deref().is_some_and(|o| p.matches(o))
            })
    }
}

/// Control characters from outside shown escaped (SPEC §11).
fn escape(text: &str) -> String {
    if text.chars().any(char::is_control) {
        text.escape_default().to_string()
    } else {
        text.to_string()
    }
}

pub fn mac_text(mac: &Option<Vec<u8>>) -> String {
    match mac {
        None => "none".into(),
        Some(m) => m
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":"),
    }
}

fn mode_value(mode: Option<Mode>) -> Value {
    match mode {
        Some(m) => json!(m.to_string()),
        None => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tap(index: u32, name: &str) -> Link {
        Link::new_device(index, name, Mode::Tap, None, None)
    }

    #[test]
    fn lines() {
        let e = Event::lifetime(Kind::Created, &tap(7, "tap0"));
        assert_eq!(e.text_line("12:00:00.000"), "12:00:00.000 tap0 created tap");
        let j: Value = serde_json::from_str(&e.json_line("2026-01-01T12:00:00.000Z")).unwrap();
        assert_eq!(
            j,
            json!({"time": "2026-01-01T12:00:00.000Z", "event": "created", "name": "tap0", "ifindex": 7, "mode": "tap"})
        );
        let e = Event::new(Kind::Up, &tap(8, "a\x1bb"));
        assert_eq!(e.text_line("t"), "t a\\u{1b}b up");
        let mut unknown = tap(9, "tap9");
        unknown.tun = None;
        let e = Event::lifetime(Kind::Deleted, &unknown);
        assert_eq!(e.text_line("t"), "t tap9 deleted tun/tap");
        assert_eq!(e.extra, vec![("mode", Value::Null)]);
        let e = Event::address(&tap(7, "tap0"), "fe80::1".parse().unwrap(), 64, false);
        assert_eq!(e.text_line("t"), "t tap0 address-removed fe80::1/64");
        assert_eq!(e.extra[0], ("family", json!("inet6")));
    }

    fn selects(patterns: &[&str], name: &str) -> bool {
        let patterns: Vec<Pattern> = patterns
            .iter()
            .map(|p| Pattern::parse(p).unwrap())
            .collect();
        Event::new(Kind::Up, &tap(1, name)).matches(&patterns)
    }

    /// The cases of monitor's former private matcher, now `glob::Pattern`
    /// (the same globs as list and show).
    #[test]
    fn patterns_select_names_as_list_and_show_do() {
        assert!(selects(&["tap*"], "tap0"));
        assert!(selects(&["tap-vm*"], "tap-vm12"));
        assert!(!selects(&["tap*"], "tun0"));
        assert!(selects(&["tap?"], "tap1"));
        assert!(!selects(&["tap?"], "tap10"));
        assert!(selects(&["tap[0-3]"], "tap2"));
        assert!(!selects(&["tap[!0-3]"], "tap2"));
        assert!(selects(&["*"], ""));
        assert!(selects(&["a*b*c"], "axxbyyc"));
        assert!(!selects(&["a*b*c"], "axxbyy"));
        assert!(selects(&["t\\*"], "t*"));
        assert!(selects(&["tap["], "tap["));
        assert!(selects(&["exact"], "exact"));
        assert!(!selects(&["exact"], "exact2"));
        assert!(selects(&["x", "tap*"], "tap0"));
        let e = Event {
            kind: Kind::Renamed,
            index: 1,
            name: "vm1".into(),
            old_name: Some("tap0".into()),
            detail: String::new(),
            extra: vec![],
        };
        assert!(e.matches(&[Pattern::parse("tap*").unwrap()]));
        assert!(e.matches(&[]));
        assert!(!e.matches(&[Pattern::parse("x").unwrap()]));
    }
}
