//! Waivers: applied in every format, expired and unmatched ones flagged, the exit code after
//! waivers, and `diff` never counting a waived finding as newly failing.

use super::*;

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
    // The waiver columns, where imports map them (the provenance columns come after).
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .contains(",evidence_ref,waiver_justification,waiver_approver,waiver_expires,provenance,"));
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
    // Security Hub: still FAILED, the workflow SUPPRESSED, the justification in the note.
    assert!(
        check.starts_with("aws-"),
        "{check}: ASFF holds AWS findings only"
    );
    let asff: Value = serde_json::from_str(&read("report.asff.json")).unwrap();
    let waived: Vec<&Value> = asff
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["Workflow"]["Status"] == "SUPPRESSED")
        .collect();
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0]["Compliance"]["Status"], "FAILED");
    assert!(waived[0]["Note"]["Text"]
        .as_str()
        .unwrap()
        .contains("RISK-1 compensating control"));
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
