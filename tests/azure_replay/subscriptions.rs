//! Subscriptions: every verdict of two subscriptions, unreadable scopes as ERROR, the scan
//! read-only; `--subscription`; a failed sub-resource call.

use super::*;

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
    for (check, id, verdict) in super::truth_services::dev_services_truth()
        .into_iter()
        .chain(super::segmentation::dev_unconfigured())
    {
        want.insert((check.into(), id), verdict.into());
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
    // The new kinds' failures: Cosmos DB not registered, Redis denied, one app's config denied.
    let cosmos = reason_of("AzureCosmosDbAccount");
    assert!(
        cosmos.contains("MissingSubscriptionRegistration (HTTP 409)")
            && cosmos.contains("Microsoft.DocumentDB"),
        "{cosmos}"
    );
    let redis = reason_of("AzureRedisCache");
    assert!(redis.contains("AuthorizationFailed (HTTP 403)"), "{redis}");
    assert!(redis.contains("Microsoft.Cache/redis/read"), "{redis}");

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
        .filter(|c| c.meta().provider == phiscan_core::Provider::Azure)
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
fn a_failed_sub_resource_call_is_an_error_for_that_server_only() {
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
    let east = rid(SUB, "rg-reporting", "Microsoft.Sql/servers", "sql-east");
    let east_2 = rid(SUB, "rg-reporting", "Microsoft.Sql/servers", "sql-east-2");
    let mut want = BTreeMap::new();
    for check in [
        "azure-sql-firewall-no-public",
        "azure-sql-auditing-enabled",
        "azure-sql-min-tls12",
    ] {
        // sql-west passed after a 503 was retried; sql-east, whose firewall rules could not
        // be read, is an ERROR for that server, never a PASS on an empty rule list, while
        // sql-east-2 in the same location keeps its verdict.
        want.insert((check.to_string(), west.clone()), "PASS".to_string());
        want.insert((check.to_string(), east_2.clone()), "PASS".to_string());
        want.insert((check.to_string(), east.clone()), "ERROR".to_string());
    }
    assert_eq!(verdicts(&report), want);
    let error = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["resource"]["id"] == east.as_str())
        .unwrap();
    let reason = error["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("Could not read FirewallRules_ListByServer for sql-east: ")
            && reason.contains("AuthorizationFailed (HTTP 403) on FirewallRules_ListByServer"),
        "{reason}"
    );
    let audits = replay
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("sql-west/auditingSettings/default"))
        .count();
    assert_eq!(audits, 2, "503, then 200");
}
