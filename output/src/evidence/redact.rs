//! Redaction: what never leaves the scanner, even inside the evidence bundle (DESIGN rule 7).
//!
//! Collectors are meant to keep secrets out of the inventory in the first place; this is the
//! second line, applied to everything the bundle writes from observed data (raw records, raw
//! API responses, the command line, the API-call log) and to the evidence and tags of every
//! finding before any format renders them. Rules (docs/evidence-bundle.md lists them too):
//!
//! | rule | what | becomes |
//! |---|---|---|
//! | `secret-key-name` | a JSON key whose words name a secret (password, passwd, pwd, passphrase, secret, token, credential(s), cookie, authorization, api key, private key, access key (not access key id), account key, shared key, key material, connection string, SAS) holding a string, array or object | `"[REDACTED:secret-key-name]"`; booleans, numbers and null stay: `secret_rotation_enabled: true` is evidence, not a secret |
//! | `private-key` | a string containing a PEM `-----BEGIN ... PRIVATE KEY-----` block | the whole string |
//! | `signed-url` | a URL whose query carries a signature or credential (`X-Amz-Signature`, `X-Amz-Credential`, `X-Amz-Security-Token`, `Signature`, `sig`, `X-Goog-Signature`, `X-Goog-Credential`, `GoogleAccessId`, `access_token`, `token`, `key`, `code`) | the query: `https://host/path?[REDACTED:signed-url]` |
//! | `url-password` | `scheme://user:password@host` | `scheme://user:[REDACTED:url-password]@host` |
//! | `connection-string-secret` | `Key=Value;` pairs whose key is `Password`, `Pwd`, `AccountKey`, `SharedAccessKey`, `SharedAccessSignature`, `ClientSecret`, `Secret`, `Token` | the value |
//! | `bearer-token` | `Bearer <token>` and JSON Web Tokens (`eyJ...`.`...`.`...`) | the token |
//! | `secret-assignment` | in free text, `name=value` / `name: value` whose name the key rule names a secret (`aws_secret_access_key=...`, `Authorization: ...`, `"password": "..."`) or a signing parameter | the value |
//! | `signed-url` (no scheme) | `host/path?query` with a signing parameter, and a bare `a=b&sig=...` query (SAS tokens) | the query |
//!
//! Every output goes through [`outputs::redact_outputs`] (the report and the inventory, once,
//! before any writer sees them) or [`outputs::redact_json_report`] (a JSON v1 report read back
//! by `report`, `diff` and `merge`), so no writer can forget it.
//!
//! Every redaction is counted by rule; the counts go into `scan.json` so an auditor sees that
//! something was withheld and why.

use std::collections::BTreeMap;

mod inline;
mod keys;
pub mod outputs;
mod tree;

pub use keys::is_secret_key;
pub use tree::Tree;

/// Applies the rules and counts what it redacted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Redactor {
    pub counts: BTreeMap<&'static str, usize>,
}

fn marker(rule: &str) -> String {
    format!("[REDACTED:{rule}]")
}

/// A whole string that is already one marker: redacting again must not count it again.
fn is_marker(s: &str) -> bool {
    s.starts_with("[REDACTED:") && s.ends_with(']') && !s[1..].contains('[')
}

const SIGNED_PARAMS: [&str; 12] = [
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "signature",
    "sig",
    "x-goog-signature",
    "x-goog-credential",
    "googleaccessid",
    "access_token",
    "token",
    "key",
    "code",
];

const CONN_KEYS: [&str; 8] = [
    "password",
    "pwd",
    "accountkey",
    "sharedaccesskey",
    "sharedaccesssignature",
    "clientsecret",
    "secret",
    "token",
];

impl Redactor {
    pub fn new() -> Self {
        Self::default()
    }

    fn hit(&mut self, rule: &'static str) {
        *self.counts.entry(rule).or_default() += 1;
    }

    pub fn total(&self) -> usize {
        self.counts.values().sum()
    }

