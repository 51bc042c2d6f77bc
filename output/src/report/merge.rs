//! `phiscan merge`: one JSON v1 document out of several scans of parts of an estate (the
//! shards of `--shard I/N`, or scans of different accounts).
//!
//! Rules (docs/json-v1.md, "Merged reports"):
//! - scopes: union; the same scope in several inputs (an AWS account split by region) is
//!   one scope with the union of the regions;
//! - checks_run: union, in this phiscan's registry order (the order a single scan lists);
//! - findings: union; a finding key (check, provider, account, region, resource id) seen
//!   twice must be identical (a multi-region CloudTrail trail is seen by every shard of its
//!   account), else the merge fails naming both inputs;
//! - api_calls: union, by start time; started_at earliest, finished_at and evaluated_at latest;
//! - phiscan version, source, --fail-on, --framework and policy profile must agree: a merged
//!   report claims one scan, so inputs of different scans are refused rather than guessed at;
//! - shards: inputs that are shards must all be shards of the same N, each at most once,
//!   and all N must be present: a missing shard is an incomplete scan, never a smaller one.

use std::collections::{BTreeMap, BTreeSet};

use super::json::{Parsed, ParsedFinding};
use crate::shard::Shard;

/// One input: its name (the path shown in errors) and its parsed document.
pub struct Input {
    pub name: String,
    pub doc: Parsed,
}

/// The identity of a finding: one check's verdict on one resource.
fn key(f: &ParsedFinding) -> (String, String, String, String, String) {
    (
        f.check_id.clone(),
        f.provider.as_str().to_string(),
        f.account.clone(),
        f.region.clone(),
        f.resource.id.clone(),
    )
}

/// Merge `inputs` (at least one) into one document; `registry_order` lists every check id
/// this phiscan knows, in registry order. Errors name the inputs involved.
pub fn merge(inputs: Vec<Input>, registry_order: &[&str]) -> Result<Parsed, String> {
    let Some(first) = inputs.first() else {
        return Err("nothing to merge: give at least one report or bundle".into());
    };
    let (first_name, base) = (first.name.clone(), first.doc.clone());
    for i in &inputs[1..] {
        let (a, b) = (&base.scan, &i.doc.scan);
        let differs = |what: &str, x: String, y: String| {
            format!(
                "{first_name} and {} differ in {what} ({x} versus {y}): merge combines the parts of one scan only",
                i.name
            )
        };
        if a.version != b.version {
            return Err(differs(
                "phiscan version",
                a.version.clone(),
                b.version.clone(),
            ));
        }
        if a.source != b.source {
            return Err(differs(
                "source",
                format!("{:?}", a.source),
                format!("{:?}", b.source),
            ));
        }
        if a.fail_on != b.fail_on {
            return Err(differs(
                "--fail-on",
                format!("{:?}", a.fail_on),
                format!("{:?}", b.fail_on),
            ));
        }
        if a.framework != b.framework {
            return Err(differs(
                "--framework",
                format!("{:?}", a.framework),
                format!("{:?}", b.framework),
            ));
        }
        let profile = |d: &Parsed| {
            d.profile
                .as_ref()
                .map(|p| format!("{} {}", p.name, p.version))
        };
        if profile(&base) != profile(&i.doc) {
            return Err(differs(
                "policy profile",
                profile(&base).unwrap_or_else(|| "none".into()),
                profile(&i.doc).unwrap_or_else(|| "none".into()),
            ));
        }
    }
    check_shards(&inputs)?;

    let mut out = base;
    out.scan.shard = None;
    out.controls.clear(); // recomputed from the findings
    let mut scopes = Vec::new();
    let mut checks: BTreeSet<String> = BTreeSet::new();
    let mut api_calls = Vec::new();
    let mut seen: BTreeMap<_, (usize, ParsedFinding)> = BTreeMap::new();
    let mut findings = Vec::new();
    for (n, i) in inputs.iter().enumerate() {
        let s = &i.doc.scan;
        out.scan.started_at = out.scan.started_at.min(s.started_at);
        out.scan.finished_at = out.scan.finished_at.max(s.finished_at);
        out.scan.evaluated_at = out.scan.evaluated_at.max(s.evaluated_at);
        for scope in &s.scope {
            match scopes.iter_mut().find(|x: &&mut crate::model::Scope| {
                x.provider == scope.provider && x.account == scope.account
            }) {
                Some(x) => {
                    x.regions.extend(scope.regions.iter().cloned());
                    x.regions.sort();
                    x.regions.dedup();
                    x.name = x.name.take().or_else(|| scope.name.clone());
                    x.identity = x.identity.take().or_else(|| scope.identity.clone());
                }
                None => scopes.push(scope.clone()),
            }
        }
        checks.extend(s.checks_run.iter().cloned());
        for c in &s.api_calls {
            if !api_calls.contains(c) {
                api_calls.push(c.clone());
            }
        }
        for f in &i.doc.findings {
            let mut f = f.clone();
            // The path points into the input's bundle, not into anything merge writes.
            f.evidence_ref = None;
            match seen.get(&key(&f)) {
                Some((_, g)) if *g == f => {}
                Some((m, _)) => {
                    return Err(format!(
                        "{} and {} disagree on {} for {} ({}/{}): they are not parts of one scan",
                        inputs[*m].name, i.name, f.check_id, f.resource.id, f.account, f.region
                    ))
                }
                None => {
                    seen.insert(key(&f), (n, f.clone()));
                    findings.push(f);
                }
            }
        }
    }
    scopes.sort_by(|a, b| (a.provider, &a.account).cmp(&(b.provider, &b.account)));
    api_calls.sort_by_key(|c| c.started_at);
    let unknown: Vec<&String> = checks
        .iter()
        .filter(|c| !registry_order.contains(&c.as_str()))
        .collect();
    if let Some(c) = unknown.first() {
        return Err(format!(
            "check {} is unknown to this phiscan",
            phiscan_core::quote::quote(c)
        ));
    }
    out.scan.checks_run = registry_order
        .iter()
        .filter(|c| checks.contains(**c))
        .map(|c| c.to_string())
        .collect();
    out.scan.scope = scopes;
    out.scan.api_calls = api_calls;
    out.findings = findings;
    Ok(out)
}

