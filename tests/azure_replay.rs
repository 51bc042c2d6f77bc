//! End-to-end: the real `phiscan` binary scans Azure through the replay server, which serves
//! recorded ARM responses (`fixtures/azure/<scenario>/`, shaped like the official ARM examples)
//! on 127.0.0.1. Every resource's verdict is asserted, as are the ERROR findings of the scopes
//! that could not be read, the exit code, the ApiCall log and the read-only request log.
#![cfg(feature = "azure")]

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use phiscan_replay::Replay;
use serde_json::Value;

const PROD: &str = "7f3e2a10-5c4b-4d2e-9a61-0c8b3e5f1a01";
const DEV: &str = "2b8d4c6e-1f3a-4e5b-8c7d-9e0f1a2b3c02";
const DENIED: &str = "5d6e7f80-9a0b-4c1d-8e2f-3a4b5c6d7e03";
const TOKEN: &str = "replay-test-token-e3b0c44298fc1c149afbf4c8996fb924";

fn scenario(name: &str) -> Replay {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/azure")
        .join(name);
    Replay::start(dir).expect("replay server starts")
}

/// `phiscan scan azure` against the replay server.
fn phiscan(replay: &Replay) -> Command {
    let mut cmd = phiscan_bare();
    cmd.args(["--azure-endpoint", replay.base_url()]);
    cmd
}

