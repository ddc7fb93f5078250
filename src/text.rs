//! Strings from outside (interface names, aliases, process names, paths,
//! file lines) shown to a person: the one escaping function every output
//! uses, so no terminal escape sequence is ever printed raw. JSON carries
//! the exact strings instead (serde escapes them).

use std::borrow::Cow;

/// Invisible and direction-changing characters that make one string look
/// like another (zero-width, bidi controls, BOM).
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{FFF9}'..='\u{FFFB}')
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

/// `text` with control, invisible and bidi characters written as escapes
/// (`\x1b`, `\u{202e}`), and backslashes doubled only when something was
/// escaped, so ordinary text is shown as it is.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x80 && needs_escape(c) => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// At most `max` characters of `text`, escaped, with an ellipsis when cut:
/// for quoting a bad line in an error without echoing a whole file.
pub fn excerpt(text: &str, max: usize) -> String {
    let cut: String = text.chars().take(max).collect();
    let more = if text.chars().nth(max).is_some() {
        "…"
    } else {
        ""
    };
    format!("{}{more}", printable(&cut))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_untouched() {
        assert!(matches!(printable("tap-vm1 (qemu)"), Cow::Borrowed(_)));
        assert_eq!(printable("a\\b"), "a\\b");
    }

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(printable("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
        assert_eq!(printable("a\nb\\"), "a\\x0ab\\\\");
        assert_eq!(printable("x\u{9b}31m"), "x\\u{9b}31m");
        assert_eq!(printable("\x7f"), "\\x7f");
    }

    #[test]
    fn escapes_lookalike_characters() {
        assert_eq!(printable("tap1\u{200b}"), "tap1\\u{200b}");
        assert_eq!(printable("\u{202e}1pat"), "\\u{202e}1pat");
        assert!(is_invisible('\u{feff}') && !is_invisible('a') && !is_invisible('é'));
    }

    #[test]
    fn excerpts_are_short_and_escaped() {
        assert_eq!(excerpt("abcdef", 3), "abc…");
        assert_eq!(excerpt("ab", 3), "ab");
        assert_eq!(excerpt("a\x1bb", 10), "a\\x1bb");
    }
}
