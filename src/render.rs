//! Rendering: turns fetched objects and outcomes into text, tables or JSON.
//! Nothing here talks to the kernel.

use serde_json::{Value, json};

use crate::ids::display_name;
use crate::model::Interface;
use crate::report::{Action, LineReport, Outcome, Report};
use crate::text::printable;

/// What a report prints: lines for stdout, notes for stderr.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    pub stdout: Vec<String>,
    pub stderr: Vec<String>,
}

/// The one render step: a report to text, a table or JSON.
/// `width` is the terminal's width when stdout is one.
pub fn render(report: &Report, json: bool, width: Option<u16>) -> Rendered {
    let mut out = Rendered::default();
    if json {
        out.stdout.push(match report {
            // Straight from the structs: building a Value tree first
            // doubled the time of a 5000-interface list.
            Report::Interfaces { interfaces, .. } => json_text(interfaces, interfaces.len() * 1024),
            Report::Script(_) | Report::Names(_) | Report::Followed(_) => {
                return render(report, false, width);
            }
            Report::Doctor(d) => json_text(&d.diagnosis.checks, 0),
            other => json_text(&json_value(other), 0),
        });
        return out;
    }
    match report {
        Report::Changed {
            outcome,
            brief: true,
            ..
        } => out.stdout.push(outcome.name.clone()),
        Report::Changed { outcome, .. } => out.stdout.push(outcome_line(outcome)),
        Report::Deleted(outcomes) => out.stdout.extend(outcomes.iter().map(outcome_line)),
        // show with no names, list: say that there is nothing.
        Report::Interfaces {
            interfaces,
            filtered,
            ..
        } if interfaces.is_empty() => out.stderr.push(if *filtered {
            "no tun/tap interfaces match".into()
        } else {
            "no tun/tap interfaces".into()
        }),
        Report::Interfaces {
            interfaces,
            detail: true,
            ..
        } => out.stdout.push(
            interfaces
                .iter()
                .map(detail)
                .collect::<Vec<_>>()
                .join("\n\n"),
        ),
        Report::Interfaces { interfaces, .. } => out.stdout.push(table(interfaces, width)),
        Report::Applied { outcomes, dry_run } => {
            let prefix = if *dry_run { "would be " } else { "" };
            let changed: Vec<&Outcome> = outcomes.iter().filter(|o| o.action.changed()).collect();
            for o in &changed {
                out.stdout.push(format!("{prefix}{}", outcome_line(o)));
            }
            if changed.is_empty() {
                let n = outcomes.len();
                out.stdout.push(format!(
                    "nothing to change ({n} interface{} as declared)",
                    if n == 1 { "" } else { "s" }
                ));
            }
        }
        Report::Batch { lines, .. } => {
            for line in lines {
                if let Ok(report) = &line.result
                    && !line.quiet
                {
                    let r = render(report, line.json, width);
                    out.stdout.extend(r.stdout);
                    out.stderr.extend(r.stderr);
                }
            }
        }
        Report::Script(text) => out.stdout.push(text.trim_end().to_string()),
        Report::Doctor(d) => {
            out.stdout
                .extend(crate::doctor::render_text(&d.name, &d.user, &d.diagnosis))
        }
        // Printed as they came.
        Report::Followed(_) => {}
        Report::Names(names) => out.stdout.extend(
            names
                .iter()
                .filter(|n| crate::text::is_plain_word(n))
                .cloned(),
        ),
    }
    out
}