    /// Redact a JSON value in place: key rules on objects, value rules on every string.
    pub fn value<T: Tree>(&mut self, v: &mut T) {
        if let Some(s) = v.as_str() {
            if let Some(r) = self.string(s) {
                *v = T::text(r);
            }
            return;
        }
        if let Some(items) = v.items() {
            items.iter_mut().for_each(|i| self.value(i));
            return;
        }
        // `{"key": "db_password", "value": "x"}` (AWS tag lists, Azure app settings, RDS
        // parameters as the APIs return them): the value of a pair whose name names a secret.
        const NAMES: [&str; 4] = ["key", "name", "parametername", "optionname"];
        const VALUES: [&str; 3] = ["value", "parametervalue", "optionvalue"];
        let named = |k: &str, names: &[&str]| names.iter().any(|n| k.eq_ignore_ascii_case(n));
        let secret_pair = v.members().is_some_and(|mut members| {
            members.any(|(k, v)| named(k, &NAMES) && v.as_str().is_some_and(is_secret_key))
        });
        for (k, child) in v.members().into_iter().flatten() {
            if secret_pair
                && named(k, &VALUES)
                && child
                    .as_str()
                    .is_some_and(|s| !s.is_empty() && !is_marker(s))
            {
                *child = T::text(marker("secret-key-name"));
                self.hit("secret-key-name");
            }
            if is_secret_key(k) && child.is_filled() && !child.as_str().is_some_and(is_marker) {
                *child = T::text(marker("secret-key-name"));
                self.hit("secret-key-name");
            } else {
                self.value(child);
            }
        }
    }

    /// The value rules on one string; `Some` when something was redacted.
    pub fn string(&mut self, s: &str) -> Option<String> {
        // Every string of every finding comes through here (ids, names, regions, values),
        // and most hold no byte any rule needs: one pass over the bytes settles those.
        let mut signs = Signs::of(s);
        if signs == 0 {
            return None;
        }
        if signs & Signs::DASH != 0 && s.contains("-----BEGIN") && s.contains("PRIVATE KEY") {
            self.hit("private-key");
            return Some(marker("private-key"));
        }
        type Applies = fn(&str) -> bool;
        type Rule = fn(&mut Redactor, &str) -> Option<String>;
        // In this order: URLs whole first; bearer tokens before assignments, so that
        // `Authorization: Bearer x` loses `x` too. The signs and the tests are only
        // shortcuts: each is a byte or text without which its rule changes nothing.
        let rules: [(u8, Applies, Rule); 5] = [
            (Signs::COLON, |s| s.contains("://"), Redactor::urls),
            (Signs::EQUALS, |_| true, Redactor::connection_string),
            (Signs::B | Signs::J, |_| true, Redactor::tokens),
            (
                Signs::EQUALS | Signs::COLON,
                |_| true,
                Redactor::assignments,
            ),
            (Signs::EQUALS, |_| true, Redactor::bare_queries),
        ];
        // Most strings hold nothing to redact: no copy of them is made unless a rule fires.
        let mut out: Option<String> = None;
        for (needs, applies, rule) in rules {
            let cur = out.as_deref().unwrap_or(s);
            if signs & needs != 0 && applies(cur) {
                if let Some(r) = rule(self, cur) {
                    signs = Signs::of(&r);
                    out = Some(r);
                }
            }
        }
        out
    }

    /// Signed-URL queries and URL passwords, for every URL inside `s`.
    fn urls(&mut self, s: &str) -> Option<String> {
        let mut out = String::new();
        let mut rest = s;
        let mut changed = false;
        while let Some(i) = rest.find("://") {
            // Back up over the scheme.
            let start = rest[..i]
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
                .last()
                .map(|(j, _)| j)
                .unwrap_or(i);
            let end = rest[i..]
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>'))
                .map(|e| i + e)
                .unwrap_or(rest.len());
            out.push_str(&rest[..start]);
            let url = &rest[start..end];
            let redacted = self.url(url);
            changed |= redacted.is_some();
            out.push_str(redacted.as_deref().unwrap_or(url));
            rest = &rest[end..];
        }
        out.push_str(rest);
        changed.then_some(out)
    }

