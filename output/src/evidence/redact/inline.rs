//! Secrets inside free text, where no JSON key names them: error reasons, names, ids and
//! command-line words that carry `password=...`, `Authorization: ...` or a signed URL's query
//! without its scheme (`bucket.s3.amazonaws.com/k?X-Amz-Signature=...`, an Azure SAS token
//! `sv=...&sig=...`). Both rules only look at text the other rules left alone, so applying
//! the redactor twice gives what applying it once gave.

use super::{is_secret_key, marker, Redactor, SIGNED_PARAMS};

/// Query parameters that sign or authorize even in a bare `a=b&c=d` string. `key` and `code`
/// (signed only after a `?`) are left out: `key=...` and `code=...` are ordinary words in
/// error text (`no such key=...`, `status code=403`).
fn signs_bare(name: &str) -> bool {
    SIGNED_PARAMS
        .iter()
        .filter(|p| !matches!(**p, "key" | "code"))
        .any(|p| p.eq_ignore_ascii_case(name))
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// Where a value ends: whitespace, quotes and the separators of lists, queries and
/// connection strings.
fn ends_value(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\'' | ';' | '&' | ',' | '}' | ']' | ')' | '<' | '>'
        )
}

fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>')
}

/// Whether `before` (the text up to a name) ends inside an ARN, at a segment boundary: it
/// ends with `:` and its last word starts with `arn:`. An ARN has at most 2048 characters,
/// so no more is searched (a long line of `name:value` pairs stays linear).
fn in_arn(before: &str) -> bool {
    if !before.ends_with(':') {
        return false;
    }
    let mut from = before.len().saturating_sub(2048);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    let window = &before[from..];
    match window.rfind(ends_word) {
        Some(i) => window[i + 1..].starts_with("arn:"),
        None => from == 0 && window.starts_with("arn:"),
    }
}

impl Redactor {
    /// `name=value` and `name: value` (also `"name": "value"`) whose name names a secret
    /// (the JSON key rule) or a signature parameter: the value.
    pub(super) fn assignments(&mut self, s: &str) -> Option<String> {
        let mut out = String::with_capacity(s.len());
        let mut changed = false;
        // `done`: the part of `s` already copied to `out`.
        let mut done = 0;
        let mut i = 0;
        // The last line break found and where that search started: many `Authorization:`
        // values on one line share it instead of each searching the rest of the line.
        let mut brk = (usize::MAX, 0);
        while let Some(off) = s[i..].find(['=', ':']) {
            let sep = i + off;
            i = sep + 1;
            // `name = value` and `"name" : value` as well.
            let before = s[done..sep].trim_end_matches([' ', '\t']);
            let quoted = before.ends_with('"');
            let stem = before.strip_suffix('"').unwrap_or(before);
            let name_start = stem
                .char_indices()
                .rev()
                .take_while(|(_, c)| is_name_char(*c))
                .last()
                .map(|(j, _)| j)
                .unwrap_or(stem.len());
            let name = &stem[name_start..];
            if name.is_empty() || !(is_secret_key(name) || signs_bare(name)) {
                continue;
            }
            if s[sep..].starts_with(':') && in_arn(&s[..done + name_start]) {
                // `arn:aws:secretsmanager:<region>:<account>:secret:<name>`: a resource
                // type, not an assignment (the secret's name is no secret).
                continue;
            }
            if quoted && !stem[..name_start].ends_with('"') {
                continue;
            }
            let rest = &s[sep + 1..];
            let lead = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            let lead = lead + usize::from(rest[lead..].starts_with(['"', '\'']));
            let mut value_start = sep + 1 + lead;
            let mut value_end = s[value_start..]
                .find(ends_value)
                .map(|e| value_start + e)
                .unwrap_or(s.len());
            if name.to_ascii_lowercase().ends_with("authorization") {
                // `Authorization: <scheme> <credentials...>`: the scheme stays, the rest of
                // the header goes (AWS SigV4 credentials hold spaces and commas).
                if !(brk.0..=brk.1).contains(&value_start) {
                    let end = s[value_start..]
                        .find(['\n', '\r', '"', '\''])
                        .map_or(s.len(), |e| value_start + e);
                    brk = (value_start, end);
                }
                let line_end = brk.1;
                let header = &s[value_start..line_end];
                if let Some((scheme, creds)) = header.split_once(' ') {
                    if !scheme.is_empty() && scheme.chars().all(is_name_char) {
                        value_start += scheme.len() + 1 + (creds.len() - creds.trim_start().len());
                        value_end = line_end;
                    }
                }
            }
            let value = &s[value_start..value_end];
            if value.is_empty() || value.starts_with("[REDACTED:") {
                continue;
            }
            out.push_str(&s[done..value_start]);
            out.push_str(&marker("secret-assignment"));
            self.hit("secret-assignment");
            changed = true;
            done = value_end;
            i = value_end;
        }
        out.push_str(&s[done..]);
        changed.then_some(out)
    }

    /// Signed queries without a scheme: after a `?` any signing parameter of the URL rule; a
    /// bare `a=b&c=d` word only with a parameter that always signs.
    pub(super) fn bare_queries(&mut self, s: &str) -> Option<String> {
        let mut out = String::with_capacity(s.len());
        let mut changed = false;
        let mut rest = s;
        while !rest.is_empty() {
            let word_end = rest.find(ends_word).unwrap_or(rest.len());
            let word = &rest[..word_end];
            match self.bare_query(word) {
                Some(w) => {
                    out.push_str(&w);
                    changed = true;
                }
                None => out.push_str(word),
            }
            let sep_len = rest[word_end..].chars().next().map_or(0, char::len_utf8);
            out.push_str(&rest[word_end..word_end + sep_len]);
            rest = &rest[word_end + sep_len..];
        }
        changed.then_some(out)
    }

    fn bare_query(&mut self, word: &str) -> Option<String> {
        let names = |q: &str| -> Vec<String> {
            // Only `name=value` pairs: a bare `?key` names nothing it signs.
            q.split('&')
                .filter_map(|p| p.split_once('=').map(|(n, _)| n.to_string()))
                .collect()
        };
        if let Some(q) = word.find('?') {
            let frag = word[q..].find('#').map(|f| q + f).unwrap_or(word.len());
            let signed = names(&word[q + 1..frag])
                .iter()
                .any(|n| SIGNED_PARAMS.contains(&n.to_ascii_lowercase().as_str()));
            if !signed {
                return None;
            }
            self.hit("signed-url");
            return Some(format!(
                "{}{}{}",
                &word[..q + 1],
                marker("signed-url"),
                &word[frag..]
            ));
        }
        if !word.contains('=') {
            return None;
        }
        let signed = names(word).iter().any(|n| {
            let n = n.trim_start_matches(|c: char| !is_name_char(c));
            signs_bare(n)
        });
        if !signed {
            return None;
        }
        self.hit("signed-url");
        Some(marker("signed-url"))
    }
}
