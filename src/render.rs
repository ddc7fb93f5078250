//! Rendering: turns fetched objects and outcomes into text, tables or JSON.
//! Nothing here talks to the kernel.

use comfy_table::{ContentArrangement, Table, presets};
use serde_json::{Value, json};

use crate::commands::{Action, Outcome};
use crate::ids::display_name;
use crate::model::Interface;

pub fn json_pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into())
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
    match &o.action {
        Action::Created => format!("created {} ({})", o.name, o.summary),
        Action::Updated(changes) => format!("updated {}: {}", o.name, changes.join(", ")),
        Action::Unchanged if o.summary == "not present" => format!("{}: not present", o.name),
        Action::Unchanged => format!("unchanged {} ({})", o.name, o.summary),
        Action::Deleted => format!("deleted {}", o.name),
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

fn flags_text(i: &Interface) -> String {
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
        f.join(",")
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

fn processes_text(i: &Interface) -> String {
    if i.processes.is_empty() {
        "-".into()
    } else {
        i.processes
            .iter()
            .map(|p| format!("{}({})", p.command, p.pid))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The list table. On a terminal it fits the width; otherwise it is plain,
/// unwrapped and stable for grep/awk.
pub fn table(interfaces: &[Interface], terminal_width: Option<u16>) -> String {
    let mut table = Table::new();
    table.load_style(presets::NOTHING);
    match terminal_width {
        Some(w) => {
            table.set_content_arrangement(ContentArrangement::Dynamic);
            table.set_width(w);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table.set_header(vec![
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
    ]);
    for i in interfaces {
        let addresses: Vec<String> = i.addresses.iter().map(address_text).collect();
        table.add_row(vec![
            i.name.clone(),
            i.mode.map(|m| m.to_string()).unwrap_or_else(|| "?".into()),
            owner_text(i),
            group_text(i),
            flags_text(i),
            state_text(i),
            i.mac.clone().unwrap_or_else(|| "-".into()),
            i.mtu.to_string(),
            if addresses.is_empty() {
                "-".into()
            } else {
                addresses.join("\n")
            },
            processes_text(i),
        ]);
    }
    let text = table.to_string();
    // comfy-table pads every line to the column width; trailing blanks only
    // get in the way of diff and grep.
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// `show`: every field, one per line.
pub fn detail(i: &Interface) -> String {
    let mut out = Vec::new();
    out.push(format!("{}: index {}", i.name, i.ifindex));
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
                p.command,
                p.pid
            ));
        }
    }
    out.join("\n")
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}
