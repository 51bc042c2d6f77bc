//! End-to-end: attested assets (`--attested`, docs/attested.md) judged beside the demo
//! estate, labelled ATTESTED in table, JSON and HTML, never mixed into observed counts.

mod support;
use support::phiscan;

use serde_json::Value;

const NOW: &str = "2026-06-01T12:00:00Z";
const DEMO: &str = "fixtures/attested/demo.toml";

/// `phiscan scan --demo --profile qolty [--attested DEMO] --now NOW --format F`: stdout and
/// exit code.
fn scan(format: &str, attested: bool) -> (String, Option<i32>) {
    let mut cmd = phiscan();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "scan",
        "--demo",
        "--profile",
        "qolty",
        "--now",
        NOW,
        "--format",
        format,
    ]);
    if attested {
        cmd.args(["--attested", DEMO]);
    }
    let out = cmd.output().unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code())
}

fn promise<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["profile"]["promises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
}

/// The done-when command: the Rackspace / SoftLayer part of the disk-encryption promise is
/// judged from attestations, in JSON (schema-valid), apart from the observed counts.
#[test]
fn json_judges_the_platforms_from_attestations_apart_from_observed_counts() {
    let (with, code) = scan("json", true);
    let (without, code_without) = scan("json", false);
    let v = support::json(with.as_bytes()).expect("schema-valid");
    let w = support::json(without.as_bytes()).expect("schema-valid");
    // Observed findings, counts and exit code are those of the scan without attestations.
    assert_eq!(v["scan"]["counts"], w["scan"]["counts"]);
    assert_eq!(v["findings"], w["findings"]);
    assert_eq!(code, code_without);
    assert_eq!(v["scan"]["attested_counts"]["PASS"], 6);
    assert_eq!(v["scan"]["attested_counts"]["FAIL"], 2);
    assert!(w.get("attested").is_none() && w["scan"].get("attested_counts").is_none());

    let attested = v["attested"].as_array().unwrap();
    assert!(attested.iter().all(|a| a["provenance"] == "ATTESTED"));
    let disk = attested
        .iter()
        .find(|a| a["resource"]["id"] == "sl-qolty-reporting-02-disk1")
        .unwrap();
    assert_eq!(disk["status"], "FAIL");
    assert_eq!(disk["rule"], "attested-disk-encrypted");
    assert_eq!(
        disk["attestation"]["attester"],
        "Marco Ruiz, Qolty systems engineer"
    );
    assert_eq!(disk["attestation"]["attested_on"], "2026-05-22");

    let at_rest = promise(&v, "data-at-rest-encrypted");
    let verdicts: Vec<(&str, &str)> = at_rest["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["platform"].as_str().unwrap(),
                p["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("rackspace", "holds-attested"),
            ("ibm-softlayer", "broken-attested")
        ]
    );
    // A promise whose every attested platform holds and whose observed findings would hold
    // is "holds (attested)"; the SSH rule on SoftLayer breaks the admin-port promises.
    assert_eq!(
        promise(&v, "justified-ports-only")["platforms"][1]["verdict"],
        "broken-attested"
    );
    assert_eq!(
        promise(&v, "databases-only-through-bastion")["platforms"][1]["verdict"],
        "holds-attested"
    );
}

/// Without an attested file, the platforms are listed as not verified, never dropped.
#[test]
fn without_attestation_the_platforms_are_not_verified_in_table_and_json() {
    let (json, _) = scan("json", false);
    let v = support::json(json.as_bytes()).unwrap();
    for p in promise(&v, "data-at-rest-encrypted")["platforms"]
        .as_array()
        .unwrap()
    {
        assert_eq!(p["verdict"], "not-verified");
        assert_eq!(p["label"], "not verified: no API and no attestation");
    }
    let (table, _) = scan("table", false);
    for platform in ["rackspace", "ibm-softlayer"] {
        assert!(
            table.contains(&format!(
                "{platform}: not verified: no API and no attestation"
            )),
            "{table}"
        );
    }
    assert!(!table.contains("Attested assets"));
}

#[test]
fn table_labels_attested_verdicts_with_their_attester() {
    let (table, _) = scan("table", true);
    assert!(
        table.contains("rackspace: holds (attested), 2 attested PASS"),
        "{table}"
    );
    assert!(
        table.contains("ibm-softlayer: broken (attested)"),
        "{table}"
    );
    assert!(table.contains("Attested assets (ATTESTED"), "{table}");
    assert!(table.contains("FAIL (ATTESTED)") && table.contains("PASS (ATTESTED)"));
    assert!(table.contains("Marco Ruiz, Qolty systems"), "{table}");
    assert!(
        table.contains(
            "Attested (not observed, not in the counts above or the exit code): 6 PASS, 2 FAIL."
        ),
        "{table}"
    );
}

#[test]
fn html_has_the_attested_section_and_platform_verdicts() {
    let (html, _) = scan("html", true);
    assert!(html.contains("<h2 id=\"attested\">Attested assets</h2>"));
    assert_eq!(html.matches("data-provenance=\"attested\"").count(), 8);
    assert!(html.contains("rackspace: holds (attested)"));
    assert!(html.contains("ibm-softlayer: broken (attested)"));
    assert!(html.contains("SL-INV-2026-Q2 SoftLayer storage inventory"));
    let (plain, _) = scan("html", false);
    assert!(!plain.contains("id=\"attested\""));
    assert!(plain.contains("rackspace: not verified: no API and no attestation"));
}

/// A bad file stops the scan before anything is evaluated, naming the file and line.
#[test]
fn a_bad_attested_file_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(
        &path,
        "format = \"phiscan-attested/v1\"\n[[disk]]\nplatform = \"rackspace\"\nid = \"d\"\nencrypted = false\nattester = \"a\"\ndocument = \"d\"\nattested_on = 2026-06-02\n",
    )
    .unwrap();
    let out = phiscan()
        .args(["scan", "--demo", "--now", NOW, "--attested"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.toml") && err.contains("line 8"), "{err}");
    assert!(err.contains("in the future (today is 2026-06-01)"), "{err}");
}

/// `phiscan report` of a saved JSON report renders the attested verdicts again: the same
/// table as the scan, and the same JSON.
#[test]
fn a_saved_report_renders_the_attested_verdicts_again() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("report.json");
    let (json, _) = scan("json", true);
    std::fs::write(&saved, &json).unwrap();
    let (table, _) = scan("table", true);
    let rendered = phiscan().arg("report").arg(&saved).output().unwrap();
    assert_eq!(String::from_utf8(rendered.stdout).unwrap(), table);
    let again = phiscan()
        .arg("report")
        .arg(&saved)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let a: Value = serde_json::from_str(&json).unwrap();
    let b: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(a["attested"], b["attested"]);
    assert_eq!(a["profile"], b["profile"]);
    assert_eq!(a["scan"]["attested_counts"], b["scan"]["attested_counts"]);
}
