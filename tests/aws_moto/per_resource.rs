//! One resource whose detail the scanner may not read (403 AccessDenied from the fault proxy
//! in front of moto, for that resource's request only: moto does not enforce bucket or key
//! policies without its IAM mode) is ERROR for that resource only: every check reading its
//! kind reports ERROR for it, naming the operation, and every other resource keeps its
//! verdict.

use phiscan_replay::fault::{Fault, FaultProxy, Rule};

use super::*;

fn scan_checks(endpoint: &str, checks: &str) -> (Value, i32, String) {
    run(support::aws("testing", SECRET)
        .args(["scan", "aws", "--endpoint-url", endpoint])
        .args(["--regions", REGIONS, "--format", "json"])
        .args(["--checks", checks, "--now", "2026-06-01T12:00:00Z"]))
}

/// The id of the resource named `name` in a scan of `checks` (ids that moto generates).
fn id_named(moto: &Moto, checks: &str, name: &str) -> String {
    let (base, _, _) = scan_checks(&moto.url, checks);
    findings(&base)
        .iter()
        .find(|f| f["resource"]["name"] == name)
        .and_then(|f| f["resource"]["id"].as_str())
        .unwrap_or_else(|| panic!("no {name} in {checks}: {base}"))
        .to_string()
}

fn access_denied(content_type: &str, body: &str) -> Fault {
    Fault::Respond {
        status: 403,
        headers: vec![("Content-Type".into(), content_type.into())],
        body: body.into(),
    }
}

/// Scan `checks` without and with `denied` (the fault for `target`'s `operation`): `target`
/// is ERROR in every check that judged it, the rest is unchanged.
fn only_target_is_error(
    moto: &Moto,
    checks: &str,
    target: &str,
    name: &str,
    operation: &str,
    denied: Vec<Rule>,
) {
    only_these_become_error(
        moto,
        checks,
        &|id| id == target,
        target,
        name,
        operation,
        denied,
    );
}

/// Scan `checks` without and with `denied`: the findings on the resources `unread` picks
/// (`target` itself, or the children of `target` whose listing was denied) are replaced by
/// one ERROR on `target` per check that judged them, naming `operation`; every other
/// finding is unchanged.
fn only_these_become_error(
    moto: &Moto,
    checks: &str,
    unread: &dyn Fn(&str) -> bool,
    target: &str,
    name: &str,
    operation: &str,
    denied: Vec<Rule>,
) {
    let (base, _, _) = scan_checks(&moto.url, checks);
    let proxy = FaultProxy::start(&moto.url, denied).unwrap();
    let (report, code, stderr) = scan_checks(&proxy.base_url(), checks);
    assert!(proxy.faults_applied() >= 1, "{:#?}", proxy.log());
    assert_eq!(code, 3, "an incomplete scan exits 3: {stderr}");

    let want = format!("Could not read {operation} for {name}: AccessDenied");
    support::per_resource::assert_only_these_became_error(&base, &report, unread, target, &want);
}

#[test]
fn one_denied_bucket_policy_is_error_for_that_bucket_only() {
    let Some(moto) = Moto::start() else { return };
    moto.seed("scenario");
    const DENIED: &str = "phi-records-us";
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>\
                <Message>Access Denied</Message><RequestId>fault-proxy</RequestId></Error>";
    let rule = Rule::always(
        &format!("/{DENIED}/?policy"),
        access_denied("application/xml", body),
    );
    let arn = format!("arn:aws:s3:::{DENIED}");
    only_target_is_error(
        &moto,
        "aws-s3-*",
        &arn,
        DENIED,
        "s3:GetBucketPolicy",
        vec![rule],
    );
}

