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
            Report::Script(_)
            | Report::Names(_)
            | Report::Followed(_)
            | Report::Plugin(_)
            | Report::Message(_) => {
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
        Report::Deleted(outcomes) | Report::Changes(outcomes) => {
            out.stdout.extend(outcomes.iter().map(outcome_line))
        }
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
        Report::Message(line) => out
            .stdout
            .extend(Some(line.clone()).filter(|l| !l.is_empty())),
        // The CNI answer is JSON whatever --json says: the runtime reads it.
        Report::Plugin(answer) => {
            out.stdout.extend(answer.stdout.clone());
            out.stderr.extend(answer.error.clone());
        }
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
        Report::Deleted(outcomes) | Report::Changes(outcomes) => outcomes_json(outcomes),
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
        Report::Message(line) => json!(line),
        Report::Plugin(answer) => json!(answer.stdout),
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

mod list;
mod show;
mod table;

pub use list::table;
use show::detail;

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
    let name = printable(&o.name);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AddressEntry, Flags, Queues};
    use crate::procscan::Holder;

    pub(super) fn iface(name: &str, command: &str) -> Interface {
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
        assert!(shown.contains("  alias:       \"vm1\\x1b[2J\""), "{shown}");
        assert!(
            shown.contains("  rx:          5 packets, 0 bytes"),
            "{shown}"
        );
        assert!(
            shown.contains("  tx:          0 packets, 640 bytes"),
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
