//! One resource whose detail the scanner may not read (403 PERMISSION_DENIED from the fault
//! proxy in front of the replay, for that resource's request only) is ERROR for that
//! resource only: every check reading its kind reports ERROR for it, naming the operation,
//! and every other resource keeps its verdict.

use phiscan_replay::fault::{Fault, FaultProxy, Rule};

use super::*;

fn scan_through(endpoint: &str, checks: &str) -> (Value, i32) {
    let dir = tempfile::tempdir().unwrap();
    let out = support::run(
        phiscan(dir.path())
            .args(["scan", "gcp", "--format", "json", "--now", NOW])
            .args(["--gcp-endpoint", endpoint, "--checks", checks]),
    );
    (out.report(), out.code)
}

fn permission_denied(permission: &str) -> Fault {
    let body = format!(
        r#"{{"error":{{"code":403,"message":"Permission '{permission}' denied (fault proxy)","status":"PERMISSION_DENIED"}}}}"#
    );
    Fault::Respond {
        status: 403,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body,
    }
}

/// Scan `checks` without and with `pattern`'s requests denied: only `target` changes, to
/// ERROR naming `operation` and `name`.
fn only_target_is_error(checks: &str, pattern: &str, permission: &str, target: &str, want: &str) {
    let replay = Replay::start(scenario("estate")).unwrap();
    let (base, _) = scan_through(replay.base_url(), checks);
    let rule = Rule::always(pattern, permission_denied(permission));
    let proxy = FaultProxy::start(replay.base_url(), vec![rule]).unwrap();
    let (faulted, code) = scan_through(&proxy.base_url(), checks);
    assert!(proxy.faults_applied() >= 1, "{:#?}", proxy.log());
    assert_eq!(code, 3, "an incomplete scan exits 3");
    support::per_resource::assert_only_these_became_error(
        &base,
        &faulted,
        &|id| id == target,
        target,
        want,
    );
}

#[test]
fn one_denied_key_policy_is_error_for_that_key_only() {
    only_target_is_error(
        "gcp-kms-*",
        "/cryptoKeys/retired-key:getIamPolicy",
        "cloudkms.cryptoKeys.getIamPolicy",
        &key(A, "us-central1", "ehr-keys", "retired-key"),
        "Could not read projects.locations.keyRings.cryptoKeys.getIamPolicy for retired-key: ",
    );
}

#[test]
fn one_denied_backup_run_listing_is_error_for_that_instance_only() {
    only_target_is_error(
        "gcp-sql-*",
        "/instances/billing-mysql/backupRuns",
        "cloudsql.backupRuns.list",
        &sql(A, "billing-mysql"),
        "Could not read backupRuns.list for billing-mysql: ",
    );
}
