//! Byte snapshots of every format over the small fixed estate of
//! fixtures/snapshot-estate (its README says what each resource is for).
//!
//! The checks are an explicit list rather than "every check": with the whole registry, each
//! new check would add findings (and SARIF rules, JUnit suites, control rows) to every
//! snapshot here, and a new demo resource could too. With a fixed inventory and a fixed list,
//! these files change only when a format, or one of the listed checks, changes.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use super::asff::asff_errors;
use super::ocsf::Ocsf;
use super::{assert_junit_valid, oscal_errors, phiscan, run, sarif_errors, NOW};

pub const INVENTORY: &str = "fixtures/snapshot-estate/inventory.json";

/// The checks the snapshots run (fixtures/snapshot-estate/checks.txt, one id a line): each
/// reads a kind the estate holds.
pub fn checks() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/snapshot-estate/checks.txt");
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().map(String::from).collect()
}

/// The arguments of a scan of the estate at [`NOW`] with `checks` (comma-separated), in
/// `format`.
pub fn scan_args(checks: &str, format: &str) -> Vec<String> {
    let args = [
        "scan",
        "--from-inventory",
        INVENTORY,
        "--now",
        NOW,
        "--checks",
        checks,
        "--format",
        format,
    ];
    args.map(String::from).to_vec()
}

/// The estate in `format`, with [`checks`] and `more` checks selected. Exit 3: one
/// collection failed, so the scan is incomplete.
pub fn estate(format: &str, more: &[&str]) -> String {
    let mut checks = checks();
    checks.extend(more.iter().map(|c| c.to_string()));
    let args = scan_args(&checks.join(","), format);
    run(&args.iter().map(String::as_str).collect::<Vec<_>>(), 3)
}

/// Snapshots live with the others in tests/snapshots/, named `formats__estate__<name>`.
fn snapshot(name: &str, text: String) {
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!(name, text);
    });
}

/// The estate is worth snapshotting: every cloud has a PASS and a FAIL, and there is an
/// ERROR and a NOT_APPLICABLE, so every branch of every format shows up.
#[test]
fn the_estate_shows_every_status_on_every_cloud() {
    let v: Value = serde_json::from_str(&estate("json", &[])).unwrap();
    let findings = v["findings"].as_array().unwrap();
    for provider in ["aws", "gcp", "azure"] {
        for status in ["PASS", "FAIL"] {
            assert!(
                findings
                    .iter()
                    .any(|f| f["provider"] == provider && f["status"] == status),
                "no {status} finding for {provider}"
            );
        }
    }
    for status in ["ERROR", "NOT_APPLICABLE"] {
        assert!(
            findings.iter().any(|f| f["status"] == status),
            "no {status}"
        );
    }
    let run: BTreeSet<&str> = v["scan"]["checks_run"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let checks = checks();
    assert_eq!(run, checks.iter().map(String::as_str).collect());
    // Every check of the list has a finding: none of them is there for nothing.
    for check in &checks {
        assert!(
            findings.iter().any(|f| f["check_id"] == *check),
            "{check} has no finding"
        );
    }
}

#[test]
fn table() {
    snapshot("table", estate("table", &[]));
}

#[test]
fn json() {
    snapshot("json", estate("json", &[]));
}

#[test]
fn csv() {
    let csv = estate("csv", &[]);
    assert!(csv.starts_with("check_id,title,status,severity,"));
    snapshot("csv", csv);
}

#[test]
fn sarif() {
    let text = estate("sarif", &[]);
    let errors = sarif_errors(&serde_json::from_str(&text).unwrap());
    assert!(errors.is_empty(), "SARIF invalid:\n{}", errors.join("\n"));
    snapshot("sarif", text);
}

#[test]
fn junit() {
    let text = estate("junit", &[]);
    assert_junit_valid(&text);
    snapshot("junit", text);
}

#[test]
fn html() {
    snapshot("html", estate("html", &[]));
}

#[test]
fn asff() {
    let text = estate("asff", &[]);
    let findings: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert!(!findings.is_empty());
    for (i, f) in findings.iter().enumerate() {
        assert_eq!(asff_errors(i, f), Vec::<String>::new());
    }
    // Only the AWS findings: Security Hub files a finding under an AWS account.
    let json: Value = serde_json::from_str(&estate("json", &[])).unwrap();
    let aws = json["findings"].as_array().unwrap().iter();
    assert_eq!(
        findings.len(),
        aws.filter(|f| f["provider"] == "aws").count()
    );
    snapshot("asff", text);
}

#[test]
fn ocsf() {
    let text = estate("ocsf", &[]);
    let ocsf = Ocsf::load();
    let events: Vec<Value> = serde_json::from_str(&text).unwrap();
    for (i, e) in events.iter().enumerate() {
        assert_eq!(ocsf.validate(i, e), Vec::<String>::new());
    }
    snapshot("ocsf", text);
}

#[test]
fn oscal() {
    let text = estate("oscal", &[]);
    let errors = oscal_errors(&serde_json::from_str(&text).unwrap());
    assert!(errors.is_empty(), "OSCAL invalid:\n{}", errors.join("\n"));
    snapshot("oscal", text);
}

#[test]
fn junit_with_errors_and_skips_validates() {
    // A failed collection makes an ERROR finding.
    let dir = tempfile::tempdir().unwrap();
    let path = super::support::inventory_with_volume_error(
        dir.path(),
        "AccessDenied: ec2:DescribeVolumes <&>",
    );
    let out = phiscan()
        .args([
            "scan",
            "--from-inventory",
            path.to_str().unwrap(),
            "--checks",
            "aws-ebs-*",
            "--format",
            "junit",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("<error message=\"Could not collect AwsEbsVolume"),
        "{text}"
    );
    // The machine formats stay valid with ERROR findings too.
    let render = |format: &str| -> Value {
        let out = phiscan()
            .args([
                "scan",
                "--from-inventory",
                path.to_str().unwrap(),
                "--checks",
                "aws-ebs-*",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let sarif = render("sarif");
    assert_eq!(sarif_errors(&sarif), Vec::<String>::new());
    let inv = &sarif["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(inv["toolExecutionNotifications"][0]["level"], "error");
    assert_eq!(oscal_errors(&render("oscal")), Vec::<String>::new());
    let ocsf = Ocsf::load();
    for (i, e) in render("ocsf").as_array().unwrap().iter().enumerate() {
        assert_eq!(ocsf.validate(i, e), Vec::<String>::new());
    }
    assert_junit_valid(&text);
}
