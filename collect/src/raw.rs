//! The provider's own answers, kept as evidence: each response body a collector read, split
//! into the parts that describe one resource each and linked to those resources.
//!
//! Capture happens where every response of a cloud passes (the AWS SDK interceptor, the ARM
//! client's `send`, GCP's `Gcp::call` and REST helper), never in the collectors of single
//! services. It is off unless the scan asks for raw evidence ([`set_capture`]); off, no body
//! is copied or parsed, so a scan without a bundle spends no memory on it.
//!
//! Linking runs once the inventory is complete ([`link`]), so collectors need not say which
//! response produced which field. Decisions a newcomer may question:
//! - A list page is split into its items: an object that names a resource by one of its own
//!   direct fields describes that resource, and is stored alone (with its JSON pointer in the
//!   page); the walk does not descend into it, so an instance's nested volume attachments do
//!   not link it to the volumes. Objects that name nothing are descended into (an EC2
//!   reservation holds its instances).
//! - Which field names a resource: a field called `id`, `arn`, `name`, `selfLink` (rank 3);
//!   a `<thing>Id`/`Arn`/`Name`/`Identifier` field whose `<thing>` is what the enclosing keys
//!   list (`volumeId` in `volumeSet`, rank 2), or else what the resource's kind is called
//!   (rank 1: `KmsKeyId` in an RDS instance names the key but does not describe it, and
//!   loses to `DBInstanceArn`); any other field holding a full id (rank 1). Only the best rank of an object counts,
//!   full ids before short ones (a GCP disk's `selfLink` before a same-named VM's `name`).
//! - A response that names no resource at all (S3 `GetBucketEncryption` answers with the
//!   configuration only) describes the resources its request named: path segments, query,
//!   form and JSON request values. The request itself is never stored.
//! - A response that names nothing and whose request names nothing either (EC2's
//!   `GetEbsEncryptionByDefault`) is a setting: it describes the one resource of its region
//!   whose kind's words are all in the service's and operation's (`AwsEbsEncryptionDefault`:
//!   ebs, encryption, default).
//! - A one-field object (`{"id": ...}`) is a reference to another resource, not a
//!   description of it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::model::{Inventory, Provider, RawResponse, ResourceRef};

static CAPTURE: AtomicBool = AtomicBool::new(false);

/// Keep raw responses in this process's scans (`scan --evidence-raw all|failing`).
pub fn set_capture(on: bool) {
    CAPTURE.store(on, Ordering::Relaxed);
}

/// Whether responses are kept: when not, capture points copy nothing.
pub fn capturing() -> bool {
    CAPTURE.load(Ordering::Relaxed)
}

/// One successful response as a capture point saw it.
#[derive(Debug, Clone)]
pub struct Captured {
    pub provider: Provider,
    /// `None`: the scan's account (AWS clients do not know it when built).
    pub account: Option<String>,
    pub region: Option<String>,
    pub service: String,
    pub operation: String,
    pub request_id: Option<String>,
    pub time: DateTime<Utc>,
    /// What the request named (decoded path segments, query, form and JSON values), to link
    /// a response that names no resource itself. Never stored.
    pub asked: Vec<String>,
    pub body: Value,
}

/// The responses captured during one scan.
#[derive(Debug, Default)]
pub struct Store(Mutex<Vec<Captured>>);

impl Store {
    pub fn push(&self, c: Captured) {
        if capturing() {
            self.0.lock().expect("raw store lock").push(c);
        }
    }

    pub fn take(&self) -> Vec<Captured> {
        std::mem::take(&mut *self.0.lock().expect("raw store lock"))
    }

    pub fn len(&self) -> usize {
        self.0.lock().expect("raw store lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The strings a URL's path and query name, decoded (`/b/my%20bucket/iam?x=1` -> `b`,
/// `my bucket`, `iam`, `1`); `skip` names query parameters that name nothing (page tokens).
pub fn url_names(url: &str, skip: &[&str]) -> Vec<String> {
    let Ok(u) = url::Url::parse(url) else {
        return Vec::new();
    };
    let mut out: Vec<String> = u
        .path_segments()
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .map(|s| {
            url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_else(|| s.to_string())
        })
        .collect();
    out.extend(
        u.query_pairs()
            .filter(|(k, _)| !skip.iter().any(|s| k.eq_ignore_ascii_case(s)))
            .map(|(_, v)| v.into_owned()),
    );
    out
}

/// The strings a request body names: a JSON document's strings, or form values.
pub fn body_names(body: &[u8]) -> Vec<String> {
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        let mut out = Vec::new();
        strings(&v, &mut out);
        return out;
    }
    url::form_urlencoded::parse(body)
        .map(|(_, v)| v.into_owned())
        .collect()
}

fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// The tokens that name a resource, lowercased: its id (full), a GCP full name's path
/// (full: `selfLink`s end with it), and for AWS and GCP its short id and name (short).
struct Index<'a> {
    refs: Vec<&'a ResourceRef>,
    kinds: Vec<String>,
    tokens: HashMap<String, Vec<(usize, bool)>>,
}

impl<'a> Index<'a> {
    fn new(inv: &'a Inventory) -> Index<'a> {
        let refs = inv.resource_refs();
        let kinds = refs
            .iter()
            .map(|r| r.kind.as_str().to_ascii_lowercase())
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
            tokens,
        }
    }

