//! The interface object of SPEC §4: what list/show/add print as JSON and what
//! apply reads back. Fetching builds it; rendering only reads it.

use serde::{Deserialize, Serialize};

use crate::ids::{Group, IdResolver, Owner};
use crate::netlink::{Address, Link, Stats};
use crate::procscan::{Holder, Holders};
use crate::validate::{Mac, Mode};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flags {
    pub pi: bool,
    pub vnet_hdr: bool,
    pub multi_queue: bool,
    pub persist: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressEntry {
    pub family: String,
    pub address: String,
    pub prefix_len: u8,
    pub peer: Option<String>,
    pub scope: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queues {
    pub attached: u32,
    pub disabled: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interface {
    pub name: String,
    pub ifindex: u32,
    pub mode: Option<Mode>,
    pub owner: Option<Owner>,
    pub group: Option<Group>,
    pub flags: Flags,
    pub mac: Option<String>,
    pub mtu: u32,
    pub txqueuelen: u32,
    pub up: bool,
    pub carrier: bool,
    pub operstate: String,
    pub addresses: Vec<AddressEntry>,
    pub queues: Queues,
    pub processes: Vec<Holder>,
    /// The bridge (bond, vrf) it is a port of, by name.
    #[serde(default)]
    pub master: Option<String>,
    /// IFLA_IFALIAS; null when unset.
    #[serde(default)]
    pub alias: Option<String>,
    /// ip's word for IFLA_INET6_ADDR_GEN_MODE; null without IPv6.
    #[serde(default)]
    pub addrgenmode: Option<String>,
    /// Traffic counters: in `show`, and in `list --stats`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stats: Option<Stats>,
}

impl Interface {
    /// Build the object for one tun/tap link. `addresses` may hold other
    /// links' addresses; only this link's are kept.
    pub fn build(
        link: &Link,
        addresses: &[Address],
        holders: &Holders,
        ids: &IdResolver,
    ) -> Interface {
        let tun = link.tun.clone().unwrap_or_default();
        let processes = holders.of(&link.name).to_vec();
        // Single-queue devices report no queue count: one is attached when a
        // process holds it.
        let attached = tun
            .num_queues
            .unwrap_or(if processes.is_empty() { 0 } else { 1 });
        Interface {
            name: link.name.clone(),
            ifindex: link.index,
            mode: tun.mode,
            owner: tun.owner.map(|uid| ids.owner(uid)),
            group: tun.group.map(|gid| ids.group(gid)),
            flags: Flags {
                pi: tun.pi,
                vnet_hdr: tun.vnet_hdr,
                multi_queue: tun.multi_queue,
                persist: tun.persist,
            },
            mac: match tun.mode {
                Some(Mode::Tun) => None,
                _ => link.mac.as_ref().and_then(|m| {
                    <[u8; 6]>::try_from(m.as_slice())
                        .ok()
                        .map(|b| Mac(b).to_string())
                }),
            },
            mtu: link.mtu,
            txqueuelen: link.txqueuelen,
            up: link.up,
            carrier: link.carrier,
            operstate: link.operstate.clone(),
            addresses: addresses
                .iter()
                .filter(|a| a.index == link.index)
                .map(|a| AddressEntry {
                    family: a.family().into(),
                    address: a.address.to_string(),
                    prefix_len: a.prefix_len,
                    peer: a.peer.map(|p| p.to_string()),
                    scope: a.scope.clone(),
                })
                .collect(),
            queues: Queues {
                attached,
                disabled: tun.num_disabled_queues.unwrap_or(0),
            },
            processes,
            // Filled by the caller, which knows the other links' names.
            master: None,
            alias: link.alias.clone(),
            addrgenmode: link
                .addrgenmode
                .map(crate::validate::around::addrgenmode_word),
            stats: link.stats,
        }
    }
}
