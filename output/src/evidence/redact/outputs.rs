//! The one place outputs are redacted. A scan redacts its finished [`Report`] and the
//! [`Inventory`] the bundle draws on once, before any format or the bundle sees them
//! ([`redact_outputs`]); `report`, `diff` and `merge` redact the JSON v1 text they read
//! ([`redact_json_report`]) before parsing it, since a report written by an older phiscan, or
//! by hand, may still hold what this one would have withheld. Writers then have nothing left
//! to forget: every string a format or the bundle prints (names, ids, scope names, error
//! reasons, the API-call log, file paths derived from names) has been through the rules.

use std::collections::HashMap;

use foldhash::fast::RandomState;
use rayon::prelude::*;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

use super::Redactor;
use crate::model::{ApiCall, Inventory, ResourceRef};
use crate::report::Report;

impl Redactor {
    /// Every string of a JSON value, and no key rule: for typed data whose shape must survive.
    pub fn strings(&mut self, v: &mut Value) {
        match v {
            Value::Object(map) => map.values_mut().for_each(|c| self.strings(c)),
            Value::Array(items) => items.iter_mut().for_each(|i| self.strings(i)),
            Value::String(s) => {
                if let Some(r) = self.string(s) {
                    *s = r;
                }
            }
            _ => {}
        }
    }

    /// Redact typed data through its JSON form: every rule when the result still has the
    /// type's shape, otherwise the string rules alone (a key rule that turned a typed list
    /// into a marker string; the raw records of the bundle get the key rules when written).
    pub fn typed<T: Serialize + DeserializeOwned>(&mut self, t: &mut T) {
        let Ok(original) = serde_json::to_value(&*t) else {
            return;
        };
        let before = self.clone();
        let mut v = original.clone();
        self.value(&mut v);
        if v == original {
            return;
        }
        if let Ok(n) = serde_json::from_value(v) {
            *t = n;
            return;
        }
        *self = before;
        let mut v = original;
        self.strings(&mut v);
        if let Ok(n) = serde_json::from_value(v) {
            *t = n;
        }
    }
}

/// Redact a finished report and the inventory behind it (for an evidence bundle, which
/// writes both); returns the redactor, whose counts go into the bundle's scan.json.
pub fn redact_outputs(report: &mut Report, inventory: &mut Inventory) -> Redactor {
    let mut r = Redactor::new();
    r.typed(inventory);
    redact_into(&mut r, report);
    r
}

/// Redact a finished report alone: all that the formats read. Without a bundle the
/// inventory is never written, so it is neither copied nor redacted.
pub fn redact_report(report: &mut Report) -> Redactor {
    let mut r = Redactor::new();
    redact_into(&mut r, report);
    r
}

fn redact_into(r: &mut Redactor, report: &mut Report) {
    let s = &mut report.scan;
    r.typed(&mut s.scope);
    s.api_calls.iter_mut().for_each(|c| r.api_call(c));
    r.typed(&mut s.source);
    if let Some(scope) = &report.scope {
        report.scope = Some(r.string(scope).unwrap_or_else(|| scope.clone()));
    }
    // Findings are redacted in chunks on every core, each with its own redactor, whose
    // counts are added up: the rules are per string, so the result is the same in any order.
    let chunk = report
        .findings
        .len()
        .div_ceil(rayon::current_num_threads() * 8)
        .max(256);
    let parts: Vec<Redactor> = report
        .findings
        .par_chunks_mut(chunk)
        .map(|findings| {
            let mut r = Redactor::new();
            let mut resources = ResourceCache::default();
            for f in findings {
                let f = &mut f.finding;
                for v in f.evidence.values_mut() {
                    r.value(v);
                }
                resources.redact(&mut r, &mut f.resource);
                if let Some(s) = r.string(&f.reason) {
                    f.reason = s;
                }
            }
            r
        })
        .collect();
    for part in parts {
        for (rule, n) in part.counts {
            *r.counts.entry(rule).or_default() += n;
        }
    }
}

/// The redacted form of each resource reference already seen, with what redacting it
/// counted: a resource has a finding per check that judged it, and its reference is one
/// shared record, redacted once.
#[derive(Default)]
struct ResourceCache(HashMap<usize, (ResourceRef, Option<ResourceRef>, Redactor), RandomState>);

