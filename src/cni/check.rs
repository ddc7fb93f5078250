//! CHECK: the device against the config and prevResult. Unlike the
//! upstream tap plugin (sandbox, IPs and routes only), this looks at what a
//! VM or a runtime depends on: mode, owner, group, flags, MTU, MAC, queue
//! length, alias, bridge, state and addresses. Pure: every difference is a
//! sentence, tested without root.

use serde_json::Value;

use super::config::{NetConf, shown};
use super::version::{cidr, parse_cidr};
use crate::netlink::{Address, Link};
use crate::validate::{MacSpec, Mode};

/// What the device must be, with ids and the bridge's index resolved.
pub struct Expected<'a> {
    pub conf: &'a NetConf,
    pub ifname: &'a str,
    pub netns: &'a str,
    pub owner: Option<u32>,
    pub group: Option<u32>,
    /// The bridge's index when the config names one (None: not found).
    pub bridge_index: Option<u32>,
}

/// What prevResult says about our interface.
#[derive(Debug, Default, PartialEq)]
pub struct Previous {
    pub found: bool,
    pub sandbox: Option<String>,
    pub mac: Option<String>,
    pub mtu: Option<u64>,
    pub addresses: Vec<(std::net::IpAddr, u8)>,
}

/// Read our interface and its addresses out of prevResult.
pub fn previous(prev: &Value, ifname: &str) -> Result<Previous, String> {
    let interfaces = prev
        .get("interfaces")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let Some(index) = interfaces
        .iter()
        .position(|i| i.get("name").and_then(Value::as_str) == Some(ifname))
    else {
        return Ok(Previous::default());
    };
    let me = &interfaces[index];
    let text = |k: &str| me.get(k).and_then(Value::as_str).map(str::to_string);
    let mut out = Previous {
        found: true,
        sandbox: text("sandbox"),
        mac: text("mac"),
        mtu: me.get("mtu").and_then(Value::as_u64),
        addresses: vec![],
    };
    let ips = prev
        .get("ips")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    for ip in ips.iter().take(256) {
        let on = ip.get("interface").and_then(Value::as_u64);
        if on.is_some_and(|i| i != index as u64) {
            continue;
        }
        let a = ip.get("address").and_then(Value::as_str).unwrap_or("");
        out.addresses.push(
            parse_cidr(a)
                .ok_or_else(|| format!("prevResult address {:?} is not ADDR/PREFIX", shown(a)))?,
        );
    }
    Ok(out)
}

