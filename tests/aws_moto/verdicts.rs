//! The seeded scenario: every verdict, the saved inventory, recent backups, and a denied listing.

use super::*;

#[test]
fn scenario_verdicts_and_inventory() {
    let Some(moto) = Moto::start() else { return };
    let truth = moto.seed("scenario");
    let dir = tempfile::tempdir().unwrap();
    let inv_path = dir.path().join("inventory.json");
    let (report, code, stderr) = scan(
        &moto,
        &[
            "--collect-all",
            "--save-inventory",
            inv_path.to_str().unwrap(),
        ],
    );
    let inv: Value = serde_json::from_str(&std::fs::read_to_string(&inv_path).unwrap()).unwrap();

    let expected_code = assert_errors(&inv, &truth);
    assert_eq!(code, expected_code, "stderr: {stderr}");
    // Every ERROR is one the scenario expects (a moto gap), never a surprise.
    let expected_errors: BTreeSet<(&str, &str)> = truth["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["status"] == "ERROR")
        .map(|v| {
            (
                v["check"].as_str().unwrap(),
                v["resource"].as_str().unwrap(),
            )
        })
        .collect();
    for f in findings(&report).iter().filter(|f| f["status"] == "ERROR") {
        let key = (
            f["check_id"].as_str().unwrap(),
            f["resource"]["id"].as_str().unwrap(),
        );
        assert!(expected_errors.contains(&key), "unexpected ERROR: {f}");
    }
    assert_eq!(
        report["scan"]["source"],
        serde_json::json!({"type": "live", "detail": "aws"})
    );
    assert_eq!(
        report["scan"]["scope"],
        serde_json::json!([{"provider": "aws", "account": ACCOUNT, "regions": ["us-east-1", "eu-west-1"],
            "identity": {"principal": format!("arn:aws:sts::{ACCOUNT}:user/moto")}}])
    );
    assert_verdicts(&report, &truth, Truth::Complete);
    assert_inventory(&inv, &truth);

    // The multi-region trail is listed by both regions' DescribeTrails: it is one trail.
    let trails: Vec<&str> = inv["aws_cloudtrails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["resource"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(trails, ["phi-eu-trail", "phi-org-trail"]);

    // Every call is logged, none carries a secret.
    let calls = report["scan"]["api_calls"]
        .as_array()
        .expect("scan.api_calls");
    assert_eq!(calls, inv["api_calls"].as_array().unwrap());
    for c in calls {
        assert_eq!(c["provider"], "aws");
        assert_eq!(c["account"], ACCOUNT);
        assert!(c["http_status"].is_u64(), "{c}");
        assert!(c["duration_ms"].is_u64(), "{c}");
    }
    let text = report.to_string() + &inv.to_string();
    for leak in [SECRET, "Signature", "AWS4-HMAC-SHA256", "X-Amz-Credential"] {
        assert!(!text.contains(leak), "{leak} in the output");
    }
}

/// The recent-backup checks on complete data: no vault (so no recovery point to list, and
/// none of moto's missing recovery-point operations is called), snapshots of some volumes,
/// databases and clusters and not of others, tables with and without PITR, and EFS file
/// systems (never backed up: only AWS Backup backs EFS up), in two regions. One recency
/// rule judges all five stores.
#[test]
fn recent_backups_on_complete_data() {
    let Some(moto) = Moto::start() else { return };
    let truth = moto.seed("backups");
    let (report, code, stderr) = scan(
        &moto,
        &[
            "--checks",
            "aws-ebs-volume-recent-backup,aws-rds-instance-recent-backup,\
             aws-rds-cluster-recent-backup,aws-efs-recent-backup,aws-dynamodb-recent-backup",
        ],
    );
    assert_eq!(code, 1, "failures, no errors; stderr: {stderr}");
    assert_eq!(report["scan"]["counts"]["ERROR"], 0);
    assert_eq!(report["scan"]["counts"]["PASS"], 8);
    assert_eq!(report["scan"]["counts"]["FAIL"], 10);
    assert_verdicts(&report, &truth, Truth::Complete);
    let ops: BTreeSet<&str> = report["scan"]["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        ops,
        BTreeSet::from([
            "GetCallerIdentity",
            "DescribeVolumes",
            "DescribeSnapshots",
            "DescribeSnapshotAttribute",
            "DescribeDBInstances",
            "DescribeDBSnapshots",
            "DescribeDBClusters",
            "DescribeDBClusterSnapshots",
            "ListTables",
            "DescribeTable",
            "DescribeContinuousBackups",
            "DescribeFileSystems",
            "ListBackupVaults",
        ]),
        "exactly the backup sources are read"
    );
}

#[test]
fn denied_volume_listing_is_error_not_pass() {
    let Some(moto) = Moto::start() else { return };
    let truth = moto.seed("denied-user");
    let key = truth["credentials"]["access_key_id"].as_str().unwrap();
    let secret = truth["credentials"]["secret_access_key"].as_str().unwrap();
    let (report, code, stderr) = run(support::aws(key, secret).args([
        "scan",
        "aws",
        "--endpoint-url",
        &moto.url,
        "--regions",
        REGIONS,
        "--format",
        "json",
    ]));
    assert_eq!(code, 3, "an incomplete scan exits 3; stderr: {stderr}");

    let vols: Vec<&Value> = findings(&report)
        .iter()
        .filter(|f| f["check_id"] == "aws-ebs-volume-encrypted")
        .collect();
    let got: Vec<(&str, &str)> = vols
        .iter()
        .map(|f| {
            (
                f["resource"]["id"].as_str().unwrap(),
                f["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("aws/123456789012/eu-west-1/AwsEbsVolume", "ERROR"),
            ("aws/123456789012/us-east-1/AwsEbsVolume", "ERROR"),
        ],
        "the volumes could not be read: ERROR, never PASS"
    );
    for f in &vols {
        let reason = f["reason"].as_str().unwrap();
        assert!(reason.contains("ec2:DescribeVolumes"), "{reason}");
        assert!(
            reason.contains("AccessDenied") || reason.contains("UnauthorizedOperation"),
            "{reason}"
        );
    }
    // What the user may read is still judged.
    assert_verdicts(&report, &truth, Truth::Partial);
    // A denied global (IAM) call is an ERROR for the whole account, with the call named.
    for f in findings(&report)
        .iter()
        .filter(|f| f["check_id"].as_str().unwrap().starts_with("aws-iam-root-"))
    {
        assert_eq!(f["status"], "ERROR", "{f}");
        let reason = f["reason"].as_str().unwrap();
        assert!(reason.contains("iam:GetAccountSummary"), "{reason}");
    }
    let denied: Vec<&Value> = report["scan"]["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["operation"] == "DescribeVolumes")
        .collect();
    assert_eq!(
        denied.len(),
        2,
        "one attempt per region: access denied is not retried"
    );
    for c in denied {
        assert_eq!(c["http_status"], 403, "{c}");
        assert!(c["error_code"].is_string(), "{c}");
    }
}