/// `phiscan scan azure` with a static token and nothing else from the environment that
/// could pick another credential or endpoint.
fn phiscan_bare() -> Command {
    let mut cmd = Command::cargo_bin("phiscan").expect("binary built");
    for var in [
        "AZURE_TENANT_ID",
        "AZURE_CLIENT_ID",
        "AZURE_CLIENT_SECRET",
        "AZURE_FEDERATED_TOKEN_FILE",
        "PHISCAN_AZURE_ENDPOINT",
        "IDENTITY_ENDPOINT",
        "MSI_ENDPOINT",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("AZURE_ACCESS_TOKEN", TOKEN).args([
        "scan",
        "azure",
        "--format",
        "json",
        "--now",
        "2026-11-23T09:00:00Z",
    ]);
    cmd
}

fn rid(sub: &str, rg: &str, typ: &str, name: &str) -> String {
    format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/{typ}/{name}")
}

fn error_id(sub: &str, kind: &str) -> String {
    format!("azure/{sub}/all-regions/{kind}")
}

/// (check id, resource id) -> status, from `--format json`.
fn verdicts(report: &Value) -> BTreeMap<(String, String), String> {
    report["findings"]
        .as_array()
        .expect("findings")
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
        .collect()
}

/// The known truth of the prod subscription in `two-subscriptions`.
fn prod_truth() -> Vec<(&'static str, String, &'static str)> {
    fn p(rg: &str, typ: &str, name: &str) -> String {
        rid(PROD, rg, typ, name)
    }
    let disk = |rg, name| p(rg, "Microsoft.Compute/disks", name);
    let sa = |rg, name| p(rg, "Microsoft.Storage/storageAccounts", name);
    let nsg = |rg, name| p(rg, "Microsoft.Network/networkSecurityGroups", name);
    let sql = |rg, name| p(rg, "Microsoft.Sql/servers", name);
    let vm = |rg, name| p(rg, "Microsoft.Compute/virtualMachines", name);
    let mut t = vec![
        // Page 1 and page 2 (nextLink with $skiptoken, rewritten to the replay server).
        (
            "azure-disk-encrypted",
            disk("rg-ephi-prod", "ehr-db-data"),
            "PASS",
        ),
        (
            "azure-disk-encrypted",
            disk("rg-ephi-prod", "ehr-app-os"),
            "FAIL",
        ),
        ("azure-disk-encrypted", disk("rg-web", "web-cache"), "PASS"),
        (
            "azure-disk-encrypted",
            disk("rg-analytics", "analytics-scratch"),
            "FAIL",
        ),
        (
            "azure-keyvault-recoverable",
            p("rg-ephi-prod", "Microsoft.KeyVault/vaults", "kv-ehr-prod"),
            "PASS",
        ),
        (
            "azure-keyvault-recoverable",
            p(
                "rg-analytics",
                "Microsoft.KeyVault/vaults",
                "kv-dev-secrets",
            ),
            "FAIL",
        ),
        (
            "azure-mysql-flexible-tls-required",
            p(
                "rg-ephi-prod",
                "Microsoft.DBforMySQL/flexibleServers",
                "mysql-portal",
            ),
            "PASS",
        ),
        (
            "azure-mysql-flexible-tls-required",
            p(
                "rg-qolty-legacy",
                "Microsoft.DBforMySQL/flexibleServers",
                "mysql-legacy",
            ),
            "FAIL",
        ),
        (
            "azure-postgres-flexible-tls-required",
            p(
                "rg-ephi-prod",
                "Microsoft.DBforPostgreSQL/flexibleServers",
                "psql-ehr-prod",
            ),
            "PASS",
        ),
        (
            "azure-postgres-flexible-tls-required",
            p(
                "rg-analytics",
                "Microsoft.DBforPostgreSQL/flexibleServers",
                "psql-analytics",
            ),
            "FAIL",
        ),
        (
            "azure-sql-firewall-no-public",
            sql("rg-ephi-prod", "sql-ehr-prod"),
            "PASS",
        ),
        (
            "azure-sql-firewall-no-public",
            sql("rg-analytics", "sql-reporting"),
            "FAIL",
        ),
        (
            "azure-sql-tde-enabled",
            format!("{}/databases/ehrdb", sql("rg-ephi-prod", "sql-ehr-prod")),
            "PASS",
        ),
        (
            "azure-sql-tde-enabled",
            format!("{}/databases/master", sql("rg-ephi-prod", "sql-ehr-prod")),
            "NOT_APPLICABLE",
        ),
        (
            "azure-sql-tde-enabled",
            format!(
                "{}/databases/reportsdb",
                sql("rg-analytics", "sql-reporting")
            ),
            "FAIL",
        ),
        (
            "azure-vm-backup-protected",
            vm("rg-ephi-prod", "vm-ehr-app-01"),
            "PASS",
        ),
        (
            "azure-vm-backup-protected",
            vm("rg-ephi-prod", "vm-ehr-db-01"),
            "FAIL",
        ),
        (
            "azure-vm-backup-protected",
            vm("rg-qolty-legacy", "vm-legacy-jumpbox"),
            "FAIL",
        ),
    ];
    // The checks beyond the first twelve, over the same resources.
    let kv = |rg, name| p(rg, "Microsoft.KeyVault/vaults", name);
    let flex = |ns: &str, rg, name| p(rg, &format!("{ns}/flexibleServers"), name);
    t.extend([
        (
            "azure-disk-network-access-restricted",
            disk("rg-ephi-prod", "ehr-db-data"),
            "PASS",
        ),
        (
            "azure-disk-network-access-restricted",
            disk("rg-ephi-prod", "ehr-app-os"),
            "PASS",
        ),
        (
            "azure-disk-network-access-restricted",
            disk("rg-web", "web-cache"),
            "FAIL",
        ),
        // AllowPrivate (a disk access private endpoint), from the DiskAccess example.
        (
            "azure-disk-network-access-restricted",
            disk("rg-analytics", "analytics-scratch"),
            "PASS",
        ),
        (
            "azure-vm-no-public-ip",
            vm("rg-ephi-prod", "vm-ehr-app-01"),
            "PASS",
        ),
        (
            "azure-vm-no-public-ip",
            vm("rg-ephi-prod", "vm-ehr-db-01"),
            "PASS",
        ),
        (
            "azure-vm-no-public-ip",
            vm("rg-qolty-legacy", "vm-legacy-jumpbox"),
            "FAIL",
        ),
        // Last completed backup 2026-11-22T23:04Z, the scan clock 2026-11-23T09:00Z.
        (
            "azure-vm-backup-recent",
            vm("rg-ephi-prod", "vm-ehr-app-01"),
            "PASS",
        ),
        (
            "azure-vm-backup-recent",
            vm("rg-ephi-prod", "vm-ehr-db-01"),
            "FAIL",
        ),
        (
            "azure-vm-backup-recent",
            vm("rg-qolty-legacy", "vm-legacy-jumpbox"),
            "FAIL",
        ),
        (
            "azure-storage-default-network-deny",
            sa("rg-ephi-prod", "stphiuploads"),
            "PASS",
        ),
        (
            "azure-storage-default-network-deny",
            sa("rg-qolty-legacy", "stlegacyexports"),
            "FAIL",
        ),
        (
            "azure-storage-default-network-deny",
            sa("rg-analytics", "stdiaglogs"),
            "FAIL",
        ),
        (
            "azure-storage-cmk-or-double-encryption",
            sa("rg-ephi-prod", "stphiuploads"),
            "PASS",
        ),
        (
            "azure-storage-cmk-or-double-encryption",
            sa("rg-qolty-legacy", "stlegacyexports"),
            "FAIL",
        ),
        (
            "azure-storage-cmk-or-double-encryption",
            sa("rg-analytics", "stdiaglogs"),
            "NOT_APPLICABLE",
        ),
        (
            "azure-sql-auditing-enabled",
            sql("rg-ephi-prod", "sql-ehr-prod"),
            "PASS",
        ),
        (
            "azure-sql-auditing-enabled",
            sql("rg-analytics", "sql-reporting"),
            "FAIL",
        ),
        (
            "azure-sql-min-tls12",
            sql("rg-ephi-prod", "sql-ehr-prod"),
            "PASS",
        ),
        (
            "azure-sql-min-tls12",
            sql("rg-analytics", "sql-reporting"),
            "FAIL",
        ),
        (
            "azure-postgres-flexible-no-public-access",
            flex("Microsoft.DBforPostgreSQL", "rg-ephi-prod", "psql-ehr-prod"),
            "PASS",
        ),
        (
            "azure-postgres-flexible-no-public-access",
            flex(
                "Microsoft.DBforPostgreSQL",
                "rg-analytics",
                "psql-analytics",
            ),
            "FAIL",
        ),
        (
            "azure-mysql-flexible-no-public-access",
            flex("Microsoft.DBforMySQL", "rg-ephi-prod", "mysql-portal"),
            "PASS",
        ),
        (
            "azure-mysql-flexible-no-public-access",
            flex("Microsoft.DBforMySQL", "rg-qolty-legacy", "mysql-legacy"),
            "FAIL",
        ),
        (
            "azure-keyvault-public-network-restricted",
            kv("rg-ephi-prod", "kv-ehr-prod"),
            "PASS",
        ),
        (
            "azure-keyvault-public-network-restricted",
            kv("rg-analytics", "kv-dev-secrets"),
            "FAIL",
        ),
    ]);
    let agw = |rg, name| p(rg, "Microsoft.Network/applicationGateways", name);
    t.extend([
        (
            "azure-appgw-tls12-policy",
            agw("rg-ephi-prod", "agw-ehr-portal"),
            "PASS",
        ),
        // The HTTPS listener's SSL profile (Custom, TLSv1_1) replaces the gateway policy.
        (
            "azure-appgw-tls12-policy",
            agw("rg-qolty-legacy", "agw-partners"),
            "FAIL",
        ),
        (
            "azure-appgw-no-plain-http",
            agw("rg-ephi-prod", "agw-ehr-portal"),
            "PASS",
        ),
        (
            "azure-appgw-no-plain-http",
            agw("rg-qolty-legacy", "agw-partners"),
            "FAIL",
        ),
        (
            "azure-activity-log-exported",
            format!("/subscriptions/{PROD}/providers/Microsoft.Insights/diagnosticSettings"),
            "PASS",
        ),
        (
            "azure-vm-encryption-at-host",
            vm("rg-ephi-prod", "vm-ehr-app-01"),
            "PASS",
        ),
        (
            "azure-vm-encryption-at-host",
            vm("rg-ephi-prod", "vm-ehr-db-01"),
            "PASS",
        ),
        (
            "azure-vm-encryption-at-host",
            vm("rg-qolty-legacy", "vm-legacy-jumpbox"),
            "FAIL",
        ),
        (
            "azure-keyvault-rbac-authorization",
            kv("rg-ephi-prod", "kv-ehr-prod"),
            "PASS",
        ),
        (
            "azure-keyvault-rbac-authorization",
            kv("rg-analytics", "kv-dev-secrets"),
            "FAIL",
        ),
    ]);
    let pg = |rg, name| flex("Microsoft.DBforPostgreSQL", rg, name);
    let my = |rg, name| flex("Microsoft.DBforMySQL", rg, name);
    for (check, ehr, analytics, portal, legacy) in [
        (
            "azure-flexible-server-backup-retention",
            "PASS",
            "PASS",
            "PASS",
            "FAIL",
        ),
        (
            "azure-flexible-server-geo-backup",
            "PASS",
            "FAIL",
            "PASS",
            "FAIL",
        ),
    ] {
        t.push((check, pg("rg-ephi-prod", "psql-ehr-prod"), ehr));
        t.push((check, pg("rg-analytics", "psql-analytics"), analytics));
        t.push((check, my("rg-ephi-prod", "mysql-portal"), portal));
        t.push((check, my("rg-qolty-legacy", "mysql-legacy"), legacy));
    }
    for (check, ehr, bastion, web) in [
        ("azure-nsg-no-public-admin-ports", "PASS", "FAIL", "PASS"),
        ("azure-nsg-no-public-db-ports", "PASS", "FAIL", "PASS"),
    ] {
        t.push((check, nsg("rg-ephi-prod", "ehr-db-nsg"), ehr));
        t.push((check, nsg("rg-qolty-legacy", "bastion-nsg"), bastion));
        // web-nsg allows 22 from the internet, but a higher-priority Deny blocks it first.
        t.push((check, nsg("rg-web", "web-nsg"), web));
    }
    // The 429-then-200 list: the accounts are there, judged on their properties.
    for (check, phi, legacy, diag) in [
        // stdiaglogs is the list example's item: it reports no allowSharedKeyAccess.
        ("azure-storage-no-shared-key-access", "PASS", "FAIL", "FAIL"),
        ("azure-storage-secure-transfer", "PASS", "FAIL", "FAIL"),
        ("azure-storage-min-tls12", "PASS", "FAIL", "FAIL"),
        (
            "azure-storage-no-public-blob-access",
            "PASS",
            "FAIL",
            "FAIL",
        ),
    ] {
        t.push((check, sa("rg-ephi-prod", "stphiuploads"), phi));
        t.push((check, sa("rg-qolty-legacy", "stlegacyexports"), legacy));
        t.push((check, sa("rg-analytics", "stdiaglogs"), diag));
    }
    t
}

#[test]
fn two_subscriptions_every_verdict_errors_for_unreadable_scopes_and_read_only() {
    let replay = scenario("two-subscriptions");
    let dir = tempfile::tempdir().unwrap();
    let inventory_path = dir.path().join("inventory.json");
    let started = std::time::Instant::now();
    let out = phiscan(&replay)
        .arg("--save-inventory")
        .arg(&inventory_path)
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(3),
        "incomplete scan exits 3\n{stderr}\n{stdout}"
    );
    let report: Value = serde_json::from_str(&stdout).expect("json report");

    let mut want: BTreeMap<(String, String), String> = prod_truth()
        .into_iter()
        .map(|(c, id, s)| ((c.to_string(), id), s.to_string()))
        .collect();
    let dev_sa = rid(
        DEV,
        "rg-dev",
        "Microsoft.Storage/storageAccounts",
        "stdevscratch",
    );
    for check in [
        "azure-storage-secure-transfer",
        "azure-storage-min-tls12",
        "azure-storage-no-public-blob-access",
        "azure-storage-default-network-deny",
    ] {
        want.insert((check.into(), dev_sa.clone()), "PASS".into());
    }
    want.insert(
        (
            "azure-storage-cmk-or-double-encryption".into(),
            dev_sa.clone(),
        ),
        "NOT_APPLICABLE".into(),
    );
    // The dev account still allows account keys.
    want.insert(
        ("azure-storage-no-shared-key-access".into(), dev_sa.clone()),
        "FAIL".into(),
    );
    // dev exports only Administrative events.
    want.insert(
        (
            "azure-activity-log-exported".into(),
            format!("/subscriptions/{DEV}/providers/Microsoft.Insights/diagnosticSettings"),
        ),
        "FAIL".into(),
    );
    // dev: disks denied (403), MySQL provider not registered (409), Key Vault throttled past
    // retries (429): ERROR, never PASS and never an empty list.
    for (check, kind) in [
        ("azure-disk-encrypted", "AzureDisk"),
        ("azure-disk-network-access-restricted", "AzureDisk"),
        (
            "azure-mysql-flexible-tls-required",
            "AzureMysqlFlexibleServer",
        ),
        (
            "azure-mysql-flexible-no-public-access",
            "AzureMysqlFlexibleServer",
        ),
        ("azure-keyvault-recoverable", "AzureKeyVault"),
        ("azure-keyvault-public-network-restricted", "AzureKeyVault"),
        ("azure-keyvault-rbac-authorization", "AzureKeyVault"),
        (
            "azure-flexible-server-backup-retention",
            "AzureMysqlFlexibleServer",
        ),
        (
            "azure-flexible-server-geo-backup",
            "AzureMysqlFlexibleServer",
        ),
    ] {
        want.insert((check.into(), error_id(DEV, kind)), "ERROR".into());
    }
    assert_eq!(verdicts(&report), want);

    let reason_of = |kind: &str| -> String {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["resource"]["id"] == error_id(DEV, kind).as_str())
            .map(|f| f["reason"].as_str().unwrap().to_string())
            .unwrap()
    };
    let denied = reason_of("AzureDisk");
    assert!(
        denied.contains("AuthorizationFailed (HTTP 403) on Disks_List"),
        "{denied}"
    );
    assert!(denied.contains("Microsoft.Compute/disks/read"), "{denied}");
    let unregistered = reason_of("AzureMysqlFlexibleServer");
    assert!(
        unregistered.contains("MissingSubscriptionRegistration (HTTP 409)"),
        "{unregistered}"
    );
    assert!(
        unregistered.contains("az provider register --namespace Microsoft.DBforMySQL"),
        "{unregistered}"
    );
    let throttled = reason_of("AzureKeyVault");
    assert!(
        throttled.contains("TooManyRequests (HTTP 429)"),
        "{throttled}"
    );
    assert!(throttled.contains("after 3 retries"), "{throttled}");

    // Read-only, and everything the scanner asked for was recorded (no 404s), with a token.
    let log = replay.requests();
    assert!(log.iter().all(|r| r.method == "GET"), "only GET: {log:?}");
    assert!(
        log.iter().all(|r| r.matched),
        "unrecorded request: {:?}",
        log.iter().find(|r| !r.matched)
    );
    assert!(log.iter().all(|r| r.had_authorization));
    let count = |path: &str| log.iter().filter(|r| r.path == path).count();
    let storage = format!("/subscriptions/{PROD}/providers/Microsoft.Storage/storageAccounts");
    assert_eq!(count(&storage), 2, "429, then 200 after Retry-After");
    let vaults = format!("/subscriptions/{DEV}/providers/Microsoft.KeyVault/vaults");
    assert_eq!(count(&vaults), 4, "first try + 3 retries");
    let disks = format!("/subscriptions/{PROD}/providers/Microsoft.Compute/disks");
    assert!(
        log.iter()
            .any(|r| r.path == disks && r.query.iter().any(|(k, _)| k == "$skiptoken")),
        "the nextLink page was fetched from the replay server"
    );

    // The ApiCall log: one entry per attempt, with ARM's request id, never a token or URL.
    let text = std::fs::read_to_string(&inventory_path).unwrap();
    assert!(!text.contains(TOKEN) && !stdout.contains(TOKEN) && !stderr.contains(TOKEN));
    let inv: Value = serde_json::from_str(&text).unwrap();
    let calls = inv["api_calls"].as_array().expect("api_calls");
    assert_eq!(calls.len(), log.len(), "every request is logged once");
    let without_id: Vec<&Value> = calls
        .iter()
        .filter(|c| c["provider"] != "azure" || !c["request_id"].is_string())
        .collect();
    assert!(
        without_id.is_empty(),
        "calls without a request id: {without_id:?}"
    );
    assert!(
        !text.contains("api-version") && !text.contains("skiptoken") && !text.contains("Bearer")
    );
    let storage_calls: Vec<&Value> = calls
        .iter()
        .filter(|c| c["operation"] == "StorageAccounts_List" && c["account"] == PROD)
        .collect();
    assert_eq!(storage_calls.len(), 2);
    assert_eq!(storage_calls[0]["http_status"], 429);
    assert_eq!(storage_calls[0]["error_code"], "TooManyRequests");
    assert_eq!(storage_calls[1]["http_status"], 200);
    let denied_call = calls
        .iter()
        .find(|c| c["operation"] == "Disks_List" && c["account"] == DEV)
        .unwrap();
    assert_eq!(denied_call["error_code"], "AuthorizationFailed");
    assert_eq!(denied_call["service"], "Microsoft.Compute");
    // Scopes: both subscriptions by name, locations from the resources.
    let scopes = report["scan"]["scope"].as_array().unwrap();
    let names: Vec<&str> = scopes.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["qolty-dev", "qolty-ephi-prod"]);
    eprintln!(
        "two-subscriptions: {} API calls, {} findings, {:.2}s",
        calls.len(),
        report["findings"].as_array().unwrap().len(),
        elapsed.as_secs_f64()
    );
}

