//! The `list` table on a terminal: it fits the width without ever breaking
//! a value. Long values are shortened first (FLAGS as letters, STATE as one
//! word, PROCESSES as `qemu (+2)`, a peer on its own line); if that is not
//! enough the least useful columns are left out and a footer names them
//! (`tuntapctl show NAME` prints every field).
//!
//! The decision is [`layout`], a pure function of the widths each column
//! needs and the terminal's width; [`render`] only lays out the text.

use unicode_width::UnicodeWidthStr;

/// The table's columns, in display order.
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
}

pub const COLUMNS: [Column; 10] = [
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

/// Columns with a shorter form, in the order they are shortened.
pub const SHORTEN_ORDER: [Column; 4] = [
    Column::Flags,
    Column::State,
    Column::Processes,
    Column::Addresses,
];

/// Least useful first: the order in which columns give way. NAME never does.
pub const DROP_ORDER: [Column; 9] = [
    Column::Flags,
    Column::Mtu,
    Column::Group,
    Column::Processes,
    // Who may attach is what this tool is for: OWNER outlasts MODE (a tun
    // shows "-" for MAC anyway).
    Column::Mode,
    Column::Owner,
    Column::State,
    Column::Mac,
    Column::Addresses,
];

/// Blanks between two columns.
pub const GAP: usize = 2;

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
        }
    }

    fn index(self) -> usize {
        COLUMNS.iter().position(|c| *c == self).unwrap_or(0)
    }
}

/// What each column needs: the widest line of its header and cells, in the
/// full form and in the short form (the same where there is no short form).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Widths {
    pub full: [usize; 10],
    pub short: [usize; 10],
}

/// The decision: which columns, in which form, and which were left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Shown, in display order.
    pub columns: Vec<Column>,
    /// Shown in the short form (by column index).
    pub short: [bool; 10],
    /// Left out for want of width, in display order.
    pub dropped: Vec<Column>,
    /// The width of the widest line (may exceed the terminal only when NAME
    /// alone does not fit).
    pub line_width: usize,
}

fn line_width(widths: &Widths, short: &[bool; 10], columns: &[Column]) -> usize {
    let cells: usize = columns
        .iter()
        .map(|c| {
            let i = c.index();
            if short[i] {
                widths.short[i]
            } else {
                widths.full[i]
            }
        })
        .sum();
    cells + GAP * columns.len().saturating_sub(1)
}

/// Fit the table into `width` columns: shorten first, then leave out the
/// least useful columns, then bring back any left-out column that still
/// fits (a narrow one may, after a wide one went).
pub fn layout(widths: &Widths, width: usize) -> Layout {
    let mut short = [false; 10];
    let mut shown: Vec<Column> = COLUMNS.to_vec();
    let fits = |short: &[bool; 10], shown: &[Column]| line_width(widths, short, shown) <= width;
    if !fits(&short, &shown) {
        for c in SHORTEN_ORDER {
            short[c.index()] = true;
            if fits(&short, &shown) {
                break;
            }
        }
    }
    if !fits(&short, &shown) {
        for c in DROP_ORDER {
            shown.retain(|s| *s != c);
            if fits(&short, &shown) {
                break;
            }
        }
        for c in DROP_ORDER.iter().rev() {
            if shown.contains(c) {
                continue;
            }
            let mut more = shown.clone();
            more.push(*c);
            more.sort_by_key(|m| m.index());
            if fits(&short, &more) {
                shown = more;
            }
        }
    }
    // A short form that turned out not to be needed (its column was left
    // out, or dropping others made room) is not used.
    for c in SHORTEN_ORDER.iter().rev() {
        let i = c.index();
        if short[i] {
            let mut full = short;
            full[i] = false;
            if fits(&full, &shown) {
                short = full;
            }
        }
    }
    let dropped = COLUMNS
        .iter()
        .filter(|c| !shown.contains(c))
        .copied()
        .collect();
    Layout {
        line_width: line_width(widths, &short, &shown),
        columns: shown,
        short,
        dropped,
    }
}

/// One row's cells, each as lines, in the full and the short form.
pub struct Row {
    pub full: [Vec<String>; 10],
    pub short: [Vec<String>; 10],
}

pub fn text_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn cell_width(lines: &[String]) -> usize {
    lines.iter().map(|l| text_width(l)).max().unwrap_or(0)
}

pub fn widths(rows: &[Row]) -> Widths {
    let mut full = COLUMNS.map(|c| text_width(c.header()));
    let mut short = full;
    for r in rows {
        for i in 0..10 {
            full[i] = full[i].max(cell_width(&r.full[i]));
            short[i] = short[i].max(cell_width(&r.short[i]));
        }
    }
    Widths { full, short }
}

