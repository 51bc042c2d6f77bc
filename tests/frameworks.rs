//! End-to-end: the second catalogue, readiness for the 2025 proposed Security Rule
//! (`--framework hipaa-nprm-2025`).

mod support;
use support::phiscan;

use std::collections::BTreeSet;

use phiscan_core::frameworks::hipaa::Coverage;
use phiscan_core::frameworks::nprm2025::Nprm2025;
use serde_json::Value;

#[path = "cli/table.rs"]
mod table;
use table::{rows, unwrap};

const NOW: &str = "2026-06-01T12:00:00Z";

fn demo_json(extra: &[&str]) -> Value {
    let out = phiscan()
        .args(["scan", "--demo", "--now", NOW, "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn requirement<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["readiness"]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no proposed requirement {id}"))
}

/// Checks whose findings cite any of these current-rule controls.
fn checks_citing(v: &Value, citations: &[&str]) -> BTreeSet<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["controls"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| citations.contains(&c["id"].as_str().unwrap()))
        })
        .map(|f| f["check_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_catalogue_says_it_is_a_proposal_with_its_citation() {
    let out = phiscan()
        .args(["controls", "--framework", "hipaa-nprm-2025"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("PROPOSED RULE, NOT IN FORCE"), "{text}");
    assert!(text.contains("90 FR 898 (2025-01-06), RIN 0945-AA22"));
    for cite in [
        "164.312(b)",
        "164.312(i)",
        "164.308(a)(1)",
        "164.308(a)(13)",
    ] {
        assert!(text.contains(cite), "{cite} missing");
    }
    let registry = phiscan_checks::registry();
    let shown = rows(&text, 0);
    assert_eq!(shown.len(), Nprm2025::ALL.len());
    for (row, &c) in shown.iter().zip(Nprm2025::ALL) {
        assert_eq!(
            [row[0].clone(), unwrap(&row[1]), row[2].clone()],
            [
                c.citation().to_string(),
                format!("{} {}", c.name(), c.summary()),
                c.coverage().label().to_string()
            ]
        );
        match c.coverage() {
            Coverage::Tested => {
                let citing: Vec<&str> = registry
                    .iter()
                    .map(|ch| ch.meta())
                    .filter(|m| Nprm2025::for_controls(m.controls).contains(&c))
                    .map(|m| m.id)
                    .collect();
                assert!(!citing.is_empty(), "{} is shown by no check", c.citation());
                assert_eq!(row[3].lines().collect::<Vec<_>>(), citing);
            }
            Coverage::Inherited(r) | Coverage::Organizational(r) => assert_eq!(unwrap(&row[3]), r),
        }
    }
    let tested = Nprm2025::ALL
        .iter()
        .filter(|c| c.coverage() == Coverage::Tested)
        .count();
    assert!(text.ends_with(&format!(
        "\n{} shown; {tested} of {} proposed standards shown by checks (each check's current-rule controls map to the proposed requirements that take them over).\n",
        Nprm2025::ALL.len(),
        Nprm2025::ALL.len()
    )));
}

/// The proposed requirements no check shows: their rows say why, and no check can change
/// them (the full table, whose rows list the registry's checks, is checked above).
#[test]
fn proposed_requirements_not_shown_by_checks_snapshot() {
    let out = phiscan()
        .args([
            "controls",
            "--framework",
            "hipaa-nprm-2025",
            "--coverage",
            "organizational",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!rows(&text, 0).is_empty());
    insta::assert_snapshot!("controls-nprm-2025-organizational", text);
}

#[test]
fn readiness_maps_every_check_through_its_current_controls() {
    let v = demo_json(&["--framework", "hipaa-nprm-2025"]);
    assert_eq!(v["scan"]["framework"], "hipaa-nprm-2025");
    let r = &v["readiness"];
    assert_eq!(r["framework"], "hipaa-nprm-2025");
    assert!(r["status"].as_str().unwrap().contains("NOT IN FORCE"));
    assert_eq!(r["requirements"].as_array().unwrap().len(), 15);

    // Encryption at rest and in transit are one proposed standard.
    let enc = requirement(&v, "164.312(b)");
    let got: BTreeSet<String> = enc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    let want = checks_citing(&v, &["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]);
    assert!(!want.is_empty());
    // Every check with a finding citing encryption is mapped (the readiness list may also
    // hold checks that produced no finding on the demo).
    assert!(want.is_subset(&got), "{want:?} not in {got:?}");
    assert_eq!(
        enc["verdict"], "fail",
        "the demo estate has unencrypted data"
    );
    let fails = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| got.contains(f["check_id"].as_str().unwrap()) && f["status"] == "FAIL")
        .count();
    assert_eq!(enc["counts"]["FAIL"].as_u64().unwrap() as usize, fails);

    // Backups land in data backup and recovery and in the contingency plan.
    let backup = checks_citing(&v, &["164.308(a)(7)(ii)(A)"]);
    for id in ["164.312(i)", "164.308(a)(13)"] {
        let listed: BTreeSet<String> = requirement(&v, id)["checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        assert!(
            backup.is_subset(&listed),
            "{id}: {backup:?} not in {listed:?}"
        );
    }

    // What no API shows is said, not passed.
    let vuln = requirement(&v, "164.312(h)");
    assert_eq!(vuln["verdict"], "organizational");
    assert!(vuln["coverage_reason"].as_str().unwrap().len() > 20);
    assert!(vuln["checks"].as_array().unwrap().is_empty());
}

#[test]
fn the_rule_in_force_alone_keeps_the_json_shape() {
    let v = demo_json(&[]);
    assert!(v.get("readiness").is_none());
    assert!(v["scan"].get("framework").is_none());
}

#[test]
fn table_and_html_show_the_readiness_section() {
    let out = phiscan()
        .args([
            "scan",
            "--demo",
            "--now",
            NOW,
            "--framework",
            "hipaa-nprm-2025",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text
        .contains("Readiness for the proposed 2025 Security Rule — PROPOSED RULE, NOT IN FORCE"));
    assert!(text.contains("Audit trail and system log controls"));
    let out = phiscan()
        .args([
            "scan",
            "--demo",
            "--now",
            NOW,
            "--framework",
            "hipaa-nprm-2025",
            "--format",
            "html",
        ])
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains("<table id=\"readiness-table\">"));
    assert!(html.contains("90 FR 898"));
}

#[test]
fn a_saved_scan_is_reread_against_the_proposal() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("scan.json");
    phiscan()
        .args(["scan", "--demo", "--now", NOW, "--format", "json", "-o"])
        .arg(&saved)
        .assert()
        .code(1);
    let out = phiscan()
        .arg("report")
        .arg(&saved)
        .args(["--format", "json", "--framework", "hipaa-nprm-2025"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let reread: Value = serde_json::from_slice(&out.stdout).unwrap();
    let direct = demo_json(&["--framework", "hipaa-nprm-2025"]);
    assert_eq!(reread["readiness"], direct["readiness"]);
}

#[test]
fn an_unknown_framework_is_a_usage_error_naming_the_known_ones() {
    let out = phiscan()
        .args(["scan", "--demo", "--framework", "hipaa-2031"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("hipaa-2031") && err.contains("hipaa-nprm-2025"),
        "{err}"
    );
}

#[test]
fn checks_show_lists_the_proposed_requirements() {
    let out = phiscan()
        .args(["checks", "show", "aws-ebs-volume-encrypted"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Proposed 2025 rule (NPRM, not in force):"),
        "{text}"
    );
    assert!(
        text.contains("proposed 45 CFR 164.312(b) Encryption and decryption"),
        "{text}"
    );
}
