//! The CNI plugin's parsers of untrusted input: the network configuration
//! on stdin (decoded, then validated with and without a CNI_ARGS MAC), an
//! IPAM plugin's result, and a CHECK's prevResult. None may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tuntapctl::cni::{check, config, ipam};

fuzz_target!(|data: &[u8]| {
    if let Ok(map) = config::decode(data) {
        let _ = config::parse(&map, None);
        let _ = config::parse(&map, Some("02:00:00:00:00:01"));
        let value = serde_json::Value::Object(map);
        let _ = ipam::parse_allocation(&value);
        let _ = check::previous(&value, "eth0");
        if let Some(prev) = value.get("prevResult") {
            let _ = check::previous(prev, "eth0");
        }
    }
});