#[test]
fn subscription_flag_scans_only_those_and_an_unreadable_one_is_error_everywhere() {
    let replay = scenario("two-subscriptions");
    let out = phiscan(&replay)
        .args(["--subscription", PROD, "--subscription", DENIED])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let got = verdicts(&report);
    let mut want: BTreeMap<(String, String), String> = prod_truth()
        .into_iter()
        .map(|(c, id, s)| ((c.to_string(), id), s.to_string()))
        .collect();
    for f in report["findings"].as_array().unwrap() {
        if f["account"] == DENIED {
            assert_eq!(f["status"], "ERROR");
            let reason = f["reason"].as_str().unwrap();
            assert!(
                reason.contains("AuthorizationFailed (HTTP 403) on Subscriptions_Get"),
                "{reason}"
            );
            want.insert(
                (
                    f["check_id"].as_str().unwrap().to_string(),
                    f["resource"]["id"].as_str().unwrap().to_string(),
                ),
                "ERROR".into(),
            );
        }
    }
    assert_eq!(got, want);
    // Every Azure check reports ERROR for the unreadable subscription, once per kind it reads
    // (the two VM backup checks read two kinds).
    let denied = got.keys().filter(|(_, id)| id.contains(DENIED)).count();
    let per_kind: usize = phiscan_checks::registry()
        .iter()
        .filter(|c| c.meta().provider == phiscan_scanner::Provider::Azure)
        .map(|c| c.meta().kinds.len())
        .sum();
    assert_eq!(denied, per_kind);
    assert!(denied >= 24, "{denied}");
    let log = replay.requests();
    assert!(
        !log.iter().any(|r| r.path == "/subscriptions"),
        "no subscription listing"
    );
    assert!(
        !log.iter().any(|r| r.path.contains(DEV)),
        "dev was not asked for"
    );
    assert!(!log
        .iter()
        .any(|r| r.path.starts_with(&format!("/subscriptions/{DENIED}/"))));
}

