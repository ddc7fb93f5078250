//! tun/tap events from rtnetlink messages, as pure functions: the last seen
//! state of every tun/tap (by ifindex), and the events that a new message
//! (or a fresh dump after lost messages) makes of it. `monitor` feeds it.
//!
//! The kernel sends RTM_NEWLINK for every change of a link with the whole
//! link in it, so events are differences to the state we saw last. The kind
//! ("tun" for tun and tap) is in IFLA_LINKINFO of every message, including
//! RTM_DELLINK.

use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;

use rtnetlink::packet_core::Nla;
use rtnetlink::packet_route::AddressFamily;
use rtnetlink::packet_route::address::{AddressAttribute, AddressMessage};
use rtnetlink::packet_route::link::{
    InfoData, InfoKind, LinkAttribute, LinkFlags, LinkInfo, LinkMessage,
};
use serde_json::{Map, Value, json};

use crate::validate::Mode;

/// A tun/tap as the last message showed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkState {
    pub index: u32,
    pub name: String,
    pub mode: Option<Mode>,
    pub up: bool,
    /// IFLA_CARRIER: on while a process is attached (also while down).
    pub carrier: bool,
    pub mtu: u32,
    pub mac: Option<Vec<u8>>,
    /// IFLA_MASTER's ifindex.
    pub master: Option<u32>,
}

/// IFLA_TUN_TYPE (linux/if_link.h): 1 tun, 2 tap.
const IFLA_TUN_TYPE: u16 = 3;