/// A report as one JSON value (batch lines, apply, del, add, set).
fn json_value(report: &Report) -> Value {
    match report {
        Report::Changed {
            outcome, interface, ..
        } => match interface {
            Some(i) => changed_json(i, outcome.action.changed()),
            None => json!({"name": outcome.name, "changed": outcome.action.changed()}),
        },
        Report::Deleted(outcomes) => outcomes_json(outcomes),
        Report::Interfaces { interfaces, .. } => {
            serde_json::to_value(interfaces).unwrap_or(Value::Null)
        }
        Report::Applied { outcomes, .. } => Value::Array(
            outcomes
                .iter()
                .map(|o| json!({"name": o.name, "action": o.action.word()}))
                .collect(),
        ),
        Report::Batch { lines, .. } => Value::Array(lines.iter().map(line_json).collect()),
        Report::Script(text) => Value::String(text.clone()),
        Report::Names(names) => json!(names),
        Report::Doctor(d) => serde_json::to_value(&d.diagnosis.checks).unwrap_or(Value::Null),
        Report::Followed(count) => json!(count),
    }
}

fn line_json(line: &LineReport) -> Value {
    match &line.result {
        Ok(report) => {
            json!({"line": line.number, "command": line.command, "ok": true, "output": json_value(report)})
        }
        Err(e) => {
            json!({"line": line.number, "command": line.command, "ok": false, "exit": e.status.code(), "error": e.message})
        }
    }
}

mod table;

/// JSON for stdout: indented when stdout is a terminal (a person reads it),
/// one line otherwise (what programs want; a 5000-interface list writes in
/// half the time). `size_hint` pre-sizes the buffer.
pub fn json_text<T: serde::Serialize + ?Sized>(value: &T, size_hint: usize) -> String {
    use std::io::IsTerminal;
    let mut buf = Vec::with_capacity(size_hint.max(256));
    let written = if std::io::stdout().is_terminal() {
        serde_json::to_writer_pretty(&mut buf, value)
    } else {
        serde_json::to_writer(&mut buf, value)
    };
    match written {
        Ok(()) => String::from_utf8(buf).unwrap_or_else(|_| "null".into()),
        Err(_) => "null".into(),
    }
}

fn interface_json(i: &Interface) -> Value {
    serde_json::to_value(i).unwrap_or(Value::Null)
}

/// The interface object plus `"changed"` (add, set).
fn changed_json(i: &Interface, changed: bool) -> Value {
    let mut v = interface_json(i);
    if let Value::Object(map) = &mut v {
        map.insert("changed".into(), Value::Bool(changed));
    }
    v
}

fn outcomes_json(outcomes: &[Outcome]) -> Value {
    Value::Array(
        outcomes
            .iter()
            .map(|o| json!({"name": o.name, "action": o.action.word(), "changed": o.action.changed()}))
            .collect(),
    )
}

/// One line per outcome: `created tap44 (tap, owner waldner)`.
fn outcome_line(o: &Outcome) -> String {
    let name = crate::text::printable(&o.name);
    match &o.action {
        Action::Created => format!("created {name} ({})", o.summary),
        Action::Updated(changes) => format!("updated {name}: {}", changes.join(", ")),
        Action::Absent => format!("{name}: not present"),
        Action::Unchanged => format!("unchanged {name} ({})", o.summary),
        Action::Deleted => format!("deleted {name}"),
    }
}

fn owner_text(i: &Interface) -> String {
    i.owner
        .as_ref()
        .map(|o| display_name(o.uid, &o.name))
        .unwrap_or_else(|| "-".into())
}

fn group_text(i: &Interface) -> String {
    i.group
        .as_ref()
        .map(|g| display_name(g.gid, &g.name))
        .unwrap_or_else(|| "-".into())
}

fn flags_text(i: &Interface, sep: &str) -> String {
    let mut f = Vec::new();
    if i.flags.pi {
        f.push("pi");
    }
    if i.flags.vnet_hdr {
        f.push("vnet_hdr");
    }
    if i.flags.multi_queue {
        f.push("multi_queue");
    }
    if !i.flags.persist {
        f.push("transient");
    }
    if f.is_empty() {
        "-".into()
    } else {
        f.join(sep)
    }
}

fn state_text(i: &Interface) -> String {
    format!(
        "{}/{}",
        if i.up { "up" } else { "down" },
        if i.carrier { "carrier" } else { "no-carrier" }
    )
}

