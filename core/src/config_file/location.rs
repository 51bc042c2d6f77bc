//! Where in the file a problem is: the line and column of a byte offset and the dotted key
//! there, so that every [`ConfigError`](super::ConfigError) points at what to fix.

/// The text of a file's bytes: a UTF-8 byte-order mark (which some Windows editors write)
/// dropped, and bytes that are not UTF-8 refused with the line and column (1-based, in
/// characters) of the first bad one, so the user is sent to the right place.
pub(crate) fn utf8_text(bytes: &[u8]) -> Result<&str, (usize, usize)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        line_col(good, good.len())
    })
}

/// 1-based line and column (in characters) of byte offset `at`.
pub(crate) fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The dotted key at byte offset `at`: the enclosing `[table]` / `[[array]]` header and the
/// key of the line (or the unknown field the message names).
pub(super) fn key_at(text: &str, at: usize, message: &str) -> String {
    let at = at.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = text[line_start..line_end].trim();
    let header = |l: &str| -> Option<String> {
        let l = l.trim();
        l.starts_with('[')
            .then(|| l.trim_matches(|c| c == '[' || c == ']').trim().to_string())
    };
    if let Some(h) = header(line) {
        // A problem with a whole table (a missing field): the table, and the field if named.
        return match backquoted(message).filter(|_| message.starts_with("missing field")) {
            Some(f) => format!("{h}.{f}"),
            None => h,
        };
    }
    let table = text[..line_start].lines().rev().find_map(header);
    let key = match backquoted(message).filter(|_| message.starts_with("unknown field")) {
        Some(f) => f,
        None => match line.split_once('=') {
            Some((k, _)) => k.trim().trim_matches('"').to_string(),
            None => String::new(),
        },
    };
    match (table, key.is_empty()) {
        (_, true) => String::new(),
        (Some(t), false) => format!("{t}.{key}"),
        (None, false) => key,
    }
}

/// The first `quoted` word of a serde message.
fn backquoted(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_is_dropped_and_bad_utf8_is_located() {
        assert_eq!(utf8_text(b"\xEF\xBB\xBFa = 1\n"), Ok("a = 1\n"));
        assert_eq!(utf8_text(b"a = 1\nb = \"\xC3\xA9\xFF\""), Err((2, 7)));
    }

    #[test]
    fn locations_are_one_based_and_keys_are_dotted() {
        let text = "fail_on = \"low\"\n[params]\n  db_ports = 5\n";
        let at = text.find('5').unwrap();
        assert_eq!(line_col(text, at), (3, 14));
        assert_eq!(key_at(text, at, "invalid type"), "params.db_ports");
        assert_eq!(key_at(text, 0, "invalid type"), "fail_on");
        let header = text.find("[params]").unwrap();
        assert_eq!(
            key_at(text, header, "missing field `approver`"),
            "params.approver"
        );
    }
}
