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
    let (base, _, _) = scan_checks(&moto.url, checks);
    let proxy = FaultProxy::start(&moto.url, denied).unwrap();
    let (report, code, stderr) = scan_checks(&proxy.base_url(), checks);
    assert!(proxy.faults_applied() >= 1, "{:#?}", proxy.log());
    assert_eq!(code, 3, "an incomplete scan exits 3: {stderr}");

    let (base, faulted) = (support::verdicts(&base), support::verdicts(&report));
    let judged: BTreeSet<&String> = base
        .keys()
        .filter(|(_, id)| id == target)
        .map(|(c, _)| c)
        .collect();
    assert!(!judged.is_empty(), "{target} was not judged: {base:?}");
    let mut others = 0;
    for (key, status) in &base {
        if key.1 != target {
            assert_eq!(faulted.get(key), Some(status), "{key:?} changed");
            others += 1;
        }
    }
    assert!(others >= 2, "other resources judged: {others}");
    for check in judged {
        let f = findings(&report)
            .iter()
            .find(|f| f["check_id"] == **check && f["resource"]["id"] == target)
            .unwrap_or_else(|| panic!("no finding of {check} on {target}"));
        assert_eq!(f["status"], "ERROR", "{f}");
        let reason = f["reason"].as_str().unwrap();
        let want = format!("Could not read {operation} for {name}: AccessDenied");
        assert!(reason.starts_with(&want), "{reason}");
    }
    // Nothing else was added: no scope-wide ERROR for the kind.
    assert_eq!(
        faulted.len(),
        base.len(),
        "{:?}",
        faulted
            .keys()
            .filter(|k| !base.contains_key(*k))
            .collect::<Vec<_>>()
    );
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
    let truth = moto.seed("scenario");
    let (base, _, _) = scan_checks(&moto.url, "aws-kms-*");
    // The customer key of us-east-1 (alias phi-cmk-us), found by its name in the report.
    let key = findings(&base)
        .iter()
        .find(|f| f["resource"]["name"] == "alias/phi-cmk-us")
        .unwrap_or_else(|| panic!("no phi-cmk-us key: {truth}"));
    let arn = key["resource"]["id"].as_str().unwrap().to_string();
    let key_id = arn.rsplit('/').next().unwrap().to_string();
    let body = r#"{"__type":"AccessDeniedException","message":"not authorized (fault proxy)"}"#;
    // GetKeyPolicy's body names the key, then the policy: this key's policy read only.
    let rule = Rule::always(
        &format!(r#""KeyId":"{key_id}","PolicyName""#),
        access_denied("application/x-amz-json-1.1", body),
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
    let body = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>\
                <Message>not authorized (fault proxy)</Message></Error>\
                <RequestId>fault-proxy</RequestId></ErrorResponse>";
    let rule = Rule::always(
        &format!("DBSnapshotIdentifier={SNAP}"),
        access_denied("text/xml", body),
    );
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
    let body = r#"{"__type":"AccessDeniedException","message":"not authorized (fault proxy)"}"#;
    // DescribeTable and DescribeContinuousBackups send the same body, in that order: the
    // first passes, the second is denied.
    let pattern = format!(r#"{{"TableName":"{TABLE}"}}"#);
    let pass = Rule::once(&pattern, Fault::Delay(std::time::Duration::ZERO));
    let deny = Rule::always(&pattern, access_denied("application/x-amz-json-1.0", body));
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
