//! The `list` table on a terminal: it fits the width without ever breaking
//! a value. Long values are shortened first (FLAGS as letters, STATE as one
//! word, counter headers abbreviated, PROCESSES as `qemu (+2)`, a peer on
//! its own line); if that is not enough the least useful columns are left
//! out and a footer names them (`tuntapctl show NAME` prints every field).
//!
//! The column set varies: the ten standard columns, MASTER when an
//! interface is a port, the eight counters with `list --stats`.
//!
//! The decision is [`layout`], a pure function of the columns present, the
//! widths each needs and the terminal's width. [`render`] hands that
//! decision to comfy-table, which draws the rows: borderless, each column
//! fixed at the layout's width, no content arrangement (a column is never
//! narrower than its widest value, so comfy-table never wraps one).

use comfy_table::{Cell, ColumnConstraint, ContentArrangement, Width, presets};
use unicode_width::UnicodeWidthStr;

/// The table's columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Name,
    Mode,
    Owner,
    Group,
    Flags,
    State,
    Mac,
    Mtu,
    Addresses,
    Processes,
    Master,
    RxPackets,
    RxBytes,
    RxErrors,
    RxDropped,
    TxPackets,
    TxBytes,
    TxErrors,
    TxDropped,
}

/// The standard columns, in display order.
pub const STANDARD: [Column; 10] = [
    Column::Name,
    Column::Mode,
    Column::Owner,
    Column::Group,
    Column::Flags,
    Column::State,
    Column::Mac,
    Column::Mtu,
    Column::Addresses,
    Column::Processes,
];

/// The counters of `list --stats`, in display order (after MASTER).
pub const COUNTERS: [Column; 8] = [
    Column::RxPackets,
    Column::RxBytes,
    Column::RxErrors,
    Column::RxDropped,
    Column::TxPackets,
    Column::TxBytes,
    Column::TxErrors,
    Column::TxDropped,
];

/// Columns with a shorter form, in the order they are shortened; a step
/// shortens its columns together (all counter headers or none).
const SHORTEN_ORDER: [&[Column]; 5] = [
    &[Column::Flags],
    &[Column::State],
    &COUNTERS,
    &[Column::Processes],
    &[Column::Addresses],
];

/// Least useful first: the order in which columns give way. NAME never
/// does. Columns not in the table are skipped.
const DROP_ORDER: [Column; 18] = [
    Column::Flags,
    Column::Mtu,
    Column::Group,
    Column::Processes,
    // Who may attach is what this tool is for: OWNER outlasts MODE (a tun
    // shows "-" for MAC anyway).
    Column::Mode,
    // The counters were asked for (`--stats`): they outlast the columns
    // above. Bytes say little more than packets; errors are rare on a tap,
    // drops are not (nothing attached, a slow reader).
    Column::TxBytes,
    Column::RxBytes,
    Column::TxErrors,
    Column::RxErrors,
    // A bridge port says where the traffic goes: MASTER outlasts MTU, MODE.
    Column::Master,
    Column::Owner,
    Column::State,
    Column::Mac,
    Column::Addresses,
    Column::TxDropped,
    Column::RxDropped,
    Column::TxPackets,
    Column::RxPackets,
];

/// Blanks between two columns.
const GAP: usize = 2;

impl Column {
    pub fn header(self) -> &'static str {
        match self {
            Column::Name => "NAME",
            Column::Mode => "MODE",
            Column::Owner => "OWNER",
            Column::Group => "GROUP",
            Column::Flags => "FLAGS",
            Column::State => "STATE",
            Column::Mac => "MAC",
            Column::Mtu => "MTU",
            Column::Addresses => "ADDRESSES",
            Column::Processes => "PROCESSES",
            Column::Master => "MASTER",
            Column::RxPackets => "RX_PACKETS",
            Column::RxBytes => "RX_BYTES",
            Column::RxErrors => "RX_ERRORS",
            Column::RxDropped => "RX_DROPPED",
            Column::TxPackets => "TX_PACKETS",
            Column::TxBytes => "TX_BYTES",
            Column::TxErrors => "TX_ERRORS",
            Column::TxDropped => "TX_DROPPED",
        }
    }

    /// The header in the short form: the counters abbreviated.
    fn short_header(self) -> &'static str {
        match self {
            Column::RxPackets => "RX_PKTS",
            Column::RxErrors => "RX_ERRS",
            Column::RxDropped => "RX_DROP",
            Column::TxPackets => "TX_PKTS",
            Column::TxErrors => "TX_ERRS",
            Column::TxDropped => "TX_DROP",
            other => other.header(),
        }
    }
}

