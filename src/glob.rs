//! Name patterns for `list` and `show`: an exact name, or a shell glob
//! (`*` any run of characters, `?` one character, `[abc]`, `[a-z]`,
//! `[!a-z]` or `[^a-z]` one character of a set, `\` quotes the next
//! character). No crate: a few dozen lines, and names are at most 15 bytes.
//! A pattern also matches a name equal to it, so an interface whose name
//! holds `*` or `[` is reached by its own name.

use std::fmt;

use crate::error::Result;
use crate::validate::IfName;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    text: String,
    glob: bool,
}

impl Pattern {
    /// A name without glob characters is checked as a name an existing
    /// device can have (exit 2 when none can: odd names the kernel holds,
    /// ESC included, are reachable); a glob is taken as it is.
    pub fn parse(text: &str) -> Result<Pattern> {
        let glob = text.contains(['*', '?', '[']);
        if !glob {
            IfName::lookup(text)?;
        }
        Ok(Pattern {
            text: text.to_string(),
            glob,
        })
    }

    pub fn is_glob(&self) -> bool {
        self.glob
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn matches(&self, name: &str) -> bool {
        name == self.text || (self.glob && glob_match(&self.text, name))
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Does the shell glob `pattern` match all of `name`? Linear in practice:
/// only the last `*` is ever backtracked to (enough for `*`, which matches
/// any run, to be exact).
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = name.chars().collect();
    let (mut pi, mut si) = (0, 0);
    // Where to resume after the last `*`: (pattern index after it, name index).
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() {
            if p[pi] == '*' {
                star = Some((pi + 1, si));
                pi += 1;
                continue;
            }
            if let Some(next) = one(&p, pi, s[si]) {
                pi = next;
                si += 1;
                continue;
            }
        }
        match star {
            Some((after, from)) => {
                pi = after;
                si = from + 1;
                star = Some((after, from + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// If the pattern element at `pi` (not `*`) matches `c`, the index after it.
fn one(p: &[char], pi: usize, c: char) -> Option<usize> {
    match p[pi] {
        '?' => Some(pi + 1),
        '\\' if pi + 1 < p.len() => (p[pi + 1] == c).then_some(pi + 2),
        '[' => match class(p, pi, c) {
            Some((true, next)) => Some(next),
            Some((false, _)) => None,
            // No closing bracket: a literal '['.
            None => (c == '[').then_some(pi + 1),
        },
        lit => (lit == c).then_some(pi + 1),
    }
}

/// The bracket expression at `pi`: whether `c` is in it and the index after
/// it, or None when it is not closed.
fn class(p: &[char], pi: usize, c: char) -> Option<(bool, usize)> {
    let mut i = pi + 1;
    let negate = matches!(p.get(i), Some('!' | '^'));
    if negate {
        i += 1;
    }
    let mut found = false;
    let mut first = true;
    loop {
        let &lo = p.get(i)?;
        if lo == ']' && !first {
            return Some((found != negate, i + 1));
        }
        first = false;
        if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|hi| *hi != ']') {
            let hi = p[i + 2];
            found |= lo <= c && c <= hi;
            i += 3;
        } else {
            found |= lo == c;
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_and_question_mark() {
        assert!(glob_match("tap-vm*", "tap-vm1"));
        assert!(glob_match("tap-vm*", "tap-vm"));
        assert!(!glob_match("tap-vm*", "tap-v"));
        assert!(glob_match("*", ""));
        assert!(glob_match("*vm*", "tap-vm12"));
        assert!(glob_match("t*p*1", "tap-vm1"));
        assert!(!glob_match("t*p*1", "tap-vm12"));
        assert!(glob_match("tap?", "tap0"));
        assert!(!glob_match("tap?", "tap10"));
        assert!(!glob_match("tap?", "tap"));
        assert!(glob_match("**a**", "xay"));
        assert!(!glob_match("", "a"));
        assert!(glob_match("", ""));
    }

    #[test]
    fn brackets() {
        assert!(glob_match("tap[0-9]", "tap7"));
        assert!(!glob_match("tap[0-9]", "tapx"));
        assert!(glob_match("tap[!0-9]", "tapx"));
        assert!(glob_match("tap[^0-9]", "tapx"));
        assert!(!glob_match("tap[!0-9]", "tap3"));
        assert!(glob_match("t[au]n0", "tun0"));
        assert!(glob_match("[]]x", "]x"));
        assert!(glob_match("[a-]", "-"));
        assert!(glob_match("[!]]", "a"));
        // Unclosed: a literal '['.
        assert!(glob_match("tap[", "tap["));
        assert!(!glob_match("tap[", "tapx"));
        assert!(glob_match("vm[0-9]*", "vm1-eth0"));
    }

    #[test]
    fn backslash_quotes() {
        assert!(glob_match("a\\*", "a*"));
        assert!(!glob_match("a\\*", "ab"));
        assert!(glob_match("a\\", "a\\"));
    }

    #[test]
    fn hostile_patterns_stay_fast() {
        let p = "*a".repeat(200) + "b";
        let name = "a".repeat(15);
        let t = std::time::Instant::now();
        assert!(!glob_match(&p, &name));
        assert!(t.elapsed().as_secs() < 2);
    }

    #[test]
    fn patterns() {
        let p = Pattern::parse("tap-vm*").unwrap();
        assert!(p.is_glob() && p.matches("tap-vm3") && !p.matches("tun0"));
        let lit = Pattern::parse("tap0").unwrap();
        assert!(!lit.is_glob() && lit.matches("tap0") && !lit.matches("tap01"));
        // An interface whose own name holds glob characters.
        assert!(Pattern::parse("a[1]").unwrap().matches("a[1]"));
        assert_eq!(Pattern::parse("").unwrap_err().status.code(), 2);
        assert_eq!(
            Pattern::parse("a-name-that-is-too-long")
                .unwrap_err()
                .status
                .code(),
            2
        );
    }
}
