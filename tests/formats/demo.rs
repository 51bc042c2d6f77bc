//! The full demo in every format, validated structurally instead of byte-snapshotted (a
//! snapshot of it would change with every check added): each format valid against its
//! schema, the findings per status equal in every format, every registered check with at
//! least one PASS and one FAIL.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::ocsf::Ocsf;
use super::{assert_junit_valid, demo, demo_json, oscal_errors, sarif_errors};

/// Checks allowed to lack a PASS or a FAIL in the demo, with the reason. Empty: every
/// registered check has both, and a new check brings the demo resources that show both
/// verdicts (the demo is what `phiscan scan --demo` shows a newcomer, and the check's
/// end-to-end test). An entry here must name a registered check that really lacks one.
const WITHOUT_PASS_AND_FAIL: &[(&str, &str)] = &[];

type Counts = BTreeMap<String, usize>;

fn count<'a>(statuses: impl IntoIterator<Item = &'a str>) -> Counts {
    let mut c = Counts::new();
    for s in statuses {
        *c.entry(s.to_string()).or_default() += 1;
    }
    c
}

fn findings(v: &Value) -> &Vec<Value> {
    v["findings"].as_array().unwrap()
}

/// RFC 4180 records (quoted fields may hold commas, quotes and line breaks).
pub(super) fn csv_records(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    records
}

