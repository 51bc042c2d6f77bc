//! Synthetic inventories of any size: the demo estate replicated, each replica in accounts,
//! projects and subscriptions of its own, with some resources changed so that verdicts mix.
//!
//! Why the demo estate: it holds every kind of the three clouds, with compliant and
//! non-compliant resources for every check, in shapes the collectors produce; a replica of it
//! is a realistic tenant. Renaming works on the JSON form: every string that holds one of
//! the demo's scope ids (ARNs, full resource names, Azure ids, principals) gets the replica's
//! id instead, so references between resources of one replica stay whole. S3 bucket ARNs
//! carry no account, so buckets of different replicas share an id in different accounts,
//! as two accounts' resources may.
//!
//! The file is written while it is generated (one resource at a time), so a 1M-resource
//! inventory needs no more memory than the demo estate.

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// The top-level fields of a saved inventory that are not resource lists, and the lists
/// that describe scopes rather than resources.
const HEADER_FIELDS: [&str; 3] = ["format", "collection_started_at", "collected_at"];
const SCOPE_LISTS: [&str; 3] = ["scopes", "errors", "api_calls"];

/// The demo's scope ids (accounts, projects, subscriptions), each with its name in
/// `replica`: AWS accounts stay 12 digits, GCP projects get a suffix, Azure subscriptions
/// keep the GUID shape.
fn renames(scopes: &[(String, String)], replica: usize) -> Vec<(String, String)> {
    scopes
        .iter()
        .enumerate()
        .map(|(k, (provider, id))| {
            let to = match provider.as_str() {
                "aws" => format!("{:04}{replica:08}", 2000 + k),
                "azure" if id.len() == 36 => format!("{}{replica:012x}", &id[..24]),
                _ => format!("{id}-{replica:06}"),
            };
            (id.clone(), to)
        })
        .collect()
}

/// (provider, id) of each scope of the template.
fn scope_ids(t: &Map<String, Value>) -> Vec<(String, String)> {
    let Some(Value::Array(scopes)) = t.get("scopes") else {
        return Vec::new();
    };
    scopes
        .iter()
        .filter_map(|s| {
            let field = |k: &str| s.get(k)?.as_str().map(str::to_string);
            Some((field("provider")?, field("account")?))
        })
        .collect()
}

/// What a generated file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub resources: usize,
    pub replicas: usize,
    pub scopes: usize,
}

/// The demo estate as of `now`, as the JSON object a saved inventory is.
fn template(now: DateTime<Utc>) -> Map<String, Value> {
    let inv = phiscan_demo::estate(now);
    match serde_json::to_value(&inv).expect("the demo inventory serializes") {
        Value::Object(m) => m,
        _ => unreachable!("an inventory serializes to an object"),
    }
}

/// Number of resources in one replica of the demo estate.
pub fn demo_resources(now: DateTime<Utc>) -> usize {
    resource_lists(&template(now)).map(|(_, l)| l.len()).sum()
}

fn resource_lists(t: &Map<String, Value>) -> impl Iterator<Item = (&String, &Vec<Value>)> {
    t.iter().filter_map(|(k, v)| match v {
        Value::Array(l) if !SCOPE_LISTS.contains(&k.as_str()) && k != "raw_responses" => {
            Some((k, l))
        }
        _ => None,
    })
}