/// The table text for `width` columns, with a footer naming left-out
/// columns (and the flag letters when FLAGS is shortened).
pub fn render(rows: &[Row], width: usize) -> String {
    let widths = widths(rows);
    let layout = layout(&widths, width);
    let col_width = |c: Column| {
        let i = c.index();
        if layout.short[i] {
            widths.short[i]
        } else {
            widths.full[i]
        }
    };
    let mut out: Vec<String> = Vec::with_capacity(rows.len() * 2 + 2);
    let mut emit = |cells: Vec<(&[String], usize)>| {
        let height = cells.iter().map(|(l, _)| l.len()).max().unwrap_or(1).max(1);
        for n in 0..height {
            let mut line = String::new();
            for (k, (lines, w)) in cells.iter().enumerate() {
                if k > 0 {
                    line.push_str(&" ".repeat(GAP));
                }
                let text = lines.get(n).map(String::as_str).unwrap_or("");
                line.push_str(text);
                line.push_str(&" ".repeat(w.saturating_sub(text_width(text))));
            }
            out.push(line.trim_end().to_string());
        }
    };
    let headers: Vec<Vec<String>> = layout
        .columns
        .iter()
        .map(|c| vec![c.header().to_string()])
        .collect();
    emit(
        layout
            .columns
            .iter()
            .zip(&headers)
            .map(|(c, h)| (h.as_slice(), col_width(*c)))
            .collect(),
    );
    for r in rows {
        emit(
            layout
                .columns
                .iter()
                .map(|c| {
                    let i = c.index();
                    let lines = if layout.short[i] {
                        &r.short[i]
                    } else {
                        &r.full[i]
                    };
                    (lines.as_slice(), col_width(*c))
                })
                .collect(),
        );
    }
    let mut notes = Vec::new();
    if layout.columns.contains(&Column::Flags) && layout.short[Column::Flags.index()] {
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
            //     NAME MODE OWNER GROUP FLAGS STATE MAC MTU ADDR PROC
            full: [7, 4, 6, 7, 11, 15, 17, 4, 28, 17],
            short: [7, 4, 6, 7, 5, 10, 17, 4, 28, 16],
        }
    }

    #[test]
    fn wide_terminal_keeps_everything_in_full() {
        let w = typical();
        let l = layout(&w, 200);
        assert_eq!(l.columns, COLUMNS.to_vec());
        assert_eq!(l.short, [false; 10]);
        assert!(l.dropped.is_empty());
        assert_eq!(l.line_width, w.full.iter().sum::<usize>() + 9 * GAP);
    }

    #[test]
    fn shortening_comes_before_dropping() {
        let w = typical();
        let full = w.full.iter().sum::<usize>() + 9 * GAP; // 134
        // Room for everything once FLAGS and STATE are short, not before.
        let width = full - (11 - 5) - (15 - 10);
        let l = layout(&w, width);
        assert!(l.dropped.is_empty(), "{l:?}");
        assert!(l.short[Column::Flags.index()] && l.short[Column::State.index()]);
        assert!(!l.short[Column::Processes.index()], "not needed: {l:?}");
        assert_eq!(l.line_width, width);
        let l = layout(&w, width - 1);
        assert!(l.short[Column::Processes.index()], "{l:?}");
        assert!(l.dropped.is_empty(), "{l:?}");
    }

    #[test]
    fn eighty_and_sixty_columns_drop_the_least_useful() {
        let w = typical();
        let l = layout(&w, 80);
        assert!(l.line_width <= 80, "{l:?}");
        assert!(l.columns.contains(&Column::Name));
        assert!(l.columns.contains(&Column::Addresses));
        assert!(l.columns.contains(&Column::Mac));
        assert!(l.dropped.contains(&Column::Flags), "{l:?}");
        for c in &l.dropped {
            assert!(!l.columns.contains(c));
        }
        assert_eq!(l.columns.len() + l.dropped.len(), 10);
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
        assert!(l.line_width <= 60, "{l:?}");
        assert_eq!(
            l.columns,
            [Column::Name, Column::Mac, Column::Addresses],
            "{l:?}"
        );
    }

    #[test]
    fn a_narrow_column_comes_back_when_a_wide_one_went() {
        // PROCESSES is wide and goes before MODE; MTU (4) went first but
        // fits again once PROCESSES is gone.
        let w = Widths {
            full: [4, 4, 5, 5, 5, 5, 3, 4, 9, 40],
            short: [4, 4, 5, 5, 5, 5, 3, 4, 9, 40],
        };
        let l = layout(&w, 70);
        assert!(l.line_width <= 70, "{l:?}");
        assert_eq!(l.dropped, [Column::Processes], "{l:?}");
    }

    #[test]
    fn name_stays_when_nothing_fits() {
        let l = layout(&typical(), 3);
        assert_eq!(l.columns, [Column::Name]);
        assert_eq!(l.line_width, 7);
        assert_eq!(l.dropped.len(), 9);
    }

    #[test]
    fn columns_keep_display_order() {
        for width in 0..140 {
            let l = layout(&typical(), width);
            let idx: Vec<usize> = l.columns.iter().map(|c| c.index()).collect();
            assert!(idx.windows(2).all(|p| p[0] < p[1]), "{width}: {l:?}");
            assert!(l.line_width <= width.max(7), "{width}: {l:?}");
        }
    }

    #[test]
    fn wrap_never_splits_a_word() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("abcdefgh ij", 4), ["abcdefgh", "ij"]);
        assert!(wrap("", 10).is_empty());
    }
}
