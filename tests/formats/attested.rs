//! Verdicts on attested assets (`--attested`, docs/attested.md) in the formats beyond table,
//! JSON and HTML (tests/attested.rs has those): CSV, SARIF, JUnit, OCSF, ASFF and OSCAL.
//! Each is valid against its schema with them, labels them ATTESTED with the attester, the
//! date and the document (snapshots of the attested part, over the fixed estate and the demo
//! attested file), and leaves every observed finding, count and the exit code as they are
//! without them.

use serde_json::Value;

use super::asff::asff_errors;
use super::demo::csv_records;
use super::estate::{checks, scan_args, INVENTORY};
use super::ocsf::Ocsf;
use super::{assert_junit_valid, oscal_errors, run, sarif_errors, NOW};

const ATTESTED: &str = "fixtures/attested/demo.toml";

/// A scan of the estate with `checks` in `format` and the `extra` arguments; it must exit
/// with `code`.
fn scan(checks: &str, format: &str, extra: &[&str], code: i32) -> String {
    let mut args = scan_args(checks, format);
    args.extend(extra.iter().map(|a| a.to_string()));
    run(&args.iter().map(String::as_str).collect::<Vec<_>>(), code)
}

/// The estate in `format` with the listed checks (exit 3: one collection failed), with or
/// without the demo attested file.
fn estate(format: &str, attested: bool) -> String {
    let extra: &[&str] = if attested {
        &["--attested", ATTESTED]
    } else {
        &[]
    };
    scan(&checks().join(","), format, extra, 3)
}

fn snapshot(name: &str, text: String) {
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!(name, text);
    });
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap() + "\n"
}

/// Whether an OCSF event, an ASFF finding or an OSCAL observation or finding is about an
/// attested asset, by the label each format gives it.
fn is_attested(v: &Value) -> bool {
    let oscal_prop = |p: &Value| p["name"] == "provenance" && p["value"] == "ATTESTED";
    v["unmapped"]["phiscan_provenance"] == "ATTESTED"
        || v["ProductFields"]["phiscan/provenance"] == "ATTESTED"
        || v["props"]
            .as_array()
            .is_some_and(|p| p.iter().any(oscal_prop))
}

/// The attested items of a JSON array, each valid by `errors` (the whole array is checked).
fn attested_items(items: &[Value], errors: impl Fn(usize, &Value) -> Vec<String>) -> Vec<Value> {
    for (i, item) in items.iter().enumerate() {
        assert_eq!(errors(i, item), Vec::<String>::new());
    }
    let attested: Vec<Value> = items.iter().filter(|v| is_attested(v)).cloned().collect();
    assert_eq!(attested.len(), 8);
    attested
}

/// The CSV's records whose `provenance` is ATTESTED, and the others.
fn split_csv(text: &str) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let records = csv_records(text);
    let col = records[0].iter().position(|h| h == "provenance").unwrap();
    records.into_iter().partition(|r| r[col] == "ATTESTED")
}

#[test]
fn csv_appends_the_provenance_columns_and_one_row_per_attested_verdict() {
    let text = estate("csv", true);
    let (attested, observed) = split_csv(&text);
    let header = &observed[0];
    // Appended after the columns imports already map by position.
    assert_eq!(header[..18], csv_records(&estate("csv", false))[0][..18]);
    assert_eq!(
        header[18..],
        [
            "provenance",
            "platform",
            "attester",
            "attested_on",
            "document"
        ]
    );
    assert!(observed[1..].iter().all(|r| r[18] == "OBSERVED"));
    assert_eq!(attested.len(), 8);
    let disk = attested
        .iter()
        .find(|r| r[7] == "sl-qolty-reporting-02-disk1")
        .unwrap();
    assert_eq!(
        disk[18..],
        [
            "ATTESTED",
            "ibm-softlayer",
            "Marco Ruiz, Qolty systems engineer",
            "2026-05-22",
            "SL-INV-2026-Q2 SoftLayer storage inventory"
        ]
    );
    // No cloud provider, account or region: no API reached the asset.
    assert_eq!(disk[2..7], ["FAIL", "high", "", "", ""]);
    let part: String = text
        .split("\r\n")
        .enumerate()
        .filter(|(i, l)| *i == 0 || l.contains(",ATTESTED,"))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    snapshot("csv", part);
}

