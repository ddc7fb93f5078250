//! CNI versions and results: which versions this plugin speaks, and the
//! ADD result in the shape of each (0.3.x and 0.4.0 carry `ips[].version`;
//! 1.1.0 adds the interface's `mtu`).

use std::net::IpAddr;

use serde_json::{Map, Value, json};

use crate::netlink::Route;

/// A CNI spec version this plugin accepts in `cniVersion`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CniVersion {
    V031,
    V040,
    V100,
    V110,
}

/// Every version we accept, oldest first (VERSION's supportedVersions).
pub const SUPPORTED: [CniVersion; 4] = [
    CniVersion::V031,
    CniVersion::V040,
    CniVersion::V100,
    CniVersion::V110,
];

/// The version of an error when the config's own could not be read.
pub const NEWEST: CniVersion = CniVersion::V110;

impl CniVersion {
    pub fn parse(text: &str) -> Option<CniVersion> {
        SUPPORTED.into_iter().find(|v| v.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CniVersion::V031 => "0.3.1",
            CniVersion::V040 => "0.4.0",
            CniVersion::V100 => "1.0.0",
            CniVersion::V110 => "1.1.0",
        }
    }

    /// CHECK exists from 0.4.0 on; STATUS and GC from 1.1.0 on.
    pub fn has_check(self) -> bool {
        self >= CniVersion::V040
    }

    pub fn has_status_and_gc(self) -> bool {
        self >= CniVersion::V110
    }
}

pub fn supported_strings() -> Vec<&'static str> {
    SUPPORTED.iter().map(|v| v.as_str()).collect()
}

/// The VERSION answer.
pub fn version_json(asked: Option<CniVersion>) -> Value {
    json!({
        "cniVersion": asked.unwrap_or(NEWEST).as_str(),
        "supportedVersions": supported_strings(),
    })
}

/// One address given to the interface, with its gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpConfig {
    pub address: IpAddr,
    pub prefix_len: u8,
    pub gateway: Option<IpAddr>,
}

/// The interface an ADD made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Made {
    pub name: String,
    pub mac: Option<String>,
    pub mtu: u32,
    pub sandbox: String,
}

/// What an ADD hands back: the interface, the IPAM plugin's addresses,
/// routes and DNS.
#[derive(Clone, Debug, PartialEq)]
pub struct AddResult {
    pub interface: Made,
    pub ips: Vec<IpConfig>,
    pub routes: Vec<Route>,
    pub dns: Option<Value>,
}

pub fn cidr(address: IpAddr, prefix_len: u8) -> String {
    format!("{address}/{prefix_len}")
}

impl AddResult {
    /// The result in the version the config asked for.
    pub fn to_json(&self, version: CniVersion) -> Value {
        let mut interface = Map::new();
        interface.insert("name".into(), json!(self.interface.name));
        if let Some(mac) = &self.interface.mac {
            interface.insert("mac".into(), json!(mac));
        }
        if version >= CniVersion::V110 {
            interface.insert("mtu".into(), json!(self.interface.mtu));
        }
        interface.insert("sandbox".into(), json!(self.interface.sandbox));
        let ips: Vec<Value> = self
            .ips
            .iter()
            .map(|ip| {
                let mut o = Map::new();
                if version < CniVersion::V100 {
                    let family = if ip.address.is_ipv4() { "4" } else { "6" };
                    o.insert("version".into(), json!(family));
                }
                o.insert("interface".into(), json!(0));
                o.insert("address".into(), json!(cidr(ip.address, ip.prefix_len)));
                if let Some(gw) = ip.gateway {
                    o.insert("gateway".into(), json!(gw.to_string()));
                }
                Value::Object(o)
            })
            .collect();
        let routes: Vec<Value> = self
            .routes
            .iter()
            .map(|r| {
                let mut o = Map::new();
                o.insert("dst".into(), json!(cidr(r.dst, r.prefix_len)));
                if let Some(gw) = r.gateway {
                    o.insert("gw".into(), json!(gw.to_string()));
                }
                Value::Object(o)
            })
            .collect();
        let mut out = Map::new();
        out.insert("cniVersion".into(), json!(version.as_str()));
        out.insert("interfaces".into(), json!([Value::Object(interface)]));
        if !ips.is_empty() {
            out.insert("ips".into(), Value::Array(ips));
        }
        if !routes.is_empty() {
            out.insert("routes".into(), Value::Array(routes));
        }
        out.insert("dns".into(), self.dns.clone().unwrap_or_else(|| json!({})));
        Value::Object(out)
    }
}

/// "ADDR/PREFIX" with the prefix in range for the family.
pub fn parse_cidr(text: &str) -> Option<(IpAddr, u8)> {
    let (addr, prefix) = text.split_once('/')?;
    let address: IpAddr = addr.parse().ok()?;
    if prefix.is_empty() || prefix.len() > 3 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let prefix_len: u8 = prefix.parse().ok()?;
    let max = if address.is_ipv4() { 32 } else { 128 };
    (prefix_len <= max).then_some((address, prefix_len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> AddResult {
        AddResult {
            interface: Made {
                name: "eth0".into(),
                mac: Some("02:00:00:00:00:01".into()),
                mtu: 1400,
                sandbox: "/run/netns/x".into(),
            },
            ips: vec![IpConfig {
                address: "10.1.0.2".parse().unwrap(),
                prefix_len: 24,
                gateway: Some("10.1.0.1".parse().unwrap()),
            }],
            routes: vec![Route {
                dst: "0.0.0.0".parse().unwrap(),
                prefix_len: 0,
                gateway: Some("10.1.0.1".parse().unwrap()),
            }],
            dns: None,
        }
    }

    #[test]
    fn versions_parse_and_order() {
        assert_eq!(CniVersion::parse("0.4.0"), Some(CniVersion::V040));
        assert_eq!(CniVersion::parse("0.2.0"), None);
        assert_eq!(CniVersion::parse("1.1"), None);
        assert!(!CniVersion::V031.has_check());
        assert!(CniVersion::V040.has_check());
        assert!(CniVersion::V110.has_status_and_gc());
        assert!(!CniVersion::V100.has_status_and_gc());
    }

    #[test]
    fn old_results_carry_ip_version() {
        for v in [CniVersion::V031, CniVersion::V040] {
            let j = sample().to_json(v);
            assert_eq!(j["ips"][0]["version"], "4");
            assert_eq!(j["cniVersion"], v.as_str());
            assert!(j["interfaces"][0].get("mtu").is_none());
        }
    }

    #[test]
    fn new_results_do_not() {
        let j = sample().to_json(CniVersion::V100);
        assert!(j["ips"][0].get("version").is_none());
        assert!(j["interfaces"][0].get("mtu").is_none());
        let j = sample().to_json(CniVersion::V110);
        assert_eq!(j["interfaces"][0]["mtu"], 1400);
        assert_eq!(j["routes"][0]["dst"], "0.0.0.0/0");
        assert_eq!(j["ips"][0]["interface"], 0);
    }

    #[test]
    fn cidrs() {
        assert_eq!(
            parse_cidr("10.0.0.1/8"),
            Some(("10.0.0.1".parse().unwrap(), 8))
        );
        assert!(parse_cidr("10.0.0.1/33").is_none());
        assert!(parse_cidr("10.0.0.1").is_none());
        assert!(parse_cidr("10.0.0.1/+1").is_none());
        assert!(parse_cidr("fe80::1/128").is_some());
        assert!(parse_cidr("/").is_none());
    }
}