/// The columns of one table, in display order, and what each needs: the
/// widest line of its header and cells, in the full form and in the short
/// form (the same where there is no short form).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Widths {
    pub columns: Vec<Column>,
    pub full: Vec<usize>,
    pub short: Vec<usize>,
}

impl Widths {
    fn position(&self, c: Column) -> Option<usize> {
        self.columns.iter().position(|x| *x == c)
    }
}

/// The decision: which columns, in which form, and which were left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Shown, in display order.
    pub columns: Vec<Column>,
    /// Shown in the short form, in display order.
    pub short: Vec<Column>,
    /// Left out for want of width, in display order.
    pub dropped: Vec<Column>,
    /// The width of the widest line (may exceed the terminal only when NAME
    /// alone does not fit).
    pub line_width: usize,
}

impl Layout {
    fn is_short(&self, c: Column) -> bool {
        self.short.contains(&c)
    }
}

/// The width of a line with the columns `shown`, those in `short` short
/// (both by position in `widths.columns`).
fn line_width(widths: &Widths, short: &[bool], shown: &[bool]) -> usize {
    let mut cells = 0;
    let mut count: usize = 0;
    for k in 0..widths.columns.len() {
        if shown[k] {
            count += 1;
            cells += if short[k] {
                widths.short[k]
            } else {
                widths.full[k]
            };
        }
    }
    cells + GAP * count.saturating_sub(1)
}

/// Fit the table into `width` columns: shorten first, then leave out the
/// least useful columns, strictly in DROP_ORDER: the columns left out are
/// always the first ones of that order, whatever the width (a narrow column
/// does not come back after a wider, more useful one went, which would make
/// the order depend on the width).
pub fn layout(widths: &Widths, width: usize) -> Layout {
    let n = widths.columns.len();
    let mut short = vec![false; n];
    let mut shown = vec![true; n];
    let fits = |short: &[bool], shown: &[bool]| line_width(widths, short, shown) <= width;
    let positions = |step: &[Column]| -> Vec<usize> {
        step.iter().filter_map(|c| widths.position(*c)).collect()
    };
    if !fits(&short, &shown) {
        for step in SHORTEN_ORDER {
            for k in positions(step) {
                short[k] = true;
            }
            if fits(&short, &shown) {
                break;
            }
        }
    }
    if !fits(&short, &shown) {
        for k in positions(&DROP_ORDER) {
            shown[k] = false;
            if fits(&short, &shown) {
                break;
            }
        }
    }
    // A short form that turned out not to be needed (its column was left
    // out, or dropping others made room) is not used.
    for step in SHORTEN_ORDER.iter().rev() {
        let ks = positions(step);
        if ks.iter().any(|k| short[*k]) {
            let mut full = short.clone();
            for k in &ks {
                full[*k] = false;
            }
            if fits(&full, &shown) {
                short = full;
            }
        }
    }
    let pick = |keep: &dyn Fn(usize) -> bool| -> Vec<Column> {
        (0..n)
            .filter(|k| keep(*k))
            .map(|k| widths.columns[k])
            .collect()
    };
    Layout {
        line_width: line_width(widths, &short, &shown),
        columns: pick(&|k| shown[k]),
        short: pick(&|k| shown[k] && short[k]),
        dropped: pick(&|k| !shown[k]),
    }
}

/// One row's cells (parallel to the table's columns), each as lines, in
/// the full and the short form.
pub struct Row {
    pub full: Vec<Vec<String>>,
    pub short: Vec<Vec<String>>,
}

fn text_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn cell_width(lines: &[String]) -> usize {
    lines.iter().map(|l| text_width(l)).max().unwrap_or(0)
}

