//! End-to-end tests of the `phiscan` binary: the demo scan (demo.rs), the catalogue
//! commands (catalogue.rs), check selection, inventories round-tripping, and bad input
//! giving exit 2 with a one-line error. The formats' byte snapshots are in
//! tests/formats/estate.rs.

#[path = "../support/mod.rs"]
mod support;
use support::phiscan;

use serde_json::Value;

mod catalogue;
mod demo;
mod doctor;
mod shell;
mod table;

/// Fixed clock so the demo's backup ages and the snapshots are stable.
const NOW: &str = "2026-06-01T12:00:00Z";

/// Snapshots live with the others in tests/snapshots/, named `cli__<name>`.
fn snapshot(name: &str, text: String) {
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!(name, text);
    });
}

fn demo_json(extra: &[&str]) -> (Value, i32) {
    let out = phiscan()
        .args(["scan", "--demo", "--format", "json", "--now", NOW])
        .args(extra)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    (v, code)
}

#[test]
fn check_selection_by_glob_and_exclusion() {
    let (v, _) = demo_json(&[
        "--checks",
        "aws-ec2-sg-*",
        "--exclude-checks",
        "aws-ec2-sg-no-public-db-ports",
    ]);
    let run: Vec<&str> = v["scan"]["checks_run"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(run, ["aws-ec2-sg-no-public-admin-ports"]);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["check_id"] == "aws-ec2-sg-no-public-admin-ports"));
}

#[test]
fn fail_on_threshold_changes_exit_code() {
    // The admin-ports check is critical, so it fails at every threshold; the demo has
    // failing medium-or-lower checks that `--fail-on critical` ignores.
    let (_, code) = demo_json(&[
        "--checks",
        "aws-ec2-sg-no-public-admin-ports",
        "--fail-on",
        "critical",
    ]);
    assert_eq!(code, 1);
    let (v, code) = demo_json(&[
        "--fail-on",
        "critical",
        "--exclude-checks",
        "*-no-public-*,*-not-public,*public-access*,*-public-ip",
    ]);
    let critical_fails = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "FAIL" && f["severity"] == "critical")
        .count();
    assert_eq!(
        code,
        i32::from(critical_fails > 0),
        "{critical_fails} critical failures"
    );
}

#[test]
fn inventory_round_trip_gives_the_same_findings() {
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("inv.json");
    let (direct, _) = demo_json(&["--save-inventory", inv.to_str().unwrap()]);
    // The demo's own [segmentation], partner list and organization, which --demo applies
    // by itself (demo/src/config.rs keeps the file equal).
    let config =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo-phiscan.toml");
    let out = phiscan()
        .args([
            "scan",
            "--from-inventory",
            inv.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let replay: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The saved inventory carries its collection time: re-evaluation uses it as the clock.
    assert_eq!(
        replay["scan"]["evaluated_at"],
        direct["scan"]["evaluated_at"]
    );
    assert_eq!(replay["findings"], direct["findings"]);
}

#[test]
fn from_inventory_with_a_provider_evaluates_only_that_provider() {
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("inv.json");
    demo_json(&["--save-inventory", inv.to_str().unwrap()]);
    let out = phiscan()
        .args([
            "scan",
            "gcp",
            "--from-inventory",
            inv.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f["provider"] == "gcp"));
    assert!(v["scan"]["scope"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["provider"] == "gcp"));
}

#[test]
fn collection_errors_make_error_findings_and_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let path =
        support::inventory_with_volume_error(dir.path(), "AccessDenied: ec2:DescribeVolumes");
    let out = phiscan()
        .args([
            "scan",
            "--from-inventory",
            path.to_str().unwrap(),
            "--format",
            "json",
            "--checks",
            "aws-ebs-volume-encrypted",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["status"], "ERROR");
    assert!(f["reason"].as_str().unwrap().contains("AccessDenied"));
    assert_eq!(v["scan"]["counts"]["PASS"], 0);
}

#[test]
fn clean_inventory_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inv.json");
    let inv = serde_json::json!({
        "format": "phiscan-inventory/v1",
        "scopes": [{"provider": "aws", "account": "111122223333", "regions": ["us-east-1"]}],
        "aws_ebs_volumes": [{
            "resource": {"provider": "aws", "account": "111122223333", "region": "us-east-1",
                         "kind": "AwsEbsVolume", "id": "arn:aws:ec2:us-east-1:111122223333:volume/vol-1",
                         "name": "vol-1"},
            "encrypted": true, "state": "in-use", "size_gib": 8
        }]
    });
    std::fs::write(&path, inv.to_string()).unwrap();
    phiscan()
        .args([
            "scan",
            "--from-inventory",
            path.to_str().unwrap(),
            "--checks",
            "aws-ebs-volume-encrypted",
        ])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("1 PASS, 0 FAIL"));
}

