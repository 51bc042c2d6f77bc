//! The demo scan as a whole: the report of every registered check, checked against the
//! registry and the catalogue rather than snapshotted (the demo grows with every check).

use phiscan_core::frameworks::hipaa::Hipaa;
use serde_json::Value;

use super::{demo_json, phiscan, NOW};

/// The demo's JSON v1 is the report of every registered check, with the whole control
/// matrix. Its byte shape is pinned by the small estate's snapshot (tests/formats/estate.rs):
/// a snapshot of the demo would change with every check added.
#[test]
fn demo_json_v1_reports_every_check_and_control() {
    let (v, code) = demo_json(&[]);
    assert_eq!(code, 1, "the demo estate has failures");
    assert_eq!(v["scan"]["started_at"], NOW);
    assert_eq!(v["scan"]["format"], "phiscan-json/v1");
    let registry = phiscan_checks::registry();
    let ids: Vec<&str> = registry.iter().map(|c| c.meta().id).collect();
    assert_eq!(strings(&v["scan"]["checks_run"]), ids);
    let rows = v["controls"].as_array().unwrap();
    let citations: Vec<&str> = Hipaa::ALL.iter().map(|c| c.citation()).collect();
    let row_ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        row_ids, citations,
        "one row per control, in catalogue order"
    );
    let findings = v["findings"].as_array().unwrap();
    for (row, control) in rows.iter().zip(Hipaa::ALL) {
        let citing: Vec<&str> = registry
            .iter()
            .map(|c| c.meta())
            .filter(|m| m.controls.contains(control))
            .map(|m| m.id)
            .collect();
        assert_eq!(strings(&row["checks"]), citing, "{}", control.citation());
        for status in ["PASS", "FAIL", "ERROR", "NOT_APPLICABLE"] {
            let n = findings
                .iter()
                .filter(|f| {
                    f["status"] == status && citing.contains(&f["check_id"].as_str().unwrap())
                })
                .count();
            assert_eq!(row["counts"][status], n, "{} {status}", control.citation());
        }
    }
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

/// The demo's table says what the JSON report says: its scopes, every failing check, the
/// totals.
#[test]
fn demo_table_summarises_the_report() {
    let out = phiscan()
        .args(["scan", "--demo", "--now", NOW])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let (v, _) = demo_json(&[]);
    assert!(text.starts_with(
        "phiscan 0.1.0 — built-in demo estate — evaluated at 2026-06-01 12:00:00 UTC\n"
    ));
    for scope in v["scan"]["scope"].as_array().unwrap() {
        let account = scope["account"].as_str().unwrap();
        let name = scope["name"].as_str().unwrap();
        assert!(
            text.lines()
                .any(|l| l.contains(&format!(" {account} ({name})"))),
            "scope {account} missing"
        );
    }
    let findings = v["findings"].as_array().unwrap();
    let n = |s: &str| findings.iter().filter(|f| f["status"] == s).count();
    let (failing, rest) = text
        .split_once(&format!("Failing resources ({})\n", n("FAIL")))
        .expect("a failing-resources section with every FAIL");
    assert!(failing.contains("HIPAA Security Rule controls tested by this scan"));
    for f in findings.iter().filter(|f| f["status"] == "FAIL") {
        let id = f["check_id"].as_str().unwrap();
        assert!(rest.contains(id), "failing {id} missing from the table");
    }
    let resources: std::collections::BTreeSet<&str> = findings
        .iter()
        .map(|f| f["resource"]["id"].as_str().unwrap())
        .collect();
    let summary = format!(
        "\n{} PASS, {} FAIL, {} ERROR, {} NOT_APPLICABLE — {} checks over {} resources.\nExit code 1: failures at or above severity low.\n",
        n("PASS"),
        n("FAIL"),
        n("ERROR"),
        n("NOT_APPLICABLE"),
        phiscan_checks::registry().len(),
        resources.len()
    );
    assert!(text.ends_with(&summary), "{}", &text[text.len() - 300..]);
}

#[test]
fn demo_covers_all_three_providers_with_pass_and_fail() {
    let (v, _) = demo_json(&[]);
    for provider in ["aws", "gcp", "azure"] {
        for status in ["PASS", "FAIL"] {
            let n = v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["provider"] == provider && f["status"] == status)
                .count();
            assert!(n > 0, "no {status} finding for {provider}");
        }
    }
    for f in v["findings"].as_array().unwrap() {
        for key in [
            "check_id",
            "title",
            "status",
            "severity",
            "provider",
            "account",
            "region",
            "resource",
            "controls",
            "evidence",
            "reason",
            "remediation",
        ] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
        assert!(!f["evidence"].as_object().unwrap().is_empty());
        assert!(!f["controls"].as_array().unwrap().is_empty());
    }
}
