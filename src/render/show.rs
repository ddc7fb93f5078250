//! `show`: every field of an interface, one per line, the values in one
//! column (a label of up to 12 characters, `addrgenmode:` the longest).

use super::address_text;
use crate::ids::display_name;
use crate::model::Interface;
use crate::text::printable;

/// Labels are padded to this width, so every value starts in one column.
const LABEL_WIDTH: usize = 13;

/// `show`: every field, one per line.
pub fn detail(i: &Interface) -> String {
    let mut out = vec![format!("{}: index {}", printable(&i.name), i.ifindex)];
    let mut field = |label: &str, value: String| {
        out.push(format!("  {:<LABEL_WIDTH$}{value}", format!("{label}:")));
    };
    field(
        "mode",
        i.mode.map(|m| m.to_string()).unwrap_or_else(|| "?".into()),
    );
    field(
        "owner",
        i.owner
            .as_ref()
            .map(|o| format!("{} (uid {})", display_name(o.uid, &o.name), o.uid))
            .unwrap_or_else(|| "none (any user who can open /dev/net/tun may attach)".into()),
    );
    field(
        "group",
        i.group
            .as_ref()
            .map(|g| format!("{} (gid {})", display_name(g.gid, &g.name), g.gid))
            .unwrap_or_else(|| "none".into()),
    );
    field(
        "flags",
        format!(
            "pi {}, vnet_hdr {}, multi_queue {}, persist {}",
            yes_no(i.flags.pi),
            yes_no(i.flags.vnet_hdr),
            yes_no(i.flags.multi_queue),
            yes_no(i.flags.persist)
        ),
    );
    field(
        "state",
        format!(
            "{}, carrier {}, operstate {}",
            if i.up { "up" } else { "down" },
            if i.carrier { "on" } else { "off" },
            i.operstate
        ),
    );
    field("mac", i.mac.clone().unwrap_or_else(|| "none (tun)".into()));
    field("mtu", i.mtu.to_string());
    field("txqueuelen", i.txqueuelen.to_string());
    field(
        "queues",
        format!(
            "{} attached, {} disabled",
            i.queues.attached, i.queues.disabled
        ),
    );
    field(
        "master",
        i.master
            .as_deref()
            .map(|m| printable(m).into_owned())
            .unwrap_or_else(|| "none".into()),
    );
    field(
        "alias",
        i.alias
            .as_deref()
            .map(|a| format!("\"{}\"", printable(a)))
            .unwrap_or_else(|| "none".into()),
    );
    field(
        "addrgenmode",
        i.addrgenmode
            .clone()
            .unwrap_or_else(|| "- (no IPv6 on this interface)".into()),
    );
    let addresses: Vec<String> = i
        .addresses
        .iter()
        .map(|a| format!("{} ({}, scope {})", address_text(a), a.family, a.scope))
        .collect();
    list_field(&mut out, "addresses", &addresses);
    if let Some(s) = &i.stats {
        field_line(
            &mut out,
            "rx",
            format!(
                "{} packets, {} bytes, {} errors, {} dropped",
                s.rx_packets, s.rx_bytes, s.rx_errors, s.rx_dropped
            ),
        );
        field_line(
            &mut out,
            "tx",
            format!(
                "{} packets, {} bytes, {} errors, {} dropped",
                s.tx_packets, s.tx_bytes, s.tx_errors, s.tx_dropped
            ),
        );
    }
    let processes: Vec<String> = i
        .processes
        .iter()
        .map(|p| format!("{} (pid {})", printable(&p.command), p.pid))
        .collect();
    list_field(&mut out, "processes", &processes);
    out.join("\n")
}

fn field_line(out: &mut Vec<String>, label: &str, value: String) {
    out.push(format!("  {:<LABEL_WIDTH$}{value}", format!("{label}:")));
}

/// A field with several values: the label on the first line, the rest
/// below it in the value column; "none" when there are none.
fn list_field(out: &mut Vec<String>, label: &str, values: &[String]) {
    if values.is_empty() {
        field_line(out, label, "none".into());
    }
    for (n, value) in values.iter().enumerate() {
        let label = if n == 0 {
            format!("{label}:")
        } else {
            String::new()
        };
        out.push(format!("  {label:<LABEL_WIDTH$}{value}"));
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_starts_in_one_column() {
        let mut i = super::super::tests::iface("tap0", "qemu");
        i.master = Some("br0".into());
        i.addrgenmode = Some("eui64".into());
        let shown = detail(&i);
        for line in shown.lines().skip(1) {
            let value = &line[2 + LABEL_WIDTH..];
            assert!(
                line[..2 + LABEL_WIDTH].ends_with(' ') && !value.starts_with(' '),
                "{line:?} in\n{shown}"
            );
        }
        assert!(shown.contains("\n  addrgenmode: eui64\n"), "{shown}");
        assert!(shown.contains("\n  mtu:         1500\n"), "{shown}");
    }
}
