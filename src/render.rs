//! Rendering: turns fetched objects and outcomes into text, tables or JSON.
//! Nothing here talks to the kernel.

use comfy_table::{ColumnConstraint, ContentArrangement, Table, presets};
use serde_json::{Value, json};

use crate::commands::{Action, Outcome};
use crate::ids::display_name;
use crate::model::Interface;

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

pub fn interface_json(i: &Interface) -> Value {
    serde_json::to_value(i).unwrap_or(Value::Null)
}

/// The interface object plus `"changed"` (add, set).
pub fn changed_json(i: &Interface, changed: bool) -> Value {
    let mut v = interface_json(i);
    if let Value::Object(map) = &mut v {
        map.insert("changed".into(), Value::Bool(changed));
    }
    v
}

pub fn outcomes_json(outcomes: &[Outcome]) -> Value {
    Value::Array(
        outcomes
            .iter()
            .map(|o| json!({"name": o.name, "action": o.action.word(), "changed": o.action.changed()}))
            .collect(),
    )
}

/// One line per outcome: `created tap44 (tap, owner waldner)`.
pub fn outcome_line(o: &Outcome) -> String {
    let name = crate::text::printable(&o.name);
    match &o.action {
        Action::Created => format!("created {name} ({})", o.summary),
        Action::Updated(changes) => format!("updated {name}: {}", changes.join(", ")),
        Action::Unchanged if o.summary == "not present" => format!("{name}: not present"),
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

/// A process may name itself anything (prctl PR_SET_NAME), newlines and
/// terminal escape sequences included: never print those raw.
fn printable(text: String) -> String {
    crate::text::printable(&text).into_owned()
}

/// One table row; multi-valued cells (addresses, processes) joined by `sep`.
fn row(i: &Interface, sep: &str) -> [String; 10] {
    let processes = if i.processes.is_empty() {
        "-".into()
    } else {
        i.processes
            .iter()
            .map(|p| format!("{}({})", printable(p.command.clone()), p.pid))
            .collect::<Vec<_>>()
            .join(sep)
    };
    [
        printable(i.name.clone()),
        i.mode.map(|m| m.to_string()).unwrap_or_else(|| "?".into()),
        printable(owner_text(i)),
        printable(group_text(i)),
        flags_text(i, sep),
        state_text(i),
        i.mac.clone().unwrap_or_else(|| "-".into()),
        i.mtu.to_string(),
        addresses_text(i, sep),
        processes,
    ]
}

/// The list table. On a terminal (a width given) comfy-table fits it to the
/// width, one value per line inside a cell. Otherwise it is plain and stable
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
    let mut table = Table::new();
    table.load_style(presets::NOTHING);
    table.set_content_arrangement(ContentArrangement::Dynamic);
    table.set_width(width);
    table.set_header(HEADER.to_vec());
    for i in interfaces {
        table.add_row(row(i, "\n").to_vec());
    }
    // Short fixed-form values must never be broken mid-word (a MAC split
    // over two lines is unreadable); addresses, flags and processes wrap
    // at their separators instead.
    for index in [0, 1, 2, 3, 5, 6, 7] {
        if let Some(column) = table.column_mut(index) {
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
    let text = table.to_string();
    // comfy-table pads every line to the column width; trailing blanks only
    // get in the way of diff and grep.
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The same look as comfy-table's borderless preset (a blank either side of
/// every cell), built directly: linear in the number of rows.
fn plain_table(interfaces: &[Interface]) -> String {
    let rows: Vec<[String; 10]> = interfaces.iter().map(|i| row(i, ",")).collect();
    let mut widths = HEADER.map(|h| h.chars().count());
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::with_capacity((rows.len() + 1) * (widths.iter().sum::<usize>() + 30));
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let start = out.len();
        for (cell, w) in cells.zip(widths) {
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
    line(&mut HEADER.iter().copied());
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
        printable(i.name.clone()),
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
                printable(p.command.clone()),
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
