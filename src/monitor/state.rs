//! What monitor knows, as pure functions: the last seen `netlink::Link` of
//! every tun/tap (by ifindex) and its addresses, and the events that a new
//! notice (or a fresh dump after lost notices) makes of it.
//!
//! The kernel sends RTM_NEWLINK for every change of a link with the whole
//! link in it, so events are differences to the link we saw last. The kind
//! ("tun" for tun and tap) is in IFLA_LINKINFO of every message, including
//! RTM_DELLINK.

use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;

use serde_json::{Value, json};

use super::events::{Event, Kind, mac_text};
use crate::netlink::{Address, Link, Notice};

/// Every tun/tap's last state and addresses, and every link's name (to
/// name a master).
#[derive(Clone, Debug, Default)]
pub struct State {
    pub links: HashMap<u32, Link>,
    pub names: HashMap<u32, String>,
    pub addresses: HashMap<u32, BTreeSet<(IpAddr, u8)>>,
}

impl State {
    /// A dump as the starting point (nothing is reported).
    pub fn seeded(links: Vec<Link>, addresses: &[Address]) -> State {
        let mut state = State::default();
        for link in links {
            state.names.insert(link.index, link.name.clone());
            if link.is_tun() {
                state.links.insert(link.index, link);
            }
        }
        for a in addresses {
            if state.links.contains_key(&a.index) {
                state
                    .addresses
                    .entry(a.index)
                    .or_default()
                    .insert((a.address, a.prefix_len));
            }
        }
        state
    }

    /// The events of one notice (an overrun is the caller's: it needs a
    /// dump, see `resync`).
    pub fn apply(&mut self, notice: Notice) -> Vec<Event> {
        match notice {
            Notice::NewLink(link) => self.new_link(link),
            Notice::DelLink(link) => self.del_link(link),
            Notice::NewAddress(a) => self.address(&a, true),
            Notice::DelAddress(a) => self.address(&a, false),
            Notice::Overrun => vec![],
        }
    }

    fn new_link(&mut self, new: Link) -> Vec<Event> {
        self.names.insert(new.index, new.name.clone());
        if !new.is_tun() {
            return vec![];
        }
        let names = &self.names;
        let events = link_events(self.links.get(&new.index), &new, &|i| {
            names.get(&i).cloned()
        });
        self.links.insert(new.index, new);
        events
    }

    fn del_link(&mut self, gone: Link) -> Vec<Event> {
        let index = gone.index;
        self.names.remove(&index);
        self.addresses.remove(&index);
        let known = self.links.remove(&index);
        match Some(gone).filter(Link::is_tun).or(known) {
            Some(link) => vec![Event::lifetime(Kind::Deleted, &link)],
            None => vec![],
        }
    }

    fn address(&mut self, a: &Address, added: bool) -> Vec<Event> {
        let Some(link) = self.links.get(&a.index) else {
            return vec![];
        };
        let set = self.addresses.entry(a.index).or_default();
        let key = (a.address, a.prefix_len);
        // The kernel repeats RTM_NEWADDR when an address's flags change
        // (IPv6 duplicate address detection finishing): not a new address.
        let changed = if added {
            set.insert(key)
        } else {
            set.remove(&key);
            true
        };
        if !changed {
            return vec![];
        }
        vec![Event::address(link, a.address, a.prefix_len, added)]
    }

    /// After lost notices: compare with a fresh dump, report the
    /// differences as events, and take the dump as the new state.
    pub fn resync(&mut self, links: Vec<Link>, addresses: &[Address]) -> Vec<Event> {
        let fresh = State::seeded(links, addresses);
        let mut events = Vec::new();
        let mut gone: Vec<&Link> = self
            .links
            .values()
            .filter(|l| !fresh.links.contains_key(&l.index))
            .collect();
        gone.sort_by_key(|l| l.index);
        events.extend(gone.into_iter().map(|l| Event::lifetime(Kind::Deleted, l)));
        let mut now: Vec<&Link> = fresh.links.values().collect();
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
                events.push(Event::address(link, *ip, *prefix, false));
            }
            for (ip, prefix) in after.difference(before) {
                events.push(Event::address(link, *ip, *prefix, true));
            }
        }
        *self = fresh;
        events
    }
}

