//! Per-resource detail reads of the kinds of issue 18 (`sub-resource-errors`): one that fails
//! is an ERROR for that resource alone, the others keep their verdicts.

use phiscan_replay::fault::{Fault, FaultProxy, Rule};

use super::*;

#[test]
fn a_failed_retention_policy_read_is_an_error_for_that_database_only() {
    const SUB: &str = "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8";
    let replay = scenario("sub-resource-errors");
    let out = phiscan(&replay)
        .args(["--subscription", SUB, "--checks", "azure-sql-ltr-backup"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let policy = |server: &str, db: &str| {
        let server = rid(SUB, "rg-reporting", "Microsoft.Sql/servers", server);
        format!("{server}/databases/{db}/backupLongTermRetentionPolicies/default")
    };
    // ledger's policy read is denied: ERROR for it alone; claims keeps its verdict in the
    // same location; reports answered 503, then a policy keeping nothing; master is not asked.
    let want: BTreeMap<(String, String), String> = [
        (policy("sql-east", "ledger"), "ERROR"),
        (policy("sql-east-2", "claims"), "PASS"),
        (policy("sql-west", "reports"), "FAIL"),
    ]
    .into_iter()
    .map(|(id, s)| (("azure-sql-ltr-backup".to_string(), id), s.to_string()))
    .collect();
    assert_eq!(verdicts(&report), want);
    let error = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["status"] == "ERROR")
        .unwrap();
    let reason = error["reason"].as_str().unwrap();
    assert!(
        reason.contains("LongTermRetentionPolicies_ListByDatabase")
            && reason.contains("AuthorizationFailed (HTTP 403)"),
        "{reason}"
    );
    let log = replay.requests();
    assert!(log.iter().all(|r| r.method == "GET" && r.matched));
    // Only what the check reads: no firewall rules, auditing or TDE of the servers.
    assert!(!log.iter().any(|r| r.path.ends_with("/firewallRules")
        || r.path.ends_with("/auditingSettings/default")
        || r.path.contains("transparentDataEncryption")
        || r.path.contains("/master/")));
}

#[test]
fn a_failed_instance_or_vault_detail_read_is_an_error_for_that_resource_only() {
    const SUB: &str = "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8";
    let replay = scenario("sub-resource-errors");
    let out = phiscan(&replay)
        .args(["--subscription", SUB])
        .args([
            "--checks",
            "azure-sql-managed-instance-tde,azure-keyvault-diagnostic-logs",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = |typ, name| rid(SUB, "rg-reporting", typ, name);
    let settings = |name| {
        let vault = id("Microsoft.KeyVault/vaults", name);
        format!("{vault}/providers/Microsoft.Insights/diagnosticSettings")
    };
    // mi-east's database TDE and kv-east's diagnostic settings are denied: ERROR for those
    // two alone; mi-west (TDE on) and kv-west (no setting) keep their verdicts.
    let tde = "azure-sql-managed-instance-tde";
    let logs = "azure-keyvault-diagnostic-logs";
    let want: BTreeMap<(String, String), String> = [
        (
            tde,
            id("Microsoft.Sql/managedInstances", "mi-east"),
            "ERROR",
        ),
        (tde, id("Microsoft.Sql/managedInstances", "mi-west"), "PASS"),
        (logs, settings("kv-east"), "ERROR"),
        (logs, settings("kv-west"), "FAIL"),
    ]
    .into_iter()
    .map(|(c, id, s)| ((c.to_string(), id), s.to_string()))
    .collect();
    assert_eq!(verdicts(&report), want);
    let reasons: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "ERROR")
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    assert!(
        reasons.iter().any(
            |r| r.contains("ManagedDatabaseTransparentDataEncryption_Get")
                && r.contains("AuthorizationFailed (HTTP 403)")
        ),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("DiagnosticSettings_List") && r.contains("HTTP 403")),
        "{reasons:?}"
    );
    assert!(replay
        .requests()
        .iter()
        .all(|r| r.method == "GET" && r.matched));
}

#[test]
fn a_failed_database_listing_is_an_error_for_that_server_only() {
    const SUB: &str = "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8";
    let replay = scenario("sub-resource-errors");
    let server = rid(SUB, "rg-reporting", "Microsoft.Sql/servers", "sql-east-2");
    let scan = |endpoint: &str| {
        let out = phiscan_bare()
            .args(["--azure-endpoint", endpoint, "--subscription", SUB])
            .args(["--checks", "azure-sql-ltr-backup"])
            .output()
            .unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let base = scan(replay.base_url());
    let body =
        r#"{"error":{"code":"AuthorizationFailed","message":"not authorized (fault proxy)"}}"#;
    let denied = Fault::Respond {
        status: 403,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.into(),
    };
    let proxy = FaultProxy::start(
        replay.base_url(),
        vec![Rule::always("/servers/sql-east-2/databases?", denied)],
    )
    .unwrap();
    let faulted = scan(&proxy.base_url());
    assert!(proxy.faults_applied() >= 1, "{:#?}", proxy.log());
    // claims (on sql-east-2) becomes an ERROR on its server; ledger's and reports' verdicts
    // (sql-east, sql-west) stay.
    support::per_resource::assert_only_these_became_error(
        &base,
        &faulted,
        &|id| id.starts_with(&format!("{server}/databases/")),
        &server,
        &format!("Could not read Databases_ListByServer for {server}: "),
    );
}