fn address_text(a: &crate::model::AddressEntry) -> String {
    match &a.peer {
        Some(peer) => format!("{} peer {}/{}", a.address, peer, a.prefix_len),
        None => format!("{}/{}", a.address, a.prefix_len),
    }
}

fn addresses_text(i: &Interface, sep: &str) -> String {
    if i.addresses.is_empty() {
        "-".into()
    } else {
        i.addresses
            .iter()
            .map(address_text)
            .collect::<Vec<_>>()
            .join(sep)
    }
}

const HEADER: [&str; 10] = [
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

/// Columns shown only when they say something: MASTER when any listed
/// interface is a port, the counters with `list --stats`.
const MASTER_HEADER: &str = "MASTER";
const STATS_HEADER: [&str; 8] = [
    "RX_PACKETS",
    "RX_BYTES",
    "RX_ERRORS",
    "RX_DROPPED",
    "TX_PACKETS",
    "TX_BYTES",
    "TX_ERRORS",
    "TX_DROPPED",
];

/// Which optional columns a list shows.
#[derive(Clone, Copy)]
struct Extra {
    master: bool,
    stats: bool,
}

impl Extra {
    fn of(interfaces: &[Interface]) -> Extra {
        Extra {
            master: interfaces.iter().any(|i| i.master.is_some()),
            stats: interfaces.iter().any(|i| i.stats.is_some()),
        }
    }

    fn header(self) -> Vec<&'static str> {
        let mut h = HEADER.to_vec();
        if self.master {
            h.push(MASTER_HEADER);
        }
        if self.stats {
            h.extend(STATS_HEADER);
        }
        h
    }

    /// The terminal table's columns: the same set as the header.
    fn columns(self) -> Vec<table::Column> {
        let mut c = table::STANDARD.to_vec();
        if self.master {
            c.push(table::Column::Master);
        }
        if self.stats {
            c.extend(table::COUNTERS);
        }
        c
    }

    fn row(self, i: &Interface, sep: &str) -> Vec<String> {
        let mut r = row(i, sep).to_vec();
        if self.master {
            r.push(
                i.master
                    .as_deref()
                    .map(|m| printable(m).into_owned())
                    .unwrap_or_else(|| "-".into()),
            );
        }
        if self.stats {
            match &i.stats {
                Some(s) => r.extend(
                    [
                        s.rx_packets,
                        s.rx_bytes,
                        s.rx_errors,
                        s.rx_dropped,
                        s.tx_packets,
                        s.tx_bytes,
                        s.tx_errors,
                        s.tx_dropped,
                    ]
                    .map(|n| n.to_string()),
                ),
                None => r.extend(STATS_HEADER.map(|_| "-".to_string())),
            }
        }
        r
    }
}

/// One table row; multi-valued cells (addresses, processes) joined by `sep`.
fn row(i: &Interface, sep: &str) -> [String; 10] {
    let processes = if i.processes.is_empty() {
        "-".into()
    } else {
        i.processes
            .iter()
            .map(|p| format!("{}({})", printable(&p.command).into_owned(), p.pid))
            .collect::<Vec<_>>()
            .join(sep)
    };
    [
        printable(&i.name).into_owned(),
        i.mode.map(|m| m.to_string()).unwrap_or_else(|| "?".into()),
        printable(&owner_text(i)).into_owned(),
        printable(&group_text(i)).into_owned(),
        flags_text(i, sep),
        state_text(i),
        i.mac.clone().unwrap_or_else(|| "-".into()),
        i.mtu.to_string(),
        addresses_text(i, sep),
        processes,
    ]
}

/// The list table. On a terminal (a width given) it fits the width without
/// breaking a value (see `table`), one value per line inside a cell. Otherwise it is plain and stable
/// for grep/awk: exactly one line per interface after the header, columns
/// aligned with blanks, several addresses or processes joined by ",", no
/// trailing blanks.
pub fn table(interfaces: &[Interface], terminal_width: Option<u16>) -> String {
    match terminal_width {
        Some(w) => terminal_table(interfaces, w),
        None => plain_table(interfaces),
    }
}

