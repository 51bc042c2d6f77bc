//! End-to-end: policy profiles through the binary.

mod support;
use support::phiscan;

use serde_json::Value;

#[path = "cli/table.rs"]
mod table;
use table::{rows, unwrap};

const NOW: &str = "2026-06-01T12:00:00Z";

/// The demo scanned with the qolty profile in `format` (exit 1: it has failures).
fn demo_with_qolty(format: &str) -> Vec<u8> {
    let out = phiscan()
        .args([
            "scan",
            "--demo",
            "--profile",
            "qolty",
            "--now",
            NOW,
            "--format",
            format,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    out.stdout
}

/// The demo with a profile: one table row per promise, with the verdict and counts of the
/// JSON report. Not a snapshot: the demo's findings change as checks and resources are added.
#[test]
fn demo_scan_with_the_qolty_profile_reports_every_promise() {
    let text = String::from_utf8(demo_with_qolty("table")).unwrap();
    let v: Value = serde_json::from_slice(&demo_with_qolty("json")).unwrap();
    let promises = v["profile"]["promises"].as_array().unwrap();
    // The promise column wraps; the PASS count never does.
    let shown = rows(&text, 2);
    assert_eq!(shown.len(), promises.len());
    for (row, p) in shown.iter().zip(promises) {
        let id = p["id"].as_str().unwrap();
        assert_eq!(row[0].lines().next(), Some(id));
        assert!(
            unwrap(&row[0]).contains(p["quote"].as_str().unwrap()),
            "{id}: quote"
        );
        assert_eq!(
            row[1],
            p["verdict"].as_str().unwrap().to_uppercase(),
            "{id}"
        );
        for (cell, status) in row[2..5].iter().zip(["PASS", "FAIL", "ERROR"]) {
            assert_eq!(cell, &p["counts"][status].to_string(), "{id} {status}");
        }
        for f in p["failing"].as_array().unwrap() {
            let name = f["resource_name"].as_str().unwrap();
            assert!(row[5].contains(name), "{id}: failing {name} missing");
        }
    }
    assert!(promises.iter().any(|p| p["verdict"] == "broken"));
    assert!(promises.iter().any(|p| p["verdict"] == "manual"));
}

/// The profile's table over the small fixed estate (fixtures/snapshot-estate): a snapshot
/// that changes with the profile or the table, not with the registry or the demo.
#[test]
fn the_qolty_profile_over_the_small_estate() {
    let out = phiscan()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "scan",
            "--from-inventory",
            "fixtures/snapshot-estate/inventory.json",
            "--profile",
            "qolty",
            "--now",
            NOW,
        ])
        .output()
        .unwrap();
    // The estate's one failed collection makes the scan incomplete.
    assert_eq!(out.status.code(), Some(3));
    insta::assert_snapshot!("estate-qolty-table", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn profile_json_carries_verdicts_quotes_and_failing_resources() {
    let out = phiscan()
        .args([
            "scan",
            "--demo",
            "--policy",
            "janus-hcp",
            "--now",
            NOW,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let profile = &v["profile"];
    assert_eq!(profile["name"], "janus-hcp");
    let promises = profile["promises"].as_array().unwrap();
    let by_id = |id: &str| promises.iter().find(|p| p["id"] == id).unwrap().clone();
    let trained = by_id("ops-team-trained");
    assert_eq!(trained["verdict"], "manual");
    assert!(trained["quote"]
        .as_str()
        .unwrap()
        .starts_with("Ops Team members are trained"));
    let minimum = by_id("external-access-minimum-necessary");
    assert_eq!(minimum["verdict"], "broken");
    assert_eq!(minimum["references"][0]["cited"], "164.314(a)(1)(i)");
    assert_eq!(minimum["references"][0]["control"], "164.314(a)(1)");
    let failing = minimum["failing"].as_array().unwrap();
    assert!(
        failing
            .iter()
            .any(|f| f["resource_name"] == "patient-exports-tmp"),
        "{failing:?}"
    );
    // Only the profile's checks ran, and only on its cloud.
    let run: Vec<&str> = v["scan"]["checks_run"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(run.iter().all(|c| c.starts_with("gcp-")), "{run:?}");
    assert!(v["scan"]["scope"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["provider"] == "gcp"));
}

#[test]
fn profiles_list_and_show() {
    let out = phiscan().args(["profiles", "list"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for name in ["qolty", "healthtensor", "janus-hcp"] {
        assert!(text.contains(name), "{text}");
    }
    let out = phiscan()
        .args(["profiles", "show", "healthtensor"])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(
        "profiles-show-healthtensor",
        String::from_utf8(out.stdout).unwrap()
    );
}

#[test]
fn a_bad_profile_file_is_a_usage_error_naming_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(
        &path,
        r#"format = "phiscan-profile/v1"
name = "mine"
title = "t"
organization = "o"
document = "d"
version = "1"
providers = ["aws"]
[[promise]]
id = "p"
section = "1"
quote = "q"
checks = [{ id = "aws-ebs-volume-encrypted" }, { id = "aws-ebs-volumes-encrypted" }]
"#,
    )
    .unwrap();
    let out = phiscan()
        .args(["scan", "--demo", "--profile", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("mine.toml") && err.contains("unknown check \"aws-ebs-volumes-encrypted\""),
        "{err}"
    );
    let out = phiscan()
        .args(["scan", "--demo", "--profile", "nosuch"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("unknown profile \"nosuch\""));
}

/// The HTML report carries the promises too: quote, verdict badge and failing resources
/// linked to their rows in the findings table.
#[test]
fn html_report_shows_every_promise_with_its_verdict() {
    let html = String::from_utf8(demo_with_qolty("html")).unwrap();
    let v: Value = serde_json::from_slice(&demo_with_qolty("json")).unwrap();
    let promises = v["profile"]["promises"].as_array().unwrap();
    assert!(html.contains("<h2 id=\"promises\">Policy promises</h2>"));
    for p in promises {
        let id = p["id"].as_str().unwrap();
        let verdict = match p["verdict"].as_str().unwrap() {
            "could not be verified" => "not-verified",
            v => v,
        };
        let row = html
            .lines()
            .find(|l| l.contains(&format!("id=\"promise-{id}\"")))
            .unwrap_or_else(|| panic!("no HTML row for promise {id}"));
        assert!(
            row.contains(&format!("data-verdict=\"{verdict}\"")),
            "{row}"
        );
        // The quote, HTML-escaped the way the report escapes text.
        let quote = p["quote"]
            .as_str()
            .unwrap()
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;");
        assert!(row.contains(&quote), "quote of {id} missing: {row}");
        for f in p["failing"].as_array().unwrap() {
            let name = f["resource_name"].as_str().unwrap();
            assert!(row.contains(name), "{id}: failing {name} missing");
        }
        if !p["failing"].as_array().unwrap().is_empty() {
            assert!(
                row.contains("href=\"#finding-"),
                "{id}: no link to findings"
            );
        }
    }
    assert!(promises.iter().any(|p| p["verdict"] == "broken"));
    assert!(promises.iter().any(|p| p["verdict"] == "manual"));
}

/// `phiscan report` re-renders the promises from a JSON report: the same verdicts and the
/// same table as the scan printed.
#[test]
fn report_rerenders_the_promises_of_a_saved_scan() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("scan.json");
    phiscan()
        .args([
            "scan",
            "--demo",
            "--profile",
            "qolty",
            "--now",
            NOW,
            "--format",
            "json",
            "-o",
        ])
        .arg(&saved)
        .assert()
        .code(1);
    let direct = phiscan()
        .args(["scan", "--demo", "--profile", "qolty", "--now", NOW])
        .output()
        .unwrap();
    let rendered = phiscan().arg("report").arg(&saved).output().unwrap();
    assert_eq!(rendered.status.code(), Some(0));
    let rendered = String::from_utf8(rendered.stdout).unwrap();
    assert!(rendered.contains("Policy: "), "{rendered}");
    assert_eq!(rendered, String::from_utf8(direct.stdout).unwrap());
    // And the JSON round-trips: the promises section is the same.
    let again = phiscan()
        .arg("report")
        .arg(&saved)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let a: Value = serde_json::from_slice(&std::fs::read(&saved).unwrap()).unwrap();
    let b: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(a["profile"], b["profile"]);
}