/// The events between two states of one link (old None: it is new).
/// `master_name` resolves an ifindex to a name.
fn link_events(
    old: Option<&Link>,
    new: &Link,
    master_name: &dyn Fn(u32) -> Option<String>,
) -> Vec<Event> {
    let master = |m: Option<u32>| -> Event {
        let (text, value) = match m {
            None => ("none".into(), Value::Null),
            Some(i) => match master_name(i) {
                Some(n) => (n.clone(), json!(n)),
                None => (format!("ifindex {i}"), json!(i)),
            },
        };
        Event::new(Kind::Master, new)
            .detail(text)
            .with("master", value)
    };
    let Some(old) = old else {
        let mut out = vec![Event::lifetime(Kind::Created, new)];
        // A link first seen already up (after lost events) says so too.
        if new.up {
            out.push(Event::new(Kind::Up, new));
            if new.carrier {
                out.push(Event::new(Kind::Attached, new));
            }
        }
        if new.master.is_some() {
            out.push(master(new.master));
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
        out.push(master(new.master));
    }
    out.extend(state_events(old, new));
    out
}

/// Up, down, attached, detached. The carrier counts only while the link is
/// up: the kernel announces no attach or detach on a down link, and a new
/// device's carrier changes while it is being made. Going down says only
/// "down" (the holder stays attached); coming up with a holder says
/// "attached".
fn state_events(old: &Link, new: &Link) -> Vec<Event> {
    match (old.up, new.up) {
        (false, true) if new.carrier => {
            vec![Event::new(Kind::Up, new), Event::new(Kind::Attached, new)]
        }
        (false, true) => vec![Event::new(Kind::Up, new)],
        (true, true) if old.carrier != new.carrier => {
            let kind = if new.carrier {
                Kind::Attached
            } else {
                Kind::Detached
            };
            vec![Event::new(kind, new)]
        }
        (true, false) => vec![Event::new(Kind::Down, new)],
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Mode;

    fn tap(index: u32, name: &str) -> Link {
        Link {
            mtu: 1500,
            mac: Some(vec![2, 0, 0, 0, 0, 1]),
            operstate: "down".into(),
            ..Link::new_device(index, name, Mode::Tap, None, None)
        }
    }

    fn bridge(index: u32, name: &str) -> Link {
        Link {
            kind: Some("bridge".into()),
            tun: None,
            ..tap(index, name)
        }
    }

    fn address(index: u32, ip: &str, prefix_len: u8) -> Address {
        Address {
            index,
            address: ip.parse().unwrap(),
            prefix_len,
            peer: None,
            scope: "global".into(),
            protocol: None,
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
        // Counters and other fields that make no event change nothing.
        let mut busy = t.clone();
        busy.operstate = "unknown".into();
        busy.txqueuelen = 1000;
        assert!(link_events(Some(&t), &busy, &no_names).is_empty());
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
        r.master = Some(4);
        let e = link_events(Some(&old), &r, &no_names);
        assert_eq!(e.last().unwrap().detail, "ifindex 4");
    }

    #[test]
    fn first_seen_up_attached_and_in_a_bridge() {
        let mut t = tap(7, "tap0");
        t.up = true;
        t.carrier = true;
        t.master = Some(3);
        let e = link_events(None, &t, &|_| Some("br0".into()));
        assert_eq!(words(&e), ["created", "up", "attached", "master"]);
    }

    #[test]
    fn addresses_and_resync() {
        let mut st = State::seeded(vec![tap(7, "tap0")], &[]);
        let a = address(7, "10.0.0.1", 24);
        assert_eq!(
            words(&st.apply(Notice::NewAddress(a.clone()))),
            ["address-added"]
        );
        assert!(
            st.apply(Notice::NewAddress(a.clone())).is_empty(),
            "a repeated NEWADDR is no event"
        );
        let e = st.apply(Notice::DelAddress(a.clone()));
        assert_eq!(e[0].detail, "10.0.0.1/24");
        assert_eq!(words(&e), ["address-removed"]);
        // Not a tun/tap: ignored.
        assert!(
            st.apply(Notice::NewAddress(address(1, "10.0.0.1", 24)))
                .is_empty()
        );

        // Resync: tap0 gone, tap1 new and up, with an address.
        let mut t = tap(9, "tap1");
        t.up = true;
        let e = st.resync(vec![t], &[address(9, "10.0.0.1", 24)]);
        assert_eq!(words(&e), ["deleted", "created", "up", "address-added"]);
        assert_eq!(e[0].name, "tap0");
        assert_eq!(e[1].name, "tap1");
        // Resync of an unchanged state says nothing; a lost address is said.
        let mut t = tap(9, "tap1");
        t.up = true;
        assert!(
            st.resync(vec![t.clone()], &[address(9, "10.0.0.1", 24)])
                .is_empty()
        );
        assert_eq!(words(&st.resync(vec![t], &[])), ["address-removed"]);
    }

    #[test]
    fn only_tun_links() {
        let mut st = State::default();
        assert!(st.apply(Notice::NewLink(bridge(3, "br0"))).is_empty());
        assert_eq!(st.names.get(&3).map(String::as_str), Some("br0"));
        assert!(st.apply(Notice::DelLink(bridge(3, "br0"))).is_empty());
        // A DELLINK of a tun/tap we never saw still says deleted (its kind is
        // in the message).
        assert_eq!(
            words(&st.apply(Notice::DelLink(tap(4, "tap9")))),
            ["deleted"]
        );
        // A master is named from every link seen, not only tun/taps.
        st.apply(Notice::NewLink(bridge(3, "br0")));
        st.apply(Notice::NewLink(tap(5, "tap5")));
        let mut port = tap(5, "tap5");
        port.master = Some(3);
        let e = st.apply(Notice::NewLink(port));
        assert_eq!(words(&e), ["master"]);
        assert_eq!(e[0].extra, vec![("master", json!("br0"))]);
    }
}