fn terminal_table(interfaces: &[Interface], width: u16) -> String {
    let extra = Extra::of(interfaces);
    let rows: Vec<table::Row> = interfaces.iter().map(|i| terminal_row(extra, i)).collect();
    table::render(&extra.columns(), &rows, usize::from(width))
}

/// One row for the terminal table: every cell as lines (one address, flag
/// or process per line), in the full and in the short form, a cell for
/// each of `extra.columns()`.
fn terminal_row(extra: Extra, i: &Interface) -> table::Row {
    let lines = |text: String| -> Vec<String> { text.split('\n').map(str::to_string).collect() };
    let full: Vec<Vec<String>> = extra.row(i, "\n").into_iter().map(lines).collect();
    let mut short = full.clone();
    // The standard columns come first, in the order of `table::STANDARD`;
    // MASTER and the counters have no shorter value (the counters' short
    // form is their header).
    short[4] = vec![flag_letters(i)];
    short[5] = vec![state_word(i).to_string()];
    short[8] = if i.addresses.is_empty() {
        vec!["-".into()]
    } else {
        i.addresses
            .iter()
            .flat_map(|a| match &a.peer {
                Some(peer) => vec![
                    a.address.to_string(),
                    format!("  peer {peer}/{}", a.prefix_len),
                ],
                None => vec![format!("{}/{}", a.address, a.prefix_len)],
            })
            .collect()
    };
    short[9] = vec![processes_short(i)];
    table::Row { full, short }
}

/// FLAGS as letters: p pi, v vnet_hdr, m multi_queue, t transient.
fn flag_letters(i: &Interface) -> String {
    let letters: String = [
        (i.flags.pi, 'p'),
        (i.flags.vnet_hdr, 'v'),
        (i.flags.multi_queue, 'm'),
        (!i.flags.persist, 't'),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, c)| *c)
    .collect();
    if letters.is_empty() {
        "-".into()
    } else {
        letters
    }
}

/// STATE as one word: down, up (with carrier), or no-carrier (up without).
fn state_word(i: &Interface) -> &'static str {
    match (i.up, i.carrier) {
        (false, _) => "down",
        (true, true) => "up",
        (true, false) => "no-carrier",
    }
}

/// PROCESSES as `qemu (+2)`: the first holder's command and how many more.
fn processes_short(i: &Interface) -> String {
    match i.processes.split_first() {
        None => "-".into(),
        Some((first, [])) => printable(&first.command).into_owned(),
        Some((first, rest)) => format!("{} (+{})", printable(&first.command), rest.len()),
    }
}

/// The same look as comfy-table's borderless preset (a blank either side of
/// every cell), built directly: linear in the number of rows.
fn plain_table(interfaces: &[Interface]) -> String {
    let extra = Extra::of(interfaces);
    let header = extra.header();
    let rows: Vec<Vec<String>> = interfaces.iter().map(|i| extra.row(i, ",")).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::with_capacity((rows.len() + 1) * (widths.iter().sum::<usize>() + 30));
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let start = out.len();
        for (cell, &w) in cells.zip(&widths) {
            out.push(' ');
            out.push_str(cell);
            for _ in cell.chars().count()..w + 1 {
                out.push(' ');
            }
        }
        let end = out[start..].trim_end().len() + start;
        out.truncate(end);
        out.push('\n');
    };
    line(&mut header.iter().copied());
    for r in &rows {
        line(&mut r.iter().map(String::as_str));
    }
    out.pop();
    out
}

