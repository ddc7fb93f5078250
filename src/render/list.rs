//! `list`: one row per interface, as a table that fits the terminal
//! (`table`) or, piped, one plain line per interface for grep and awk.

use super::table as grid;
use super::{addresses_text, flags_text, group_text, owner_text, state_text};
use crate::model::Interface;
use crate::text::printable;

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
    fn columns(self) -> Vec<grid::Column> {
        let mut c = grid::STANDARD.to_vec();
        if self.master {
            c.push(grid::Column::Master);
        }
        if self.stats {
            c.extend(grid::COUNTERS);
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
    let rows: Vec<grid::Row> = interfaces.iter().map(|i| terminal_row(extra, i)).collect();
    grid::render(&extra.columns(), &rows, usize::from(width))
}

/// One row for the terminal table: every cell as lines (one address, flag
/// or process per line), in the full and in the short form, a cell for
/// each of `extra.columns()`.
fn terminal_row(extra: Extra, i: &Interface) -> grid::Row {
    let lines = |text: String| -> Vec<String> { text.split('\n').map(str::to_string).collect() };
    let full: Vec<Vec<String>> = extra.row(i, "\n").into_iter().map(lines).collect();
    let mut short = full.clone();
    // The standard columns come first, in the order of `grid::STANDARD`;
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
    grid::Row { full, short }
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