#[test]
fn findings_per_status_agree_across_formats() {
    let v = demo_json();
    let want = count(findings(&v).iter().map(|f| f["status"].as_str().unwrap()));
    assert!(want["PASS"] > 0 && want["FAIL"] > 0, "{want:?}");
    let summary: Counts = v["scan"]["counts"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, n)| n.as_u64() != Some(0))
        .map(|(s, n)| (s.clone(), n.as_u64().unwrap() as usize))
        .collect();
    assert_eq!(summary, want, "json scan.counts");

    let csv = csv_records(&demo("csv"));
    let col = csv[0].iter().position(|h| h == "status").unwrap();
    assert_eq!(count(csv[1..].iter().map(|r| r[col].as_str())), want, "csv");

    let sarif: Value = serde_json::from_str(&demo("sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(
        count(
            results
                .iter()
                .map(|r| r["properties"]["status"].as_str().unwrap())
        ),
        want,
        "sarif"
    );

    let ocsf: Vec<Value> = serde_json::from_str(&demo("ocsf")).unwrap();
    assert_eq!(
        count(
            ocsf.iter()
                .map(|e| e["unmapped"]["phiscan_status"].as_str().unwrap())
        ),
        want,
        "ocsf"
    );

    let oscal: Value = serde_json::from_str(&demo("oscal")).unwrap();
    let observations = oscal["assessment-results"]["results"][0]["observations"]
        .as_array()
        .unwrap();
    let status_of = |o: &Value| {
        o["props"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "status")
            .unwrap()["value"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let statuses: Vec<String> = observations.iter().map(status_of).collect();
    assert_eq!(count(statuses.iter().map(String::as_str)), want, "oscal");

    let junit = demo("junit");
    let n = |s: &str| want.get(s).copied().unwrap_or(0);
    assert_eq!(junit.matches("<testcase ").count(), findings(&v).len());
    assert_eq!(junit.matches("<failure ").count(), n("FAIL"));
    assert_eq!(junit.matches("<error ").count(), n("ERROR"));
    assert_eq!(
        junit.matches("<skipped ").count(),
        n("NOT_APPLICABLE") + n("WAIVED")
    );

    let html = demo("html");
    let rows: Vec<&str> = html
        .lines()
        .filter(|l| l.starts_with("<tr class=\"finding\""))
        .collect();
    assert_eq!(rows.len(), findings(&v).len(), "html rows");
    for (status, label) in [
        ("PASS", "pass"),
        ("FAIL", "fail"),
        ("ERROR", "error"),
        ("NOT_APPLICABLE", "not-applicable"),
        ("WAIVED", "waived"),
    ] {
        let shown = rows
            .iter()
            .filter(|l| l.contains(&format!("data-status=\"{label}\"")))
            .count();
        assert_eq!(shown, n(status), "html {status}");
    }

    // The table's closing summary, e.g. "180 PASS, 118 FAIL, 15 NOT_APPLICABLE — ...".
    let table = demo("table");
    let summary = table
        .lines()
        .find(|l| l.contains(" PASS, ") && l.contains(" FAIL"))
        .unwrap_or_else(|| panic!("no summary line in the table:\n{table}"));
    for (status, k) in &want {
        assert!(
            summary.contains(&format!("{k} {status}")),
            "table summary {summary:?} lacks {k} {status}"
        );
    }
}

#[test]
fn every_registered_check_runs_with_a_pass_and_a_fail() {
    let v = demo_json();
    let registry: Vec<&str> = phiscan_checks::registry()
        .iter()
        .map(|c| c.meta().id)
        .collect();
    let run: Vec<&str> = v["scan"]["checks_run"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(run, registry, "the demo runs every registered check");
    let mut seen: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for f in findings(&v) {
        seen.entry(f["check_id"].as_str().unwrap())
            .or_default()
            .insert(f["status"].as_str().unwrap());
    }
    let exempt: BTreeMap<&str, &str> = WITHOUT_PASS_AND_FAIL.iter().copied().collect();
    let mut lacking = Vec::new();
    for id in &registry {
        let statuses = seen.get(id).cloned().unwrap_or_default();
        let missing: Vec<&str> = ["PASS", "FAIL"]
            .into_iter()
            .filter(|s| !statuses.contains(s))
            .collect();
        match (missing.is_empty(), exempt.get(id)) {
            (false, None) => lacking.push(format!("{id} (no {})", missing.join(", no "))),
            (true, Some(why)) => lacking.push(format!(
                "{id} is exempt ({why}) but has both: remove the exemption"
            )),
            _ => {}
        }
    }
    for id in exempt.keys() {
        assert!(
            registry.contains(id),
            "exempt {id} is not a registered check"
        );
    }
    assert!(
        lacking.is_empty(),
        "checks without a PASS and a FAIL finding in the demo:\n{}",
        lacking.join("\n")
    );
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let doc: Value = serde_json::from_str(&demo("sarif")).unwrap();
    let errors = sarif_errors(&doc);
    assert!(errors.is_empty(), "SARIF invalid:\n{}", errors.join("\n"));
    let run = &doc["runs"][0];
    assert_eq!(
        run["results"].as_array().unwrap().len(),
        findings(&demo_json()).len()
    );
    // Rules carry the check documentation as Markdown help.
    let rule = &run["tool"]["driver"]["rules"][0];
    assert!(rule["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("## Remediation"));
    // Results name the resource through a logical location, levels follow the verdict.
    for r in run["results"].as_array().unwrap() {
        let loc = &r["locations"][0]["logicalLocations"][0];
        assert!(!loc["fullyQualifiedName"].as_str().unwrap().is_empty());
        if r["kind"] == "fail" {
            assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        } else {
            assert_eq!(r["level"], "none");
        }
    }
}

/// Every value of a `uuid` key anywhere in the document.
fn uuids<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x.as_str()) {
                    ("uuid", Some(u)) => out.push(u),
                    _ => uuids(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| uuids(x, out)),
        _ => {}
    }
}

#[test]
fn oscal_validates_against_the_official_schema() {
    let text = demo("oscal");
    let doc: Value = serde_json::from_str(&text).unwrap();
    let errors = oscal_errors(&doc);
    assert!(errors.is_empty(), "OSCAL invalid:\n{}", errors.join("\n"));
    let result = &doc["assessment-results"]["results"][0];
    assert_eq!(
        result["observations"].as_array().unwrap().len(),
        findings(&demo_json()).len()
    );
    assert_eq!(
        doc["assessment-results"]["metadata"]["oscal-version"],
        "1.2.1"
    );
    // Deterministic UUIDs: the same scan gives the same document.
    assert_eq!(text, demo("oscal"));
    // And distinct ones: an OSCAL uuid identifies one thing.
    let mut all = Vec::new();
    uuids(&doc, &mut all);
    let distinct: BTreeSet<&str> = all.iter().copied().collect();
    assert_eq!(distinct.len(), all.len(), "duplicate OSCAL uuids");
}

#[test]
fn junit_validates_against_the_xsd() {
    let text = demo("junit");
    // One suite per check that ran.
    assert_eq!(
        text.matches("<testsuite ").count(),
        phiscan_checks::registry().len()
    );
    assert_junit_valid(&text);
}

#[test]
fn ocsf_events_follow_the_compliance_finding_class() {
    let events: Vec<Value> = serde_json::from_str(&demo("ocsf")).unwrap();
    assert_eq!(events.len(), findings(&demo_json()).len());
    let ocsf = Ocsf::load();
    let problems: Vec<String> = events
        .iter()
        .enumerate()
        .flat_map(|(i, e)| ocsf.validate(i, e))
        .collect();
    assert!(
        problems.is_empty(),
        "OCSF problems:\n{}",
        problems.join("\n")
    );
    // The validator catches what it should.
    let mut bad = events[0].clone();
    bad["type_uid"] = 200399.into();
    bad["compliance"]["status_id"] = 7.into();
    bad.as_object_mut().unwrap().remove("finding_info");
    let found = ocsf.validate(0, &bad);
    assert_eq!(found.len(), 3, "{found:#?}");
}

#[test]
fn csv_has_one_record_per_finding() {
    let csv = csv_records(&demo("csv"));
    assert_eq!(
        csv[0][..4],
        ["check_id", "title", "status", "severity"].map(String::from)
    );
    assert_eq!(csv.len() - 1, findings(&demo_json()).len());
    assert!(csv.iter().all(|r| r.len() == csv[0].len()), "ragged CSV");
}

/// The JSON v1 schema (docs/json-v1.schema.json) holds the demo report, and refuses what
/// docs/json-v1.md does not define: every JSON report the tests parse goes through it.
#[test]
fn json_v1_schema_holds_the_report_and_refuses_drift() {
    let text = demo("json");
    let mut v = super::support::json(text.as_bytes()).expect("the demo report validates");
    v["scan"]["undocumented"] = serde_json::json!(1);
    let err = super::support::json(v.to_string().as_bytes()).expect_err("refused");
    assert!(err.contains("undocumented"), "{err}");
    let mut w: serde_json::Value = serde_json::from_str(&text).unwrap();
    w["findings"][0]["status"] = serde_json::json!("MAYBE");
    assert!(super::support::json(w.to_string().as_bytes()).is_err());
}
