//! End-to-end tests of phiscan.toml through the binary, on the demo estate: waivers (applied,
//! expired, unmatched, the exit code after waivers, every format showing them), the
//! data-classification scope (include, exclude, report), severity overrides and fail_on,
//! `phiscan config check`, and bad files refused with file, line, column and key.

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use phiscan_scanner::model::ResourceKind;
use serde_json::Value;

const NOW: &str = "2026-06-01T12:00:00Z";

fn phiscan(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("phiscan").expect("binary built");
    c.env_remove("RUST_LOG").current_dir(dir);
    c
}

struct Run {
    json: Value,
    code: i32,
    stderr: String,
}

/// `scan --demo` in `dir` (where its phiscan.toml is found), JSON on stdout.
fn demo(dir: &Path, extra: &[&str]) -> Run {
    let out = phiscan(dir)
        .args(["scan", "--demo", "--format", "json", "--now", NOW])
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}); stderr: {stderr}"));
    Run {
        json,
        code: out.status.code().unwrap(),
        stderr,
    }
}

fn with_config(toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("phiscan.toml"), toml).unwrap();
    dir
}

fn findings(v: &Value) -> &Vec<Value> {
    v["findings"].as_array().expect("findings")
}

/// (check id, resource id) of every FAIL of the plain demo.
fn demo_failures() -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let run = demo(dir.path(), &[]);
    assert_eq!(run.code, 1);
    findings(&run.json)
        .iter()
        .filter(|f| f["status"] == "FAIL")
        .map(|f| {
            (
                f["check_id"].as_str().unwrap().to_string(),
                f["resource"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn waiver(check: &str, resource: &str, expires: &str) -> String {
    format!(
        "[[waiver]]\ncheck = \"{check}\"\nresource = \"{resource}\"\njustification = \"RISK-1 compensating control\"\napprover = \"ciso@example.org\"\nexpires = {expires}\n\n"
    )
}

#[test]
fn a_waiver_turns_fail_into_waived_with_its_justification_in_every_format() {
    let (check, resource) = demo_failures().into_iter().next().unwrap();
    let dir = with_config(&waiver(&check, &resource, "2026-12-31"));
    let run = demo(dir.path(), &[]);
    let f = findings(&run.json)
        .iter()
        .find(|f| f["check_id"] == check.as_str() && f["resource"]["id"] == resource.as_str())
        .unwrap();
    assert_eq!(f["status"], "WAIVED");
    assert_eq!(f["waiver"]["justification"], "RISK-1 compensating control");
    assert_eq!(f["waiver"]["approver"], "ciso@example.org");
    assert_eq!(f["waiver"]["expires"], "2026-12-31");
    assert_eq!(run.json["scan"]["counts"]["WAIVED"], 1);
    assert_eq!(run.json["waivers"][0]["state"], "applied");
    assert_eq!(run.json["waivers"][0]["findings"], 1);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);

    // Every format, from one scan.
    let out = dir.path().join("out");
    let o = phiscan(dir.path())
        .args([
            "scan",
            "--demo",
            "--now",
            NOW,
            "--evidence",
            "bundle",
            "--output-dir",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let v = phiscan(dir.path())
        .args(["evidence", "verify", "bundle"])
        .output()
        .unwrap();
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&v.stdout)
    );
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    let sarif: Value = serde_json::from_str(&read("report.sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["ruleId"], check.as_str());
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "external");
    assert_eq!(
        suppressed[0]["suppressions"][0]["justification"],
        "RISK-1 compensating control"
    );
    let table = read("report.txt");
    assert!(table.contains("Waived failures"), "{table}");
    assert!(table.contains("1 WAIVED"), "{table}");
    let csv = read("report.csv");
    assert!(csv.lines().next().unwrap().ends_with("waiver_expires"));
    assert!(csv.contains(",WAIVED,") && csv.contains("ciso@example.org,2026-12-31"));
    let junit = read("report.junit.xml");
    assert!(junit.contains("<skipped message=\"WAIVED: RISK-1 compensating control"));
    let html = read("report.html");
    assert!(html.contains("<span class=\"badge waived\">WAIVED</span>"));
    assert!(html.contains("<option value=\"waived\">WAIVED</option>"));
    assert!(html.contains("id=\"waivers\""));
    let ocsf: Value = serde_json::from_str(&read("report.ocsf.json")).unwrap();
    let ev: Vec<&Value> = ocsf
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "Suppressed")
        .collect();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0]["compliance"]["status"], "Fail");
    let oscal = read("report.oscal.json");
    assert!(oscal.contains("waiver-justification"));

    // Re-rendered from the JSON report, the waiver and the waivers section survive.
    let o = phiscan(dir.path())
        .args(["report", "--format", "json"])
        .arg(out.join("report.json"))
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let again: Value = serde_json::from_slice(&o.stdout).unwrap();
    let original: Value = serde_json::from_str(&read("report.json")).unwrap();
    assert_eq!(again["findings"], original["findings"]);
    assert_eq!(again["waivers"], original["waivers"]);
    assert_eq!(again["scan"]["counts"], original["scan"]["counts"]);
}

#[test]
fn expired_and_unmatched_waivers_are_flagged_and_expired_ones_do_not_apply() {
    let (check, resource) = demo_failures().into_iter().next().unwrap();
    let toml = waiver(&check, &resource, "2026-05-31")
        + &waiver(&check, "arn:aws:s3:::no-such-bucket-*", "2027-01-31");
    let dir = with_config(&toml);
    let run = demo(dir.path(), &[]);
    let f = findings(&run.json)
        .iter()
        .find(|f| f["check_id"] == check.as_str() && f["resource"]["id"] == resource.as_str())
        .unwrap();
    assert_eq!(f["status"], "FAIL", "an expired waiver no longer applies");
    assert!(f.get("waiver").is_none());
    assert!(run.json["scan"]["counts"].get("WAIVED").is_none());
    let states: Vec<&str> = run.json["waivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["expired", "unmatched"]);
    assert_eq!(run.json["waivers"][0]["findings"], 1);
    assert!(
        run.stderr.contains("warning: waiver for") && run.stderr.contains("expired on 2026-05-31"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("matched no failing finding"),
        "{}",
        run.stderr
    );
    assert_eq!(run.code, 1);

    // The scan clock decides: on its last day, the same waiver applies.
    let o = phiscan(dir.path())
        .args([
            "scan",
            "--demo",
            "--format",
            "json",
            "--now",
            "2026-05-31T23:00:00Z",
        ])
        .output()
        .unwrap();
    let earlier: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(earlier["waivers"][0]["state"], "applied");
}

#[test]
fn the_exit_code_is_decided_after_waivers_but_errors_are_never_waived() {
    let mut toml = String::new();
    let mut checks: Vec<String> = demo_failures().into_iter().map(|(c, _)| c).collect();
    checks.dedup();
    for c in &checks {
        toml += &waiver(c, "*", "2026-12-31");
    }
    let dir = with_config(&toml);
    let run = demo(dir.path(), &[]);
    assert_eq!(
        run.code, 0,
        "every failure is waived; stderr: {}",
        run.stderr
    );
    assert_eq!(run.json["scan"]["exit_code"], 0);
    assert_eq!(run.json["scan"]["counts"]["FAIL"], 0);
    assert!(findings(&run.json).iter().all(|f| f["status"] != "FAIL"));
    // Waived failures still break their control: a waiver accepts a risk, it is no PASS.
    let ctl = run.json["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["counts"]["WAIVED"].as_u64().unwrap_or(0) > 0)
        .unwrap();
    assert_eq!(ctl["verdict"], "fail");

    // An inventory with a failed collection: ERROR stays, exit code 3.
    let inv = dir.path().join("inv.json");
    phiscan(dir.path())
        .args([
            "scan",
            "--demo",
            "--now",
            NOW,
            "--format",
            "json",
            "--save-inventory",
        ])
        .arg(&inv)
        .output()
        .unwrap();
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&inv).unwrap()).unwrap();
    let account = v["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["provider"] == "aws")
        .unwrap()["account"]
        .clone();
    v["errors"] = serde_json::json!([{
        "provider": "aws", "account": account, "region": "us-east-1",
        "kind": "AwsEbsVolume", "reason": "AccessDenied"
    }]);
    std::fs::write(&inv, v.to_string()).unwrap();
    toml += &waiver("aws-ebs-volume-encrypted", "*", "2026-12-31");
    std::fs::write(dir.path().join("phiscan.toml"), &toml).unwrap();
    let o = phiscan(dir.path())
        .args([
            "scan",
            "--from-inventory",
            "inv.json",
            "--format",
            "json",
            "--now",
            NOW,
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(findings(&r)
        .iter()
        .any(|f| f["status"] == "ERROR" && f["check_id"] == "aws-ebs-volume-encrypted"));
}

/// (resource id, lowercased data-classification tag, kind) of every non-ERROR finding on a
/// resource of the inventory `inv` (not on account-level conclusions such as a region's
/// trail coverage).
fn classes(v: &Value, inv: &BTreeSet<String>) -> Vec<(String, Option<String>, String)> {
    findings(v)
        .iter()
        .filter(|f| f["status"] != "ERROR" && inv.contains(f["resource"]["id"].as_str().unwrap()))
        .map(|f| {
            (
                f["resource"]["id"].as_str().unwrap().to_string(),
                f["resource"]["tags"]["data-classification"]
                    .as_str()
                    .map(str::to_lowercase),
                f["resource"]["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Ids of every resource record of the demo inventory.
fn inventory_ids(dir: &Path) -> BTreeSet<String> {
    let path = dir.join("demo-inventory.json");
    phiscan(dir)
        .args([
            "scan",
            "--demo",
            "--now",
            NOW,
            "--format",
            "json",
            "--save-inventory",
        ])
        .arg(&path)
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut ids = BTreeSet::new();
    for list in v.as_object().unwrap().values().filter_map(Value::as_array) {
        for r in list {
            if let Some(id) = r["resource"]["id"].as_str() {
                ids.insert(id.to_string());
            }
        }
    }
    ids
}

/// Whether resources of `kind` cannot carry tags (account settings, unlabelled GCP network
/// resources): they are always in a data-classification scope.
fn untaggable(kind: &str) -> bool {
    ResourceKind::ALL
        .iter()
        .any(|k| k.as_str() == kind && !k.taggable())
}

#[test]
fn scope_by_data_classification_include_exclude_report() {
    let dir = tempfile::tempdir().unwrap();
    let inv = inventory_ids(dir.path());
    let all = demo(dir.path(), &[]);
    let all_classes = classes(&all.json, &inv);
    assert!(all_classes
        .iter()
        .any(|(_, c, _)| c.as_deref() == Some("protected")));
    assert!(all_classes
        .iter()
        .any(|(_, c, _)| c.as_deref() == Some("internal")));
    let untagged: BTreeSet<&str> = all_classes
        .iter()
        .filter(|(_, c, k)| c.is_none() && !untaggable(k))
        .map(|(id, _, _)| id.as_str())
        .collect();
    assert!(!untagged.is_empty(), "the demo has untagged resources");

    // exclude: only protected resources and kinds that cannot carry tags are evaluated.
    let ex = demo(
        dir.path(),
        &[
            "--scope",
            "Data-Classification=PROTECTED",
            "--scope-untagged",
            "exclude",
        ],
    );
    assert_eq!(
        ex.json["scan"]["data_scope"],
        "Data-Classification=PROTECTED"
    );
    let got = classes(&ex.json, &inv);
    assert!(got.iter().any(|(_, c, _)| c.is_some()));
    assert!(got.iter().any(|(_, _, k)| untaggable(k)));
    for (id, c, k) in &got {
        assert!(
            c.as_deref() == Some("protected") || untaggable(k),
            "{id} ({c:?}) is out of scope"
        );
    }
    assert!(got.len() < all_classes.len());
    // Checks still saw the whole estate: the trails that cover regions are untagged, yet no
    // region is reported uncovered that was covered before.
    let uncovered = |v: &Value| {
        findings(v)
            .iter()
            .filter(|f| f["check_id"] == "aws-cloudtrail-region-covered" && f["status"] == "FAIL")
            .count()
    };
    assert_eq!(uncovered(&ex.json), uncovered(&all.json));

    // include (the default): untagged resources are evaluated too, other classes are not.
    let inc = demo(dir.path(), &["--scope", "data-classification=protected"]);
    let got = classes(&inc.json, &inv);
    assert!(got
        .iter()
        .all(|(_, c, _)| c.is_none() || c.as_deref() == Some("protected")));
    for id in &untagged {
        assert!(got.iter().any(|(i, _, _)| i == id), "{id} was dropped");
    }

    // report, from phiscan.toml: each untagged resource is a FAIL of its own.
    let cfg = with_config(
        "[scope]\nclassifications = [\"protected\", \"confidential\"]\nuntagged = \"report\"\n",
    );
    let rep = demo(cfg.path(), &[]);
    let reported: Vec<&Value> = findings(&rep.json)
        .iter()
        .filter(|f| f["check_id"] == "phiscan-untagged-resource")
        .collect();
    let reported_ids: BTreeSet<&str> = reported
        .iter()
        .map(|f| f["resource"]["id"].as_str().unwrap())
        .collect();
    // Every untagged resource with a finding is reported (the inventory may hold more that
    // no check reads).
    assert!(
        untagged.is_subset(&reported_ids),
        "{untagged:?} vs {reported_ids:?}"
    );
    assert_eq!(reported.len(), reported_ids.len());
    assert!(reported.iter().all(|f| f["status"] == "FAIL"));
    assert!(reported[0]["reason"]
        .as_str()
        .unwrap()
        .contains("no data-classification tag"));
    let others: Vec<(String, Option<String>, String)> = classes(&rep.json, &inv)
        .into_iter()
        .filter(|(id, _, _)| !reported.iter().any(|f| f["resource"]["id"] == id.as_str()))
        .collect();
    assert!(others
        .iter()
        .all(
            |(_, c, k)| matches!(c.as_deref(), Some("protected" | "confidential")) || untaggable(k)
        ));
    // The untagged check is in the report's checks and survives a re-render.
    assert!(rep.json["scan"]["checks_run"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "phiscan-untagged-resource"));

    // A classification outside the vocabulary is a usage error.
    let o = phiscan(dir.path())
        .args(["scan", "--demo", "--scope", "data-classification=secret"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("\"secret\" is not a data classification"));
}

#[test]
fn severity_overrides_params_and_fail_on_come_from_the_file_and_flags_win() {
    let (check, _) = demo_failures().into_iter().next().unwrap();
    let dir = with_config(&format!(
        "fail_on = \"critical\"\n\n[severity]\n\"{check}\" = \"critical\"\n\n[checks]\ninclude = [\"{check}\"]\n"
    ));
    let run = demo(dir.path(), &[]);
    assert_eq!(run.json["scan"]["checks_run"], serde_json::json!([check]));
    assert_eq!(run.json["scan"]["fail_on"], "critical");
    assert!(findings(&run.json)
        .iter()
        .all(|f| f["severity"] == "critical"));
    assert_eq!(run.code, 1, "a critical failure at fail_on critical");
    let flag = demo(dir.path(), &["--fail-on", "critical", "--checks", "aws-*"]);
    assert!(flag.json["scan"]["checks_run"].as_array().unwrap().len() > 1);
    // Thresholds: [params] for every check, [check_params.<id>] for one.
    let params = with_config(
        "[params]\nmin_backup_retention_days = 20\n\n[check_params.aws-rds-instance-backup-retention]\nmin_backup_retention_days = 30\n",
    );
    let run = demo(
        params.path(),
        &["--checks", "aws-rds-instance-backup-retention"],
    );
    let f = &findings(&run.json)[0];
    assert_eq!(f["evidence"]["min_backup_retention_days"], 30, "{f}");
    let run = demo(
        params.path(),
        &["--checks", "azure-flexible-server-backup-retention"],
    );
    assert!(findings(&run.json)
        .iter()
        .all(|f| f["status"] == "ERROR" || f["evidence"]["min_backup_retention_days"] == 20));
    // --config names another file; the working directory's is then ignored.
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "fail_on = \"info\"\n").unwrap();
    let run = demo(dir.path(), &["--config", other.to_str().unwrap()]);
    assert_eq!(run.json["scan"]["fail_on"], "info");
    assert!(run.json["scan"]["checks_run"].as_array().unwrap().len() > 1);
}

#[test]
fn the_documented_example_is_valid() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/phiscan.example.toml");
    let dir = tempfile::tempdir().unwrap();
    let o = phiscan(dir.path())
        .args(["config", "check", "--config"])
        .arg(&example)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.contains("valid (2 waiver(s), 2 severity override(s)"),
        "{stdout}"
    );
}

#[test]
fn config_check_finds_the_working_directory_file_or_says_there_is_none() {
    let empty = tempfile::tempdir().unwrap();
    let o = phiscan(empty.path())
        .args(["config", "check"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no phiscan.toml in the working directory"));
    let dir = with_config("fail_on = \"high\"\n");
    let o = phiscan(dir.path())
        .args(["config", "check"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("phiscan.toml: valid"));
}

/// Each bad file is refused by `config check` and by `scan` with exit code 2 and one line
/// naming file:line:column and the key.
#[test]
fn bad_files_name_file_line_column_and_key() {
    let ok_waiver = "check = \"aws-s3-bucket-versioning\"\nresource = \"*\"\njustification = \"j\"\napprover = \"a\"\n";
    let cases: Vec<(String, &str, &str)> = vec![
        (
            "fail_on = \"low\"\n[params]\nmin_backup_retention = 7\n".into(),
            "phiscan.toml:3:1: key `params.min_backup_retention`",
            "unknown field",
        ),
        (
            "[params]\nmin_backup_retention_days = \"7\"\n".into(),
            "phiscan.toml:2:29: key `params.min_backup_retention_days`",
            "invalid type: string",
        ),
        (
            format!("[[waiver]]\n{ok_waiver}expires = 2026-02-30\n"),
            "phiscan.toml:6:11: key `waiver.expires`",
            "invalid date",
        ),
        (
            format!("[[waiver]]\n{ok_waiver}expires = \"soon\"\n"),
            "phiscan.toml:6:11: key `waiver.expires`",
            "",
        ),
        (
            "[[waiver]]\ncheck = \"aws-s3-bucket-versionning\"\nresource = \"*\"\njustification = \"j\"\napprover = \"a\"\nexpires = 2026-12-31\n".into(),
            "phiscan.toml:2:9: key `waiver.check`",
            "did you mean \"aws-s3-bucket-versioning\"",
        ),
        (
            "[[waiver]]\ncheck = \"aws-s3-bucket-versioning\"\nresource = \"arn:[\"\njustification = \"j\"\napprover = \"a\"\nexpires = 2026-12-31\n".into(),
            "phiscan.toml:3:12: key `waiver.resource`",
            "bad glob",
        ),
        (
            "[[waiver]]\ncheck = \"aws-s3-bucket-versioning\"\nresource = \"*\"\nexpires = 2026-12-31\n".into(),
            "phiscan.toml:1:1: key `waiver.justification`",
            "missing field",
        ),
        (
            "[checks]\ninclude = [\"aws-s3-*\", \"aws-nope-*\"]\n".into(),
            "phiscan.toml:2:24: key `checks.include`",
            "matches no check",
        ),
        (
            "[severity]\n\"aws-s3-bucket-versionin\" = \"high\"\n".into(),
            "phiscan.toml:2:1: key `severity.aws-s3-bucket-versionin`",
            "unknown check id",
        ),
        (
            "[severity]\n\"aws-s3-bucket-versioning\" = \"urgent\"\n".into(),
            "phiscan.toml:2:30: key `severity.aws-s3-bucket-versioning`",
            "unknown variant",
        ),
        (
            "[scope]\nclassifications = [\"secret\"]\n".into(),
            "phiscan.toml:2:20: key `scope.classifications`",
            "not a data classification",
        ),
        (
            "[scope]\nuntagged = \"drop\"\n".into(),
            "phiscan.toml:2:12: key `scope.untagged`",
            "unknown variant",
        ),
        (
            "[output]\nformat = [\"pdf\"]\n".into(),
            "phiscan.toml:2:11: key `output.format`",
            "unknown format",
        ),
        (
            "[aws]\nregions = [\"US-EAST-1\"]\n".into(),
            "phiscan.toml:2:12: key `aws.regions`",
            "not a region name",
        ),
        (
            "[params\n".into(),
            "phiscan.toml:1:",
            "",
        ),
    ];
    for (toml, location, message) in cases {
        let dir = with_config(&toml);
        for args in [&["config", "check"][..], &["scan", "--demo"][..]] {
            let o = phiscan(dir.path()).args(args).output().unwrap();
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{args:?} on:\n{toml}\n{stderr}");
            assert!(o.stdout.is_empty(), "{args:?}: nothing scanned");
            assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
            assert!(
                stderr.starts_with(&format!("error: {location}")) && stderr.contains(message),
                "{args:?} on:\n{toml}\nwanted {location} ... {message}, got {stderr}"
            );
        }
    }
}

/// `phiscan diff`: a finding that became WAIVED is not newly failing; one whose waiver went
/// away (WAIVED before, FAIL now) is.
#[test]
fn diff_never_counts_a_waived_finding_as_newly_failing() {
    let (check, resource) = demo_failures().into_iter().next().unwrap();
    let dir = with_config(&waiver(&check, &resource, "2026-12-31"));
    let scan = |args: &[&str], out: &str| {
        let o = phiscan(dir.path())
            .args([
                "scan", "--demo", "--now", NOW, "--format", "json", "-o", out,
            ])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    scan(&["--config", empty.to_str().unwrap()], "plain.json");
    scan(&[], "waived.json");
    let diff = |old: &str, new: &str| {
        let o = phiscan(dir.path())
            .args(["diff", old, new, "--format", "json"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        (o.status.code().unwrap(), v)
    };
    let (code, v) = diff("plain.json", "waived.json");
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["newly_failing"].as_array().unwrap().len(), 0);
    let (code, v) = diff("waived.json", "plain.json");
    assert_eq!(code, 1);
    let newly = v["newly_failing"].as_array().unwrap();
    assert_eq!(newly.len(), 1, "{v}");
    assert_eq!(newly[0]["check_id"], check.as_str());
}
