//! What a bundle holds: reproducible bytes, signing keys kept private, raw evidence behind
//! every finding, no secrets, and every report format rendered from it.

use super::*;

#[test]
fn bundles_are_reproducible_byte_for_byte() {
    let keys = keygen();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for name in ["bundle", "bundle.tar.gz"] {
        let x = demo_bundle(a.path(), name, Some(&keys.private), &[]);
        let y = demo_bundle(b.path(), name, Some(&keys.private), &[]);
        if x.is_dir() {
            assert_eq!(files_of(&x), files_of(&y), "{name}");
        } else {
            assert_eq!(
                std::fs::read(&x).unwrap(),
                std::fs::read(&y).unwrap(),
                "{name}"
            );
        }
    }
    // The archive holds exactly the directory's files.
    let dir = files_of(&a.path().join("bundle"));
    let tar: BTreeMap<String, Vec<u8>> =
        untar(&a.path().join("bundle.tar.gz")).into_iter().collect();
    let strip = |m: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        // scan.json records the --evidence argument, which differs between the two forms.
        m.iter()
            .filter(|(k, _)| !matches!(k.as_str(), "scan.json" | "manifest.json" | "manifest.sig"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    assert_eq!(strip(&dir), strip(&tar));
}

#[test]
fn signing_key_from_the_environment_and_unsigned_bundles() {
    let keys = keygen();
    let work = tempfile::tempdir().unwrap();
    let out = phiscan()
        .current_dir(work.path())
        .env(
            "PHISCAN_SIGNING_KEY",
            std::fs::read_to_string(&keys.private).unwrap(),
        )
        .args(["scan", "--demo", "--now", NOW, "--evidence", "env"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (code, text, _) = verify(&work.path().join("env"), Some(&keys.public));
    assert_eq!(code, 0, "{text}");

    let unsigned = demo_bundle(work.path(), "unsigned", None, &[]);
    let (code, text, _) = verify(&unsigned, None);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("UNSIGNED"), "{text}");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(unsigned.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["signed"], false);
    assert!(manifest["note"].as_str().unwrap().contains("unsigned"));
    assert!(!unsigned.join("manifest.sig").exists());
    // An unsigned bundle cannot satisfy a pinned key.
    let (code, text, _) = verify(&unsigned, Some(&keys.public));
    assert_eq!(code, 1, "{text}");
    // Still, every data file is covered by its hash.
    let mut csv = std::fs::read(unsigned.join("controls.csv")).unwrap();
    csv[10] ^= 1;
    std::fs::write(unsigned.join("controls.csv"), csv).unwrap();
    let (code, text, _) = verify(&unsigned, None);
    assert_eq!(code, 1);
    assert!(text.contains("controls.csv: changed"), "{text}");
}

#[test]
fn keys_are_private_and_never_overwritten_or_recorded() {
    let keys = keygen();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&keys.private)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let out = phiscan()
        .args([
            "keygen",
            "--out",
            keys.private.parent().unwrap().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("never overwrites"));

    let work = tempfile::tempdir().unwrap();
    let bundle = demo_bundle(work.path(), "b", Some(&keys.private), &[]);
    let private = std::fs::read_to_string(&keys.private).unwrap();
    let body = private.lines().nth(1).unwrap();
    for (name, data) in files_of(&bundle) {
        let text = String::from_utf8_lossy(&data);
        assert!(
            !text.contains("PRIVATE KEY") && !text.contains(body),
            "{name} holds the private key"
        );
    }
    // A second scan to the same place is refused before scanning: evidence is never overwritten.
    let out = phiscan()
        .current_dir(work.path())
        .args(["scan", "--demo", "--evidence", "b"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("never overwritten"));
}

#[test]
fn every_finding_points_at_its_raw_evidence() {
    let work = tempfile::tempdir().unwrap();
    let bundle = demo_bundle(work.path(), "b", None, &[]);
    let findings: Value =
        serde_json::from_slice(&std::fs::read(bundle.join("findings.json")).unwrap()).unwrap();
    for f in findings["findings"].as_array().unwrap() {
        let r = f["evidence_ref"]
            .as_str()
            .unwrap_or_else(|| panic!("no evidence_ref: {f}"));
        assert!(
            r.starts_with(&format!("raw/{}/", f["provider"].as_str().unwrap())),
            "{r}"
        );
        let raw: Value = serde_json::from_slice(&std::fs::read(bundle.join(r)).unwrap()).unwrap();
        assert_eq!(raw["id"], f["resource"]["id"], "{r}");
        match raw["format"].as_str().unwrap() {
            "phiscan-raw-record/v1" => {
                assert_eq!(raw["record"]["resource"]["id"], f["resource"]["id"], "{r}")
            }
            // A verdict over several records (e.g. region coverage) names the records it read.
            "phiscan-raw-derived/v1" => {
                let from = raw["derived_from"].as_array().unwrap();
                assert!(!from.is_empty(), "{r}");
                for p in from {
                    assert!(bundle.join(p.as_str().unwrap()).is_file(), "{r} -> {p}");
                }
                assert!(
                    raw["checks"].as_array().unwrap().contains(&f["check_id"]),
                    "{r}"
                );
            }
            other => panic!("{r}: unexpected format {other}"),
        }
    }
    let scan: Value =
        serde_json::from_slice(&std::fs::read(bundle.join("scan.json")).unwrap()).unwrap();
    assert_eq!(scan["format"], "phiscan-scan/v1");
    assert_eq!(scan["tool"]["name"], "phiscan");
    assert_eq!(scan["command_line"][0], "phiscan");
    assert_eq!(scan["started_at"], NOW);
    let who: Vec<&str> = scan["scanned_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["identity"]["principal"].as_str().unwrap())
        .collect();
    assert!(
        who.iter()
            .any(|p| p.starts_with("arn:aws:sts::111122223333:")),
        "{who:?}"
    );
    assert_eq!(scan["scopes"].as_array().unwrap().len(), 6);
    // The control matrix: every specification of the Security Rule, one row each.
    let csv = String::from_utf8(std::fs::read(bundle.join("controls.csv")).unwrap()).unwrap();
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        rows.len() - 1,
        findings["controls"].as_array().unwrap().len()
    );
    assert!(rows
        .iter()
        .any(|r| r.starts_with("164.312(a)(2)(iv),") && r.contains("findings.json#/findings/")));
    assert!(rows
        .iter()
        .any(|r| r.starts_with("164.310(a)(1),") && r.contains(",inherited,")));
    assert!(rows
        .iter()
        .any(|r| r.starts_with("164.308(b)(1),") && r.contains(",organizational,")));
    let html = String::from_utf8(std::fs::read(bundle.join("controls.html")).unwrap()).unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "controls.html is self-contained"
    );
    assert!(html.contains("href=\"findings.json#/findings/") && html.contains("href=\"raw/"));
}

#[test]
fn secrets_in_the_inventory_never_reach_the_bundle() {
    let work = tempfile::tempdir().unwrap();
    let inv = serde_json::json!({
        "format": "phiscan-inventory/v1",
        "collection_started_at": "2026-06-01T11:58:00Z",
        "collected_at": NOW,
        "scopes": [{"provider": "aws", "account": "111122223333", "regions": ["us-east-1"],
                    "identity": {"principal": "arn:aws:sts::111122223333:assumed-role/audit/ci"}}],
        "aws_ebs_volumes": [{
            "resource": {"provider": "aws", "account": "111122223333", "region": "us-east-1",
                         "kind": "AwsEbsVolume", "id": "arn:aws:ec2:us-east-1:111122223333:volume/vol-1",
                         "name": "vol/1 with spaces", "tags": {"db_password": "hunter2", "owner": "ops"}},
            "encrypted": true, "state": "in-use", "size_gib": 8
        }],
        "raw_responses": [{
            "provider": "aws", "account": "111122223333", "region": "us-east-1",
            "service": "EC2", "operation": "DescribeVolumes", "request_id": "req-1",
            "resource_ids": ["arn:aws:ec2:us-east-1:111122223333:volume/vol-1"],
            "body": {"Volumes": [{"VolumeId": "vol-1", "Note": "https://b.s3.amazonaws.com/k?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA",
                                   "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG", "Conn": "postgres://app:pa55word@db/phi"}]}
        }]
    });
    let path = work.path().join("inv.json");
    std::fs::write(&path, inv.to_string()).unwrap();
    let out = support::run(phiscan().current_dir(work.path()).args([
        "scan",
        "--from-inventory",
        "inv.json",
        "--checks",
        "aws-ebs-volume-encrypted",
        "--evidence",
        "b",
        "--format",
        "json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let stdout = out.stdout;
    let bundle = work.path().join("b");
    let files = files_of(&bundle);
    for secret in ["hunter2", "deadbeef", "wJalrXUtnFEMI", "pa55word", "AKIA"] {
        assert!(!stdout.contains(secret), "stdout holds {secret}");
        for (name, data) in &files {
            assert!(
                !String::from_utf8_lossy(data).contains(secret),
                "{name} holds {secret}"
            );
        }
    }
    let scan: Value = serde_json::from_slice(&files["scan.json"]).unwrap();
    assert_eq!(scan["started_at"], "2026-06-01T11:58:00Z");
    assert_eq!(scan["raw_responses"], 1);
    assert!(
        scan["redactions"]["secret-key-name"].as_u64().unwrap() >= 2,
        "{}",
        scan["redactions"]
    );
    assert!(scan["redactions"]["signed-url"].as_u64().unwrap() >= 1);
    assert!(scan["redactions"]["url-password"].as_u64().unwrap() >= 1);
    // The odd resource name gets a safe, unique file that links to its raw response.
    let record = files.keys().find(|k| k.contains("/AwsEbsVolume/")).unwrap();
    assert!(
        record.starts_with("raw/aws/111122223333/us-east-1/AwsEbsVolume/vol_1_with_spaces-"),
        "{record}"
    );
    let raw: Value = serde_json::from_slice(&files[record]).unwrap();
    let response = raw["raw_responses"][0].as_str().unwrap();
    assert_eq!(
        response,
        "raw/aws/111122223333/us-east-1/_responses/EC2-DescribeVolumes-0000.json"
    );
    assert!(files.contains_key(response));
    assert_eq!(verify(&bundle, None).0, 0);
}

#[test]
fn report_renders_any_format_from_a_bundle() {
    let work = tempfile::tempdir().unwrap();
    let bundle = demo_bundle(work.path(), "b.tar.gz", None, &[]);
    let out =
        support::run(phiscan().args(["report", bundle.to_str().unwrap(), "--format", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let entries: BTreeMap<String, Vec<u8>> = untar(&bundle).into_iter().collect();
    assert_eq!(
        out.stdout.as_bytes(),
        entries["findings.json"],
        "re-rendered JSON equals the bundle's"
    );
    // Formats without evidence references render exactly as the scan did.
    let table = phiscan()
        .args(["report", bundle.to_str().unwrap()])
        .output()
        .unwrap();
    let direct = phiscan()
        .args(["scan", "--demo", "--now", NOW])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(table.stdout).unwrap(),
        String::from_utf8(direct.stdout).unwrap()
    );
    for format in [
        "table", "csv", "sarif", "junit", "html", "ocsf", "asff", "oscal",
    ] {
        let out = phiscan()
            .args(["report", bundle.to_str().unwrap(), "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert!(!out.stdout.is_empty(), "{format}");
    }
    // A tampered bundle is refused unless --no-verify.
    let dir = demo_bundle(work.path(), "d", None, &[]);
    let f = dir.join("findings.json");
    let text = std::fs::read_to_string(&f)
        .unwrap()
        .replacen("\"FAIL\"", "\"PASS\"", 1);
    std::fs::write(&f, text).unwrap();
    let out = phiscan()
        .args(["report", dir.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("findings.json: changed"));
    phiscan()
        .args([
            "report",
            dir.to_str().unwrap(),
            "--format",
            "json",
            "--no-verify",
        ])
        .assert()
        .code(0);
}
