//! ASFF (`--format asff`): a validator of the AWS Security Finding Format fields phiscan
//! writes (required members, enums, lengths and identifier shapes of the Security Hub API
//! reference, which publishes no JSON Schema), the full demo checked with it, and the demo's
//! findings imported into moto's Security Hub with boto3, which validates each finding
//! against the service model before sending it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::{demo, demo_json, support};

const SEVERITIES: [&str; 5] = ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"];
const COMPLIANCE: [&str; 4] = ["PASSED", "WARNING", "FAILED", "NOT_AVAILABLE"];
const WORKFLOW: [&str; 4] = ["NEW", "NOTIFIED", "RESOLVED", "SUPPRESSED"];

fn text<'a>(f: &'a Value, path: &str, errors: &mut Vec<String>) -> &'a str {
    let v = path.split('.').fold(f, |v, k| &v[k]);
    v.as_str().unwrap_or_else(|| {
        errors.push(format!("{path} is not a string: {v}"));
        ""
    })
}

/// What is wrong with finding `i` (empty when nothing).
pub fn asff_errors(i: usize, f: &Value) -> Vec<String> {
    let mut e = Vec::new();
    let account = text(f, "AwsAccountId", &mut e).to_string();
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        e.push(format!("AwsAccountId {account:?} is not 12 digits"));
    }
    if f["SchemaVersion"] != "2018-10-08" {
        e.push("SchemaVersion is not 2018-10-08".into());
    }
    let id = text(f, "Id", &mut e);
    if id.is_empty() || id.len() > 512 {
        e.push(format!("Id length {}", id.len()));
    }
    let region = text(f, "Region", &mut e).to_string();
    let arn = text(f, "ProductArn", &mut e);
    let parts: Vec<&str> = arn.split(':').collect();
    let want = format!("product/{account}/default");
    if parts.len() != 6
        || parts[0] != "arn"
        || parts[2] != "securityhub"
        || parts[3] != region
        || parts[4] != account
        || parts[5] != want
    {
        e.push(format!(
            "ProductArn {arn} is not the default product of {account} in {region}"
        ));
    }
    if text(f, "GeneratorId", &mut e).is_empty() {
        e.push("GeneratorId is empty".into());
    }
    for t in f["Types"].as_array().into_iter().flatten() {
        let t = t.as_str().unwrap_or_default();
        let ns = t.split('/').next().unwrap_or_default();
        let namespaces = [
            "Software and Configuration Checks",
            "TTPs",
            "Effects",
            "Unusual Behaviors",
            "Sensitive Data Identifications",
        ];
        if !namespaces.contains(&ns) || t.split('/').count() > 3 {
            e.push(format!("Types: {t:?} is not namespace/category/classifier"));
        }
    }
    if f["Types"].as_array().is_none_or(Vec::is_empty) {
        e.push("Types is empty".into());
    }
    for field in [
        "CreatedAt",
        "UpdatedAt",
        "FirstObservedAt",
        "LastObservedAt",
    ] {
        let t = text(f, field, &mut e);
        if chrono::DateTime::parse_from_rfc3339(t).is_err() || !t.ends_with('Z') {
            e.push(format!("{field} {t:?} is not an RFC 3339 UTC time"));
        }
    }
    if !SEVERITIES.contains(&text(f, "Severity.Label", &mut e)) {
        e.push(format!("Severity.Label {}", f["Severity"]["Label"]));
    }
    for (field, max) in [
        ("Title", 256),
        ("Description", 1024),
        ("Remediation.Recommendation.Text", 512),
    ] {
        let n = text(f, field, &mut e).chars().count();
        if n == 0 || n > max {
            e.push(format!("{field}: {n} characters, not 1..={max}"));
        }
    }
    let resources = f["Resources"].as_array().cloned().unwrap_or_default();
    if resources.is_empty() || resources.len() > 32 {
        e.push(format!("{} resources, not 1..=32", resources.len()));
    }
    for r in &resources {
        for field in ["Type", "Id", "Partition", "Region"] {
            if text(r, field, &mut e).is_empty() {
                e.push(format!("Resources[].{field} is empty"));
            }
        }
        if !["aws", "aws-cn", "aws-us-gov"].contains(&r["Partition"].as_str().unwrap_or("")) {
            e.push(format!("Resources[].Partition {}", r["Partition"]));
        }
    }
    if !COMPLIANCE.contains(&text(f, "Compliance.Status", &mut e)) {
        e.push(format!("Compliance.Status {}", f["Compliance"]["Status"]));
    }
    let reqs = f["Compliance"]["RelatedRequirements"].as_array();
    if reqs.is_none_or(|r| r.is_empty() || r.len() > 32) {
        e.push("RelatedRequirements not 1..=32".into());
    }
    if !WORKFLOW.contains(&text(f, "Workflow.Status", &mut e)) {
        e.push(format!("Workflow.Status {}", f["Workflow"]["Status"]));
    }
    if !["ACTIVE", "ARCHIVED"].contains(&text(f, "RecordState", &mut e)) {
        e.push(format!("RecordState {}", f["RecordState"]));
    }
    // ProductFields: a map of at most 50 strings.
    let pf = f["ProductFields"].as_object().cloned().unwrap_or_default();
    if pf.len() > 50 || pf.values().any(|v| !v.is_string()) {
        e.push("ProductFields is not a map of at most 50 strings".into());
    }
    e.into_iter().map(|m| format!("finding {i}: {m}")).collect()
}