/// The link's name and whether it is a tun/tap, and its state if so.
fn parse_link(msg: &LinkMessage) -> (String, Option<LinkState>) {
    let mut state = LinkState {
        index: msg.header.index,
        name: String::new(),
        mode: None,
        up: msg.header.flags.contains(LinkFlags::Up),
        carrier: msg.header.flags.contains(LinkFlags::LowerUp),
        mtu: 0,
        mac: None,
        master: None,
    };
    let mut is_tun = false;
    for attr in &msg.attributes {
        match attr {
            LinkAttribute::IfName(n) => state.name = n.clone(),
            LinkAttribute::Carrier(c) => state.carrier = *c != 0,
            LinkAttribute::Mtu(m) => state.mtu = *m,
            LinkAttribute::Address(a) if !a.is_empty() => state.mac = Some(a.clone()),
            LinkAttribute::Controller(m) if *m != 0 => state.master = Some(*m),
            LinkAttribute::LinkInfo(infos) => {
                for info in infos {
                    match info {
                        LinkInfo::Kind(InfoKind::Tun) => is_tun = true,
                        LinkInfo::Data(InfoData::Tun(items)) => {
                            for nla in items {
                                if nla.kind() == IFLA_TUN_TYPE && nla.value_len() >= 1 {
                                    let mut buf = vec![0u8; nla.value_len()];
                                    nla.emit_value(&mut buf);
                                    state.mode = match buf[0] {
                                        1 => Some(Mode::Tun),
                                        2 => Some(Mode::Tap),
                                        _ => None,
                                    };
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    let name = state.name.clone();
    (name, is_tun.then_some(state))
}

/// An address as (ifindex, address, prefix length).
pub fn parse_address(msg: &AddressMessage) -> Option<(u32, IpAddr, u8)> {
    let mut local = None;
    let mut address = None;
    for attr in &msg.attributes {
        match attr {
            AddressAttribute::Local(ip) => local = Some(*ip),
            AddressAttribute::Address(ip) => address = Some(*ip),
            _ => {}
        }
    }
    // IFA_LOCAL is the own address of a point-to-point link; else IFA_ADDRESS.
    let ip = local.or(address)?;
    Some((msg.header.index, ip, msg.header.prefix_len))
}

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
    fn new(kind: Kind, link: &LinkState) -> Event {
        Event {
            kind,
            index: link.index,
            name: link.name.clone(),
            old_name: None,
            detail: String::new(),
            extra: Vec::new(),
        }
    }
    fn detail(mut self, text: impl Into<String>) -> Event {
        self.detail = text.into();
        self
    }
    fn with(mut self, key: &'static str, value: Value) -> Event {
        self.extra.push((key, value));
        self
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

    /// Does the event concern a name the patterns select?
    pub fn matches(&self, patterns: &[String]) -> bool {
        patterns.is_empty()
            || patterns.iter().any(|p| {
                glob_match(p, &self.name)
                    || self.old_name.as_deref().is_some_and(|o| glob_match(p, o))
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

fn mac_text(mac: &Option<Vec<u8>>) -> String {
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

/// The events between two states of one link (old None: it is new).
/// `master_name` resolves an ifindex to a name.
fn link_events(
    old: Option<&LinkState>,
    new: &LinkState,
    master_name: &dyn Fn(u32) -> Option<String>,
) -> Vec<Event> {
    let master_value = |m: Option<u32>| -> (String, Value) {
        match m {
            None => ("none".into(), Value::Null),
            Some(i) => match master_name(i) {
                Some(n) => (n.clone(), json!(n)),
                None => (format!("ifindex {i}"), json!(i)),
            },
        }
    };
    let Some(old) = old else {
        let mode = new
            .mode
            .map(|m| m.to_string())
            .unwrap_or_else(|| "tun/tap".into());
        let mut out = vec![
            Event::new(Kind::Created, new)
                .detail(mode)
                .with("mode", mode_value(new.mode)),
        ];
        // A link first seen already up (after lost events) says so too.
        if new.up {
            out.push(Event::new(Kind::Up, new));
            if new.carrier {
                out.push(Event::new(Kind::Attached, new));
            }
        }
        if new.master.is_some() {
            let (text, value) = master_value(new.master);
            out.push(
                Event::new(Kind::Master, new)
                    .detail(text)
                    .with("master", value),
            );
        }
        return out;
    };
    let mut out = Vec::new();
    if old.name != new.name {
        let mut e = Event::new(Kind::Renamed, new)
            .detail(format!("from {}", old.name))
            .with("old_name", json!(old.name));
        e.old_name = Some(old.name.clone());
        out.push(e);
    }
    if old.mtu != new.mtu {
        out.push(
            Event::new(Kind::Mtu, new)
                .detail(format!("{} -> {}", old.mtu, new.mtu))
                .with("mtu", json!(new.mtu))
                .with("old_mtu", json!(old.mtu)),
        );
    }
    if old.mac != new.mac {
        out.push(
            Event::new(Kind::Mac, new)
                .detail(format!("{} -> {}", mac_text(&old.mac), mac_text(&new.mac)))
                .with("mac", json!(mac_text(&new.mac)))
                .with("old_mac", json!(mac_text(&old.mac))),
        );
    }
    if old.master != new.master {
        let (text, value) = master_value(new.master);
        out.push(
            Event::new(Kind::Master, new)
                .detail(text)
                .with("master", value),
        );
    }
    // The carrier counts only while the link is up: the kernel announces
    // no attach or detach on a down link, and a new device's carrier
    // changes while it is being made. Going down says only "down" (the
    // holder stays attached); coming up with a holder says "attached".
    match (old.up, new.up) {
        (false, true) => {
            out.push(Event::new(Kind::Up, new));
            if new.carrier {
                out.push(Event::new(Kind::Attached, new));
            }
        }
        (true, true) if old.carrier != new.carrier => {
            let kind = if new.carrier {
                Kind::Attached
            } else {
                Kind::Detached
            };
            out.push(Event::new(kind, new));
        }
        (true, false) => out.push(Event::new(Kind::Down, new)),
        _ => {}
    }
    out
}

/// What monitor knows: every tun/tap's last state and addresses, and every
/// link's name (to name a master).
#[derive(Clone, Debug, Default)]
pub struct State {
    pub links: HashMap<u32, LinkState>,
    pub names: HashMap<u32, String>,
    pub addresses: HashMap<u32, BTreeSet<(IpAddr, u8)>>,
}

impl State {
    /// Take a dump as the starting point (nothing is reported).
    pub fn seed(&mut self, links: &[LinkMessage], addresses: &[AddressMessage]) {
        *self = State::default();
        for msg in links {
            let (name, tun) = parse_link(msg);
            self.names.insert(msg.header.index, name);
            if let Some(t) = tun {
                self.links.insert(t.index, t);
            }
        }
        for msg in addresses {
            if let Some((index, ip, prefix)) = parse_address(msg)
                && self.links.contains_key(&index)
            {
                self.addresses
                    .entry(index)
                    .or_default()
                    .insert((ip, prefix));
            }
        }
    }

    pub fn new_link(&mut self, msg: &LinkMessage) -> Vec<Event> {
        if !is_link_itself(msg) {
            return vec![];
        }
        let (name, tun) = parse_link(msg);
        self.names.insert(msg.header.index, name);
        let Some(new) = tun else {
            return vec![];
        };
        let names = &self.names;
        let events = link_events(self.links.get(&new.index), &new, &|i| {
            names.get(&i).cloned()
        });
        self.links.insert(new.index, new);
        events
    }

    pub fn del_link(&mut self, msg: &LinkMessage) -> Vec<Event> {
        if !is_link_itself(msg) {
            return vec![];
        }
        let index = msg.header.index;
        self.names.remove(&index);
        self.addresses.remove(&index);
        let known = self.links.remove(&index);
        let (_, tun) = parse_link(msg);
        match tun.or(known) {
            Some(link) => vec![deleted(&link)],
            None => vec![],
        }
    }

    pub fn address(&mut self, msg: &AddressMessage, added: bool) -> Vec<Event> {
        let Some((index, ip, prefix)) = parse_address(msg) else {
            return vec![];
        };
        let Some(link) = self.links.get(&index) else {
            return vec![];
        };
        let set = self.addresses.entry(index).or_default();
        // The kernel repeats RTM_NEWADDR when an address's flags change
        // (IPv6 duplicate address detection finishing): not a new address.
        let changed = if added {
            set.insert((ip, prefix))
        } else {
            set.remove(&(ip, prefix));
            true
        };
        if !changed {
            return vec![];
        }
        vec![address_event(link, ip, prefix, added)]
    }

    /// After lost messages: compare with a fresh dump, report the
    /// differences as events, and take the dump as the new state.
    pub fn resync(&mut self, links: &[LinkMessage], addresses: &[AddressMessage]) -> Vec<Event> {
        let mut fresh = State::default();
        fresh.seed(links, addresses);
        let mut events = Vec::new();
        let mut gone: Vec<&LinkState> = self
            .links
            .values()
            .filter(|l| !fresh.links.contains_key(&l.index))
            .collect();
        gone.sort_by_key(|l| l.index);
        events.extend(gone.into_iter().map(deleted));
        let mut now: Vec<&LinkState> = fresh.links.values().collect();
        now.sort_by_key(|l| l.index);
        let empty = BTreeSet::new();
        for link in now {
            let names = &fresh.names;
            events.extend(link_events(self.links.get(&link.index), link, &|i| {
                names.get(&i).cloned()
            }));
            let before = self.addresses.get(&link.index).unwrap_or(&empty);
            let after = fresh.addresses.get(&link.index).unwrap_or(&empty);
            for (ip, prefix) in before.difference(after) {
                events.push(address_event(link, *ip, *prefix, false));
            }
            for (ip, prefix) in after.difference(before) {
                events.push(address_event(link, *ip, *prefix, true));
            }
        }
        *self = fresh;
        events
    }
}

/// A bridge announces its ports' bridge state as RTM_NEWLINK/DELLINK of
/// family AF_BRIDGE (a DELLINK when a port leaves the bridge): those are
/// not the link's own messages, which are AF_UNSPEC.
fn is_link_itself(msg: &LinkMessage) -> bool {
    msg.header.interface_family == AddressFamily::Unspec
}

fn deleted(link: &LinkState) -> Event {
    let mode = link
        .mode
        .map(|m| m.to_string())
        .unwrap_or_else(|| "tun/tap".into());
    Event::new(Kind::Deleted, link)
        .detail(mode)
        .with("mode", mode_value(link.mode))
}

fn address_event(link: &LinkState, ip: IpAddr, prefix: u8, added: bool) -> Event {
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

/// Shell glob match: `*`, `?`, `[abc]`, `[a-z]`, `[!x]`; `\` quotes.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    glob_at(&p, &n)
}

fn glob_at(p: &[char], n: &[char]) -> bool {
    // Iterative with backtracking to the last `*` (linear-ish, no recursion
    // blow-up on hostile patterns).
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, ni));
                    pi += 1;
                    continue;
                }
                '?' => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                '[' => {
                    if let Some((matched, next)) = class(&p[pi..], n[ni]) {
                        if matched {
                            pi += next;
                            ni += 1;
                            continue;
                        }
                    } else if n[ni] == '[' {
                        pi += 1;
                        ni += 1;
                        continue;
                    }
                }
                '\\' if pi + 1 < p.len() => {
                    if p[pi + 1] == n[ni] {
                        pi += 2;
                        ni += 1;
                        continue;
                    }
                }
                c => {
                    if c == n[ni] {
                        pi += 1;
                        ni += 1;
                        continue;
                    }
                }
            }
        }
        match star {
            Some((sp, sn)) => {
                pi = sp + 1;
                ni = sn + 1;
                star = Some((sp, sn + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Match `c` against the bracket expression at the start of `p`: whether it
/// matched and the expression's length; None when `[` is not closed.
fn class(p: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(p.get(i), Some('!') | Some('^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            if p[i] <= c && c <= p[i + 2] {
                matched = true;
            }
            i += 3;
        } else {
            if p[i] == c {
                matched = true;
            }
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tap(index: u32, name: &str) -> LinkState {
        LinkState {
            index,
            name: name.into(),
            mode: Some(Mode::Tap),
            up: false,
            carrier: false,
            mtu: 1500,
            mac: Some(vec![2, 0, 0, 0, 0, 1]),
            master: None,
        }
    }

    fn words(events: &[Event]) -> Vec<&'static str> {
        events.iter().map(|e| e.kind.word()).collect()
    }

    fn no_names(_: u32) -> Option<String> {
        None
    }

    #[test]
    fn created_and_unchanged() {
        let t = tap(7, "tap0");
        let e = link_events(None, &t, &no_names);
        assert_eq!(words(&e), ["created"]);
        assert_eq!(e[0].detail, "tap");
        assert!(link_events(Some(&t), &t, &no_names).is_empty());
    }

    #[test]
    fn diffs() {
        let old = tap(7, "tap0");
        let mut new = old.clone();
        new.up = true;
        assert_eq!(words(&link_events(Some(&old), &new, &no_names)), ["up"]);
        new.carrier = true;
        assert_eq!(
            words(&link_events(Some(&old), &new, &no_names)),
            ["up", "attached"]
        );
        // Down: the holder stays; no detach is claimed.
        assert_eq!(words(&link_events(Some(&new), &old, &no_names)), ["down"]);
        // Carrier changes count only while up.
        let mut down_attached = old.clone();
        down_attached.carrier = true;
        assert!(link_events(Some(&old), &down_attached, &no_names).is_empty());
        let mut up_detached = new.clone();
        up_detached.carrier = false;
        assert_eq!(
            words(&link_events(Some(&new), &up_detached, &no_names)),
            ["detached"]
        );
        assert_eq!(
            words(&link_events(Some(&up_detached), &new, &no_names)),
            ["attached"]
        );
        // A bridge's AF_BRIDGE messages about its port are not the link's.
        let mut st = State::default();
        let mut l = LinkMessage::default();
        l.header.index = 5;
        l.header.interface_family = AddressFamily::Bridge;
        l.attributes.push(LinkAttribute::IfName("tap0".into()));
        l.attributes
            .push(LinkAttribute::LinkInfo(vec![LinkInfo::Kind(InfoKind::Tun)]));
        assert!(st.del_link(&l).is_empty());
        assert!(st.new_link(&l).is_empty());
        let mut r = old.clone();
        r.name = "vm1".into();
        r.mtu = 9000;
        r.mac = Some(vec![2, 0, 0, 0, 0, 2]);
        r.master = Some(3);
        let e = link_events(Some(&old), &r, &|i| (i == 3).then(|| "br0".to_string()));
        assert_eq!(words(&e), ["renamed", "mtu", "mac", "master"]);
        assert_eq!(e[0].detail, "from tap0");
        assert_eq!(e[0].old_name.as_deref(), Some("tap0"));
        assert_eq!(e[1].detail, "1500 -> 9000");
        assert_eq!(e[2].detail, "02:00:00:00:00:01 -> 02:00:00:00:00:02");
        assert_eq!(e[3].detail, "br0");
        let e = link_events(Some(&r), &old, &no_names);
        assert_eq!(e.last().unwrap().detail, "none");
        assert_eq!(e.last().unwrap().extra, vec![("master", Value::Null)]);
    }

    #[test]
    fn lines() {
        let e = link_events(None, &tap(7, "tap0"), &no_names).remove(0);
        assert_eq!(e.text_line("12:00:00.000"), "12:00:00.000 tap0 created tap");
        let j: Value = serde_json::from_str(&e.json_line("2026-01-01T12:00:00.000Z")).unwrap();
        assert_eq!(
            j,
            json!({"time": "2026-01-01T12:00:00.000Z", "event": "created", "name": "tap0", "ifindex": 7, "mode": "tap"})
        );
        let mut weird = tap(8, "a\x1bb");
        weird.up = true;
        let e = link_events(Some(&tap(8, "a\x1bb")), &weird, &no_names).remove(0);
        assert_eq!(e.text_line("t"), "t a\\u{1b}b up");
    }

    #[test]
    fn addresses_and_resync() {
        let mut st = State::default();
        st.links.insert(7, tap(7, "tap0"));
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let mut msg = AddressMessage::default();
        msg.header.index = 7;
        msg.header.prefix_len = 24;
        msg.attributes.push(AddressAttribute::Address(ip));
        assert_eq!(words(&st.address(&msg, true)), ["address-added"]);
        assert!(
            st.address(&msg, true).is_empty(),
            "a repeated NEWADDR is no event"
        );
        let e = st.address(&msg, false);
        assert_eq!(e[0].detail, "10.0.0.1/24");
        assert_eq!(words(&e), ["address-removed"]);
        // Not a tun/tap: ignored.
        msg.header.index = 1;
        assert!(st.address(&msg, true).is_empty());

        // Resync: tap0 gone, tap1 new and up, with an address.
        let mut l = LinkMessage::default();
        l.header.index = 9;
        l.header.flags = LinkFlags::Up;
        l.attributes.push(LinkAttribute::IfName("tap1".into()));
        l.attributes
            .push(LinkAttribute::LinkInfo(vec![LinkInfo::Kind(InfoKind::Tun)]));
        msg.header.index = 9;
        let e = st.resync(&[l], &[msg]);
        assert_eq!(words(&e), ["deleted", "created", "up", "address-added"]);
        assert_eq!(e[0].name, "tap0");
        assert_eq!(e[1].name, "tap1");
    }

    #[test]
    fn only_tun_links() {
        let mut st = State::default();
        let mut l = LinkMessage::default();
        l.header.index = 3;
        l.attributes.push(LinkAttribute::IfName("br0".into()));
        l.attributes
            .push(LinkAttribute::LinkInfo(vec![LinkInfo::Kind(
                InfoKind::Bridge,
            )]));
        assert!(st.new_link(&l).is_empty());
        assert_eq!(st.names.get(&3).map(String::as_str), Some("br0"));
        assert!(st.del_link(&l).is_empty());
        // A DELLINK of a tun/tap we never saw still says deleted (its kind is
        // in the message).
        let mut t = LinkMessage::default();
        t.header.index = 4;
        t.attributes.push(LinkAttribute::IfName("tap9".into()));
        t.attributes
            .push(LinkAttribute::LinkInfo(vec![LinkInfo::Kind(InfoKind::Tun)]));
        assert_eq!(words(&st.del_link(&t)), ["deleted"]);
    }

    #[test]
    fn globs() {
        assert!(glob_match("tap*", "tap0"));
        assert!(glob_match("tap-vm*", "tap-vm12"));
        assert!(!glob_match("tap*", "tun0"));
        assert!(glob_match("tap?", "tap1"));
        assert!(!glob_match("tap?", "tap10"));
        assert!(glob_match("tap[0-3]", "tap2"));
        assert!(!glob_match("tap[!0-3]", "tap2"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
        assert!(glob_match("t\\*", "t*"));
        assert!(glob_match("tap[", "tap["));
        assert!(glob_match("exact", "exact"));
        let e = Event {
            kind: Kind::Renamed,
            index: 1,
            name: "vm1".into(),
            old_name: Some("tap0".into()),
            detail: String::new(),
            extra: vec![],
        };
        assert!(e.matches(&["tap*".into()]));
        assert!(e.matches(&[]));
        assert!(!e.matches(&["x".into()]));
    }
}
