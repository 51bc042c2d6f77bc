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
//!   list or the call's service and operation name (`volumeId` in `volumeSet`, `domainName`
//!   in `GetDomainNames`, rank 2), or else what the resource's kind is called
//!   (rank 1: `KmsKeyId` in an RDS instance names the key but does not describe it, and
//!   loses to `DBInstanceArn`); any other field holding a full id (rank 1). Only the best rank of an object counts,
//!   full ids before short ones (a GCP disk's `selfLink` before a same-named VM's `name`).
//! - A full id names its resource in any response; a short id or name (`default`, a bucket's
//!   name) only in a call whose service or operation shares a word with the resource's kind
//!   (`DescribeVolumes` and `AwsEbsVolume`): a Config recorder named `default` is not the
//!   security group `default`.
//! - A response that names no resource at all (S3 `GetBucketEncryption` answers with the
//!   configuration only) describes the resources its request named: path segments, query,
//!   form and JSON request values. The request itself is never stored.
//! - A response that names nothing and whose request names nothing either (EC2's
//!   `GetEbsEncryptionByDefault`) is a setting: it describes the one resource of its region
//!   whose kind's words are all in the service's and operation's (`AwsEbsEncryptionDefault`:
//!   ebs, encryption, default).
//! - A one-field object (`{"id": ...}`) is a reference to another resource, not a
//!   description of it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::model::{Inventory, Provider, RawResponse};

mod parts;
#[cfg(test)]
use parts::key_rank;
use parts::{settings_of, singular, walk, words, Index};

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
        let said: Vec<String> = words(&c.service)
            .into_iter()
            .chain(words(&c.operation))
            .map(|w| singular(&w).to_string())
            .collect();
        // A full id names one resource anywhere; a short one only in a call about its kind
        // (a Config recorder named `default` is not the security group `default`).
        let named_here = |i: usize, full: bool| ours(i) && (full || ix.about(i, &said));
        let mut parts = Vec::new();
        // What the call is about counts as enclosing context: `domainName` in GetDomainNames
        // is the item's own name, its `regionalCertificateArn` a reference.
        let (mut pointer, mut context) = (String::new(), said.clone());
        walk(
            &c.body,
            &mut pointer,
            &mut context,
            &ix,
            &named_here,
            &mut parts,
        );
        if parts.is_empty() {
            let mut named: Vec<usize> = Vec::new();
            for a in &c.asked {
                for (i, full) in ix.lookup(a) {
                    let r = ix.refs[i];
                    if named_here(i, full)
                        && !a.eq_ignore_ascii_case(&r.account)
                        && !named.contains(&i)
                    {
                        named.push(i);
                    }
                }
            }
            if named.is_empty() {
                named = settings_of(&ix, &c, &said, ours);
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