/// `show`: every field, one per line.
pub fn detail(i: &Interface) -> String {
    let mut out = Vec::new();
    out.push(format!(
        "{}: index {}",
        printable(&i.name).into_owned(),
        i.ifindex
    ));
    out.push(format!(
        "  mode:       {}",
        i.mode.map(|m| m.to_string()).unwrap_or_else(|| "?".into())
    ));
    out.push(format!(
        "  owner:      {}",
        i.owner
            .as_ref()
            .map(|o| format!("{} (uid {})", display_name(o.uid, &o.name), o.uid))
            .unwrap_or_else(|| "none (any user who can open /dev/net/tun may attach)".into())
    ));
    out.push(format!(
        "  group:      {}",
        i.group
            .as_ref()
            .map(|g| format!("{} (gid {})", display_name(g.gid, &g.name), g.gid))
            .unwrap_or_else(|| "none".into())
    ));
    out.push(format!(
        "  flags:      pi {}, vnet_hdr {}, multi_queue {}, persist {}",
        yes_no(i.flags.pi),
        yes_no(i.flags.vnet_hdr),
        yes_no(i.flags.multi_queue),
        yes_no(i.flags.persist)
    ));
    out.push(format!(
        "  state:      {}, carrier {}, operstate {}",
        if i.up { "up" } else { "down" },
        if i.carrier { "on" } else { "off" },
        i.operstate
    ));
    out.push(format!(
        "  mac:        {}",
        i.mac.clone().unwrap_or_else(|| "none (tun)".into())
    ));
    out.push(format!("  mtu:        {}", i.mtu));
    out.push(format!("  txqueuelen: {}", i.txqueuelen));
    out.push(format!(
        "  queues:     {} attached, {} disabled",
        i.queues.attached, i.queues.disabled
    ));
    out.push(format!(
        "  master:     {}",
        i.master
            .as_deref()
            .map(|m| printable(m).into_owned())
            .unwrap_or_else(|| "none".into())
    ));
    out.push(format!(
        "  alias:      {}",
        i.alias
            .as_deref()
            .map(|a| format!("\"{}\"", printable(a)))
            .unwrap_or_else(|| "none".into())
    ));
    out.push(format!(
        "  addrgenmode: {}",
        i.addrgenmode
            .as_deref()
            .unwrap_or("- (no IPv6 on this interface)")
    ));
    if i.addresses.is_empty() {
        out.push("  addresses:  none".into());
    } else {
        for (n, a) in i.addresses.iter().enumerate() {
            out.push(format!(
                "  {}{} ({}, scope {})",
                if n == 0 {
                    "addresses:  "
                } else {
                    "            "
                },
                address_text(a),
                a.family,
                a.scope
            ));
        }
    }
    if let Some(s) = &i.stats {
        out.push(format!(
            "  rx:         {} packets, {} bytes, {} errors, {} dropped",
            s.rx_packets, s.rx_bytes, s.rx_errors, s.rx_dropped
        ));
        out.push(format!(
            "  tx:         {} packets, {} bytes, {} errors, {} dropped",
            s.tx_packets, s.tx_bytes, s.tx_errors, s.tx_dropped
        ));
    }
    if i.processes.is_empty() {
        out.push("  processes:  none".into());
    } else {
        for (n, p) in i.processes.iter().enumerate() {
            out.push(format!(
                "  {}{} (pid {})",
                if n == 0 {
                    "processes:  "
                } else {
                    "            "
                },
                printable(&p.command).into_owned(),
                p.pid
            ));
        }
    }
    out.join("\n")
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AddressEntry, Flags, Queues};
    use crate::procscan::Holder;

    fn iface(name: &str, command: &str) -> Interface {
        Interface {
            name: name.into(),
            ifindex: 7,
            mode: Some(crate::validate::Mode::Tap),
            owner: None,
            group: None,
            flags: Flags {
                pi: false,
                vnet_hdr: true,
                multi_queue: false,
                persist: true,
            },
            mac: Some("02:00:00:00:00:01".into()),
            mtu: 1500,
            txqueuelen: 1000,
            up: true,
            carrier: true,
            operstate: "up".into(),
            addresses: vec![
                AddressEntry {
                    family: "inet".into(),
                    address: "10.0.0.1".into(),
                    prefix_len: 24,
                    peer: None,
                    scope: "global".into(),
                },
                AddressEntry {
                    family: "inet6".into(),
                    address: "fd00::1".into(),
                    prefix_len: 64,
                    peer: None,
                    scope: "global".into(),
                },
            ],
            queues: Queues {
                attached: 1,
                disabled: 0,
            },
            processes: vec![
                Holder {
                    pid: 10,
                    command: command.into(),
                },
                Holder {
                    pid: 11,
                    command: "qemu".into(),
                },
            ],
            master: None,
            alias: None,
            addrgenmode: Some("eui64".into()),
            stats: None,
        }
    }

    #[test]
    fn plain_table_one_line_per_interface() {
        let rows = [
            iface("tap0", "vm"),
            iface("tap-long-name", "evil\n\x1b[31mred"),
        ];
        let text = table(&rows, None);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(!text.contains('\x1b'), "{text:?}");
        assert_eq!(
            lines[1].split_whitespace().collect::<Vec<_>>(),
            [
                "tap0",
                "tap",
                "-",
                "-",
                "vnet_hdr",
                "up/carrier",
                "02:00:00:00:00:01",
                "1500",
                "10.0.0.1/24,fd00::1/64",
                "vm(10),qemu(11)"
            ]
        );
        assert!(
            lines[2].ends_with("evil\\x0a\\x1b[31mred(10),qemu(11)"),
            "{text}"
        );
        // Columns line up with the header.
        let col = |line: &str, word: &str| line.find(word).unwrap();
        assert_eq!(col(lines[0], "MODE"), col(lines[1], " tap ") + 1);
        assert_eq!(col(lines[0], "MODE"), col(lines[2], " tap ") + 1);
        assert!(lines.iter().all(|l| l.trim_end() == *l));
        assert_eq!(table(&rows, None), text, "stable");
    }

    #[test]
    fn master_and_counter_columns_appear_when_they_say_something() {
        let plain = iface("tap0", "vm");
        assert!(!table(std::slice::from_ref(&plain), None).contains("MASTER"));
        let mut port = iface("tap1", "vm");
        port.master = Some("br\x1b0".into());
        port.stats = Some(crate::netlink::Stats {
            rx_packets: 5,
            tx_bytes: 640,
            ..Default::default()
        });
        let text = table(&[plain, port.clone()], None);
        let lines: Vec<Vec<&str>> = text
            .lines()
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert_eq!(
            lines[0][10..],
            [
                "MASTER",
                "RX_PACKETS",
                "RX_BYTES",
                "RX_ERRORS",
                "RX_DROPPED",
                "TX_PACKETS",
                "TX_BYTES",
                "TX_ERRORS",
                "TX_DROPPED"
            ]
        );
        assert_eq!(
            lines[1][10..],
            ["-", "-", "-", "-", "-", "-", "-", "-", "-"]
        );
        assert_eq!(
            lines[2][10..],
            ["br\\x1b0", "5", "0", "0", "0", "0", "640", "0", "0"]
        );
        port.alias = Some("vm1\x1b[2J".into());
        let shown = detail(&port);
        assert!(shown.contains("  alias:      \"vm1\\x1b[2J\""), "{shown}");
        assert!(
            shown.contains("  rx:         5 packets, 0 bytes"),
            "{shown}"
        );
        assert!(
            shown.contains("  tx:         0 packets, 640 bytes"),
            "{shown}"
        );
        assert!(!shown.contains('\x1b'));
    }

    #[test]
    fn terminal_table_keeps_values_on_their_own_lines() {
        let text = table(&[iface("tap0", "evil\x1b]0;x\x07")], Some(200));
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
        assert!(text.contains("qemu(11)"), "{text}");
        assert!(
            text.lines().count() >= 3,
            "two processes, two lines: {text}"
        );
        let shown = detail(&iface("tap0", "evil\x1b[2J"));
        assert!(!shown.contains('\x1b'), "{shown:?}");
    }
}
