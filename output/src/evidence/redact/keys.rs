//! The key rule: whether a JSON key (or a tag, parameter or flag name) names a secret, from
//! the words of the identifier.

use std::cell::RefCell;
use std::collections::HashMap;

/// Words of an identifier: `SecretAccessKey`, `secret_access_key`, `X-Amz-Security-Token`,
/// `KMSMasterKeyID` -> lowercase words.
fn words(key: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = key.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1);
        let boundary = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()))
            });
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether a JSON key names a secret. Remembered per thread: a report asks about the same
/// few evidence keys millions of times, and the answer takes a word split. Bounded, since
/// keys also come from API bodies (tags, app settings).
pub fn is_secret_key(key: &str) -> bool {
    const REMEMBERED: usize = 4096;
    thread_local! {
        static KNOWN: RefCell<HashMap<String, bool, foldhash::fast::RandomState>> =
            Default::default();
    }
    KNOWN.with(|known| {
        if let Some(&answer) = known.borrow().get(key) {
            return answer;
        }
        let answer = names_secret(key);
        let mut known = known.borrow_mut();
        if known.len() < REMEMBERED {
            known.insert(key.to_string(), answer);
        }
        answer
    })
}

fn names_secret(key: &str) -> bool {
    const WORDS: [&str; 14] = [
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "secret",
        "secrets",
        "token",
        "credential",
        "credentials",
        "cookie",
        "authorization",
        "apikey",
        "privatekey",
        "sas",
    ];
    const PAIRS: [(&str, &str); 8] = [
        ("api", "key"),
        ("private", "key"),
        ("account", "key"),
        ("shared", "key"),
        ("key", "material"),
        ("connection", "string"),
        ("access", "key"),
        ("sas", "token"),
    ];
    let w = words(key);
    // A normalized single word (`connectionstring`, `secretaccesskey`).
    let joined: String = w.concat();
    if [
        "connectionstring",
        "keymaterial",
        "secretaccesskey",
        "accountkey",
        "sharedaccesskey",
    ]
    .iter()
    .any(|s| joined == *s)
    {
        return true;
    }
    if w.iter().any(|x| WORDS.contains(&x.as_str())) {
        return true;
    }
    w.windows(2).enumerate().any(|(i, pair)| {
        PAIRS.contains(&(pair[0].as_str(), pair[1].as_str()))
            // An access key *id* identifies a key; it is not the secret.
            && !(pair[0] == "access" && w.get(i + 2).is_some_and(|n| n == "id"))
    })
}