#[test]
fn sarif_has_the_attested_verdicts_in_a_run_of_their_own() {
    let v: Value = serde_json::from_str(&estate("sarif", true)).unwrap();
    assert_eq!(sarif_errors(&v), Vec::<String>::new());
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    let attested = &runs[1];
    assert_eq!(attested["properties"]["provenance"], "ATTESTED");
    assert_eq!(attested["properties"]["counts"]["FAIL"], 2);
    let results = attested["results"].as_array().unwrap();
    assert_eq!(results.len(), 8);
    for r in results {
        let p = &r["properties"];
        assert_eq!(p["provenance"], "ATTESTED");
        for key in ["attester", "attestedOn", "document", "platform"] {
            assert!(p[key].is_string(), "{key} in {r}");
        }
        // The rule index points at the result's rule.
        let rule = &attested["tool"]["driver"]["rules"][r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], r["ruleId"]);
    }
    // None of them is in the observed run.
    let observed = runs[0]["results"].as_array().unwrap();
    assert!(observed
        .iter()
        .all(|r| r["properties"]["provenance"].is_null()));
    snapshot("sarif", pretty(attested));
}

#[test]
fn junit_has_an_attested_suite() {
    let text = estate("junit", true);
    assert_junit_valid(&text);
    let start = text.find("  <testsuite name=\"attested\"").unwrap();
    let suite = &text[start..text.rfind("</testsuites>").unwrap()];
    assert!(
        suite.contains("tests=\"8\" failures=\"2\" errors=\"0\""),
        "{suite}"
    );
    assert!(suite.contains("<property name=\"provenance\" value=\"ATTESTED\"/>"));
    assert_eq!(suite.matches("<failure ").count(), 2);
    assert!(suite.contains("attested by Marco Ruiz, Qolty systems engineer on 2026-05-22"));
    snapshot("junit", suite.to_string());
}

#[test]
fn ocsf_events_say_attested_in_their_product_and_name_the_attester() {
    let events: Vec<Value> = serde_json::from_str(&estate("ocsf", true)).unwrap();
    let ocsf = Ocsf::load();
    let attested = attested_items(&events, |i, e| ocsf.validate(i, e));
    for e in &attested {
        assert_eq!(
            e["metadata"]["product"]["feature"]["name"],
            "attested assets"
        );
        assert!(e["cloud"].is_null() && e["metadata"]["profiles"].is_null());
        assert!(e["evidences"][0]["actor"]["user"]["name"].is_string());
        assert!(e["unmapped"]["phiscan_attestation"]["document"].is_string());
    }
    snapshot("ocsf", pretty(&Value::Array(attested)));
}

#[test]
fn asff_files_attested_verdicts_under_the_scans_aws_account() {
    let findings: Vec<Value> = serde_json::from_str(&estate("asff", true)).unwrap();
    let attested = attested_items(&findings, asff_errors);
    for f in &attested {
        assert_eq!(f["AwsAccountId"], "111122223333");
        for key in ["platform", "attester", "attested_on", "document"] {
            assert!(f["ProductFields"][format!("phiscan/{key}")].is_string());
        }
    }
    // Without an AWS account there is none: Security Hub files a finding under one.
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inv: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join(INVENTORY)).unwrap()).unwrap();
    let o = inv.as_object_mut().unwrap();
    o.retain(|k, _| !k.starts_with("aws_"));
    o["scopes"]
        .as_array_mut()
        .unwrap()
        .retain(|s| s["provider"] != "aws");
    o["errors"]
        .as_array_mut()
        .unwrap()
        .retain(|e| e["provider"] != "aws");
    let no_aws = dir.path().join("no-aws.json");
    std::fs::write(&no_aws, inv.to_string()).unwrap();
    let out = super::phiscan()
        .current_dir(root)
        .args(["scan", "--from-inventory"])
        .arg(&no_aws)
        .args([
            "--now",
            NOW,
            "--checks",
            "gcp-compute-disk-cmek",
            "--attested",
            ATTESTED,
        ])
        .args(["--format", "asff"])
        .output()
        .unwrap();
    let gcp = String::from_utf8(out.stdout).unwrap();
    assert!(
        gcp.starts_with('['),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(gcp, "[]\n");
    snapshot("asff", pretty(&Value::Array(attested)));
}

