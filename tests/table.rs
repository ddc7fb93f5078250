//! The `list` table on a real pseudo-terminal (util-linux `script`, sized
//! with `stty cols N`), in a namespace with taps that carry addresses, MACs
//! and holders: no line is wider than the terminal, and every name, address
//! and MAC is printed whole. Expected values come from iproute2.

mod common;

use common::*;
use serde_json::Value;

#[track_caller]
fn ok(ns: &Netns, args: &[&str]) {
    let out = ns.tt(args);
    assert_code(&out, 0);
}

/// `tuntapctl ARGS` on a pseudo-terminal of `cols` columns; its lines
/// (stdout and stderr both land on the terminal), without the CRs.
fn on_terminal(ns: &Netns, cols: usize, args: &str) -> Vec<String> {
    let inner = format!("stty cols {cols} rows 200; exec {BIN} {args}");
    let out = ns.run("script", &["-q", "-e", "-c", &inner, "/dev/null"]);
    assert!(
        out.status.success(),
        "script failed: {}\n{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
        .replace('\r', "")
        .lines()
        .map(str::to_string)
        .collect()
}

/// Every "ADDR/PREFIX" (and peer) and MAC of the tun/taps, from iproute2.
fn expected_values(ns: &Netns, names: &[&str]) -> (Vec<String>, Vec<String>) {
    let mut addrs = Vec::new();
    let mut macs = Vec::new();
    for name in names {
        let out = ns.run("ip", &["-j", "addr", "show", "dev", name]);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        for a in v[0]["addr_info"].as_array().unwrap() {
            let local = a["local"].as_str().unwrap();
            match a["address"].as_str() {
                // Point-to-point: "10.8.0.1 peer 10.8.0.2/24"; each part whole.
                Some(peer) if peer != local => {
                    addrs.push(local.to_string());
                    addrs.push(format!("{peer}/{}", a["prefixlen"]));
                }
                _ => addrs.push(format!("{local}/{}", a["prefixlen"])),
            }
        }
        if let Some(mac) = v[0]["address"].as_str()
            && v[0]["link_type"] == "ether"
        {
            macs.push(mac.to_string());
        }
    }
    (addrs, macs)
}

fn has_token(lines: &[String], token: &str) -> bool {
    lines
        .iter()
        .any(|l| l.split_whitespace().any(|w| w == token))
}

#[test]
fn list_fits_80_and_60_columns_without_breaking_values() {
    let ns = netns_or_skip!();
    if ns.run("script", &["--version"]).status.code() != Some(0) {
        panic!(
            "util-linux `script` is needed for the pseudo-terminal test (apt-get install bsdutils)"
        );
    }
    ok(
        &ns,
        &[
            "add",
            "tap-vm1",
            "--user",
            "0",
            "--mac",
            "02:11:22:33:44:55",
            "-a",
            "10.0.0.1/24",
            "-a",
            "fd00:1234:5678::1/64",
            "--vnet-hdr",
            "--up",
        ],
    );
    ok(
        &ns,
        &[
            "add",
            "tap-vm2",
            "--group",
            "0",
            "--multi-queue",
            "-a",
            "192.168.100.1/24",
            "--up",
        ],
    );
    ok(
        &ns,
        &[
            "add",
            "tun-vpn0",
            "--user",
            "0",
            "-a",
            "10.8.0.1/24",
            "--peer",
            "10.8.0.2",
            "--up",
        ],
    );
    let _h1 = ns.hold("tap-vm1", "tap", &["vnet_hdr"]);
    let _h2 = ns.hold("tap-vm2", "tap", &["multi_queue"]);
    let _h3 = ns.hold("tap-vm2", "tap", &["multi_queue"]);
    let _h4 = ns.hold("tap-vm2", "tap", &["multi_queue"]);
    let names = ["tap-vm1", "tap-vm2", "tun-vpn0"];
    let (addrs, macs) = expected_values(&ns, &names);
    assert!(addrs.len() >= 5 && macs.len() == 2, "{addrs:?} {macs:?}");

    // Wide: everything, in full.
    let wide = on_terminal(&ns, 250, "list");
    assert!(
        wide[0].contains("FLAGS") && wide[0].contains("PROCESSES"),
        "{wide:#?}"
    );
    assert!(!wide.iter().any(|l| l.contains("Not shown")), "{wide:#?}");

    for cols in [80, 60] {
        let lines = on_terminal(&ns, cols, "list");
        let text = lines.join("\n");
        for l in &lines {
            assert!(
                l.chars().count() <= cols,
                "{cols} columns: a line of {}:\n{text}",
                l.chars().count()
            );
        }
        for token in names
            .iter()
            .map(|s| s.to_string())
            .chain(addrs.clone())
            .chain(macs.clone())
        {
            assert!(
                has_token(&lines, &token),
                "{cols} columns: {token} not whole:\n{text}"
            );
        }
        // The columns shown and the ones named as left out are all ten.
        let header: Vec<&str> = lines[0].split_whitespace().collect();
        let footer = text
            .split("Not shown for lack of width:")
            .nth(1)
            .and_then(|f| f.split('(').next())
            .unwrap_or_else(|| {
                panic!("{cols} columns: no footer naming the left-out columns:\n{text}")
            });
        for col in [
            "NAME",
            "MODE",
            "OWNER",
            "GROUP",
            "FLAGS",
            "STATE",
            "MAC",
            "MTU",
            "ADDRESSES",
            "PROCESSES",
        ] {
            assert!(
                header.contains(&col) ^ footer.contains(col),
                "{cols} columns: {col} must be either shown or named as left out:\n{text}"
            );
        }
        if header.contains(&"PROCESSES") {
            assert!(has_token(&lines, "(+2)"), "{text}");
        }
    }
}
