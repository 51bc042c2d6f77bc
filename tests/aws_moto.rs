//! End-to-end tests of `phiscan scan aws` against moto: the real binary, the real SDK,
//! a scenario seeded with a known truth (fixtures/aws/seed.py). Each test starts its own
//! moto on its own port (tests/support/moto.rs), so they are independent and parallel-safe.
//!
//! What they prove: each seeded resource gets the verdict the scenario says; the saved
//! inventory holds the right values for every AWS kind (for the checks still to come);
//! the scan only reads (every request moto received is a Describe/List/Get/Head); a denied
//! call is ERROR, never PASS, with exit code 3; a scan that cannot identify the account is
//! a one-line error with exit code 2.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use support::moto::Moto;

const ACCOUNT: &str = "123456789012";
const REGIONS: &str = "us-east-1,eu-west-1";
/// A secret that must never reach an output.
const SECRET: &str = "phiscan-test-secret-never-logged";

/// The binary with a clean AWS environment: static keys, no profile files, no metadata
/// service, nothing from the machine.
fn phiscan(dir: &Path, key_id: &str, secret: &str) -> Command {
    let empty = dir.join("empty-aws-config");
    std::fs::write(&empty, "").unwrap();
    let mut c = Command::cargo_bin("phiscan").expect("binary built");
    for var in [
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_SESSION_TOKEN",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "RUST_LOG",
    ] {
        c.env_remove(var);
    }
    c.env("AWS_ACCESS_KEY_ID", key_id)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", &empty)
        .env("AWS_SHARED_CREDENTIALS_FILE", &empty);
    c
}

fn run(cmd: &mut Command) -> (Value, i32, String) {
    let out: Output = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let code = out.status.code().expect("exit code");
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}); exit {code}; stderr: {stderr}"));
    (v, code, stderr)
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings")
}

/// The inventory list holding each kind.
fn field_of(kind: &str) -> &'static str {
    match kind {
        "AwsEbsVolume" => "aws_ebs_volumes",
        "AwsEbsEncryptionDefault" => "aws_ebs_encryption_defaults",
        "AwsEbsSnapshot" => "aws_ebs_snapshots",
        "AwsS3Bucket" => "aws_s3_buckets",
        "AwsS3AccountPublicAccessBlock" => "aws_s3_account_public_access_blocks",
        "AwsRdsInstance" => "aws_rds_instances",
        "AwsElbv2Listener" => "aws_elbv2_listeners",
        "AwsEc2SecurityGroup" => "aws_ec2_security_groups",
        "AwsEc2Instance" => "aws_ec2_instances",
        "AwsEc2Subnet" => "aws_ec2_subnets",
        "AwsVpc" => "aws_vpcs",
        "AwsKmsKey" => "aws_kms_keys",
        "AwsCloudTrail" => "aws_cloudtrails",
        // IAM, CloudWatch Logs, ACM, network ACLs (issue 4, part B).
        "AwsIamPolicy" => "aws_iam_policies",
        "AwsIamRootAccount" => "aws_iam_root_accounts",
        "AwsIamPasswordPolicy" => "aws_iam_password_policies",
        "AwsLogGroup" => "aws_log_groups",
        "AwsAcmCertificate" => "aws_acm_certificates",
        "AwsEc2NetworkAcl" => "aws_ec2_network_acls",
        // Data protection and backup.
        "AwsRdsCluster" => "aws_rds_clusters",
        "AwsRdsParameterGroup" => "aws_rds_parameter_groups",
        "AwsRdsSnapshot" => "aws_rds_snapshots",
        "AwsBackupVault" => "aws_backup_vaults",
        "AwsBackupRecoveryPoint" => "aws_backup_recovery_points",
        "AwsEfsFileSystem" => "aws_efs_file_systems",
        "AwsDynamoDbTable" => "aws_dynamodb_tables",
        other => panic!("unknown kind {other}"),
    }
}