pub fn widths(columns: &[Column], rows: &[Row]) -> Widths {
    let mut full: Vec<usize> = columns.iter().map(|c| text_width(c.header())).collect();
    let mut short: Vec<usize> = columns
        .iter()
        .map(|c| text_width(c.short_header()))
        .collect();
    for r in rows {
        for k in 0..columns.len() {
            if let Some(cell) = r.full.get(k) {
                full[k] = full[k].max(cell_width(cell));
            }
            if let Some(cell) = r.short.get(k) {
                short[k] = short[k].max(cell_width(cell));
            }
        }
    }
    Widths {
        columns: columns.to_vec(),
        full,
        short,
    }
}

/// The table text for `width` columns, with a footer naming left-out
/// columns (and the flag letters when FLAGS is shortened). `columns` is
/// the table's column set in display order; each row has a cell for each.
pub fn render(columns: &[Column], rows: &[Row], width: usize) -> String {
    let widths = widths(columns, rows);
    let layout = layout(&widths, width);
    // (position in the rows, short form?, width) of each shown column.
    let shown: Vec<(usize, bool, usize)> = layout
        .columns
        .iter()
        .filter_map(|c| {
            let k = widths.position(*c)?;
            let short = layout.is_short(*c);
            Some((
                k,
                short,
                if short {
                    widths.short[k]
                } else {
                    widths.full[k]
                },
            ))
        })
        .collect();
    let mut table = comfy_table::Table::new();
    table
        .load_style(presets::NOTHING)
        // The layout decided the widths; comfy-table must not rearrange.
        .set_content_arrangement(ContentArrangement::Disabled)
        // Plain text whatever stdout is: no styling, no terminal query.
        .force_no_tty()
        .set_header(
            shown
                .iter()
                .map(|&(k, short, _)| {
                    let c = widths.columns[k];
                    Cell::new(if short { c.short_header() } else { c.header() })
                })
                .collect::<Vec<_>>(),
        );
    for r in rows {
        table.add_row(
            shown
                .iter()
                .map(|&(k, short, _)| {
                    let lines = if short { r.short.get(k) } else { r.full.get(k) };
                    Cell::new(lines.map(|l| l.join("\n")).unwrap_or_default())
                })
                .collect::<Vec<_>>(),
        );
    }
    let last = shown.len().saturating_sub(1);
    for (n, &(_, _, w)) in shown.iter().enumerate() {
        // The gap is the column's right padding (none after the last); the
        // fixed width holds the widest value, so no value is ever wrapped.
        let pad = if n == last { 0 } else { GAP };
        if let Some(col) = table.column_mut(n) {
            let fixed = u16::try_from(w + pad).unwrap_or(u16::MAX);
            col.set_padding((0, u16::try_from(pad).unwrap_or(0)))
                .set_constraint(ColumnConstraint::Absolute(Width::Fixed(fixed)));
        }
    }
    let mut out: Vec<String> = table.lines().map(|l| l.trim_end().to_string()).collect();
    let mut notes = Vec::new();
    if layout.columns.contains(&Column::Flags) && layout.is_short(Column::Flags) {
        notes.push(
            "FLAGS: p pi, v vnet_hdr, m multi_queue, t transient (not persistent).".to_string(),
        );
    }
    if !layout.dropped.is_empty() {
        let names: Vec<&str> = layout.dropped.iter().map(|c| c.header()).collect();
        notes.push(format!(
            "Not shown for lack of width: {} (`tuntapctl show NAME` has every field).",
            names.join(", ")
        ));
    }
    for note in notes {
        out.extend(wrap(&note, width));
    }
    out.join("\n")
}