    fn url(&mut self, url: &str) -> Option<String> {
        let mut url = url.to_string();
        let mut changed = false;
        // userinfo: scheme://user:password@host
        let auth_start = url.find("://").map(|i| i + 3).unwrap_or(0);
        let auth_end = url[auth_start..]
            .find(['/', '?', '#'])
            .map(|e| auth_start + e)
            .unwrap_or(url.len());
        if let Some(at) = url[auth_start..auth_end].rfind('@') {
            let userinfo = &url[auth_start..auth_start + at];
            if let Some(colon) = userinfo.find(':') {
                let pw_start = auth_start + colon + 1;
                let pw_end = auth_start + at;
                if pw_end > pw_start {
                    url.replace_range(pw_start..pw_end, &marker("url-password"));
                    self.hit("url-password");
                    changed = true;
                }
            }
        }
        if let Some(q) = url.find('?') {
            let frag = url[q..].find('#').map(|f| q + f).unwrap_or(url.len());
            // Only `name=value` pairs: `?key` alone carries nothing.
            let signed = url[q + 1..frag].split('&').any(|pair| {
                pair.split_once('=')
                    .is_some_and(|(n, _)| SIGNED_PARAMS.contains(&n.to_ascii_lowercase().as_str()))
            });
            if signed {
                url.replace_range(q + 1..frag, &marker("signed-url"));
                self.hit("signed-url");
                changed = true;
            }
        }
        changed.then_some(url)
    }

    /// `Key=Value;` pairs (ADO.NET, Azure storage and Service Bus connection strings).
    fn connection_string(&mut self, s: &str) -> Option<String> {
        let mut changed = false;
        let parts: Vec<String> = s
            .split(';')
            .map(|part| {
                if let Some((k, v)) = part.split_once('=') {
                    let key: String = k
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    if CONN_KEYS.contains(&key.as_str())
                        && !v.trim().is_empty()
                        && !v.starts_with("[REDACTED:")
                    {
                        changed = true;
                        self.hit("connection-string-secret");
                        return format!("{k}={}", marker("connection-string-secret"));
                    }
                }
                part.to_string()
            })
            .collect();
        changed.then(|| parts.join(";"))
    }

    /// `Bearer x` and JSON Web Tokens.
    fn tokens(&mut self, s: &str) -> Option<String> {
        // A token follows the word `bearer` or is a JWT (`eyJ...`): without either, the
        // word-by-word walk below cannot change anything.
        let bytes = s.as_bytes();
        let bearer = memchr::memchr2_iter(b'b', b'B', bytes).any(|i| {
            bytes[i..]
                .get(..6)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"bearer"))
        });
        if !bearer && !s.contains("eyJ") {
            return None;
        }
        let mut changed = false;
        let mut words: Vec<String> = Vec::new();
        let mut after_bearer = false;
        for w in s.split(' ') {
            let token_like = after_bearer && !w.is_empty() && !w.starts_with("[REDACTED:");
            let jwt = is_jwt(w.trim_matches(|c: char| {
                !c.is_ascii_alphanumeric() && c != '-' && c != '_' && c != '.'
            }));
            if token_like || jwt {
                words.push(marker("bearer-token"));
                self.hit("bearer-token");
                changed = true;
            } else {
                words.push(w.to_string());
            }
            after_bearer = w.eq_ignore_ascii_case("bearer");
        }
        changed.then(|| words.join(" "))
    }
}

/// The bytes the value rules start from, as bits: `-` (a PEM block), `:` (URLs,
/// `name: value`), `=` (assignments, connection strings, queries), `b`/`B` (`bearer`) and
/// `J` (a JWT's `eyJ`).
struct Signs;

impl Signs {
    const DASH: u8 = 1;
    const COLON: u8 = 2;
    const EQUALS: u8 = 4;
    const B: u8 = 8;
    const J: u8 = 16;

    fn of(s: &str) -> u8 {
        const TABLE: [u8; 256] = {
            let mut t = [0; 256];
            t[b'-' as usize] = Signs::DASH;
            t[b':' as usize] = Signs::COLON;
            t[b'=' as usize] = Signs::EQUALS;
            t[b'b' as usize] = Signs::B;
            t[b'B' as usize] = Signs::B;
            t[b'J' as usize] = Signs::J;
            t
        };
        s.bytes().fold(0, |signs, b| signs | TABLE[usize::from(b)])
    }
}

fn is_jwt(w: &str) -> bool {
    let parts: Vec<&str> = w.split('.').collect();
    parts.len() == 3
        && w.starts_with("eyJ")
        && w.len() > 30
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
        })
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
