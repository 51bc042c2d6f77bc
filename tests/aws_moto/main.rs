//! End-to-end tests of `phiscan scan aws` against moto: the real binary, the real SDK,
//! a scenario seeded with a known truth (fixtures/aws/seed.py). Each test starts its own
//! moto on its own port (tests/support/moto.rs), so they are independent and parallel-safe.
//!
//! What they prove: each seeded resource gets the verdict the scenario says; the saved
//! inventory holds the right values for every AWS kind (for the checks still to come);
//! the scan only reads (every request moto received is a Describe/List/Get/Head); a denied
//! call is ERROR, never PASS, with exit code 3; a scan that cannot identify the account is
//! a one-line error with exit code 2; `phiscan doctor aws` names the denied user's missing
//! permissions with their README policy lines (doctor.rs).

#[path = "../support/mod.rs"]
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use support::moto::Moto;

mod doctor;
mod edges;
mod paths;
mod per_resource;
mod raw;
mod read_only;
mod setup_errors;
mod targets;
mod verdicts;

const ACCOUNT: &str = "123456789012";
const REGIONS: &str = "us-east-1,eu-west-1";
/// A secret that must never reach an output.
const SECRET: &str = "phiscan-test-secret-never-logged";

fn run(cmd: &mut Command) -> (Value, i32, String) {
    let out = support::run(cmd);
    (out.report(), out.code, out.stderr)
}

/// `scan aws` of the test account in both REGIONS against `moto`, JSON on stdout, with the
/// scenario's `[segmentation]` and partner list (fixtures/aws/phiscan-segmentation.toml).
fn scan(moto: &Moto, extra: &[&str]) -> (Value, i32, String) {
    let config =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/aws/phiscan-segmentation.toml");
    run(support::aws("testing", SECRET)
        .args(["scan", "aws", "--endpoint-url", &moto.url])
        .arg("--config")
        .arg(&config)
        .args(["--regions", REGIONS, "--format", "json"])
        .args(extra))
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
        // Edges, identity, detection and backups (issue 17).
        "AwsRdsClusterSnapshot" => "aws_rds_cluster_snapshots",
        "AwsIamUser" => "aws_iam_users",
        "AwsGuardDutyRegion" => "aws_guardduty_regions",
        "AwsConfigRecorderRegion" => "aws_config_recorder_regions",
        "AwsCloudFrontDistribution" => "aws_cloudfront_distributions",
        "AwsApiGatewayDomainName" => "aws_apigateway_domain_names",
        "AwsElbClassicLoadBalancer" => "aws_elb_classic_load_balancers",
        // Data stores (issue 17, first half).
        "AwsElastiCacheReplicationGroup" => "aws_elasticache_replication_groups",
        "AwsElastiCacheServerlessCache" => "aws_elasticache_serverless_caches",
        "AwsRedshiftCluster" => "aws_redshift_clusters",
        "AwsOpenSearchDomain" => "aws_opensearch_domains",
        "AwsSqsQueue" => "aws_sqs_queues",
        "AwsSnsTopic" => "aws_sns_topics",
        "AwsKinesisStream" => "aws_kinesis_streams",
        "AwsSecretsManagerSecret" => "aws_secretsmanager_entries",
        // Segmentation and third parties (issue 14).
        "AwsElbv2TargetGroup" => "aws_elbv2_target_groups",
        "AwsIamRole" => "aws_iam_roles",
        "AwsVpcPeering" => "aws_vpc_peerings",
        "AwsTransitGatewayAttachment" => "aws_transit_gateway_attachments",
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