/// Word-wrap `text` to `width`, never splitting a word.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && text_width(&line) + 1 + text_width(word) > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Widths of a typical two-tap table: full forms, then short forms.
    fn typical() -> Widths {
        Widths {
            columns: STANDARD.to_vec(),
            //     NAME MODE OWNER GROUP FLAGS STATE MAC MTU ADDR PROC
            full: vec![7, 4, 6, 7, 11, 15, 17, 4, 28, 17],
            short: vec![7, 4, 6, 7, 5, 10, 17, 4, 28, 16],
        }
    }

    /// `typical` plus MASTER (a bridge "br-lan") and/or the counters of a
    /// tap that has seen some traffic (header-wide, the bytes wider).
    fn extended(master: bool, stats: bool) -> Widths {
        let mut w = typical();
        if master {
            w.columns.push(Column::Master);
            w.full.push(6);
            w.short.push(6);
        }
        if stats {
            for c in COUNTERS {
                let value = match c {
                    Column::RxBytes | Column::TxBytes => 9,
                    _ => 4,
                };
                w.columns.push(c);
                w.full.push(c.header().len().max(value));
                w.short.push(c.short_header().len().max(value));
            }
        }
        w
    }

    fn full_width(w: &Widths) -> usize {
        w.full.iter().sum::<usize>() + (w.columns.len() - 1) * GAP
    }

    /// What every layout must satisfy, whatever the columns.
    #[track_caller]
    fn check(w: &Widths, width: usize, l: &Layout) {
        assert!(l.line_width <= width.max(w.full[0]), "{width}: {l:?}");
        assert_eq!(l.columns[0], Column::Name, "{l:?}");
        // Shown and left out are exactly the table's columns, in order.
        let mut all = l.columns.clone();
        all.extend(&l.dropped);
        all.sort_by_key(|c| w.position(*c));
        assert_eq!(all, w.columns, "{l:?}");
        let pos: Vec<_> = l.columns.iter().map(|c| w.position(*c)).collect();
        assert!(pos.windows(2).all(|p| p[0] < p[1]), "{l:?}");
        assert!(l.short.iter().all(|c| l.columns.contains(c)), "{l:?}");
    }

    #[test]
    fn wide_terminal_keeps_everything_in_full() {
        let w = typical();
        let l = layout(&w, 200);
        assert_eq!(l.columns, STANDARD.to_vec());
        assert!(l.short.is_empty());
        assert!(l.dropped.is_empty());
        assert_eq!(l.line_width, full_width(&w));
        let w = extended(true, true);
        let l = layout(&w, full_width(&w));
        assert_eq!(l.columns, w.columns);
        assert!(l.short.is_empty() && l.dropped.is_empty(), "{l:?}");
    }

    #[test]
    fn shortening_comes_before_dropping() {
        let w = typical();
        let full = full_width(&w); // 134
        // Room for everything once FLAGS and STATE are short, not before.
        let width = full - (11 - 5) - (15 - 10);
        let l = layout(&w, width);
        assert!(l.dropped.is_empty(), "{l:?}");
        assert_eq!(l.short, [Column::Flags, Column::State]);
        assert_eq!(l.line_width, width);
        let l = layout(&w, width - 1);
        assert!(l.is_short(Column::Processes), "{l:?}");
        assert!(l.dropped.is_empty(), "{l:?}");
    }

    #[test]
    fn counter_headers_shorten_together_before_processes() {
        let w = extended(false, true);
        let full = full_width(&w);
        // FLAGS, STATE short and the counter headers abbreviated: fits.
        let saved: usize = COUNTERS
            .iter()
            .map(|c| c.header().len().max(4) - c.short_header().len().max(4))
            .filter(|n| *n > 0)
            .sum::<usize>();
        let width = full - 6 - 5 - saved;
        let l = layout(&w, width);
        check(&w, width, &l);
        assert!(l.dropped.is_empty(), "{l:?}");
        assert!(COUNTERS.iter().all(|c| l.is_short(*c)), "{l:?}");
        assert!(!l.is_short(Column::Processes), "{l:?}");
        // One less: PROCESSES shortens too.
        let l = layout(&w, width - 1);
        assert!(l.is_short(Column::Processes), "{l:?}");
        // Just short of the full width: only FLAGS is shortened.
        let l = layout(&w, full - 1);
        assert_eq!(l.short, [Column::Flags], "{l:?}");
    }

    #[test]
    fn eighty_and_sixty_columns_drop_the_least_useful() {
        let w = typical();
        let l = layout(&w, 80);
        check(&w, 80, &l);
        assert!(l.dropped.contains(&Column::Flags), "{l:?}");
        // Who may attach outlasts the mode.
        assert_eq!(
            l.columns,
            [
                Column::Name,
                Column::Owner,
                Column::State,
                Column::Mac,
                Column::Addresses
            ],
            "{l:?}"
        );
        let l = layout(&w, 60);
        check(&w, 60, &l);
        assert_eq!(
            l.columns,
            [Column::Name, Column::Mac, Column::Addresses],
            "{l:?}"
        );
    }

    #[test]
    fn master_outlasts_mtu_mode_and_processes() {
        let w = extended(true, false);
        let l = layout(&w, 80);
        check(&w, 80, &l);
        // NAME 7 + OWNER 6 + STATE 10 + MAC 17 + ADDRESSES 28 = 68 + 8: no
        // room for MASTER next to them; it goes before OWNER, STATE...
        assert_eq!(
            l.columns,
            [
                Column::Name,
                Column::Owner,
                Column::State,
                Column::Mac,
                Column::Addresses
            ],
            "{l:?}"
        );
        assert!(l.dropped.contains(&Column::Master), "{l:?}");
        // ...but with a narrower MAC column it stays, and MTU, GROUP,
        // FLAGS, PROCESSES do not (MODE, narrow, comes back).
        let mut tun = w.clone();
        tun.full[6] = 3;
        tun.short[6] = 3;
        let l = layout(&tun, 80);
        check(&tun, 80, &l);
        assert_eq!(
            l.columns,
            [
                Column::Name,
                Column::Mode,
                Column::Owner,
                Column::State,
                Column::Mac,
                Column::Addresses,
                Column::Master
            ],
            "{l:?}"
        );
        assert_eq!(
            l.dropped,
            [Column::Group, Column::Flags, Column::Mtu, Column::Processes]
        );
        let l = layout(&w, 60);
        check(&w, 60, &l);
        assert_eq!(
            l.columns,
            [Column::Name, Column::Mac, Column::Addresses],
            "{l:?}"
        );
        // 70 columns with a short MAC column: MASTER stays, MODE goes.
        let l = layout(&tun, 70);
        check(&tun, 70, &l);
        assert!(l.columns.contains(&Column::Master), "{l:?}");
        assert!(l.dropped.contains(&Column::Mode), "{l:?}");
    }

    #[test]
    fn stats_at_eighty_and_sixty_columns_keep_packets_and_drops() {
        let w = extended(false, true);
        let l = layout(&w, 80);
        check(&w, 80, &l);
        // Asked for with --stats: packets and drops outlast every column
        // but NAME; bytes and errors go before them. NAME and the four
        // short counters leave room for ADDRESSES (MODE, which goes before
        // it in DROP_ORDER, does not come back though it would fit).
        assert_eq!(
            l.columns,
            [
                Column::Name,
                Column::Addresses,
                Column::RxPackets,
                Column::RxDropped,
                Column::TxPackets,
                Column::TxDropped
            ],
            "{l:?}"
        );
        assert_eq!(
            l.short,
            COUNTERS
                .iter()
                .filter(|c| l.columns.contains(c))
                .copied()
                .collect::<Vec<_>>()
        );
        let l = layout(&w, 60);
        check(&w, 60, &l);
        assert_eq!(
            l.columns,
            [
                Column::Name,
                Column::RxPackets,
                Column::RxDropped,
                Column::TxPackets,
                Column::TxDropped
            ],
            "{l:?}"
        );
    }

    #[test]
    fn master_and_stats_together() {
        let w = extended(true, true);
        for width in [80, 60] {
            let l = layout(&w, width);
            check(&w, width, &l);
            assert!(l.columns.contains(&Column::RxPackets), "{l:?}");
            assert!(l.columns.contains(&Column::TxPackets), "{l:?}");
            // MASTER and the counters are named when they go.
            assert!(!l.dropped.is_empty(), "{l:?}");
        }
        let l = layout(&w, 80);
        // Bytes and errors give way before MASTER does.
        assert!(
            !l.columns.contains(&Column::TxBytes) || l.columns.contains(&Column::Master),
            "{l:?}"
        );
    }

    #[test]
    fn one_drop_order_for_every_width() {
        // Issue 23: whatever the width and whichever columns the table has
        // (--stats, MASTER), the columns left out are always the first ones
        // of DROP_ORDER: a column never goes while one before it in the
        // order stays (no narrow column comes back after a wide one went).
        let odd = Widths {
            columns: STANDARD.to_vec(),
            full: vec![4, 4, 5, 5, 5, 5, 3, 4, 9, 40],
            short: vec![4, 4, 5, 5, 5, 5, 3, 4, 9, 40],
        };
        for w in [
            typical(),
            extended(true, false),
            extended(false, true),
            extended(true, true),
            odd,
        ] {
            let order: Vec<Column> = DROP_ORDER
                .iter()
                .copied()
                .filter(|c| w.position(*c).is_some())
                .collect();
            for width in 0..full_width(&w) + 5 {
                let l = layout(&w, width);
                let n = l.dropped.len();
                let mut dropped = l.dropped.clone();
                dropped.sort_by_key(|c| order.iter().position(|o| o == c));
                assert_eq!(dropped, order[..n], "width {width}: {l:?}");
            }
        }
    }

    #[test]
    fn name_stays_when_nothing_fits() {
        let l = layout(&typical(), 3);
        assert_eq!(l.columns, [Column::Name]);
        assert_eq!(l.line_width, 7);
        assert_eq!(l.dropped.len(), 9);
        let l = layout(&extended(true, true), 3);
        assert_eq!(l.columns, [Column::Name]);
        assert_eq!(l.dropped.len(), 18);
    }

    #[test]
    fn every_width_gives_a_valid_layout() {
        for w in [
            typical(),
            extended(true, false),
            extended(false, true),
            extended(true, true),
        ] {
            for width in 0..full_width(&w) + 5 {
                check(&w, width, &layout(&w, width));
            }
        }
    }

    fn cells(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter()
            .map(|c| c.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn comfy_table_draws_the_layout() {
        let columns = [Column::Name, Column::Addresses, Column::Master];
        let rows = [
            Row {
                full: cells(&[&["tap0"], &["10.0.0.1/24", "fd00::1/64"], &["br0"]]),
                short: cells(&[&["tap0"], &["10.0.0.1/24", "fd00::1/64"], &["br0"]]),
            },
            Row {
                full: cells(&[&["tun-vpn0"], &["10.8.0.1 peer 10.8.0.2/24"], &["-"]]),
                short: cells(&[&["tun-vpn0"], &["10.8.0.1", "  peer 10.8.0.2/24"], &["-"]]),
            },
        ];
        assert_eq!(
            render(&columns, &rows, 80),
            "NAME      ADDRESSES                  MASTER\n\
             tap0      10.0.0.1/24                br0\n          \
                       fd00::1/64\n\
             tun-vpn0  10.8.0.1 peer 10.8.0.2/24  -"
        );
        // 36 columns: ADDRESSES short (the peer on its own line), MASTER kept.
        assert_eq!(
            render(&columns, &rows, 36),
            "NAME      ADDRESSES           MASTER\n\
             tap0      10.0.0.1/24         br0\n          \
                       fd00::1/64\n\
             tun-vpn0  10.8.0.1            -\n            \
                       peer 10.8.0.2/24"
        );
        // 30 columns: MASTER is left out and named; nothing is wrapped.
        let text = render(&columns, &rows, 30);
        assert!(text.contains("  10.8.0.1\n"), "{text}");
        assert!(text.contains("lack of width:\nMASTER ("), "{text}");
        assert!(text.lines().all(|l| l.trim_end() == l), "{text:?}");
        // Wider than the terminal only when NAME alone is: still whole.
        let text = render(&columns, &rows, 3);
        assert!(text.starts_with("NAME\ntap0\ntun-vpn0\n"), "{text}");
    }

    #[test]
    fn short_counter_headers_on_the_terminal() {
        let columns = [Column::Name, Column::RxPackets, Column::TxDropped];
        let row = Row {
            full: cells(&[&["tap0"], &["5"], &["1234567"]]),
            short: cells(&[&["tap0"], &["5"], &["1234567"]]),
        };
        let text = render(&columns, &[row], 25);
        assert_eq!(text, "NAME  RX_PKTS  TX_DROP\ntap0  5        1234567");
    }

    #[test]
    fn wrap_never_splits_a_word() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("abcdefgh ij", 4), ["abcdefgh", "ij"]);
        assert!(wrap("", 10).is_empty());
    }
}