/// Write an inventory of exactly `resources` resources to `out`: whole replicas of the
/// demo estate, then an even sample of one more for the rest.
pub fn write(resources: usize, now: DateTime<Utc>, out: impl Write) -> io::Result<Summary> {
    let t = template(now);
    let scopes = scope_ids(&t);
    let per_replica = demo_resources(now);
    let full = resources / per_replica;
    let rest = resources % per_replica;
    let replicas = full + usize::from(rest > 0);
    let mut out = io::BufWriter::with_capacity(1 << 20, out);
    let mut summary = Summary {
        resources: 0,
        replicas,
        scopes: 0,
    };
    out.write_all(b"{")?;
    let mut first_field = true;
    let mut field = |out: &mut io::BufWriter<_>, name: &str| -> io::Result<()> {
        if !std::mem::take(&mut first_field) {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, name)?;
        out.write_all(b":")
    };
    for name in HEADER_FIELDS {
        if let Some(v) = t.get(name) {
            field(&mut out, name)?;
            serde_json::to_writer(&mut out, v)?;
        }
    }
    // Every replica's scopes (and the demo's collection errors, renamed), then each kind's
    // resources replica after replica, in the file order `Inventory` serializes.
    for name in SCOPE_LISTS {
        let Some(Value::Array(items)) = t.get(name) else {
            continue;
        };
        if items.is_empty() {
            continue;
        }
        field(&mut out, name)?;
        out.write_all(b"[")?;
        let mut first = true;
        for replica in 0..replicas {
            let renames = renames(&scopes, replica);
            for item in items {
                let mut item = item.clone();
                rename(&mut item, &renames);
                separate(&mut out, &mut first)?;
                serde_json::to_writer(&mut out, &item)?;
                summary.scopes += usize::from(name == "scopes");
            }
        }
        out.write_all(b"]")?;
    }
    let mut index = 0usize;
    let mut positions = Vec::new();
    for (name, items) in resource_lists(&t) {
        positions.push((name, items, index));
        index += items.len();
    }
    for (name, items, start) in positions {
        field(&mut out, name)?;
        out.write_all(b"[")?;
        let mut first = true;
        for replica in 0..replicas {
            let renames = renames(&scopes, replica);
            // Seeded by replica and list: each kind's resources get their own draws.
            let mut rng = SplitMix(((replica as u64) << 32) ^ start as u64);
            for (j, item) in items.iter().enumerate() {
                if replica == full && !in_sample(start + j, rest, per_replica) {
                    continue;
                }
                let mut item = item.clone();
                rename(&mut item, &renames);
                // Replica 0 is the demo itself; later ones change a quarter of their
                // resources so that each check's PASS/FAIL split differs between tenants.
                if replica > 0 && rng.next().is_multiple_of(4) {
                    flip_one_bool(&mut item, &mut rng);
                }
                separate(&mut out, &mut first)?;
                serde_json::to_writer(&mut out, &item)?;
                summary.resources += 1;
            }
        }
        out.write_all(b"]")?;
    }
    out.write_all(b"}\n")?;
    out.flush()?;
    Ok(summary)
}

fn separate(out: &mut impl Write, first: &mut bool) -> io::Result<()> {
    if std::mem::take(first) {
        Ok(())
    } else {
        out.write_all(b",")
    }
}

/// Whether resource `j` of a replica belongs to the first `rest` of `per_replica` resources
/// spread evenly over the estate (every kind keeps its share).
fn in_sample(j: usize, rest: usize, per_replica: usize) -> bool {
    (j + 1) * rest / per_replica > j * rest / per_replica
}

