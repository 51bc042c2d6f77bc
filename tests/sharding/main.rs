//! End-to-end tests of `scan --shard I/N` and `phiscan merge`, through the binary: the shards
//! of an estate, merged, are the unsharded scan (same findings, counts, scopes, checks and
//! exit code), on the demo estate and on the GCP replay; bad shards are usage errors; merge
//! refuses what is not one scan, naming the file.

#[path = "../support/mod.rs"]
mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use support::Run;

mod aws;
#[cfg(feature = "azure")]
mod azure;
mod demo;
mod gcp;

const NOW: &str = "2026-06-01T12:00:00Z";

fn run(args: &[&str]) -> Run {
    support::run(support::phiscan().args(args))
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A demo scan (shard or not) written to `dir/name`, returning its path and report.
fn demo(dir: &Path, name: &str, shard: Option<&str>) -> (PathBuf, Value) {
    let path = dir.join(name);
    let mut args = vec!["scan", "--demo", "--format", "json", "--now", NOW, "-o"];
    let p = path.to_str().unwrap().to_string();
    args.push(&p);
    if let Some(s) = shard {
        args.extend(["--shard", s]);
    }
    let out = run(&args);
    assert!(matches!(out.code, 0 | 1 | 3), "{}", out.stderr);
    let report = json(&std::fs::read_to_string(&path).unwrap());
    (path, report)
}

/// Findings as a set of canonical JSON strings (order-independent comparison).
fn findings(report: &Value) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.to_string())
        .collect()
}

fn merge(inputs: &[&Path], extra: &[&str]) -> Run {
    support::run(support::phiscan().arg("merge").args(inputs).args(extra))
}

/// The parts of `scan` that must survive sharding + merge unchanged.
fn assert_same_scan(merged: &Value, whole: &Value) {
    assert_eq!(findings(merged), findings(whole));
    for field in [
        "counts",
        "exit_code",
        "scope",
        "checks_run",
        "started_at",
        "finished_at",
    ] {
        assert_eq!(merged["scan"][field], whole["scan"][field], "scan.{field}");
    }
    assert_eq!(merged["controls"], whole["controls"]);
    assert!(merged["scan"].get("shard").is_none());
}