#[test]
fn oscal_observations_are_examined_by_their_attester() {
    let v: Value = serde_json::from_str(&estate("oscal", true)).unwrap();
    assert_eq!(oscal_errors(&v), Vec::<String>::new());
    let ar = &v["assessment-results"];
    let parties = ar["metadata"]["parties"].as_array().unwrap();
    assert_eq!(parties.len(), 2);
    let result = &ar["results"][0];
    let observations = attested_items(result["observations"].as_array().unwrap(), |_, _| {
        Vec::new()
    });
    for o in &observations {
        assert_eq!(o["methods"], serde_json::json!(["EXAMINE"]));
        let actor = &o["origins"][0]["actors"][0];
        assert_eq!(actor["type"], "party");
        assert!(parties.iter().any(|p| p["uuid"] == actor["actor-uuid"]));
    }
    let findings: Vec<&Value> = result["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| is_attested(f))
        .collect();
    assert!(!findings.is_empty());
    snapshot(
        "oscal",
        pretty(&serde_json::json!({
            "parties": parties,
            "observations": observations,
            "findings": findings,
        })),
    );
}

/// Everything of `format` that is not an attested verdict: with an attested file it must be
/// byte for byte what the scan renders without one.
fn observed_part(format: &str, text: &str) -> String {
    match format {
        "csv" => {
            let (_, observed) = split_csv(text);
            format!("{observed:?}")
        }
        "junit" => match text.find("  <testsuite name=\"attested\"") {
            Some(start) => text[..start].to_string() + "</testsuites>\n",
            None => text.to_string(),
        },
        "sarif" => {
            let mut v: Value = serde_json::from_str(text).unwrap();
            v["runs"].as_array_mut().unwrap().truncate(1);
            pretty(&v)
        }
        "ocsf" | "asff" => {
            let mut v: Vec<Value> = serde_json::from_str(text).unwrap();
            v.retain(|e| !is_attested(e));
            pretty(&Value::Array(v))
        }
        "oscal" => {
            let mut v: Value = serde_json::from_str(text).unwrap();
            let ar = &mut v["assessment-results"];
            ar["metadata"].as_object_mut().unwrap().remove("parties");
            let result = &mut ar["results"][0];
            for list in ["observations", "findings"] {
                result[list]
                    .as_array_mut()
                    .unwrap()
                    .retain(|o| !is_attested(o));
            }
            pretty(&v)
        }
        other => unreachable!("{other}"),
    }
}

/// An attested FAIL (critical: an SSH rule open to the internet) changes no observed
/// finding, count or exit code in any format: `--fail-on critical` still exits 0 when no
/// observed failure is critical.
#[test]
fn an_attested_fail_never_changes_observed_findings_counts_or_exit_code() {
    for format in ["csv", "sarif", "junit", "ocsf", "asff", "oscal"] {
        let checks = "azure-storage-secure-transfer,aws-ebs-volume-encrypted";
        let without = scan(checks, format, &["--fail-on", "critical"], 0);
        let with = scan(
            checks,
            format,
            &["--fail-on", "critical", "--attested", ATTESTED],
            0,
        );
        assert_ne!(with, without, "{format}: the attested verdicts are missing");
        assert!(with.contains("sl-legacy-ssh"), "{format}");
        assert_eq!(
            observed_part(format, &with),
            observed_part(format, &without),
            "{format}"
        );
    }
}