impl ResourceCache {
    fn redact(&mut self, r: &mut Redactor, resource: &mut ResourceRef) {
        let (_, redacted, counted) = self.0.entry(resource.address()).or_insert_with(|| {
            // The original is kept: its address is the key, and must not be reused.
            let original = resource.clone();
            let mut counted = Redactor::new();
            let mut copy = resource.clone();
            counted.resource(&mut copy);
            let changed = (!copy.shares(&original)).then_some(copy);
            (original, changed, counted)
        });
        if let Some(new) = redacted {
            *resource = new.clone();
        }
        for (rule, n) in &counted.counts {
            *r.counts.entry(rule).or_default() += n;
        }
    }
}

impl Redactor {
    /// What [`Redactor::typed`] does to a resource reference, without its JSON round trip
    /// (a report holds one per finding): the value rules on each string, and the key and
    /// pair rules on the tags, the only map in it. Provider and kind are fixed words that no
    /// rule matches.
    pub fn resource(&mut self, r: &mut ResourceRef) {
        let strings = [&r.account, &r.region, &r.id, &r.name].map(|s| self.string(s));
        let tags = (!r.tags.is_empty())
            .then(|| {
                let mut v = Value::Object(
                    r.tags
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                        .collect(),
                );
                self.value(&mut v);
                // Every rule leaves a string a string (a marker at worst).
                let Value::Object(m) = v else { return None };
                let tags: crate::model::Tags = m
                    .into_iter()
                    .filter_map(|(k, v)| Some((k, v.as_str()?.to_string())))
                    .collect();
                (tags != r.tags).then_some(tags)
            })
            .flatten();
        if strings.iter().all(Option::is_none) && tags.is_none() {
            // Untouched: the reference stays shared with the inventory and other findings.
            return;
        }
        let fields = &mut **r;
        let slots = [
            &mut fields.account,
            &mut fields.region,
            &mut fields.id,
            &mut fields.name,
        ];
        for (slot, new) in slots.into_iter().zip(strings) {
            if let Some(n) = new {
                *slot = n;
            }
        }
        if let Some(t) = tags {
            fields.tags = t;
        }
    }
}

impl Redactor {
    /// What [`Redactor::typed`] does to one API call record, without its JSON round trip
    /// (an organization's scan logs tens of thousands, and the round trip held two JSON trees
    /// of them all at once): the value rules on each string. Its keys are fixed names that no
    /// key rule matches; its time and numbers are text no rule changes.
    pub fn api_call(&mut self, c: &mut ApiCall) {
        for s in [&mut c.service, &mut c.operation] {
            if let Some(r) = self.string(s) {
                *s = r;
            }
        }
        for s in [
            &mut c.account,
            &mut c.region,
            &mut c.request_id,
            &mut c.error_code,
        ]
        .into_iter()
        .flatten()
        {
            if let Some(r) = self.string(s) {
                *s = r;
            }
        }
    }
}

/// Redact a JSON v1 report's text before it is parsed and rendered again, by the rules a scan
/// applies: each finding's evidence value by value (its top-level names are the check's, such
/// as `password_policy`, not observed keys), everything else whole. Text that is not JSON is
/// returned as it is: the parser then names what is wrong. When something is redacted the
/// text is written again, with object keys in sorted order.
pub fn redact_json_report(text: &str) -> String {
    let Ok(mut v) = serde_json::from_str::<Value>(text) else {
        return text.to_string();
    };
    let before = v.clone();
    let mut r = Redactor::new();
    let mut evidence = Vec::new();
    if let Some(findings) = v.get_mut("findings").and_then(Value::as_array_mut) {
        for f in findings.iter_mut() {
            if let Some(Value::Object(e)) = f.get_mut("evidence") {
                let mut e = std::mem::take(e);
                e.values_mut().for_each(|x| r.value(x));
                evidence.push(Some(e));
            } else {
                evidence.push(None);
            }
        }
    }
    r.value(&mut v);
    if let Some(findings) = v.get_mut("findings").and_then(Value::as_array_mut) {
        for (f, e) in findings.iter_mut().zip(evidence) {
            if let Some(e) = e {
                f["evidence"] = Value::Object(e);
            }
        }
    }
    if v == before {
        return text.to_string();
    }
    serde_json::to_string(&v).unwrap_or_else(|_| text.to_string())
}
