//! The bundle's `raw/` tree: the observed data behind each finding, redacted.
//!
//! - `raw/<provider>/<account>/<region>/<Kind>/<name>.json`: one file per resource, its
//!   inventory record (what the collector observed) and the raw API responses that name it.
//! - `raw/<provider>/<account>/<region|global>/_responses/<service>-<operation>-<n>.json`:
//!   raw API responses the collectors kept ([`RawResponse`]), one file per distinct body of an
//!   operation (its `sha256`, the calls that returned it, the resources it describes).
//! - `raw/<provider>/<account>/<region|all-regions>/_errors/<Kind>.json`: a failed
//!   collection, the data behind ERROR findings; `<Kind>-<hash>.json` for a failed read of
//!   one resource (hash of its id and the operation).
//!
//! Path segments keep `[A-Za-z0-9._-]` and turn anything else into `_`; a file name whose
//! sanitizing lost information, or that two resources share, gets `-` and the first 12 hex
//! digits of the SHA-256 of the resource id, so every resource has its own stable file.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::redact::Redactor;
use crate::model::{Inventory, Provider, RawResponse};
use crate::report::{text_sha256_hex, Report};

/// A finding's resource that is no inventory record: its reference, (check, recorded
/// values) per check, and the kinds those checks read.
type Derived = (
    crate::ResourceRef,
    Vec<(String, Value)>,
    BTreeSet<crate::ResourceKind>,
);

/// Where each resource's (and failed collection's) evidence goes.
pub struct Layout {
    /// Resource id (or the engine's `<provider>/<account>/<region>/<Kind>` id of a failed
    /// collection) -> bundle path.
    pub paths: BTreeMap<String, String>,
    files: Vec<(String, Value)>,
    /// Path and kind of every resource record, for derived files.
    record_kinds: Vec<(String, crate::ResourceKind)>,
    collected_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn segment(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    if out.is_empty() || out.starts_with('.') {
        out.insert(0, '_');
    }
    out
}

/// SHA-256 (hex) of a body's compact JSON: what identical answers share.
pub fn body_sha256(body: &Value) -> String {
    text_sha256_hex(
        serde_json::to_string(body)
            .expect("JSON serializes")
            .as_bytes(),
    )
}

/// What raw API responses a bundle carries (`--evidence-raw`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawMode {
    /// Every response a collector kept.
    All,
    /// Those of resources with a FAIL (or WAIVED) finding.
    Failing,
    /// None.
    None,
}

/// Keep the raw responses `mode` asks for in `inv`, given the report's findings.
pub fn select(inv: &mut Inventory, report: &Report, mode: RawMode) {
    match mode {
        RawMode::All => {}
        RawMode::None => inv.raw_responses.clear(),
        RawMode::Failing => {
            let failing: BTreeSet<&str> = report
                .findings
                .iter()
                .filter(|f| {
                    matches!(
                        f.finding.status,
                        crate::Status::Fail | crate::Status::Waived
                    )
                })
                .map(|f| f.resource().id.as_str())
                .collect();
            inv.raw_responses.retain(|r| {
                r.resource_ids
                    .iter()
                    .any(|id| failing.contains(id.as_str()))
            });
        }
    }
}

fn response_path(i: usize, r: &RawResponse) -> String {
    format!(
        "raw/{}/{}/{}/_responses/{}-{}-{:04}.json",
        r.provider,
        segment(&r.account),
        segment(r.region.as_deref().unwrap_or("global")),
        segment(&r.service),
        segment(&r.operation),
        i
    )
}

