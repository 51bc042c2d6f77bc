//! Identifiers a consumer keys on (OSCAL UUIDs, OCSF uids, ASFF ids, SARIF fingerprints,
//! JUnit suites) stay what they were when one more check is selected: two reports of the same
//! inventory, the second with extra checks whose findings land between the others, agree on
//! the id of every finding they share. A GRC tool or data lake that imported one report recognises
//! the same observations in the next after phiscan grew a check.

use std::collections::BTreeMap;

use serde_json::Value;

use super::estate::estate;

/// Extra checks that add findings in the middle of the estate's report (the first sorts
/// right after one of the estate's checks, the second reads the estate's storage accounts).
const MORE: [&str; 2] = ["aws-ec2-sg-no-public-db-ports", "azure-storage-min-tls12"];

fn both(format: &str) -> (Value, Value) {
    let base = serde_json::from_str(&estate(format, &[])).unwrap();
    let more = serde_json::from_str(&estate(format, &MORE)).unwrap();
    (base, more)
}

/// Every key of `base` is in `more` with the same id, and `more` has keys `base` lacks.
fn assert_kept(what: &str, base: &BTreeMap<String, String>, more: &BTreeMap<String, String>) {
    assert!(!base.is_empty(), "{what}: nothing to compare");
    for (key, id) in base {
        assert_eq!(more.get(key), Some(id), "{what} of {key} changed");
    }
    assert!(
        more.len() > base.len(),
        "{what}: the extra checks added none"
    );
}

fn prop<'a>(o: &'a Value, name: &str) -> &'a str {
    o["props"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no prop {name} in {o}"))["value"]
        .as_str()
        .unwrap()
}

#[test]
fn oscal_uuids_do_not_depend_on_the_checks_run() {
    let (base, more) = both("oscal");
    let observations = |doc: &Value| -> BTreeMap<String, String> {
        doc["assessment-results"]["results"][0]["observations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                let key = format!("{} {}", prop(o, "check-id"), prop(o, "resource-id"));
                (key, o["uuid"].as_str().unwrap().to_string())
            })
            .collect()
    };
    assert_kept("observation", &observations(&base), &observations(&more));
    // A control's finding is (scan, control); it gains the extra checks' observations.
    let findings = |doc: &Value| -> BTreeMap<String, String> {
        doc["assessment-results"]["results"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let key = f["target"]["target-id"].as_str().unwrap().to_string();
                (key, f["uuid"].as_str().unwrap().to_string())
            })
            .collect()
    };
    let (fb, fm) = (findings(&base), findings(&more));
    assert!(!fb.is_empty());
    for (control, id) in &fb {
        assert_eq!(fm.get(control), Some(id), "finding of {control} changed");
    }
    // The scan itself: the document, its result and the assessment-plan resource.
    let ar = |doc: &Value| doc["assessment-results"].clone();
    let (a, b) = (ar(&base), ar(&more));
    assert_eq!(a["uuid"], b["uuid"]);
    assert_eq!(a["results"][0]["uuid"], b["results"][0]["uuid"]);
    assert_eq!(
        a["back-matter"]["resources"][0]["uuid"],
        b["back-matter"]["resources"][0]["uuid"]
    );
}

#[test]
fn ocsf_uids_do_not_depend_on_the_checks_run() {
    let (base, more) = both("ocsf");
    for field in ["finding_info", "metadata"] {
        let uids = |events: &Value| -> BTreeMap<String, String> {
            events
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    let key = format!(
                        "{} {}",
                        e["unmapped"]["phiscan_check_id"].as_str().unwrap(),
                        e["resources"][0]["uid"].as_str().unwrap()
                    );
                    (key, e[field]["uid"].as_str().unwrap().to_string())
                })
                .collect()
        };
        assert_kept(&format!("{field}.uid"), &uids(&base), &uids(&more));
    }
}

#[test]
fn asff_ids_do_not_depend_on_the_checks_run() {
    let (base, more) = both("asff");
    let ids = |findings: &Value| -> BTreeMap<String, String> {
        findings
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let key = format!(
                    "{} {}",
                    f["GeneratorId"].as_str().unwrap(),
                    f["Resources"][0]["Id"].as_str().unwrap()
                );
                (key, f["Id"].as_str().unwrap().to_string())
            })
            .collect()
    };
    assert_kept("Id", &ids(&base), &ids(&more));
}

#[test]
fn sarif_fingerprints_do_not_depend_on_the_checks_run() {
    let (base, more) = both("sarif");
    let fingerprints = |doc: &Value| -> BTreeMap<String, String> {
        let run = &doc["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        run["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                // ruleIndex is a position by definition (SARIF 2.1.0 §3.27.6): it must point
                // at the rule of ruleId, whatever else ran.
                let index = r["ruleIndex"].as_u64().unwrap() as usize;
                assert_eq!(rules[index]["id"], r["ruleId"]);
                let key = format!(
                    "{} {}",
                    r["ruleId"].as_str().unwrap(),
                    r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                        .as_str()
                        .unwrap()
                );
                let fp = r["partialFingerprints"]["phiscanFinding/v1"].as_str();
                (key, fp.unwrap().to_string())
            })
            .collect()
    };
    assert_kept("fingerprint", &fingerprints(&base), &fingerprints(&more));
    assert_eq!(
        base["runs"][0]["automationDetails"],
        more["runs"][0]["automationDetails"]
    );
}

/// Each `<testsuite>` element by its name, with its `id` attribute taken out: the XSD
/// defines that id as the suite's position ("starts at 0 ... incremented by 1"), so it
/// moves by definition; CI systems key suites and cases on their names.
fn suites(xml: &str) -> BTreeMap<String, String> {
    xml.split("  <testsuite ")
        .skip(1)
        .map(|s| {
            let name = s.split('"').nth(1).unwrap().to_string();
            let (head, rest) = s.split_once(" id=\"").unwrap();
            let (_, tail) = rest.split_once('"').unwrap();
            (name, format!("{head}{tail}"))
        })
        .collect()
}

#[test]
fn junit_suites_of_other_checks_do_not_change() {
    let base = suites(&estate("junit", &[]));
    let more = suites(&estate("junit", &MORE));
    assert_eq!(base.len(), super::estate::checks().len());
    assert_kept("testsuite", &base, &more);
}
