//! User text echoed in messages (ids, patterns, paths, values from files): escaped and
//! shortened, so an error line stays one line, carries no terminal escape sequence, and a
//! 100 KB value cannot flood the terminal. Every error that repeats input goes through here.

/// The most characters of one piece of user text a message repeats.
pub const MAX_ECHO: usize = 200;

/// `s` in double quotes, escaped like Rust's `{:?}`, cut after [`MAX_ECHO`] characters
/// with the full length noted.
pub fn quote(s: &str) -> String {
    let (head, total) = head(s, MAX_ECHO);
    match total {
        None => format!("{head:?}"),
        Some(n) => format!("{head:?}… ({n} characters)"),
    }
}

/// `s` without quotes: control and bidirectional-formatting characters escaped (`\n`,
/// `\u{1b}`), cut after [`MAX_ECHO`] characters with the full length noted.
pub fn shorten(s: &str) -> String {
    shorten_to(s, MAX_ECHO)
}

/// [`shorten`] with another bound: for a whole message of a library (a TOML parser's, with
/// its list of expected keys) that itself repeats input.
pub fn shorten_to(s: &str, max: usize) -> String {
    let (head, total) = head(s, max);
    let mut out = escape_controls(head);
    if let Some(n) = total {
        out.push_str(&format!("… ({n} characters)"));
    }
    out
}

/// `s` with every control and bidirectional-formatting character escaped, whatever its
/// length: for text that must reach a terminal or a CSV cell whole.
pub fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_hidden(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that move the cursor, start an escape sequence or reorder text on display.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first `max` characters, and the total count when that cut something.
fn head(s: &str, max: usize) -> (&str, Option<usize>) {
    match s.char_indices().nth(max) {
        None => (s, None),
        Some((at, _)) => (&s[..at], Some(s.chars().count())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_text_is_one_short_line_without_escape_sequences() {
        let forged = "x\nerror: forged\u{1b}[2J\u{202e}";
        for s in [quote(forged), shorten(forged)] {
            assert!(!s.chars().any(is_hidden), "{s}");
            assert!(s.contains("\\n") && s.contains("\\u{1b}"), "{s}");
        }
        let long = "a".repeat(100_000);
        assert_eq!(
            quote(&long).len(),
            MAX_ECHO + "\"\"… (100000 characters)".len()
        );
        assert_eq!(shorten("é-ok"), "é-ok");
        assert_eq!(quote("id"), "\"id\"");
    }
}