/// Rename every string (object keys too: tags and maps may be keyed by ids) that holds one
/// of the demo's scope ids.
fn rename(v: &mut Value, renames: &[(String, String)]) {
    let fix = |s: &str| -> Option<String> {
        let mut hit = None::<String>;
        for (from, to) in renames {
            let cur = hit.as_deref().unwrap_or(s);
            if cur.contains(from) {
                hit = Some(cur.replace(from, to));
            }
        }
        hit
    };
    match v {
        Value::String(s) => {
            if let Some(n) = fix(s) {
                *s = n;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| rename(i, renames)),
        Value::Object(map) => {
            let old = std::mem::take(map);
            for (k, mut child) in old {
                rename(&mut child, renames);
                map.insert(fix(&k).unwrap_or(k), child);
            }
        }
        _ => {}
    }
}

/// Flip one of the resource's own booleans, at any depth but never inside its `resource`
/// reference: an encryption flag, a public-access setting, a rule's `enabled`, whichever
/// the kind has.
fn flip_one_bool(item: &mut Value, rng: &mut SplitMix) {
    fn flags<'a>(v: &'a mut Value, out: &mut Vec<&'a mut bool>) {
        match v {
            Value::Bool(b) => out.push(b),
            Value::Array(items) => items.iter_mut().for_each(|i| flags(i, out)),
            Value::Object(map) => map
                .iter_mut()
                .filter(|(k, _)| k.as_str() != "resource")
                .for_each(|(_, c)| flags(c, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    flags(item, &mut found);
    if found.is_empty() {
        return;
    }
    let i = (rng.next() % found.len() as u64) as usize;
    let b = &mut found[i];
    **b = !**b;
}

/// A small deterministic generator (SplitMix64): the same size gives the same file.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use phiscan_core::Inventory;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
    }

    fn generate(n: usize) -> (Summary, Inventory) {
        let mut buf = Vec::new();
        let s = write(n, now(), &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        (s, Inventory::from_json(&text, "synthetic").unwrap())
    }

    #[test]
    fn writes_exactly_the_resources_asked_for_as_a_loadable_inventory() {
        let per = demo_resources(now());
        for n in [per / 3, per, 2 * per + 7] {
            let (s, inv) = generate(n);
            assert_eq!(s.resources, n);
            assert_eq!(inv.records().len(), n, "records of {n}");
        }
    }

    #[test]
    fn each_replica_has_scopes_and_ids_of_its_own() {
        let per = demo_resources(now());
        let (s, inv) = generate(3 * per);
        assert_eq!(s.replicas, 3);
        assert_eq!(
            inv.scopes.len(),
            3 * phiscan_demo::estate(now()).scopes.len()
        );
        // Every resource sits in its replica's renamed scope: none keeps a demo scope id.
        let estate = phiscan_demo::estate(now());
        let demo_scopes: Vec<&str> = estate.scopes.iter().map(|s| s.account.as_str()).collect();
        let records = inv.records();
        assert!(records
            .iter()
            .all(|(r, _)| !demo_scopes.contains(&r.account.as_str())));
        let accounts: std::collections::BTreeSet<&str> =
            records.iter().map(|(r, _)| r.account.as_str()).collect();
        assert_eq!(accounts.len(), 3 * demo_scopes.len(), "{accounts:?}");
        // Replicas share no (account, kind, id).
        let keys = |inv: &Inventory| -> std::collections::BTreeSet<(String, String, String)> {
            inv.records()
                .into_iter()
                .map(|(r, _)| (r.account.clone(), r.kind.as_str().to_string(), r.id.clone()))
                .collect()
        };
        assert_eq!(keys(&inv).len(), 3 * keys(&estate).len());
        assert!(inv
            .aws_ebs_volumes
            .iter()
            .all(|v| !v.resource.id.contains(phiscan_demo::AWS_ACCOUNT)));
    }

    #[test]
    fn the_first_replica_is_the_demo_and_the_second_differs_from_it() {
        let per = demo_resources(now());
        let (_, inv) = generate(2 * per);
        let Value::Object(got) = serde_json::to_value(&inv).unwrap() else {
            unreachable!()
        };
        let demo = template(now());
        let (mut same, mut changed) = (0, 0);
        for ((_, list), (_, demo_list)) in resource_lists(&got).zip(resource_lists(&demo)) {
            let (first, second) = list.split_at(demo_list.len());
            for (replica, half) in [(0, first), (1, second)] {
                for (r, d) in half.iter().zip(demo_list) {
                    let mut d = d.clone();
                    rename(&mut d, &renames(&scope_ids(&demo), replica));
                    match (replica, *r == d) {
                        (0, equal) => assert!(equal, "{r} != {d}"),
                        (_, true) => same += 1,
                        (_, false) => changed += 1,
                    }
                }
            }
        }
        // About a quarter of the resources, those that have a flag.
        assert!(
            changed > per / 8 && same > changed,
            "{changed} changed, {same} kept"
        );
    }
}
