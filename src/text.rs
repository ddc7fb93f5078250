//! Showing strings that come from outside (interface names, process names,
//! paths, lines of a file) on a terminal: one escaping function for every
//! output but JSON (which escapes by itself). This module imports nothing
//! from the crate, so every other module can use it without a cycle.

use std::borrow::Cow;

/// Characters that draw nothing but change how the text around them looks:
/// zero-width characters and bidirectional controls (a U+202E makes `tap1`
/// print backwards). Not control characters to `char::is_control`, yet just
/// as able to fool a reader.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                  // soft hyphen
        | '\u{061C}'                // Arabic letter mark
        | '\u{115F}' | '\u{1160}'   // Hangul fillers
        | '\u{180E}'                // Mongolian vowel separator
        | '\u{200B}'..='\u{200F}'   // zero-width space/joiners, LRM, RLM
        | '\u{202A}'..='\u{202E}'   // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}'   // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}'   // bidi isolates
        | '\u{206A}'..='\u{206F}'   // deprecated format characters
        | '\u{3164}'                // Hangul filler
        | '\u{FE00}'..='\u{FE0F}'   // variation selectors
        | '\u{FEFF}'                // zero-width no-break space (BOM)
        | '\u{FFA0}'                // halfwidth Hangul filler
        | '\u{FFF9}'..='\u{FFFB}'   // interlinear annotations
    )
}

/// Is `name` a plain shell word: ASCII letters, digits and `. _ - + @ , %`,
/// not starting with `-`? Only such names are offered as completion
/// candidates. Every shell we ship a script for would read any other
/// character (`$ ( ) ` ; ' " \ * ? [ ~ = ! #` ...) as syntax somewhere: a
/// tap named `$(id>PWNED)` must never become a command when root presses
/// TAB. Such names are left out, not quoted, so no shell's quoting rules
/// are ours to get right; they are still reachable when typed (quoted).
pub fn is_plain_word(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-+@,%".contains(&b))
}

/// Must `c` be escaped before it reaches a terminal?
fn needs_escape(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

/// `text` with control characters (C0, DEL, C1 such as U+009B, the 8-bit
/// CSI) and invisible or bidi characters escaped as `\x1b` / `\u{202e}`, so
/// nothing in it can move the cursor, retitle the terminal or hide itself.
/// Ordinary text comes back borrowed, unchanged.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !needs_escape(c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

/// Bytes that may not be UTF-8 (paths, /proc contents): lossy, then escaped.
pub fn printable_bytes(bytes: &[u8]) -> String {
    printable(&String::from_utf8_lossy(bytes)).into_owned()
}

/// At most `max` characters of `text`, escaped, with `...` when cut: what an
/// error may quote of a line of a file (never the whole of a long line, and
/// never more than a short part of a file the user may not read).
pub fn excerpt(text: &str, max: usize) -> String {
    short(text.trim(), max)
}

/// At most `max` characters of `text`, escaped, with `...` when cut
/// (nothing trimmed).
pub fn short(text: &str, max: usize) -> String {
    let mut cut: String = text.chars().take(max).collect();
    if cut.len() < text.len() {
        cut.push_str("...");
    }
    printable(&cut).into_owned()
}

/// At most `max` characters of `text`, with `...` when cut, not escaped:
/// for `{:?}` quoting (which escapes by itself).
pub fn cut(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if out.len() < text.len() {
        out.push_str("...");
    }
    out
}

/// How long an error's quote of a line of input may be.
pub const EXCERPT_CHARS: usize = 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_are_the_only_completion_candidates() {
        for ok in ["tap0", "vm-alice-0", "br_lan.10", "a+b@c,d%e"] {
            assert!(is_plain_word(ok), "{ok}");
        }
        for bad in [
            "",
            "$(id>x)",
            "`id`",
            "a;b",
            "q'x",
            "q\"x",
            "q\\x",
            "q*",
            "q$HOME",
            "~root",
            "=ls",
            "a!b",
            "#x",
            "-rf",
            "a?",
            "[ab]",
            "{a,b}",
            "a|b",
            "a&b",
            "a<b",
            "tap\u{e9}",
        ] {
            assert!(!is_plain_word(bad), "{bad}");
        }
    }

    #[test]
    fn escapes_controls_and_invisibles() {
        assert!(matches!(printable("tap1"), Cow::Borrowed("tap1")));
        assert_eq!(printable("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
        assert_eq!(printable("a\u{9b}31m"), "a\\u{9b}31m");
        assert_eq!(printable("tap1\u{200b}"), "tap1\\u{200b}");
        assert_eq!(printable("\u{202e}1pat"), "\\u{202e}1pat");
        assert_eq!(printable("x\ny\tz\x7f"), "x\\x0ay\\x09z\\x7f");
        assert_eq!(printable("bücher-ü"), "bücher-ü");
        assert_eq!(printable_bytes(b"a\xffb\x1b"), "a\u{fffd}b\\x1b");
    }

    #[test]
    fn excerpts_are_short_and_escaped() {
        assert_eq!(excerpt("  add tap1  ", 60), "add tap1");
        let long = "x".repeat(10_000);
        assert_eq!(excerpt(&long, 60), format!("{}...", "x".repeat(60)));
        assert_eq!(excerpt("a\x1b[2Jb", 60), "a\\x1b[2Jb");
        // Cut on characters, never inside one.
        assert_eq!(excerpt("ééé", 2), "éé...");
    }
}
