//! Selection, endpoints and management groups.

use super::*;

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
    let mut paths: Vec<String> = replay.requests().into_iter().map(|r| r.path).collect();
    let storage = format!("/subscriptions/{PROD}/providers/Microsoft.Storage/storageAccounts");
    // The blob service checks (`azure-storage-blob-*`) read each listed account's blob
    // service, concurrently: in any order, after the list.
    let blob_services: std::collections::BTreeSet<String> =
        paths.split_off(3.min(paths.len())).into_iter().collect();
    assert_eq!(
        paths,
        [format!("/subscriptions/{PROD}"), storage.clone(), storage]
    );
    let account = |rg, name| {
        format!(
            "{}/blobServices/default",
            rid(PROD, rg, "Microsoft.Storage/storageAccounts", name)
        )
    };
    assert_eq!(
        blob_services,
        [
            account("rg-ephi-prod", "stphiuploads"),
            account("rg-qolty-legacy", "stlegacyexports"),
            account("rg-analytics", "stdiaglogs"),
        ]
        .into_iter()
        .collect()
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
