//! Severity overrides, params and fail_on from the file; `config check`; bad files refused
//! with file, line, column and key.

use super::*;

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
            "[output]\nevidence_raw = \"some\"\n".into(),
            "phiscan.toml:2:16: key `output.evidence_raw`",
            "unknown value \"some\": one of all, failing, none",
        ),
        (
            format!("[output]\noutput = \"{}.json\"\n", "a".repeat(300)),
            "phiscan.toml:2:10: key `output.output`",
            "is 305 bytes long; a file name takes at most 255",
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

/// A destination that cannot be written is refused before anything is scanned, by `config
/// check` as by `scan`, naming the setting, instead of failing after the scan.
#[test]
fn unwritable_destinations_are_refused_before_scanning() {
    let cases = [
        (
            "output = \"missing/report.json\"",
            "output.output",
            "--output",
        ),
        (
            "evidence = \"missing/bundle.tar.gz\"",
            "output.evidence",
            "--evidence",
        ),
    ];
    for (line, key, flag) in cases {
        let dir = with_config(&format!("[output]\nformat = [\"json\"]\n{line}\n"));
        let config = phiscan(dir.path())
            .args(["config", "check"])
            .output()
            .unwrap();
        let scan = phiscan(dir.path())
            .args(["scan", "--demo"])
            .output()
            .unwrap();
        for (what, o, named) in [("config check", &config, key), ("scan", &scan, flag)] {
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{what} {line}: {stderr}");
            assert!(o.stdout.is_empty(), "{what}: nothing scanned");
            assert!(
                stderr.contains(named) && stderr.contains("does not exist"),
                "{what} {line}: {stderr}"
            );
        }
    }
    // The same directory existing: valid.
    let dir = with_config("[output]\nformat = [\"json\"]\noutput = \"out/report.json\"\n");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let o = phiscan(dir.path())
        .args(["config", "check"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// `output.evidence_raw` picks the raw responses a bundle keeps; `--evidence-raw` wins. The
/// inventory is the snapshot estate with one provider response behind its FAILing EBS volume
/// and one behind its PASSing one.
#[test]
fn evidence_raw_comes_from_the_file_and_the_flag_wins() {
    let dir = with_config("[output]\nevidence_raw = \"failing\"\n");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let estate = std::fs::read_to_string(root.join("fixtures/snapshot-estate/inventory.json"));
    let mut inv: Value = serde_json::from_str(&estate.unwrap()).unwrap();
    let response = |volume: &str| {
        serde_json::json!({
            "provider": "aws", "account": "111122223333", "region": "us-east-1",
            "service": "EC2", "operation": "DescribeVolumes", "request_id": volume,
            "resource_ids": [format!("arn:aws:ec2:us-east-1:111122223333:volume/{volume}")],
            "body": {"VolumeId": volume},
        })
    };
    inv["raw_responses"] = serde_json::json!([
        response("vol-09f8e7d6c5b4a3921"),
        response("vol-0c4d5e6f7a8b9c0d1")
    ]);
    std::fs::write(dir.path().join("inv.json"), inv.to_string()).unwrap();
    // (the mode scan.json records, the raw responses the bundle holds)
    let bundle = |name: &str, extra: &[&str]| -> (Value, Value) {
        let out = support::run(
            phiscan(dir.path())
                .args(["scan", "--from-inventory", "inv.json", "--evidence", name])
                .args(["--checks", "aws-ebs-volume-encrypted"])
                .args(extra),
        );
        assert_eq!(out.code, 1, "{}", out.stderr);
        let scan = std::fs::read(dir.path().join(name).join("scan.json")).unwrap();
        let scan: Value = serde_json::from_slice(&scan).unwrap();
        (
            scan["config"]["evidence_raw"].clone(),
            scan["raw_responses"].clone(),
        )
    };
    assert_eq!(bundle("from-file", &[]), ("failing".into(), 1.into()));
    let flag = bundle("from-flag", &["--evidence-raw", "all"]);
    assert_eq!(flag, ("all".into(), 2.into()));
    // Without the key, a bundle keeps them all.
    std::fs::write(dir.path().join("phiscan.toml"), "fail_on = \"low\"\n").unwrap();
    assert_eq!(bundle("default", &[]), ("all".into(), 2.into()));
    let none = bundle("none", &["--evidence-raw", "none"]);
    assert_eq!(none, ("none".into(), 0.into()));
}
