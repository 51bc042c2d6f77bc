//! Collection: every resource gets its verdict, failed collections are ERROR, and the scan
//! only reads and logs every attempt.

use super::*;

#[test]
fn every_resource_gets_its_verdict_and_failed_collections_are_errors() {
    let replay = Replay::start(scenario("estate")).unwrap();
    let run = scan(&replay, &[]);
    let mut want = as_map(expected_prod());
    want.extend(as_map(expected_degraded()));
    assert_verdicts(&verdicts(&run.report), &want);
    assert_eq!(
        run.code, 3,
        "incomplete scan exits 3; stderr: {}",
        run.stderr
    );

    // The three projects came from two pages of projects.search, with their names.
    let scopes: Vec<(String, String)> = run.report["scan"]["scope"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["account"].as_str().unwrap().to_string(),
                s["name"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        scopes,
        [
            (B.into(), "Janus Analytics".into()),
            (A.into(), "Janus EHR Production".into()),
            (C.into(), "Janus Partner Sandbox".into())
        ]
    );

    // ERROR reasons say what to do: which API to enable, which permission is missing.
    let reason = |check: &str, id: &str| -> String {
        run.report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check_id"] == check && f["resource"]["id"] == id)
            .map(|f| f["reason"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let disabled = reason(TLS, &error(B, "all-regions", "GcpSqlInstance"));
    assert!(
        disabled.contains("SERVICE_DISABLED")
            && disabled.contains("Cloud SQL Admin API (sqladmin.googleapis.com)")
            && disabled.contains(
                "gcloud services enable sqladmin.googleapis.com --project janus-analytics"
            ),
        "{disabled}"
    );
    let denied = reason(DISK, &error(C, "all-regions", "GcpComputeDisk"));
    assert!(
        denied.contains("PERMISSION_DENIED") && denied.contains("compute.disks.list"),
        "{denied}"
    );
    let kms = reason(ROTATION, &error(C, "us-central1", "GcpKmsKey"));
    assert!(kms.contains("cloudkms.keyRings.list"), "{kms}");
    let logging = reason(SINK, &error(B, "all-regions", "GcpProjectLogSinks"));
    assert!(
        logging.contains("SERVICE_DISABLED")
            && logging.contains("Cloud Logging API (logging.googleapis.com)")
            && logging.contains("logging.sinks.list"),
        "{logging}"
    );
    let spanner = reason(
        "gcp-spanner-backup-recent",
        &error(B, "all-regions", "GcpSpannerDatabase"),
    );
    assert!(
        spanner.contains("SERVICE_DISABLED")
            && spanner.contains("Cloud Spanner API (spanner.googleapis.com)")
            && spanner.contains("spanner.instances.list"),
        "{spanner}"
    );
    let accounts = reason(
        "gcp-iam-sa-no-user-managed-keys",
        &error(C, "all-regions", "GcpServiceAccount"),
    );
    assert!(
        accounts.contains("PERMISSION_DENIED") && accounts.contains("iam.serviceAccounts.list"),
        "{accounts}"
    );
    let warehouse = reason(
        "gcp-bigquery-dataset-not-public",
        "//bigquery.googleapis.com/projects/janus-analytics/datasets/warehouse",
    );
    assert!(warehouse.contains("bigquery.datasets.get"), "{warehouse}");
    let snapshots = reason(SNAPSHOT, &error(C, "all-regions", "GcpComputeSnapshot"));
    assert!(
        snapshots.contains("PERMISSION_DENIED") && snapshots.contains("compute.snapshots.list"),
        "{snapshots}"
    );
    let exempted = reason(AUDIT_LOGS, &project_policy(C));
    assert!(
        exempted.contains("DATA_READ: serviceAccount:partner-etl@"),
        "{exempted}"
    );
    let throttled = reason(PUBLIC, &error(C, "all-regions", "GcpStorageBucket"));
    assert!(
        // Throttling earns more attempts than other errors (collect/src/providers/gcp/api.rs).
        throttled.contains("still throttled after 10 attempts"),
        "{throttled}"
    );
    let bucket_iam = reason(PUBLIC, &bucket("analytics-exports"));
    assert!(
        bucket_iam.starts_with("Could not read buckets.getIamPolicy for analytics-exports: ")
            && bucket_iam.contains("storage.buckets.getIamPolicy"),
        "{bucket_iam}"
    );

    // The token reached the server, never an output.
    assert!(!run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN));
    assert!(
        !run.stdout.contains("ya29."),
        "no token prefix in the report"
    );
}

#[test]
fn the_scan_only_reads_and_logs_every_attempt() {
    let replay = Replay::start(scenario("estate")).unwrap();
    let run = scan(&replay, &[]);
    let requests = replay.requests();
    assert!(!requests.is_empty());
    for r in &requests {
        // Every API phiscan calls is read with GET, IAM policies included
        // (cloudkms and pubsub ...:getIamPolicy and storage .../iam are GET methods), except
        // Resource Manager's projects.getIamPolicy and Spanner's databases.getIamPolicy:
        // POSTs that only read the policy.
        let read_only_post = r.method == "POST"
            && r.path.ends_with(":getIamPolicy")
            && (r.path.starts_with("/v3/projects/") || r.path.contains("/databases/"));
        assert!(
            r.method == "GET" || read_only_post,
            "{} {} is not a read",
            r.method,
            r.path
        );
        assert!(
            r.matched,
            "unrecorded request: {} {} {:?}",
            r.method, r.path, r.query
        );
        assert!(r.had_authorization, "{} sent without credentials", r.path);
    }

    // One log entry per HTTP attempt, in the report.
    let calls = run.report["scan"]["api_calls"]
        .as_array()
        .expect("api_calls");
    assert_eq!(calls.len(), requests.len(), "every attempt is logged once");
    let count = |f: &dyn Fn(&Value) -> bool| calls.iter().filter(|c| f(c)).count();
    // The firewall list of janus-ehr-prod: 429 once, then 200.
    assert_eq!(
        count(&|c| c["operation"] == "firewalls.list"
            && c["account"] == A
            && c["http_status"] == 429),
        1
    );
    assert_eq!(
        count(&|c| c["operation"] == "firewalls.list"
            && c["account"] == A
            && c["http_status"] == 200),
        1
    );
    // The bucket list of janus-partner-sandbox: throttled on every attempt.
    assert_eq!(
        count(&|c| c["operation"] == "buckets.list"
            && c["account"] == C
            && c["http_status"] == 429
            && c["error_code"] == "rateLimitExceeded"),
        10
    );
    assert_eq!(
        count(&|c| c["service"] == "sqladmin.googleapis.com"
            && c["account"] == B
            && c["error_code"] == "SERVICE_DISABLED"),
        1
    );
    // Cloud Logging is disabled for both of its lists (sinks, buckets); Spanner for one.
    for (service, calls) in [("logging.googleapis.com", 2), ("spanner.googleapis.com", 1)] {
        assert_eq!(
            count(&|c| c["service"] == service
                && c["account"] == B
                && c["error_code"] == "SERVICE_DISABLED"),
            calls,
            "{service}"
        );
    }
    // Two pages of Spanner databases and of Pub/Sub topics in janus-ehr-prod.
    for (service, op) in [
        ("spanner.googleapis.com", "databases.list"),
        ("pubsub.googleapis.com", "topics.list"),
    ] {
        assert_eq!(
            count(&|c| c["service"] == service
                && c["operation"] == op
                && c["account"] == A
                && c["http_status"] == 200),
            2,
            "{op}"
        );
    }
    // Two pages of janus-ehr-prod's snapshots and of its log sinks; one policy per project.
    for op in ["snapshots.list", "sinks.list"] {
        assert_eq!(
            count(&|c| c["operation"] == op && c["account"] == A && c["http_status"] == 200),
            2,
            "{op}"
        );
    }
    assert_eq!(
        count(&|c| c["operation"] == "projects.getIamPolicy" && c["http_status"] == 200),
        3
    );
    assert_eq!(
        requests.iter().filter(|r| r.method == "POST").count(),
        5,
        "only the getIamPolicy reads of three projects and two Spanner databases are POSTs"
    );
    for c in calls {
        assert_eq!(c["provider"], "gcp");
        assert!(c["duration_ms"].is_u64() && c["started_at"].is_string());
        let text = c.to_string();
        assert!(
            !text.contains("://") && !text.contains(TOKEN),
            "no URL or token in {text}"
        );
    }
}