impl Layout {
    /// Lay out the evidence of `inv` for the providers in `providers`.
    pub fn new(inv: &Inventory, providers: &BTreeSet<Provider>) -> Layout {
        let collected_at = inv.collected_at;
        // Raw responses first: resource files link to them. Identical bodies of one
        // operation are one file, listing every call that returned them.
        let mut responses_of: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut files: Vec<(String, Value)> = Vec::new();
        let mut groups: Vec<(String, Vec<&RawResponse>)> = Vec::new();
        let mut group_of: BTreeMap<String, usize> = BTreeMap::new();
        for r in inv
            .raw_responses
            .iter()
            .filter(|r| providers.contains(&r.provider))
        {
            let sha = body_sha256(&r.body);
            let key = format!(
                "{}\n{}\n{:?}\n{}\n{}\n{sha}",
                r.provider, r.account, r.region, r.service, r.operation
            );
            let n = *group_of.entry(key).or_insert_with(|| {
                groups.push((sha, Vec::new()));
                groups.len() - 1
            });
            groups[n].1.push(r);
        }
        for (i, (sha, calls)) in groups.iter().enumerate() {
            let first = calls[0];
            let path = response_path(i, first);
            let mut ids: Vec<&str> = calls
                .iter()
                .flat_map(|c| c.resource_ids.iter().map(String::as_str))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            for id in &ids {
                responses_of.entry(id).or_default().push(path.clone());
            }
            // Plain data: serialization cannot fail.
            let mut v = serde_json::to_value(first).expect("raw response serializes");
            if let Some(o) = v.as_object_mut() {
                o.insert("format".into(), json!("phiscan-raw-response/v1"));
                o.insert("resource_ids".into(), json!(ids));
                o.insert("sha256".into(), json!(sha));
                let calls: Vec<Value> = calls
                    .iter()
                    .map(|c| {
                        json!({
                            "request_id": c.request_id,
                            "time": c.time,
                            "pointer": c.pointer,
                            "resource_ids": c.resource_ids,
                        })
                    })
                    .collect();
                o.insert("calls".into(), json!(calls));
            }
            files.push((path, v));
        }

        let records: Vec<_> = inv
            .records()
            .into_iter()
            .filter(|(r, _)| providers.contains(&r.provider))
            .collect();
        let dir = |r: &crate::ResourceRef| {
            format!(
                "raw/{}/{}/{}/{}",
                r.provider,
                segment(&r.account),
                segment(&r.region),
                r.kind.as_str()
            )
        };
        let base = |r: &crate::ResourceRef| {
            let name = if r.name.trim().is_empty() {
                &r.id
            } else {
                &r.name
            };
            (segment(name), segment(name) == *name)
        };
        let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
        for (r, _) in &records {
            *seen.entry((dir(r), base(r).0)).or_default() += 1;
        }
        let mut paths = BTreeMap::new();
        let mut record_kinds = Vec::new();
        for (r, record) in records {
            let d = dir(r);
            let (name, exact) = base(r);
            let unique = seen.get(&(d.clone(), name.clone())) == Some(&1);
            let file = if exact && unique && !name.starts_with('_') {
                format!("{d}/{name}.json")
            } else {
                format!(
                    "{d}/{name}-{}.json",
                    &text_sha256_hex(r.id.as_bytes())[..12]
                )
            };
            let v = json!({
                "format": "phiscan-raw-record/v1",
                "provider": r.provider,
                "account": r.account,
                "region": r.region,
                "kind": r.kind.as_str(),
                "id": r.id,
                "collected_at": collected_at,
                "raw_responses": responses_of.get(r.id.as_str()).cloned().unwrap_or_default(),
                "record": record,
            });
            paths.insert(r.id.clone(), file.clone());
            record_kinds.push((file.clone(), r.kind));
            files.push((file, v));
        }
        for e in &inv.errors {
            if !providers.contains(&e.provider) {
                continue;
            }
            let region = e.region.as_deref().unwrap_or("all-regions");
            // A failed read of one resource: one file per resource and operation, which
            // its ERROR findings point at (its record, with what was read, stays beside).
            let unit = match &e.resource {
                Some(id) => {
                    let op = e.operation.as_deref().unwrap_or_default();
                    let key = format!("{id}\n{op}");
                    format!(
                        "{}-{}",
                        e.kind.as_str(),
                        &text_sha256_hex(key.as_bytes())[..12]
                    )
                }
                None => e.kind.as_str().to_string(),
            };
            let file = format!(
                "raw/{}/{}/{}/_errors/{unit}.json",
                e.provider,
                segment(&e.account),
                segment(region),
            );
            let v = json!({
                "format": "phiscan-raw-collection-error/v1",
                "collected_at": collected_at,
                "error": e,
            });
            paths.insert(e.subject_id(), file.clone());
            files.push((file, v));
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files.dedup_by(|a, b| a.0 == b.0);
        Layout {
            paths,
            files,
            record_kinds,
            collected_at,
        }
    }

    /// Point every finding of `report` at its evidence file. A finding on something that is
    /// not one inventory record (a check's verdict over several, e.g. CloudTrail coverage of
    /// a region) gets a `derived` file naming the records of the kinds its checks read in
    /// that account, and the values the checks recorded.
    pub fn attach(&mut self, report: &mut Report) {
        let mut derived: BTreeMap<String, Derived> = BTreeMap::new();
        for f in &report.findings {
            let id = &f.resource().id;
            if self.paths.contains_key(id) {
                continue;
            }
            let entry = derived
                .entry(id.clone())
                .or_insert_with(|| (f.resource().clone(), Vec::new(), BTreeSet::new()));
            entry.1.push((
                f.meta.id.to_string(),
                serde_json::to_value(&f.finding.evidence).expect("evidence serializes"),
            ));
            entry.2.extend(f.meta.kinds.iter().copied());
        }
        for (id, (r, checks, kinds)) in derived {
            let prefix = format!("raw/{}/{}/", r.provider, segment(&r.account));
            let from: Vec<String> = self
                .record_kinds
                .iter()
                .filter(|(path, kind)| path.starts_with(&prefix) && kinds.contains(kind))
                .map(|(path, _)| path.clone())
                .collect();
            let file = format!(
                "raw/{}/{}/{}/{}/_derived-{}.json",
                r.provider,
                segment(&r.account),
                segment(&r.region),
                r.kind.as_str(),
                &text_sha256_hex(id.as_bytes())[..12]
            );
            let v = json!({
                "format": "phiscan-raw-derived/v1",
                "provider": r.provider,
                "account": r.account,
                "region": r.region,
                "kind": r.kind.as_str(),
                "id": id,
                "name": r.name,
                "collected_at": self.collected_at,
                "checks": checks.iter().map(|(c, _)| c).collect::<Vec<_>>(),
                "observed": checks.iter().map(|(c, e)| (c.clone(), e.clone())).collect::<serde_json::Map<String, Value>>(),
                "derived_from": from,
            });
            self.paths.insert(id, file.clone());
            self.files.push((file, v));
        }
        self.files.sort_by(|a, b| a.0.cmp(&b.0));
        for f in &mut report.findings {
            f.evidence_ref = self.paths.get(&f.resource().id).cloned();
        }
    }

    /// The `raw/` files, redacted, as pretty JSON.
    pub fn render(&self, redactor: &mut Redactor) -> Vec<(String, Vec<u8>)> {
        self.files
            .iter()
            .map(|(path, v)| {
                let mut v = v.clone();
                redactor.value(&mut v);
                // Plain JSON values: serialization cannot fail.
                let text = serde_json::to_string_pretty(&v).expect("raw file serializes") + "\n";
                (path.clone(), text.into_bytes())
            })
            .collect()
    }

    pub fn resource_count(&self) -> usize {
        self.record_kinds.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_safe() {
        assert_eq!(segment("my bucket/../x"), "my_bucket_.._x");
        assert_eq!(segment(".."), "_..");
        assert_eq!(segment(""), "_");
        assert_eq!(segment("vol-0abc"), "vol-0abc");
    }
}
