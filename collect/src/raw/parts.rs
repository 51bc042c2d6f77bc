//! How a response is taken apart into the resources it describes (see the parent module's
//! doc for the rules and why).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::Captured;
use crate::model::{Inventory, Provider, ResourceRef};

/// The tokens that name a resource, lowercased: its id (full), a GCP full name's path
/// (full: `selfLink`s end with it), and for AWS and GCP its short id and name (short).
pub(super) struct Index<'a> {
    pub(super) refs: Vec<&'a ResourceRef>,
    kinds: Vec<String>,
    /// The words of each resource's kind after the provider's (`ebs`, `volume`), singular.
    kind_words: Vec<Vec<String>>,
    tokens: HashMap<String, Vec<(usize, bool)>>,
}

impl<'a> Index<'a> {
    pub(super) fn new(inv: &'a Inventory) -> Index<'a> {
        let refs = inv.resource_refs();
        let kinds = refs
            .iter()
            .map(|r| r.kind.as_str().to_ascii_lowercase())
            .collect();
        let kind_words = refs
            .iter()
            .map(|r| {
                words(r.kind.as_str())
                    .into_iter()
                    .skip(1)
                    .map(|w| singular(&w).to_string())
                    .collect()
            })
            .collect();
        let mut tokens: HashMap<String, Vec<(usize, bool)>> = HashMap::new();
        let mut add = |t: &str, i: usize, full: bool| {
            let t = t.trim().to_ascii_lowercase();
            if t.len() < 2 {
                return;
            }
            let e = tokens.entry(t).or_default();
            if !e.contains(&(i, full)) {
                e.push((i, full));
            }
        };
        for (i, r) in refs.iter().enumerate() {
            add(&r.id, i, true);
            if let Some(rest) = r.id.strip_prefix("//") {
                if let Some((_, path)) = rest.split_once('/') {
                    add(path, i, true);
                }
            }
            if r.provider != Provider::Azure {
                if let Some(tail) = r.id.rsplit(['/', ':']).find(|s| !s.is_empty()) {
                    if tail != r.id {
                        add(tail, i, false);
                    }
                }
                add(&r.name, i, false);
            }
        }
        Index {
            refs,
            kinds,
            kind_words,
            tokens,
        }
    }

    /// Whether resource `i`'s kind is what a call whose names have the words `said` is about
    /// (any word in common): a short id or name (`default`) is only trusted from such a call.
    pub(super) fn about(&self, i: usize, said: &[String]) -> bool {
        self.kind_words[i].iter().any(|w| said.contains(w))
    }

    /// Resources `value` names: exactly, or (full ids) as the end of a longer path.
    pub(super) fn lookup(&self, value: &str) -> Vec<(usize, bool)> {
        let v = value.trim().to_ascii_lowercase();
        let mut out: Vec<(usize, bool)> = self.tokens.get(&v).cloned().unwrap_or_default();
        for (i, _) in v.match_indices('/') {
            if let Some(hits) = self.tokens.get(&v[i + 1..]) {
                out.extend(hits.iter().filter(|(_, full)| *full));
            }
        }
        out
    }
}

/// `DBInstanceIdentifier` -> `db`, `instance`, `identifier`; `volumeSet` -> `volume`, `set`.
pub(super) fn words(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = key.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let boundary = c.is_ascii_uppercase()
            && i > 0
            && (chars[i - 1].is_ascii_lowercase()
                || chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase()));
        if (!c.is_ascii_alphanumeric() || boundary) && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if c.is_ascii_alphanumeric() {
            cur.push(c.to_ascii_lowercase());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

pub(super) fn singular(w: &str) -> &str {
    w.strip_suffix('s').filter(|s| s.len() > 1).unwrap_or(w)
}

/// How well a field named `key` identifies the object it sits in as a resource of `kind`
/// (lowercased kind name), with `context` the words of the keys enclosing the object; 0: not
/// at all. See the module doc.
pub(super) fn key_rank(key: &str, context: &[String], kind: &str, full: bool) -> u8 {
    let k = key.to_ascii_lowercase();
    if matches!(
        k.as_str(),
        "id" | "arn" | "name" | "selflink" | "identifier"
    ) {
        return 3;
    }
    let w = words(key);
    let Some((last, stem)) = w.split_last() else {
        return 0;
    };
    if matches!(last.as_str(), "id" | "arn" | "name" | "identifier") {
        if let Some(thing) = stem.last().map(|s| singular(s)) {
            if context.iter().any(|c| singular(c) == thing) {
                return 2;
            }
            if kind.contains(thing) {
                return 1;
            }
        }
    }
    u8::from(full)
}

/// Whether indexed resource `i` may be named here by a full id (`true`) or a short one.
pub(super) type Keep<'k> = &'k dyn Fn(usize, bool) -> bool;

/// The resources an object describes by its own direct fields.
pub(super) fn describes(
    m: &Map<String, Value>,
    context: &[String],
    ix: &Index,
    keep: Keep,
) -> Vec<usize> {
    if m.len() < 2 {
        return Vec::new();
    }
    let mut best = (0u8, false);
    let mut hits: Vec<usize> = Vec::new();
    for (k, v) in m {
        let Some(s) = v.as_str() else { continue };
        for (i, full) in ix.lookup(s).into_iter().filter(|&(i, full)| keep(i, full)) {
            let rank = (key_rank(k, context, &ix.kinds[i], full), full);
            if rank.0 == 0 || rank < best {
                continue;
            }
            if rank > best {
                best = rank;
                hits.clear();
            }
            if !hits.contains(&i) {
                hits.push(i);
            }
        }
    }
    hits
}

pub(super) fn walk(
    v: &Value,
    pointer: &mut String,
    context: &mut Vec<String>,
    ix: &Index,
    keep: Keep,
    out: &mut Vec<(String, Vec<usize>)>,
) {
    match v {
        Value::Object(m) => {
            let found = describes(m, context, ix, keep);
            if !found.is_empty() {
                out.push((pointer.clone(), found));
                return;
            }
            for (k, c) in m.iter().filter(|(_, c)| c.is_object() || c.is_array()) {
                let (len, depth) = (pointer.len(), context.len());
                pointer.push('/');
                pointer.push_str(&k.replace('~', "~0").replace('/', "~1"));
                context.extend(words(k));
                walk(c, pointer, context, ix, keep, out);
                pointer.truncate(len);
                context.truncate(depth);
            }
        }
        Value::Array(items) => {
            for (i, c) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                walk(c, pointer, context, ix, keep, out);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// The settings resource (untaggable, the only one of its kind in the response's region, or global) a
/// response describes when it names nothing: the kind's words all appear in the service's
/// and operation's names.
pub(super) fn settings_of(
    ix: &Index,
    c: &Captured,
    said: &[String],
    keep: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let found: Vec<usize> = (0..ix.refs.len())
        .filter(|&i| {
            let r = ix.refs[i];
            let kind_words: Vec<String> = words(r.kind.as_str())
                .into_iter()
                .skip(1)
                .filter(|w| !matches!(w.as_str(), "region" | "account"))
                .collect();
            // Settings carry no tags; anything taggable is a resource its request names.
            !r.kind.taggable()
                && keep(i)
                && (c.region.as_deref() == Some(r.region.as_str()) || r.region == "global")
                && !kind_words.is_empty()
                && kind_words
                    .iter()
                    .all(|w| said.iter().any(|s| s == singular(w)))
        })
        .collect();
    // A setting is one per region (or account): a kind with several resources there is a
    // list that came back empty, and describes none of them.
    found
        .iter()
        .copied()
        .filter(|&i| {
            found
                .iter()
                .filter(|&&j| ix.refs[j].kind == ix.refs[i].kind)
                .count()
                == 1
        })
        .collect()
}