/// Shard inputs must be every shard of one N, each once.
fn check_shards(inputs: &[Input]) -> Result<(), String> {
    let shards: Vec<(&str, Option<Shard>)> = inputs
        .iter()
        .map(|i| (i.name.as_str(), i.doc.scan.shard))
        .collect();
    let Some((name, Some(first))) = shards.iter().find(|(_, s)| s.is_some()).copied() else {
        return Ok(());
    };
    let mut have = BTreeMap::new();
    for (n, s) in &shards {
        match s {
            None => {
                return Err(format!(
                    "{n} is a scan of every target but {name} is shard {first}: merge shards of one scan, or whole scans, not both"
                ))
            }
            Some(s) if s.index == 0 || s.index > s.count => {
                return Err(format!("{n}: scan.shard {s} is not a shard (1 <= I <= N)"))
            }
            Some(s) if s.count != first.count => {
                return Err(format!(
                    "{name} is shard {first} but {n} is shard {s}: every shard must split the targets the same way (same N)"
                ))
            }
            Some(s) => {
                if let Some(other) = have.insert(s.index, *n) {
                    return Err(format!("{other} and {n} are both shard {s}"));
                }
            }
        }
    }
    // N is at most shard::MAX_SHARDS (checked when the report was read); the message names
    // the first few missing shards only, so it stays one readable line.
    let missing = (1..=first.count).filter(|i| !have.contains_key(i));
    let count = missing.clone().count();
    if count > 0 {
        let mut names: Vec<String> = missing
            .take(10)
            .map(|i| format!("{i}/{}", first.count))
            .collect();
        if count > names.len() {
            names.push(format!("and {} more", count - names.len()));
        }
        return Err(format!(
            "shard(s) {} missing: a merged report must cover every shard (a missing shard is an incomplete scan)",
            names.join(", ")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::json;

    /// A minimal JSON v1 document of `findings` (check id, resource id, status), optionally
    /// a shard.
    fn doc(findings: &[(&str, &str, &str)], shard: Option<(u32, u32)>) -> Parsed {
        json::parse(&doc_text(findings, shard)).unwrap()
    }

    fn doc_text(findings: &[(&str, &str, &str)], shard: Option<(u32, u32)>) -> String {
        let findings: Vec<serde_json::Value> = findings
            .iter()
            .map(|(check, id, status)| {
                serde_json::json!({
                    "check_id": check, "title": "t", "status": status, "severity": "high",
                    "provider": "gcp", "account": "p1", "region": "global",
                    "resource": {"id": id, "kind": "GcpComputeDisk", "name": id},
                    "controls": [], "evidence": {}, "reason": "r"
                })
            })
            .collect();
        let mut scan = serde_json::json!({
            "format": json::FORMAT, "version": "0.1.0", "source": {"type": "demo"},
            "started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:01:00Z",
            "evaluated_at": "2026-01-01T00:02:00Z",
            "scope": [{"provider": "gcp", "account": "p1", "regions": []}],
            "checks_run": ["c2", "c1"], "fail_on": "low", "exit_code": 0
        });
        if let Some((index, count)) = shard {
            scan["shard"] = serde_json::json!({"index": index, "count": count});
        }
        serde_json::json!({"scan": scan, "findings": findings}).to_string()
    }

    fn input(name: &str, doc: Parsed) -> Input {
        Input {
            name: name.into(),
            doc,
        }
    }

    #[test]
    fn unions_findings_dedupes_identical_ones_and_orders_checks_like_the_registry() {
        let a = doc(&[("c1", "d1", "PASS"), ("c1", "d2", "FAIL")], Some((1, 2)));
        let mut b = doc(&[("c1", "d2", "FAIL"), ("c2", "d3", "PASS")], Some((2, 2)));
        b.scan.started_at = "2025-12-31T00:00:00Z".parse().unwrap();
        let m = merge(vec![input("a", a), input("b", b)], &["c1", "c2", "c3"]).unwrap();
        let ids: Vec<(&str, &str)> = m
            .findings
            .iter()
            .map(|f| (f.check_id.as_str(), f.resource.id.as_str()))
            .collect();
        assert_eq!(ids, [("c1", "d1"), ("c1", "d2"), ("c2", "d3")]);
        assert_eq!(m.scan.checks_run, ["c1", "c2"]);
        assert_eq!(m.scan.started_at.to_rfc3339(), "2025-12-31T00:00:00+00:00");
        assert_eq!(m.scan.scope.len(), 1);
        assert!(m.scan.shard.is_none());
    }

    #[test]
    fn conflicting_duplicates_name_both_inputs() {
        let a = doc(&[("c1", "d1", "PASS")], None);
        let b = doc(&[("c1", "d1", "FAIL")], None);
        let e = merge(vec![input("a.json", a), input("b.json", b)], &["c1", "c2"]).unwrap_err();
        assert!(
            e.contains("a.json") && e.contains("b.json") && e.contains("d1"),
            "{e}"
        );
    }

    #[test]
    fn shards_must_be_complete_unique_and_valid() {
        let d = |s| doc(&[], s);
        let order = ["c1", "c2"];
        let e = merge(
            vec![input("a", d(Some((1, 3)))), input("b", d(Some((3, 3))))],
            &order,
        )
        .unwrap_err();
        assert!(e.contains("2/3") && e.contains("missing"), "{e}");
        let e = merge(
            vec![input("a", d(Some((1, 2)))), input("b", d(None))],
            &order,
        )
        .unwrap_err();
        assert!(e.contains("not both"), "{e}");
        // Impossible shards (0/2, or 2^32 - 1 of them) are refused where the report is read.
        for bad in [(0, 2), (1, u32::MAX)] {
            let e = json::parse(&doc_text(&[], Some(bad)))
                .unwrap_err()
                .to_string();
            assert!(e.contains("not a shard"), "{e}");
        }
        let e = merge(vec![input("a", d(Some((1, 10_000))))], &order).unwrap_err();
        assert!(
            e.contains("2/10000, 3/10000") && e.contains("and 9989 more") && e.len() < 300,
            "{e}"
        );
        assert!(merge(vec![input("a", d(Some((1, 1))))], &order).is_ok());
    }

    #[test]
    fn unknown_checks_and_different_scans_are_refused() {
        let a = doc(&[], None);
        let e = merge(vec![input("a", a.clone())], &["c1"]).unwrap_err();
        assert!(e.contains("\"c2\""), "{e}");
        let mut b = a.clone();
        b.scan.fail_on = crate::Severity::High;
        let e = merge(vec![input("a", a), input("b", b)], &["c1", "c2"]).unwrap_err();
        assert!(e.contains("--fail-on"), "{e}");
    }
}