#[test]
fn one_denied_key_policy_is_error_for_that_key_only() {
    let Some(moto) = Moto::start() else { return };
    moto.seed("scenario");
    // The customer key of us-east-1 (alias phi-cmk-us), found by its name in the report.
    let arn = id_named(&moto, "aws-kms-*", "alias/phi-cmk-us");
    let key_id = arn.rsplit('/').next().unwrap().to_string();
    // GetKeyPolicy's body names the key, then the policy: this key's policy read only.
    let rule = Rule::always(
        &format!(r#""KeyId":"{key_id}","PolicyName""#),
        json_denied("application/x-amz-json-1.1"),
    );
    only_target_is_error(
        &moto,
        "aws-kms-*",
        &arn,
        "alias/phi-cmk-us",
        "kms:GetKeyPolicy",
        vec![rule],
    );
}

#[test]
fn one_denied_snapshot_attribute_read_is_error_for_that_snapshot_only() {
    let Some(moto) = Moto::start() else { return };
    moto.seed("scenario");
    const SNAP: &str = "phi-db-tls-us-vendor";
    let rule = Rule::always(&format!("DBSnapshotIdentifier={SNAP}"), query_denied());
    let arn = format!("arn:aws:rds:us-east-1:{ACCOUNT}:snapshot:{SNAP}");
    only_target_is_error(
        &moto,
        "aws-rds-snapshot-*",
        &arn,
        SNAP,
        "rds:DescribeDBSnapshotAttributes",
        vec![rule],
    );
}

#[test]
fn one_denied_table_backup_read_is_error_for_that_table_only() {
    let Some(moto) = Moto::start() else { return };
    moto.seed("scenario");
    const TABLE: &str = "phi-sessions-default";
    // DescribeTable and DescribeContinuousBackups send the same body, in that order: the
    // first passes, the second is denied.
    let pattern = format!(r#"{{"TableName":"{TABLE}"}}"#);
    let pass = Rule::once(&pattern, Fault::Delay(std::time::Duration::ZERO));
    let deny = Rule::always(&pattern, json_denied("application/x-amz-json-1.0"));
    let arn = format!("arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{TABLE}");
    // Not aws-dynamodb-recent-backup: against moto it is ERROR for the whole region (no
    // recovery-point operation), so it judges no table for the denied read to replace.
    only_target_is_error(
        &moto,
        "aws-dynamodb-pitr,aws-dynamodb-encrypted-cmk",
        &arn,
        TABLE,
        "dynamodb:DescribeContinuousBackups",
        vec![pass, deny],
    );
}

#[test]
fn one_denied_queue_attribute_read_is_error_for_that_queue_only() {
    let Some(moto) = Moto::start() else { return };
    moto.seed("scenario");
    let body =
        r#"{"__type":"com.amazonaws.sqs#AccessDenied","message":"not authorized (fault proxy)"}"#;
    // GetQueueAttributes names the queue by its URL (…/<account>/<name>); ListQueues names none.
    let rule = Rule::always(
        &format!(r#"/{ACCOUNT}/phi-queue-open""#),
        access_denied("application/x-amz-json-1.0", body),
    );
    let arn = format!("arn:aws:sqs:us-east-1:{ACCOUNT}:phi-queue-open");
    // The attributes are the whole record (encryption, policy): without them there is no
    // record, and the ERROR names the queue by its ARN.
    only_target_is_error(
        &moto,
        "aws-sqs-*",
        &arn,
        &arn,
        "sqs:GetQueueAttributes",
        vec![rule],
    );
}

/// An AccessDenied answer of the JSON protocols (KMS, ACM, DynamoDB).
fn json_denied(content_type: &str) -> Fault {
    let body = r#"{"__type":"AccessDeniedException","message":"not authorized (fault proxy)"}"#;
    access_denied(content_type, body)
}

/// An AccessDenied answer of the query (XML) protocols: RDS, IAM, ELBv2.
fn query_denied() -> Fault {
    let body = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>\
                <Message>not authorized (fault proxy)</Message></Error>\
                <RequestId>fault-proxy</RequestId></ErrorResponse>";
    access_denied("text/xml", body)
}

#[test]
fn one_denied_certificate_description_is_error_for_that_certificate_only() {
    let Some(moto) = Moto::start() else { return };
    moto.seed("scenario");
    // The imported certificate that passes, found by its domain in the report.
    let arn = id_named(&moto, "aws-acm-*", "records.example.com");
    let rule = Rule::always(
        &format!(r#""CertificateArn":"{arn}""#),
        json_denied("application/x-amz-json-1.1"),
    );
    // The description is the whole record (expiry, use): the ERROR names the ARN.
    only_target_is_error(
        &moto,
        "aws-acm-*",
        &arn,
        &arn,
        "acm:DescribeCertificate",
        vec![rule],
    );
}

#[test]
fn one_denied_listener_listing_is_error_for_that_load_balancer_only() {
    let Some(moto) = Moto::start() else { return };
    let truth = moto.seed("scenario");
    let (base, _, _) = scan_checks(&moto.url, "aws-elbv2-*");
    // phi-alb's listeners: …:listener/app/phi-alb/<lb id>/<listener id>.
    let listener = findings(&base)
        .iter()
        .filter_map(|f| f["resource"]["id"].as_str())
        .find(|id| id.contains(":listener/app/phi-alb/"))
        .unwrap_or_else(|| panic!("no listener of phi-alb: {truth}"))
        .to_string();
    let (lb, _) = listener.rsplit_once('/').unwrap();
    let lb = lb.replace(":listener/", ":loadbalancer/");
    // DescribeListeners names the load balancer by its URL-encoded ARN.
    let rule = Rule::always("loadbalancer%2Fapp%2Fphi-alb%2F", query_denied());
    // Its listeners are unknown, so there is no record to name: the ERROR names the ARN.
    only_these_become_error(
        &moto,
        "aws-elbv2-*",
        &|id| id.contains(":listener/app/phi-alb/"),
        &lb,
        &lb,
        "elasticloadbalancing:DescribeListeners",
        vec![rule],
    );
}

#[test]
fn one_denied_policy_version_read_is_error_for_that_policy_only() {
    let Some(moto) = Moto::start() else { return };
    moto.seed("scenario");
    let arn = format!("arn:aws:iam::{ACCOUNT}:policy/phi-s3-reader");
    // GetPolicyVersion names the policy, then the version; ListPolicies names none. Without
    // its document there is no record, so the ERROR names the ARN.
    let rule = Rule::always("phi-s3-reader&VersionId=", query_denied());
    only_target_is_error(
        &moto,
        "aws-iam-no-admin-star-policy",
        &arn,
        &arn,
        "iam:GetPolicyVersion",
        vec![rule],
    );
}

#[test]
fn one_denied_snapshot_permission_read_is_error_for_that_snapshot_only() {
    let Some(moto) = Moto::start() else { return };
    moto.seed("scenario");
    let arn = id_named(&moto, "aws-ebs-snapshot-*", "phi-snap-shared");
    let id = arn.rsplit('/').next().unwrap();
    // EC2's error answer; DescribeSnapshotAttribute names the snapshot, DescribeSnapshots
    // (owner self) names none.
    let body = "<Response><Errors><Error><Code>AccessDenied</Code>\
                <Message>not authorized (fault proxy)</Message></Error></Errors>\
                <RequestID>fault-proxy</RequestID></Response>";
    let rule = Rule::always(&format!("SnapshotId={id}"), access_denied("text/xml", body));
    // Without its permissions there is no record, so the ERROR names the ARN.
    only_target_is_error(
        &moto,
        "aws-ebs-snapshot-*",
        &arn,
        &arn,
        "ec2:DescribeSnapshotAttribute",
        vec![rule],
    );
}

#[test]
fn one_denied_vault_key_description_is_error_for_that_vault_only() {
    let Some(moto) = Moto::start() else { return };
    moto.seed("scenario");
    let key = id_named(&moto, "aws-kms-*", "alias/phi-cmk-us");
    let vault = id_named(&moto, "aws-backup-vault-cmk", "phi-vault-cmk");
    // DescribeKey's body is the key alone (GetKeyPolicy's names a policy after it).
    let rule = Rule::always(
        &format!(r#""KeyId":"{key}"}}"#),
        json_denied("application/x-amz-json-1.1"),
    );
    // The reason names the key whose description was denied.
    only_target_is_error(
        &moto,
        "aws-backup-vault-cmk",
        &vault,
        &format!("phi-vault-cmk: {key}"),
        "kms:DescribeKey",
        vec![rule],
    );
}