/// Bad input: exit 2 and exactly one line on stderr naming the problem; never a panic.
fn one_line_error(args: &[&str], expected: &[&str]) {
    let out = phiscan().args(args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "{args:?}: {stderr:?} lacks {e:?}");
    }
    assert!(out.stdout.is_empty(), "nothing on stdout after an error");
}

#[test]
fn malformed_inventory_names_file_and_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.json");
    std::fs::write(
        &path,
        "{\n  \"format\": \"phiscan-inventory/v1\",\n  \"scopes\": [\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    one_line_error(&["scan", "--from-inventory", p], &["broken.json", "line 4"]);
    std::fs::write(&path, r#"{"format": "phiscan-inventory/v1", "scopes": [], "aws_ebs_volumes": [{"encrypted": "yes"}]}"#).unwrap();
    one_line_error(
        &["scan", "--from-inventory", p],
        &["broken.json", "line 1, column"],
    );
    std::fs::write(&path, r#"{"format": "something-else", "scopes": []}"#).unwrap();
    one_line_error(
        &["scan", "--from-inventory", p],
        &["broken.json", "unsupported inventory format"],
    );
    std::fs::write(
        &path,
        r#"{"format": "phiscan-inventory/v1", "scopes": [], "bogus": 1}"#,
    )
    .unwrap();
    one_line_error(&["scan", "--from-inventory", p], &["broken.json", "bogus"]);
    one_line_error(
        &["scan", "--from-inventory", "/nonexistent/inv.json"],
        &["/nonexistent/inv.json"],
    );
}

#[test]
fn unknown_check_ids_are_refused() {
    one_line_error(
        &["scan", "--demo", "--checks", "aws-ebs-volume-encrypte"],
        &[
            "unknown check id \"aws-ebs-volume-encrypte\"",
            "did you mean \"aws-ebs-volume-encrypted\"",
        ],
    );
    one_line_error(
        &["scan", "--demo", "--checks", "nothing-*"],
        &["matches no check"],
    );
    one_line_error(
        &["scan", "--demo", "--exclude-checks", "aws-nope"],
        &["unknown check id"],
    );
    one_line_error(
        &["checks", "show", "aws-nope"],
        &["unknown check id \"aws-nope\""],
    );
    one_line_error(
        &["checks", "list", "--control", "164.999"],
        &["unknown HIPAA control"],
    );
    one_line_error(
        &["scan", "--demo", "--now", "yesterday"],
        &["--now", "RFC 3339"],
    );
}

#[test]
fn scan_without_a_target_says_what_to_scan() {
    // Every cloud has its collector: tests/aws_moto.rs, tests/azure_replay.rs,
    // tests/gcp_replay.rs.
    one_line_error(&["scan"], &["say what to scan"]);
}

#[test]
fn checks_show_prints_every_documentation_section() {
    let out = phiscan()
        .args(["checks", "show", "aws-ebs-volume-encrypted"])
        .output()
        .unwrap();
    assert!(out.status.success());
    snapshot("checks-show", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn checks_list_filters_by_provider_and_control() {
    let out = phiscan()
        .args([
            "checks",
            "list",
            "--provider",
            "gcp",
            "--control",
            "164.312(a)(2)(iv)",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("gcp-compute-disk-cmek"), "{text}");
    assert!(!text.contains("aws-"), "{text}");
    assert!(!text.contains("gcp-compute-firewall"), "{text}");
}

#[test]
fn output_file_gets_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.json");
    phiscan()
        .args([
            "scan",
            "--demo",
            "--format",
            "json",
            "--output",
            path.to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stdout("");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(v["scan"]["format"], "phiscan-json/v1");
}
