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
/// (stdout and stderr both land on the terminal), without the CRs, and
/// without the note of a kernel that lacks the full holder proof (before
/// 5.6; the tables are what is checked here).
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
        .filter(|l| !(l.contains("this kernel lacks") && l.contains("weaker proof")))
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

/// Three tun/taps with addresses, MACs, owners, flags and holders (four
/// holders: PROCESSES shortens to `(+2)`). Returns the holders and names.
fn setup(ns: &Netns) -> (Vec<Holder>, [&'static str; 3]) {
    if ns.run("script", &["--version"]).status.code() != Some(0) {
        panic!(
            "util-linux `script` is needed for the pseudo-terminal test (apt-get install bsdutils)"
        );
    }
    ok(
        ns,
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
        ns,
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
        ns,
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
    let holders = vec![
        ns.hold("tap-vm1", "tap", &["vnet_hdr"]),
        ns.hold("tap-vm2", "tap", &["multi_queue"]),
        ns.hold("tap-vm2", "tap", &["multi_queue"]),
        ns.hold("tap-vm2", "tap", &["multi_queue"]),
    ];
    (holders, ["tap-vm1", "tap-vm2", "tun-vpn0"])
}

const STANDARD: [&str; 10] = [
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
];

/// The counters: the JSON key of `ip -s -j`'s stats64, the table's header
/// and its short form.
const COUNTERS: [(&str, &str, &str, &str); 8] = [
    ("rx", "packets", "RX_PACKETS", "RX_PKTS"),
    ("rx", "bytes", "RX_BYTES", "RX_BYTES"),
    ("rx", "errors", "RX_ERRORS", "RX_ERRS"),
    ("rx", "dropped", "RX_DROPPED", "RX_DROP"),
    ("tx", "packets", "TX_PACKETS", "TX_PKTS"),
    ("tx", "bytes", "TX_BYTES", "TX_BYTES"),
    ("tx", "errors", "TX_ERRORS", "TX_ERRS"),
    ("tx", "dropped", "TX_DROPPED", "TX_DROP"),
];

/// The table on a `cols`-wide terminal: no line wider, every name, address
/// and MAC whole, and each of `columns` either in the header (full or
/// short) or named in the footer as left out. Returns the lines.
fn fits(ns: &Netns, cols: usize, args: &str, names: &[&str], columns: &[&str]) -> Vec<String> {
    let (addrs, macs) = expected_values(ns, names);
    // (IPv6 addresses go when a link goes down.)
    assert!(addrs.len() >= 4 && macs.len() == 2, "{addrs:?} {macs:?}");
    let lines = on_terminal(ns, cols, args);
    let text = lines.join("\n");
    for l in &lines {
        assert!(
            l.chars().count() <= cols,
            "{cols} columns: a line of {}:\n{text}",
            l.chars().count()
        );
    }
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    // Every value of a column shown is whole.
    let shown = |col: &str| header.contains(&col);
    let tokens = names
        .iter()
        .map(|s| s.to_string())
        .chain(addrs.into_iter().filter(|_| shown("ADDRESSES")))
        .chain(macs.into_iter().filter(|_| shown("MAC")));
    for token in tokens {
        assert!(
            has_token(&lines, &token),
            "{cols} columns: {token} not whole:\n{text}"
        );
    }
    let footer: Vec<String> = text
        .split("Not shown for lack of width:")
        .nth(1)
        .and_then(|f| f.split('(').next())
        .map(|f| f.split(',').map(|c| c.trim().to_string()).collect())
        .unwrap_or_default();
    for col in columns {
        let short = COUNTERS
            .iter()
            .find(|c| c.2 == *col)
            .map(|c| c.3)
            .unwrap_or(col);
        let shown = header.contains(col) || header.contains(&short);
        assert!(
            shown ^ footer.iter().any(|f| f == col),
            "{cols} columns: {col} must be either shown or named as left out:\n{text}"
        );
    }
    assert_eq!(
        header.len() + footer.len(),
        columns.len(),
        "{cols} columns: no other column:\n{text}"
    );
    if header.contains(&"PROCESSES") {
        assert!(has_token(&lines, "(+2)"), "{text}");
    }
    lines
}

/// The text in the column headed `head` (full or short) on the first line
/// of NAME's row, as far as the next blank; None when the column is not
/// shown.
fn cell(lines: &[String], name: &str, head: &[&str]) -> Option<String> {
    let at = head.iter().find_map(|h| {
        lines[0]
            .match_indices(h)
            .find(|(i, _)| {
                (*i == 0 || lines[0][..*i].ends_with(' '))
                    && lines[0][i + h.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| c == ' ')
            })
            .map(|(i, _)| i)
    })?;
    let row = lines
        .iter()
        .find(|l| l.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("no row for {name}:\n{}", lines.join("\n")));
    Some(
        row.get(at..)
            .unwrap_or("")
            .split(' ')
            .next()
            .unwrap_or("")
            .to_string(),
    )
}

#[test]
fn list_fits_80_and_60_columns_without_breaking_values() {
    let ns = netns_or_skip!();
    let (_holders, names) = setup(&ns);

    // Wide: everything, in full.
    let wide = on_terminal(&ns, 250, "list");
    assert!(
        wide[0].contains("FLAGS") && wide[0].contains("PROCESSES"),
        "{wide:#?}"
    );
    assert!(!wide.iter().any(|l| l.contains("Not shown")), "{wide:#?}");
    assert!(!wide[0].contains("MASTER"), "no port, no MASTER: {wide:#?}");

    for cols in [80, 60] {
        let lines = fits(&ns, cols, "list", &names, &STANDARD);
        // A name, its addresses and its MAC are what a narrow table keeps.
        assert!(
            lines[0].contains("MAC") && lines[0].contains("ADDRESSES"),
            "{cols} columns: {lines:#?}"
        );
        assert!(
            lines.iter().any(|l| l.contains("Not shown")),
            "{cols} columns: {lines:#?}"
        );
    }
}

/// A tap that is a bridge port (MASTER) and `list --stats` (the eight
/// counters) on 80 and 60 columns; counters from iproute2, frozen by
/// taking the links down after some traffic.
#[test]
fn master_and_counters_fit_80_and_60_columns() {
    let ns = netns_or_skip!();
    let (_holders, names) = setup(&ns);
    // Some traffic: pings that the tun's echo holder answers (tun counts
    // a packet when its reader takes it, so it takes a reader).
    let _echo = ns.hold("tun-vpn0", "tun", &["echo"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    while ns.link("tun-vpn0").unwrap()["operstate"] != "UP" {
        assert!(
            std::time::Instant::now() < deadline,
            "tun-vpn0 never came up"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // (operstate is written just before the queue starts)
    std::thread::sleep(std::time::Duration::from_millis(50));
    let out = ns.run(
        "ping",
        &["-c", "3", "-i", "0.2", "-W", "2", "-s", "1000", "10.8.0.2"],
    );
    assert!(stdout(&out).contains("3 received"), "{}", stdout(&out));
    let out = ns.run("ip", &["link", "add", "br0", "type", "bridge"]);
    assert!(out.status.success(), "{}", stderr(&out));
    ok(&ns, &["set", "tap-vm1", "--master", "br0"]);
    for name in names {
        let out = ns.run("ip", &["link", "set", name, "down"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    let stats = |name: &str| -> Value {
        let out = ns.run("ip", &["-s", "-j", "link", "show", "dev", name]);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v[0]["stats64"].clone()
    };
    let before: Vec<Value> = names.iter().map(|n| stats(n)).collect();
    assert!(
        before[2]["rx"]["bytes"].as_u64().unwrap() >= 3 * 1028,
        "traffic through tun-vpn0: {}",
        before[2]
    );

    let mut with_master: Vec<&str> = STANDARD.to_vec();
    with_master.push("MASTER");
    let mut with_stats = with_master.clone();
    with_stats.extend(COUNTERS.map(|c| c.2));

    // Wide: every column, the counters under their full headers.
    let wide = on_terminal(&ns, 300, "list --stats");
    let header: Vec<&str> = wide[0].split_whitespace().collect();
    assert_eq!(header, with_stats, "{wide:#?}");
    assert_eq!(cell(&wide, "tap-vm1", &["MASTER"]).as_deref(), Some("br0"));
    assert_eq!(cell(&wide, "tap-vm2", &["MASTER"]).as_deref(), Some("-"));

    for cols in [80, 60] {
        let lines = fits(&ns, cols, "list", &names, &with_master);
        let text = lines.join("\n");
        if let Some(m) = cell(&lines, "tap-vm1", &["MASTER"]) {
            assert_eq!(m, "br0", "{text}");
            assert_eq!(cell(&lines, "tun-vpn0", &["MASTER"]).unwrap(), "-");
        }
        let lines = fits(&ns, cols, "list --stats", &names, &with_stats);
        let text = lines.join("\n");
        // What was asked for stays: packets and drops, under short headers
        // or, when the columns before them in the drop order left enough
        // room, full ones.
        for head in ["RX_PKTS", "TX_PKTS", "RX_DROP", "TX_DROP"] {
            let full = head.replace("PKTS", "PACKETS").replace("DROP", "DROPPED");
            assert!(
                lines[0].contains(head) || lines[0].contains(&full),
                "{cols} columns: {head}:\n{text}"
            );
        }
        assert_eq!(
            cell(&lines, "tun-vpn0", &["RX_PKTS", "RX_PACKETS"]),
            Some(before[2]["rx"]["packets"].to_string()),
            "{cols} columns:\n{text}"
        );
        // Every counter shown is whole, in its column, and iproute2's.
        for (name, theirs) in names.iter().zip(&before) {
            for (dir, what, full, short) in COUNTERS {
                if let Some(v) = cell(&lines, name, &[full, short]) {
                    assert_eq!(
                        v,
                        theirs[dir][what].to_string(),
                        "{cols} columns: {name} {full}:\n{text}"
                    );
                }
            }
        }
    }
    let after: Vec<Value> = names.iter().map(|n| stats(n)).collect();
    assert_eq!(before, after, "traffic went on; the comparison is void");
}