fn mac_text(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn id_text(id: Option<u32>) -> String {
    id.map_or("none".to_string(), |i| i.to_string())
}

/// Every way the device differs; empty when it is as expected.
pub fn differences(
    want: &Expected,
    prev: &Previous,
    link: &Link,
    addrs: &[Address],
) -> Vec<String> {
    let mut d = Vec::new();
    let name = want.ifname;
    if !prev.found {
        d.push(format!("prevResult has no interface named {name}"));
    }
    if let Some(sandbox) = prev.sandbox.as_ref().filter(|s| *s != want.netns) {
        d.push(format!(
            "prevResult puts {name} in {} but CNI_NETNS is {}",
            shown(sandbox),
            shown(want.netns)
        ));
    }
    let Some(tun) = link.tun.as_ref() else {
        d.push(format!("{name} is {}, not a tun/tap", link.describe_kind()));
        return d;
    };
    let conf = want.conf;
    let mut differ = |what: &str, want: String, have: String| {
        if want != have {
            d.push(format!("{what} is {have}, expected {want}"));
        }
    };
    differ(
        "mode",
        conf.mode.to_string(),
        tun.mode.map_or("unknown".into(), |m: Mode| m.to_string()),
    );
    differ("owner", id_text(want.owner), id_text(tun.owner));
    differ("group", id_text(want.group), id_text(tun.group));
    differ(
        "vnet_hdr flag",
        conf.vnet_hdr.to_string(),
        tun.vnet_hdr.to_string(),
    );
    differ(
        "multi_queue flag",
        conf.multi_queue.to_string(),
        tun.multi_queue.to_string(),
    );
    differ("pi flag", "false".into(), tun.pi.to_string());
    differ(
        "state",
        "up".into(),
        if link.up { "up" } else { "down" }.into(),
    );
    let mtu = conf.mtu.map(u64::from).or(prev.mtu);
    if let Some(m) = mtu {
        differ("MTU", m.to_string(), link.mtu.to_string());
    }
    let mac = match conf.mac {
        Some(MacSpec::Fixed(m)) => Some(m.to_string()),
        _ => prev.mac.clone(),
    };
    if let Some(m) = mac {
        let have = link
            .mac
            .as_deref()
            .map(mac_text)
            .unwrap_or_else(|| "none".into());
        differ("MAC", m.to_ascii_lowercase(), have);
    }
    if let Some(q) = conf.txqueuelen {
        differ("txqueuelen", q.to_string(), link.txqueuelen.to_string());
    }
    if let Some(a) = &conf.alias {
        differ(
            "alias",
            shown(a),
            link.alias.as_deref().map(shown).unwrap_or_default(),
        );
    }
    if let Some(bridge) = &conf.bridge {
        let have = if link.master.is_some() && link.master == want.bridge_index {
            shown(bridge)
        } else {
            "another master or none".into()
        };
        differ("bridge", shown(bridge), have);
    }
    for (ip, prefix) in &prev.addresses {
        if !addrs
            .iter()
            .any(|a| a.address == *ip && a.prefix_len == *prefix)
        {
            d.push(format!(
                "address {} from prevResult is missing",
                cidr(*ip, *prefix)
            ));
        }
    }
    d.into_iter()
        .map(|s| {
            if s.starts_with(name) || s.starts_with("prevResult") {
                s
            } else {
                format!("{name}: {s}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cni::config;
    use serde_json::json;

    fn conf(extra: Value) -> NetConf {
        let mut v = json!({"cniVersion": "1.0.0", "name": "n", "type": "tuntapctl"});
        if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        config::parse(v.as_object().unwrap(), None).unwrap()
    }

    fn tap() -> Link {
        let mut l = Link::new_device(5, "eth0", Mode::Tap, Some(1500), Some(1000));
        l.mtu = 1500;
        l.txqueuelen = 1000;
        l.up = true;
        l.mac = Some(vec![2, 0, 0, 0, 0, 1]);
        l
    }

    fn prev() -> Previous {
        previous(
            &json!({"interfaces": [{"name": "eth0", "mac": "02:00:00:00:00:01", "sandbox": "/ns"}],
                    "ips": [{"address": "10.0.0.2/24", "interface": 0}]}),
            "eth0",
        )
        .unwrap()
    }

    fn addr(a: &str, p: u8) -> Address {
        Address {
            index: 5,
            address: a.parse().unwrap(),
            prefix_len: p,
            peer: None,
            scope: "global".into(),
            protocol: None,
        }
    }

    #[test]
    fn the_same_device_has_no_differences() {
        let c = conf(json!({"mtu": 1500}));
        let want = Expected {
            conf: &c,
            ifname: "eth0",
            netns: "/ns",
            owner: None,
            group: None,
            bridge_index: None,
        };
        assert_eq!(
            differences(&want, &prev(), &tap(), &[addr("10.0.0.2", 24)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn every_difference_is_named() {
        let c = conf(json!({"mtu": 1400, "vnetHdr": true, "owner": 1000}));
        let want = Expected {
            conf: &c,
            ifname: "eth0",
            netns: "/ns",
            owner: Some(1000),
            group: None,
            bridge_index: None,
        };
        let mut link = tap();
        link.up = false;
        link.mac = Some(vec![2, 0, 0, 0, 0, 2]);
        let d = differences(&want, &prev(), &link, &[]);
        for needle in [
            "MTU is 1500, expected 1400",
            "owner is none, expected 1000",
            "vnet_hdr flag",
            "state is down",
            "MAC is 02:00:00:00:00:02",
            "address 10.0.0.2/24",
        ] {
            assert!(
                d.iter().any(|s| s.contains(needle)),
                "{needle} not in {d:?}"
            );
        }
    }

    #[test]
    fn a_wrong_sandbox_or_kind_is_a_difference() {
        let c = conf(json!({}));
        let want = Expected {
            conf: &c,
            ifname: "eth0",
            netns: "/other",
            owner: None,
            group: None,
            bridge_index: None,
        };
        let mut link = tap();
        link.tun = None;
        link.kind = Some("veth".into());
        let d = differences(&want, &prev(), &link, &[]);
        assert!(d.iter().any(|s| s.contains("CNI_NETNS is /other")));
        assert!(d.iter().any(|s| s.contains("not a tun/tap")));
    }
}