#[test]
fn selected_checks_collect_only_their_kinds() {
    let replay = scenario("two-subscriptions");
    // The endpoint from the environment this time.
    let out = phiscan_bare()
        .env("PHISCAN_AZURE_ENDPOINT", replay.base_url())
        .args(["--checks", "azure-storage-*", "--subscription", PROD])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "storage failures, nothing incomplete"
    );
    let paths: Vec<String> = replay.requests().into_iter().map(|r| r.path).collect();
    let storage = format!("/subscriptions/{PROD}/providers/Microsoft.Storage/storageAccounts");
    assert_eq!(
        paths,
        [format!("/subscriptions/{PROD}"), storage.clone(), storage]
    );
}

#[test]
fn plain_http_is_refused_off_loopback_before_any_request() {
    let replay = scenario("two-subscriptions");
    let out = phiscan_bare()
        .args(["--azure-endpoint", "http://192.0.2.10:8080"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("plain http is allowed only on a loopback address"),
        "{stderr}"
    );
    let out = phiscan(&replay)
        .args(["--subscription", "prod"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a subscription id"));
    assert!(replay.requests().is_empty());
}

#[test]
fn a_failed_sub_resource_call_is_an_error_for_its_location_only() {
    const SUB: &str = "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8";
    let replay = scenario("sub-resource-errors");
    let out = phiscan(&replay)
        .args(["--subscription", SUB])
        .args([
            "--checks",
            "azure-sql-firewall-no-public,azure-sql-auditing-enabled,azure-sql-min-tls12",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let west = rid(SUB, "rg-reporting", "Microsoft.Sql/servers", "sql-west");
    let east_error = format!("azure/{SUB}/eastus/AzureSqlServer");
    let mut want = BTreeMap::new();
    for check in [
        "azure-sql-firewall-no-public",
        "azure-sql-auditing-enabled",
        "azure-sql-min-tls12",
    ] {
        // sql-west passed after a 503 was retried; sql-east, whose firewall rules could not
        // be read, is an ERROR for its location, never a PASS on an empty rule list.
        want.insert((check.to_string(), west.clone()), "PASS".to_string());
        want.insert((check.to_string(), east_error.clone()), "ERROR".to_string());
    }
    assert_eq!(verdicts(&report), want);
    let error = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["resource"]["id"] == east_error.as_str())
        .unwrap();
    let reason = error["reason"].as_str().unwrap();
    assert!(
        reason.contains("AuthorizationFailed (HTTP 403) on FirewallRules_ListByServer"),
        "{reason}"
    );
    let audits = replay
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("sql-west/auditingSettings/default"))
        .count();
    assert_eq!(audits, 2, "503, then 200");
}

/// The scopes of a JSON report, as account ids.
fn scope_accounts(report: &Value) -> Vec<String> {
    report["scan"]["scope"]
        .as_array()
        .expect("scope")
        .iter()
        .map(|s| s["account"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn management_groups_scan_every_subscription_under_them_nested_included() {
    let replay = scenario("two-subscriptions");
    // phi-workloads: the nested group phi-prod (holding prod) and dev, over two pages.
    let out = phiscan(&replay)
        .args(["--management-group", "phi-workloads"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(scope_accounts(&report), [DEV, PROD]);
    // The same verdicts as the scan of every subscription the credential sees (prod and dev).
    let all = phiscan(&replay).output().unwrap();
    let all: Value = serde_json::from_slice(&all.stdout).unwrap();
    let got = verdicts(&report);
    assert_eq!(got, verdicts(&all));
    for (c, id, s) in prod_truth() {
        assert_eq!(
            got.get(&(c.to_string(), id.clone())),
            Some(&s.to_string()),
            "{c} {id}"
        );
    }
    let dev_sa = rid(
        DEV,
        "rg-dev",
        "Microsoft.Storage/storageAccounts",
        "stdevscratch",
    );
    assert_eq!(
        got.get(&("azure-storage-no-shared-key-access".to_string(), dev_sa)),
        Some(&"FAIL".to_string())
    );
    let log = replay.requests();
    let descendants: Vec<_> = log
        .iter()
        .filter(|r| {
            r.path
                .ends_with("/managementGroups/phi-workloads/descendants")
        })
        .collect();
    assert_eq!(descendants.len(), 2, "both pages read");
    assert!(log.iter().all(|r| r.method == "GET"));
    // Logged like every ARM call.
    let calls = report["scan"]["api_calls"].as_array().expect("api_calls");
    let logged = calls
        .iter()
        .filter(|c| c["operation"] == "ManagementGroups_GetDescendants")
        .count();
    assert_eq!(logged, 2, "{calls:?}");

    // The nested group alone, with --subscription: the union, each subscription once.
    let replay = scenario("two-subscriptions");
    let out = phiscan(&replay)
        .args([
            "--management-group",
            "phi-prod",
            "--subscription",
            DENIED,
            "--subscription",
            &PROD.to_uppercase(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(scope_accounts(&report), [DENIED, PROD]);
    let got = verdicts(&report);
    for (c, id, s) in prod_truth() {
        assert_eq!(
            got.get(&(c.to_string(), id.clone())),
            Some(&s.to_string()),
            "{c} {id}"
        );
    }
    assert!(got
        .iter()
        .filter(|((_, id), _)| id.contains(DENIED))
        .all(|(_, s)| s == "ERROR"));
    let log = replay.requests();
    assert!(
        !log.iter().any(|r| r.path.contains(DEV)),
        "dev is not under phi-prod"
    );

    // From phiscan.toml: `azure.management_groups`.
    let replay = scenario("two-subscriptions");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("phiscan.toml"),
        format!(
            "[azure]\nmanagement_groups = [\"phi-prod\"]\nendpoint = \"{}\"\n",
            replay.base_url()
        ),
    )
    .unwrap();
    let out = phiscan_bare()
        .current_dir(dir.path())
        .args(["--checks", "azure-storage-*"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(scope_accounts(&report), [PROD]);
    assert!(
        !log.iter().any(|r| r.path == "/subscriptions"),
        "no listing"
    );
}

#[test]
fn a_denied_management_group_is_a_setup_error_naming_group_and_permission() {
    let replay = scenario("two-subscriptions");
    let out = phiscan(&replay)
        .args(["--management-group", "phi-prod,denied-group"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_ne!(
        out.status.code(),
        Some(3),
        "not a scan with ERRORs: {stderr}"
    );
    assert!(stderr.contains("\"denied-group\""), "{stderr}");
    assert!(
        stderr.contains("Microsoft.Management/managementGroups/descendants/read"),
        "{stderr}"
    );
    assert!(stderr.contains("HTTP 403"), "{stderr}");
    assert!(!stderr.contains(TOKEN));
    // Nothing was scanned.
    assert!(!replay
        .requests()
        .iter()
        .any(|r| r.path.starts_with("/subscriptions/")));
    // An id that would leave its path segment never reaches ARM.
    let out = phiscan(&replay)
        .args(["--management-group", "../subscriptions"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a management group id"));
}