fn asff_demo() -> Vec<Value> {
    serde_json::from_str(&demo("asff")).unwrap()
}

#[test]
fn demo_asff_is_valid_and_holds_every_aws_finding() {
    let findings = asff_demo();
    let problems: Vec<String> = findings
        .iter()
        .enumerate()
        .flat_map(|(i, f)| asff_errors(i, f))
        .collect();
    assert!(
        problems.is_empty(),
        "ASFF problems:\n{}",
        problems.join("\n")
    );
    // The AWS findings of the JSON report, one for one, with their status and check.
    let json = demo_json();
    let aws: BTreeMap<(String, String), String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["provider"] == "aws")
        .map(|f| {
            let key = (
                f["check_id"].as_str().unwrap().to_string(),
                f["resource"]["id"].as_str().unwrap().to_string(),
            );
            (key, f["status"].as_str().unwrap().to_string())
        })
        .collect();
    let asff: BTreeMap<(String, String), String> = findings
        .iter()
        .map(|f| {
            let key = (
                f["GeneratorId"].as_str().unwrap().to_string(),
                f["Resources"][0]["Id"].as_str().unwrap().to_string(),
            );
            (
                key,
                f["ProductFields"]["phiscan/status"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(
        asff.len(),
        findings.len(),
        "one ASFF finding per (check, resource)"
    );
    assert_eq!(asff, aws);
    let ids: BTreeSet<&str> = findings.iter().map(|f| f["Id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), findings.len(), "Id is unique");
    // Compliance and workflow follow the phiscan status.
    for f in &findings {
        let want = match f["ProductFields"]["phiscan/status"].as_str().unwrap() {
            "PASS" => ("PASSED", "RESOLVED"),
            "FAIL" => ("FAILED", "NEW"),
            "ERROR" => ("WARNING", "NEW"),
            "NOT_APPLICABLE" => ("NOT_AVAILABLE", "RESOLVED"),
            "WAIVED" => ("FAILED", "SUPPRESSED"),
            other => panic!("status {other}"),
        };
        assert_eq!(
            (&f["Compliance"]["Status"], &f["Workflow"]["Status"]),
            (&Value::from(want.0), &Value::from(want.1)),
            "{}",
            f["Id"]
        );
        let reqs = f["Compliance"]["RelatedRequirements"].as_array().unwrap();
        assert!(
            reqs.iter()
                .all(|r| r.as_str().unwrap().starts_with("HIPAA 164.")),
            "{reqs:?}"
        );
    }
    let statuses: BTreeSet<&str> = findings
        .iter()
        .map(|f| f["Compliance"]["Status"].as_str().unwrap())
        .collect();
    assert!(
        statuses.contains("PASSED") && statuses.contains("FAILED"),
        "{statuses:?}"
    );
}

#[test]
fn the_validator_catches_a_malformed_finding() {
    let mut bad = asff_demo()[0].clone();
    bad["AwsAccountId"] = "my-project".into();
    bad["Compliance"]["Status"] = "PASS".into();
    bad["Title"] = "x".repeat(257).into();
    let found = asff_errors(0, &bad);
    for what in ["AwsAccountId", "ProductArn", "Compliance.Status", "Title"] {
        assert!(found.iter().any(|e| e.contains(what)), "{what}: {found:?}");
    }
}

#[test]
fn demo_asff_imports_into_moto_security_hub() {
    let Some(moto) = support::moto::Moto::start() else {
        return;
    };
    let report = moto.dir.path().join("report.asff.json");
    std::fs::write(&report, demo("asff")).unwrap();
    let n = asff_demo().len();
    assert!(n > 100, "the demo needs more than one batch: {n}");
    let out = moto.dir.path().join("import.json");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/aws/import_asff.py");
    let run = Command::new(support::moto::venv().join("bin/python"))
        .arg(script)
        .args([&moto.url, report.to_str().unwrap(), out.to_str().unwrap()])
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let result: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(result["failed"], 0, "{result}");
    assert_eq!(result["success"], n as u64, "{result}");
    assert_eq!(result["stored"], n as u64, "{result}");
    assert!(result["batches"].as_u64().unwrap() >= n.div_ceil(100) as u64);
}