    /// Resources `value` names: exactly, or (full ids) as the end of a longer path.
    fn lookup(&self, value: &str) -> Vec<(usize, bool)> {
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
fn words(key: &str) -> Vec<String> {
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

fn singular(w: &str) -> &str {
    w.strip_suffix('s').filter(|s| s.len() > 1).unwrap_or(w)
}

/// How well a field named `key` identifies the object it sits in as a resource of `kind`
/// (lowercased kind name), with `context` the words of the keys enclosing the object; 0: not
/// at all. See the module doc.
fn key_rank(key: &str, context: &[String], kind: &str, full: bool) -> u8 {
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

/// Which indexed resources may be named (those of the response's provider and account).
type Keep<'k> = &'k dyn Fn(usize) -> bool;

/// The resources an object describes by its own direct fields.
fn describes(m: &Map<String, Value>, context: &[String], ix: &Index, keep: Keep) -> Vec<usize> {
    if m.len() < 2 {
        return Vec::new();
    }
    let mut best = (0u8, false);
    let mut hits: Vec<usize> = Vec::new();
    for (k, v) in m {
        let Some(s) = v.as_str() else { continue };
        for (i, full) in ix.lookup(s).into_iter().filter(|(i, _)| keep(*i)) {
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

fn walk(
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
fn settings_of(ix: &Index, c: &Captured, keep: impl Fn(usize) -> bool) -> Vec<usize> {
    let said: Vec<String> = words(&c.service)
        .into_iter()
        .chain(words(&c.operation))
        .map(|w| singular(&w).to_string())
        .collect();
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

/// Split and link the captured responses against the finished inventory `inv` of `account`
/// (the scan's account, for captures that do not name one). A response, or part, that
/// describes no collected resource is dropped: no finding could lead to it.
pub fn link(
    inv: &Inventory,
    account: Option<&str>,
    mut captured: Vec<Captured>,
) -> Vec<RawResponse> {
    let ix = Index::new(inv);
    captured.sort_by(|a, b| {
        (a.time, &a.service, &a.operation, &a.request_id).cmp(&(
            b.time,
            &b.service,
            &b.operation,
            &b.request_id,
        ))
    });
    let mut out = Vec::new();
    for c in captured {
        let acct = c.account.clone().or_else(|| account.map(str::to_string));
        // Names repeat across accounts (a `default` network in every project).
        let ours = |i: usize| {
            let r = ix.refs[i];
            r.provider == c.provider && acct.as_deref().is_none_or(|a| a == "-" || a == r.account)
        };
        let mut parts = Vec::new();
        let (mut pointer, mut context) = (String::new(), Vec::new());
        walk(&c.body, &mut pointer, &mut context, &ix, &ours, &mut parts);
        if parts.is_empty() {
            let mut named: Vec<usize> = Vec::new();
            for a in &c.asked {
                for (i, _) in ix.lookup(a) {
                    let r = ix.refs[i];
                    if ours(i) && !a.eq_ignore_ascii_case(&r.account) && !named.contains(&i) {
                        named.push(i);
                    }
                }
            }
            if named.is_empty() {
                named = settings_of(&ix, &c, ours);
            }
            if !named.is_empty() {
                parts.push((String::new(), named));
            }
        }
        for (pointer, ids) in parts {
            let body = if pointer.is_empty() {
                c.body.clone()
            } else {
                c.body.pointer(&pointer).cloned().unwrap_or(Value::Null)
            };
            let account = ix.refs[ids[0]].account.clone();
            let mut resource_ids: Vec<String> =
                ids.iter().map(|&i| ix.refs[i].id.clone()).collect();
            resource_ids.sort();
            out.push(RawResponse {
                provider: c.provider,
                account,
                region: c.region.clone(),
                service: c.service.clone(),
                operation: c.operation.clone(),
                request_id: c.request_id.clone(),
                time: Some(c.time),
                pointer: (!pointer.is_empty()).then_some(pointer),
                resource_ids,
                body,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