/// `expected` is contained in `actual`: objects by key (recursively), arrays element by
/// element with the same length; an expected null matches null or absent.
fn contains(actual: Option<&Value>, expected: &Value) -> bool {
    match (actual, expected) {
        (None | Some(Value::Null), Value::Null) => true,
        (Some(Value::Object(a)), Value::Object(e)) => e.iter().all(|(k, v)| contains(a.get(k), v)),
        (Some(Value::Array(a)), Value::Array(e)) => {
            a.len() == e.len() && a.iter().zip(e).all(|(a, e)| contains(Some(a), e))
        }
        (Some(a), e) => a == e,
        (None, _) => false,
    }
}

/// Every fact the seeding script wrote holds in the saved inventory; all mismatches at once.
fn assert_inventory(inv: &Value, truth: &Value) {
    let mut wrong = Vec::new();
    for (kind, facts) in truth["inventory"].as_object().unwrap() {
        let list = inv[field_of(kind)].as_array().cloned().unwrap_or_default();
        for fact in facts.as_array().unwrap() {
            let id = fact["id"].as_str().unwrap();
            let Some(res) = list.iter().find(|r| r["resource"]["id"] == id) else {
                wrong.push(format!("{kind} {id}: missing from the inventory"));
                continue;
            };
            for (key, want) in fact["fields"].as_object().unwrap() {
                let (got, ok) = if let Some(field) = key.strip_suffix("_contains") {
                    let got = &res[field];
                    let ok = want
                        .as_array()
                        .unwrap()
                        .iter()
                        .all(|w| got.as_array().is_some_and(|g| g.contains(w)));
                    (got.clone(), ok)
                } else if ["name", "region", "tags"].contains(&key.as_str()) {
                    let got = res["resource"].get(key).cloned();
                    let ok = contains(got.as_ref(), want)
                        || (key == "tags"
                            && got.is_none()
                            && want.as_object().is_some_and(|o| o.is_empty()));
                    (got.unwrap_or(Value::Null), ok)
                } else {
                    let got = res.get(key).cloned();
                    (
                        got.clone().unwrap_or(Value::Null),
                        contains(got.as_ref(), want),
                    )
                };
                if !ok {
                    wrong.push(format!("{kind} {id}: {key} = {got}, expected {want}"));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "inventory differs from the seeded truth:\n{}",
        wrong.join("\n")
    );
}

/// Whether the truth must name every finding (the scenario) or only some (a partial
/// estate, like the denied user's).
#[derive(Clone, Copy, PartialEq)]
enum Truth {
    Complete,
    Partial,
}

/// Every expected verdict, by check and resource id; with [`Truth::Complete`] also the
/// converse: every finding of the report has an expected verdict, so a resource the
/// scenario did not foresee (or a check that judges one it should not) cannot pass
/// unnoticed. All mismatches at once.
fn assert_verdicts(report: &Value, truth: &Value, completeness: Truth) {
    let got: BTreeMap<(String, String), String> = findings(report)
        .iter()
        .map(|f| {
            (
                (
                    f["check_id"].as_str().unwrap().to_string(),
                    f["resource"]["id"].as_str().unwrap().to_string(),
                ),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut wrong = Vec::new();
    let mut expected = std::collections::BTreeSet::new();
    for v in truth["verdicts"].as_array().unwrap() {
        let key = (
            v["check"].as_str().unwrap().to_string(),
            v["resource"].as_str().unwrap().to_string(),
        );
        let want = v["status"].as_str().unwrap();
        if !expected.insert(key.clone()) {
            wrong.push(format!(
                "{} {}: expected twice by the scenario",
                key.0, key.1
            ));
        }
        match got.get(&key) {
            Some(s) if s == want => {}
            other => wrong.push(format!(
                "{} {} ({}): {other:?}, expected {want}",
                key.0, v["name"], key.1
            )),
        }
    }
    if completeness == Truth::Complete {
        for ((check, id), status) in &got {
            if !expected.contains(&(check.clone(), id.clone())) {
                let reason = findings(report)
                    .iter()
                    .find(|f| f["check_id"] == check.as_str() && f["resource"]["id"] == id.as_str())
                    .map(|f| f["reason"].to_string())
                    .unwrap_or_default();
                wrong.push(format!(
                    "{check} {id}: {status} but the scenario has no truth for it ({reason})"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "verdicts differ from the seeded truth:\n{}",
        wrong.join("\n")
    );
}

/// The collection errors are exactly the ones the seeding script expects (operations moto
/// does not implement), each naming its operation; returns the exit code the scan must have.
fn assert_errors(inv: &Value, truth: &Value) -> i32 {
    let got = inv["errors"].as_array().cloned().unwrap_or_default();
    let want = truth["errors"].as_array().cloned().unwrap_or_default();
    let mut wrong = Vec::new();
    for e in &got {
        let expected = want.iter().any(|w| {
            w["kind"] == e["kind"]
                && w["region"] == e["region"]
                && e["reason"]
                    .as_str()
                    .unwrap()
                    .contains(w["reason_contains"].as_str().unwrap())
        });
        if !expected {
            wrong.push(format!("unexpected collection error {e}"));
        }
    }
    for w in &want {
        if !got
            .iter()
            .any(|e| e["kind"] == w["kind"] && e["region"] == w["region"])
        {
            wrong.push(format!("missing collection error {w}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Failures and, with errors, an incomplete scan.
    if want.is_empty() {
        1
    } else {
        3
    }
}

/// Operations the collectors call that moto 5.2.5 does not implement (answered with a bare
/// HTTP 404): the collectors record them as collection errors.
const MOTO_UNIMPLEMENTED: [&str; 1] = ["ListRecoveryPointsByBackupVault"];

fn is_read_only(op: &str) -> bool {
    ["Describe", "List", "Get", "Head"]
        .iter()
        .any(|p| op.starts_with(p))
}

#[test]
fn scenario_verdicts_and_inventory() {
    let Some(moto) = Moto::start() else { return };
    let truth = moto.seed("scenario");
    let dir = tempfile::tempdir().unwrap();
    let inv_path = dir.path().join("inventory.json");
    let (report, code, stderr) = run(phiscan(dir.path(), "testing", SECRET).args([
        "scan",
        "aws",
        "--endpoint-url",
        &moto.url,
        "--regions",
        REGIONS,
        "--format",
        "json",
        "--collect-all",
        "--save-inventory",
        inv_path.to_str().unwrap(),
    ]));
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

#[test]
fn scan_is_read_only() {
    let Some(moto) = Moto::start() else { return };
    let truth = moto.seed("scenario");
    moto.api("/moto-api/recorder/start-recording", "");
    let dir = tempfile::tempdir().unwrap();
    let (report, code, stderr) = run(phiscan(dir.path(), "testing", SECRET).args([
        "scan",
        "aws",
        "--endpoint-url",
        &moto.url,
        "--regions",
        REGIONS,
        "--format",
        "json",
        "--collect-all",
    ]));
    let expected_code = if truth["errors"].as_array().is_some_and(|e| !e.is_empty()) {
        3
    } else {
        1
    };
    assert_eq!(code, expected_code, "{stderr}");
    moto.api("/moto-api/recorder/stop-recording", "");

    // What phiscan says it called ...
    let calls = report["scan"]["api_calls"].as_array().unwrap();
    let ops: Vec<&str> = calls
        .iter()
        .map(|c| c["operation"].as_str().unwrap())
        .collect();
    let writes: Vec<&&str> = ops.iter().filter(|op| !is_read_only(op)).collect();
    assert!(writes.is_empty(), "non-read operations logged: {writes:?}");
    for kind_op in [
        "GetCallerIdentity",
        "DescribeVolumes",
        "DescribeSnapshotAttribute",
        "GetBucketPolicy",
        "GetPublicAccessBlock",
        "DescribeDBInstances",
        "DescribeSSLPolicies",
        "GetKeyPolicy",
        "GetTrailStatus",
        "DescribeFlowLogs",
        "DescribeRouteTables",
        // Issue 4 part B.
        "ListPolicies",
        "GetPolicyVersion",
        "GetAccountAuthorizationDetails",
        "GetAccountSummary",
        "GetAccountPasswordPolicy",
        "DescribeLogGroups",
        "ListCertificates",
        "DescribeCertificate",
        "DescribeNetworkAcls",
        // Data protection and backup.
        "DescribeDBClusters",
        "DescribeDBParameterGroups",
        "DescribeDBClusterParameterGroups",
        "DescribeDBParameters",
        "DescribeDBSnapshots",
        "DescribeDBSnapshotAttributes",
        "ListBackupVaults",
        "ListRecoveryPointsByBackupVault",
        "ListAliases",
        "DescribeKey",
        "DescribeFileSystems",
        "ListTables",
        "DescribeTable",
        "DescribeContinuousBackups",
    ] {
        assert!(ops.contains(&kind_op), "{kind_op} not logged: {ops:?}");
    }

    // ... the README's read-only policy allows each of them ...
    let allowed = readme_policy_actions();
    let missing: std::collections::BTreeSet<String> = calls
        .iter()
        .map(|c| {
            iam_action(
                c["service"].as_str().unwrap(),
                c["operation"].as_str().unwrap(),
            )
        })
        .filter(|a| !allowed.contains(a))
        .collect();
    assert!(
        missing.is_empty(),
        "README's IAM policy lacks actions the scan calls: {missing:?}"
    );

    // ... and what moto received: every request a read, as many as logged.
    let recording = std::fs::read_to_string(moto.dir.path().join("recording.jsonl")).unwrap();
    let mut received = 0;
    for line in recording.lines().filter(|l| !l.trim().is_empty()) {
        let req: Value = serde_json::from_str(line).unwrap();
        received += 1;
        let method = req["method"].as_str().unwrap();
        let headers = req["headers"].as_object().unwrap();
        let target = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("x-amz-target"))
            .and_then(|(_, v)| v.as_str());
        let body = match (req["body"].as_str(), req["body_encoded"].as_bool()) {
            (Some(b), Some(true)) => String::from_utf8(base64_decode(b)).unwrap_or_default(),
            (Some(b), _) => b.to_string(),
            _ => String::new(),
        };
        let action = body
            .split('&')
            .find_map(|kv| kv.strip_prefix("Action="))
            .map(str::to_string);
        let op = match (target, action) {
            (Some(t), _) => t.rsplit('.').next().unwrap().to_string(),
            (None, Some(a)) => a,
            // REST (S3, S3 Control): the method says whether it reads.
            (None, None) => {
                assert!(
                    matches!(method, "GET" | "HEAD"),
                    "{method} {} sent to moto",
                    req["url"]
                );
                continue;
            }
        };
        assert!(is_read_only(&op), "{op} sent to moto");
    }
    // moto's recorder only records requests it routes to a service: an operation moto does
    // not implement gets a bare HTTP 404 page and is not recorded. Those must be exactly the
    // known gaps.
    let unrouted: BTreeSet<&str> = calls
        .iter()
        .filter(|c| c["error_code"] == "HTTP404")
        .map(|c| c["operation"].as_str().unwrap())
        .collect();
    assert!(
        unrouted.iter().all(|op| MOTO_UNIMPLEMENTED.contains(op)),
        "{unrouted:?}"
    );
    let routed = calls
        .iter()
        .filter(|c| c["error_code"] != "HTTP404")
        .count();
    assert_eq!(
        received, routed,
        "every request moto received is in scan.api_calls"
    );
}

/// The `Action` list of the read-only IAM policy in README.md (the ```json block after the
/// `phiscan-aws-read-only-policy` marker).
fn readme_policy_actions() -> std::collections::BTreeSet<String> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let (_, after) = readme
        .split_once("<!-- phiscan-aws-read-only-policy -->")
        .expect("README has the AWS policy marker");
    let body = after
        .split_once("```json\n")
        .and_then(|(_, b)| b.split_once("```"))
        .expect("a ```json block follows the marker")
        .0;
    let policy: Value = serde_json::from_str(body).expect("the README policy is JSON");
    let statements = policy["Statement"].as_array().expect("Statement array");
    let mut actions = std::collections::BTreeSet::new();
    for st in statements {
        assert_eq!(st["Effect"], "Allow", "{st}");
        assert_eq!(st["Resource"], "*", "{st}");
        for a in st["Action"].as_array().expect("Action array") {
            actions.insert(a.as_str().unwrap().to_string());
        }
    }
    actions
}

/// The IAM action that authorizes `operation` of the SDK's `service`: the operation name
/// with the service's IAM prefix, except where IAM names the permission differently.
fn iam_action(service: &str, operation: &str) -> String {
    let prefix = match service {
        "STS" => "sts",
        "EC2" => "ec2",
        "S3" | "S3 Control" => "s3",
        "RDS" => "rds",
        "KMS" => "kms",
        "Elastic Load Balancing v2" => "elasticloadbalancing",
        "CloudTrail" => "cloudtrail",
        "Backup" => "backup",
        "EFS" => "elasticfilesystem",
        "DynamoDB" => "dynamodb",
        "IAM" => "iam",
        "CloudWatch Logs" => "logs",
        "ACM" => "acm",
        other => panic!("service {other:?}: add its IAM prefix here and its actions to README"),
    };
    let action = match (service, operation) {
        ("S3", "ListBuckets") => "ListAllMyBuckets",
        ("S3", "GetBucketEncryption") => "GetEncryptionConfiguration",
        ("S3", "GetPublicAccessBlock") => "GetBucketPublicAccessBlock",
        ("S3", "HeadBucket") => "ListBucket",
        ("S3 Control", "GetPublicAccessBlock") => "GetAccountPublicAccessBlock",
        _ => operation,
    };
    format!("{prefix}:{action}")
}

/// The README's policy parses, grants only reads and names no action twice; no moto needed.
#[test]
fn readme_policy_is_read_only() {
    let actions = readme_policy_actions();
    assert!(actions.len() > 40, "{actions:?}");
    for a in &actions {
        let (prefix, op) = a.split_once(':').expect("service:Action");
        assert!(!prefix.is_empty() && !op.contains('*'), "{a}: no wildcards");
        assert!(is_read_only(op), "{a} is not a read");
    }
    assert_eq!(
        iam_action("S3 Control", "GetPublicAccessBlock"),
        "s3:GetAccountPublicAccessBlock"
    );
    assert!(
        actions.contains("ec2:DescribeRegions"),
        "the region listing of a scan without --regions"
    );
}

/// Just enough base64 for moto's recorder (standard alphabet, padded).
fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|c| *c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::new();
    for chunk in bytes.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, c)| n | (u32::from(val(*c)) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// The recent-backup checks on complete data: no vault (so no recovery point to list, and
/// none of moto's missing recovery-point operations is called), snapshots of some volumes
/// and databases and not of others, in two regions.
#[test]
fn recent_backups_on_complete_data() {
    let Some(moto) = Moto::start() else { return };
    let truth = moto.seed("backups");
    let dir = tempfile::tempdir().unwrap();
    let (report, code, stderr) = run(phiscan(dir.path(), "testing", SECRET).args([
        "scan",
        "aws",
        "--endpoint-url",
        &moto.url,
        "--regions",
        REGIONS,
        "--format",
        "json",
        "--checks",
        "aws-ebs-volume-recent-backup,aws-rds-instance-recent-backup",
    ]));
    assert_eq!(code, 1, "failures, no errors; stderr: {stderr}");
    assert_eq!(report["scan"]["counts"]["ERROR"], 0);
    assert_eq!(report["scan"]["counts"]["PASS"], 4);
    assert_eq!(report["scan"]["counts"]["FAIL"], 4);
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
            "ListBackupVaults",
        ]),
        "exactly the backup sources are read"
    );
}

#[test]
fn only_the_planned_kinds_are_collected() {
    let Some(moto) = Moto::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    // The endpoint from the standard variable, not the flag.
    let (report, code, stderr) = run(phiscan(dir.path(), "testing", SECRET)
        .env("AWS_ENDPOINT_URL", &moto.url)
        .args([
            "scan",
            "aws",
            "--regions",
            "eu-west-1",
            "--format",
            "json",
            "--checks",
            "aws-ebs-volume-encrypted",
        ]));
    assert_eq!(code, 0, "{stderr}");
    let ops: Vec<(&str, &str)> = report["scan"]["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["operation"].as_str().unwrap(),
                c["region"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ops,
        [
            ("GetCallerIdentity", "us-east-1"),
            ("DescribeVolumes", "eu-west-1")
        ]
    );
}

#[test]
fn all_enabled_regions_when_none_are_named() {
    let Some(moto) = Moto::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (report, code, stderr) = run(phiscan(dir.path(), "testing", SECRET).args([
        "scan",
        "aws",
        "--endpoint-url",
        &moto.url,
        "--format",
        "json",
        "--checks",
        "aws-ebs-volume-encrypted",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let regions: Vec<&str> = report["scan"]["scope"][0]["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    // moto lists every region as enabled; opt-in regions it reports as not opted in are dropped.
    for r in ["us-east-1", "eu-west-1", "ap-southeast-2"] {
        assert!(regions.contains(&r), "{r} missing from {regions:?}");
    }
    let described = report["scan"]["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["operation"] == "DescribeVolumes")
        .count();
    assert_eq!(described, regions.len(), "one DescribeVolumes per region");
}

#[test]
fn denied_volume_listing_is_error_not_pass() {
    let Some(moto) = Moto::start() else { return };
    let truth = moto.seed("denied-user");
    let key = truth["credentials"]["access_key_id"].as_str().unwrap();
    let secret = truth["credentials"]["secret_access_key"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (report, code, stderr) = run(phiscan(dir.path(), key, secret).args([
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

/// Exit 2 and one line on stderr.
fn assert_one_line_error(out: Output, expected: &[&str]) {
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "{stderr:?} lacks {e:?}");
    }
    assert!(out.stdout.is_empty());
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn unreachable_endpoint_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{}", closed_port());
    let out = phiscan(dir.path(), "testing", SECRET)
        .args([
            "scan",
            "aws",
            "--endpoint-url",
            &url,
            "--regions",
            "us-east-1",
        ])
        .output()
        .unwrap();
    assert_one_line_error(
        out,
        &["cannot identify the AWS account", "sts:GetCallerIdentity"],
    );
}

#[test]
fn missing_credentials_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{}", closed_port());
    let out = phiscan(dir.path(), "unused", "unused")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args([
            "scan",
            "aws",
            "--endpoint-url",
            &url,
            "--regions",
            "us-east-1",
        ])
        .output()
        .unwrap();
    assert_one_line_error(out, &["cannot identify the AWS account", "credentials"]);
}

#[test]
fn aws_flags_need_a_live_aws_scan() {
    let dir = tempfile::tempdir().unwrap();
    let out = phiscan(dir.path(), "testing", SECRET)
        .args(["scan", "--demo", "--regions", "us-east-1"])
        .output()
        .unwrap();
    assert_one_line_error(out, &["live AWS scans only"]);
}

/// phiscan.toml on a live AWS scan: endpoint, regions and check selection come from the
/// file; a flag overrides its key.
#[test]
fn targets_and_selection_come_from_phiscan_toml() {
    let Some(moto) = Moto::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("phiscan.toml"),
        format!(
            "[aws]\nregions = [\"eu-west-1\"]\nendpoint_url = \"{}\"\n\n[checks]\ninclude = [\"aws-ebs-volume-encrypted\"]\n",
            moto.url
        ),
    )
    .unwrap();
    let described = |report: &Value| -> Vec<String> {
        report["scan"]["api_calls"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["operation"] == "DescribeVolumes")
            .map(|c| c["region"].as_str().unwrap().to_string())
            .collect()
    };
    let (report, code, stderr) = run(phiscan(dir.path(), "testing", SECRET)
        .current_dir(dir.path())
        .args(["scan", "aws", "--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        report["scan"]["checks_run"],
        serde_json::json!(["aws-ebs-volume-encrypted"])
    );
    assert_eq!(described(&report), ["eu-west-1"]);
    let (report, code, stderr) = run(phiscan(dir.path(), "testing", SECRET)
        .current_dir(dir.path())
        .args(["scan", "aws", "--format", "json", "--regions", "us-east-1"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(described(&report), ["us-east-1"]);
}
