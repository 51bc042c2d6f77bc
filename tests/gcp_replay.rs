//! End-to-end tests of `phiscan scan gcp`: the real binary and Google's official clients
//! against the replay server (crate phiscan-replay), which serves the recorded REST
//! responses of fixtures/gcp/<scenario>/ on 127.0.0.1.
//!
//! The `estate` scenario has three projects, found by Resource Manager search over two
//! pages: `janus-ehr-prod` holds a compliant and a non-compliant resource for every GCP
//! check (disks over two pages of an aggregated list, snapshots and log sinks over two
//! pages, a firewall list throttled once); `janus-analytics` has the Cloud SQL Admin and
//! Cloud Logging APIs disabled and one bucket whose IAM policy it may not read;
//! `janus-partner-sandbox` may not list disks, snapshots or key rings in us-central1, and
//! its bucket list stays throttled past every retry. Project-level checks (audit configs,
//! log sinks) have a verdict in every project.
//!
//! What the tests prove: every resource gets the verdict the scenario says (check id +
//! resource id -> status); what could not be collected is ERROR, never PASS, with the
//! reason naming the API or permission, and exit code 3; only GET requests (and the
//! read-only POST `projects.getIamPolicy`) were sent, all of them recorded routes; every attempt is in the call log; the token never reaches an
//! output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use phiscan_replay::Replay;
use serde_json::Value;

/// A token that must never reach an output.
const TOKEN: &str = "ya29.phiscan-test-token-never-logged";
/// The scan clock: backup ages are measured against it.
const NOW: &str = "2026-06-01T12:00:00Z";

const A: &str = "janus-ehr-prod";
const B: &str = "janus-analytics";
const C: &str = "janus-partner-sandbox";

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/gcp")
        .join(name)
}

/// The binary with a clean GCP environment: the static token, no credential files, no
/// gcloud configuration, the endpoint only where a test gives it.
fn phiscan(config_dir: &Path) -> Command {
    let mut c = Command::cargo_bin("phiscan").expect("binary built");
    for var in [
        "GOOGLE_APPLICATION_CREDENTIALS",
        "GOOGLE_CLOUD_PROJECT",
        "GOOGLE_CLOUD_QUOTA_PROJECT",
        "GOOGLE_CLOUD_UNIVERSE_DOMAIN",
        "PHISCAN_GCP_ENDPOINT",
        "RUST_LOG",
    ] {
        c.env_remove(var);
    }
    c.env("GOOGLE_OAUTH_ACCESS_TOKEN", TOKEN)
        // Should credentials ever fall back to the metadata server, it is a closed port.
        .env("GCE_METADATA_HOST", "127.0.0.1:9")
        .env("CLOUDSDK_CONFIG", config_dir)
        .env("HOME", config_dir);
    c
}

struct Run {
    report: Value,
    code: i32,
    stdout: String,
    stderr: String,
}

fn scan(replay: &Replay, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let out = phiscan(dir.path())
        .args(["scan", "gcp", "--format", "json", "--now", NOW])
        .args(["--gcp-endpoint", replay.base_url()])
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let code = out.status.code().expect("exit code");
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}); exit {code}; stderr: {stderr}"));
    Run {
        report,
        code,
        stdout,
        stderr,
    }
}

/// (check id, resource id) -> status, for every finding.
fn verdicts(report: &Value) -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    for f in report["findings"].as_array().expect("findings") {
        let key = (
            f["check_id"].as_str().unwrap().to_string(),
            f["resource"]["id"].as_str().unwrap().to_string(),
        );
        let prev = out.insert(key.clone(), f["status"].as_str().unwrap().to_string());
        assert!(prev.is_none(), "two findings for {key:?}");
    }
    out
}

fn compute(project: &str, scope: &str, collection: &str, name: &str) -> String {
    format!("//compute.googleapis.com/projects/{project}/{scope}/{collection}/{name}")
}
fn sql(project: &str, name: &str) -> String {
    format!("//cloudsql.googleapis.com/projects/{project}/instances/{name}")
}
fn bucket(name: &str) -> String {
    format!("//storage.googleapis.com/{name}")
}
fn key(project: &str, location: &str, ring: &str, name: &str) -> String {
    format!(
        "//cloudkms.googleapis.com/projects/{project}/locations/{location}/keyRings/{ring}/cryptoKeys/{name}"
    )
}
fn project_policy(project: &str) -> String {
    format!("//cloudresourcemanager.googleapis.com/projects/{project}")
}
fn sinks(project: &str) -> String {
    format!("//logging.googleapis.com/projects/{project}/sinks")
}
fn error(project: &str, region: &str, kind: &str) -> String {
    format!("gcp/{project}/{region}/{kind}")
}

const DISK: &str = "gcp-compute-disk-cmek";
const ADMIN: &str = "gcp-compute-firewall-no-public-admin-ports";
const DB: &str = "gcp-compute-firewall-no-public-db-ports";
const TLS: &str = "gcp-sql-instance-tls-required";
const NET: &str = "gcp-sql-instance-no-public-network";
const BACKUPS: &str = "gcp-sql-instance-backups";
const PUBLIC: &str = "gcp-storage-bucket-not-public";
const UNIFORM: &str = "gcp-storage-bucket-uniform-access";
const ROTATION: &str = "gcp-kms-key-rotation";
const LB: &str = "gcp-lb-ssl-policy-tls12";
const RECENT: &str = "gcp-sql-instance-recent-backup";
const SQL_CMEK: &str = "gcp-sql-instance-cmek";
const PAP: &str = "gcp-storage-bucket-public-access-prevention";
const VERSIONING: &str = "gcp-storage-bucket-versioning";
const KEY_PUBLIC: &str = "gcp-kms-key-not-public";
const SNAPSHOT: &str = "gcp-compute-snapshot-cmek";
const EXTERNAL_IP: &str = "gcp-compute-instance-no-external-ip";
const DEFAULT_SA: &str = "gcp-compute-instance-no-default-sa-full-scope";
const SHIELDED: &str = "gcp-compute-instance-shielded-vm";
const FLOW_LOGS: &str = "gcp-compute-subnet-flow-logs";
const PGA: &str = "gcp-compute-subnet-private-google-access";
const BACKEND: &str = "gcp-lb-backend-service-encrypted";
const BUCKET_CMEK: &str = "gcp-storage-bucket-cmek";
const BUCKET_LOGGING: &str = "gcp-storage-bucket-logging";
const PG_CONNECT: &str = "gcp-sql-postgres-log-connections";
const PG_DISCONNECT: &str = "gcp-sql-postgres-log-disconnections";
const AUDIT_LOGS: &str = "gcp-project-data-access-audit-logs";
const SINK: &str = "gcp-logging-sink-exists";
/// Every check that reads Cloud SQL instances, buckets or KMS keys.
const SQL_CHECKS: [&str; 7] = [
    TLS,
    NET,
    BACKUPS,
    RECENT,
    SQL_CMEK,
    PG_CONNECT,
    PG_DISCONNECT,
];
const BUCKET_CHECKS: [&str; 6] = [
    PUBLIC,
    UNIFORM,
    PAP,
    VERSIONING,
    BUCKET_CMEK,
    BUCKET_LOGGING,
];
const KEY_CHECKS: [&str; 2] = [ROTATION, KEY_PUBLIC];

/// The verdicts of `janus-ehr-prod`, where everything could be collected.
fn expected_prod() -> Vec<(&'static str, String, &'static str)> {
    let fw = |n: &str| compute(A, "global", "firewalls", n);
    vec![
        // Disks, over two pages of disks.aggregatedList.
        (
            DISK,
            compute(A, "zones/us-central1-a", "disks", "ehr-db-data"),
            "PASS",
        ),
        (
            DISK,
            compute(A, "zones/us-central1-a", "disks", "ehr-app-boot"),
            "PASS",
        ),
        (
            DISK,
            compute(A, "zones/us-east1-b", "disks", "imaging-scratch"),
            "FAIL",
        ),
        (
            DISK,
            compute(A, "regions/us-central1", "disks", "elasticsearch-data"),
            "PASS",
        ),
        // Firewalls (the list was throttled once, then answered).
        (ADMIN, fw("allow-ssh-anywhere"), "FAIL"),
        (DB, fw("allow-ssh-anywhere"), "PASS"),
        (ADMIN, fw("allow-iap-ssh"), "PASS"),
        (DB, fw("allow-iap-ssh"), "PASS"),
        (ADMIN, fw("allow-postgres-public"), "PASS"),
        (DB, fw("allow-postgres-public"), "FAIL"),
        (ADMIN, fw("allow-https-lb"), "PASS"),
        (DB, fw("allow-https-lb"), "PASS"),
        (ADMIN, fw("deny-all-egress"), "NOT_APPLICABLE"),
        (DB, fw("deny-all-egress"), "NOT_APPLICABLE"),
        (ADMIN, fw("legacy-rdp-disabled"), "PASS"),
        (DB, fw("legacy-rdp-disabled"), "PASS"),
        (ADMIN, fw("allow-any-ipv6"), "FAIL"),
        (DB, fw("allow-any-ipv6"), "FAIL"),
        // Cloud SQL.
        (TLS, sql(A, "ehr-db-prod"), "PASS"),
        (NET, sql(A, "ehr-db-prod"), "PASS"),
        (BACKUPS, sql(A, "ehr-db-prod"), "PASS"),
        (TLS, sql(A, "billing-mysql"), "FAIL"),
        (NET, sql(A, "billing-mysql"), "FAIL"),
        (BACKUPS, sql(A, "billing-mysql"), "FAIL"),
        (TLS, sql(A, "reporting-pg14"), "PASS"),
        (NET, sql(A, "reporting-pg14"), "PASS"),
        (BACKUPS, sql(A, "reporting-pg14"), "PASS"),
        // Newest successful backup, measured against NOW: 8 h, none, 56 h (runs on page 2).
        (RECENT, sql(A, "ehr-db-prod"), "PASS"),
        (RECENT, sql(A, "billing-mysql"), "FAIL"),
        (RECENT, sql(A, "reporting-pg14"), "FAIL"),
        (SQL_CMEK, sql(A, "ehr-db-prod"), "PASS"),
        (SQL_CMEK, sql(A, "billing-mysql"), "PASS"),
        (SQL_CMEK, sql(A, "reporting-pg14"), "FAIL"),
        // Buckets, over two pages of buckets.list.
        (PUBLIC, bucket("janus-phi-uploads"), "PASS"),
        (UNIFORM, bucket("janus-phi-uploads"), "PASS"),
        (PUBLIC, bucket("janus-patient-portal-assets"), "FAIL"),
        (UNIFORM, bucket("janus-patient-portal-assets"), "PASS"),
        (PUBLIC, bucket("janus-legacy-exports"), "PASS"),
        (UNIFORM, bucket("janus-legacy-exports"), "FAIL"),
        (PUBLIC, bucket("janus-public-docs-locked"), "PASS"),
        (UNIFORM, bucket("janus-public-docs-locked"), "PASS"),
        (PAP, bucket("janus-phi-uploads"), "PASS"),
        (PAP, bucket("janus-patient-portal-assets"), "FAIL"),
        (PAP, bucket("janus-legacy-exports"), "FAIL"),
        (PAP, bucket("janus-public-docs-locked"), "PASS"),
        (VERSIONING, bucket("janus-phi-uploads"), "PASS"),
        (
            VERSIONING,
            bucket("janus-patient-portal-assets"),
            "NOT_APPLICABLE",
        ),
        (VERSIONING, bucket("janus-legacy-exports"), "FAIL"),
        (
            VERSIONING,
            bucket("janus-public-docs-locked"),
            "NOT_APPLICABLE",
        ),
        // KMS keys.
        (
            ROTATION,
            key(A, "us-central1", "ehr-keys", "disk-key"),
            "PASS",
        ),
        (
            ROTATION,
            key(A, "us-central1", "ehr-keys", "sql-key"),
            "FAIL",
        ),
        (
            ROTATION,
            key(A, "us-central1", "ehr-keys", "backup-key"),
            "FAIL",
        ),
        (
            ROTATION,
            key(A, "us-central1", "ehr-keys", "hl7-signing-key"),
            "NOT_APPLICABLE",
        ),
        (
            ROTATION,
            key(A, "us-central1", "ehr-keys", "retired-key"),
            "NOT_APPLICABLE",
        ),
        (
            KEY_PUBLIC,
            key(A, "us-central1", "ehr-keys", "disk-key"),
            "PASS",
        ),
        (
            KEY_PUBLIC,
            key(A, "us-central1", "ehr-keys", "sql-key"),
            "PASS",
        ),
        (
            KEY_PUBLIC,
            key(A, "us-central1", "ehr-keys", "backup-key"),
            "PASS",
        ),
        (
            KEY_PUBLIC,
            key(A, "us-central1", "ehr-keys", "hl7-signing-key"),
            "FAIL",
        ),
        (
            KEY_PUBLIC,
            key(A, "us-central1", "ehr-keys", "retired-key"),
            "PASS",
        ),
        // TLS proxies and their SSL policies (global and regional).
        (
            LB,
            compute(A, "global", "targetHttpsProxies", "patient-portal-https"),
            "PASS",
        ),
        (
            LB,
            compute(A, "global", "targetHttpsProxies", "partner-api-https"),
            "FAIL",
        ),
        (
            LB,
            compute(
                A,
                "regions/us-central1",
                "targetHttpsProxies",
                "internal-ehr-api-https",
            ),
            "PASS",
        ),
        (
            LB,
            compute(A, "global", "targetSslProxies", "legacy-hl7-ssl"),
            "FAIL",
        ),
    ]
    .into_iter()
    .chain(expected_prod_more())
    .collect()
}

/// The verdicts of `janus-ehr-prod` for snapshots, instances, subnets, backend services,
/// bucket keys and logs, Postgres flags, audit configs and log sinks.
fn expected_prod_more() -> Vec<(&'static str, String, &'static str)> {
    let snap = |n: &str| compute(A, "global", "snapshots", n);
    let vm = |z: &str, n: &str| compute(A, &format!("zones/{z}"), "instances", n);
    let net = |r: &str, n: &str| compute(A, &format!("regions/{r}"), "subnetworks", n);
    let (db, gw, worker) = (
        vm("us-central1-a", "ehr-db-1"),
        vm("us-east1-b", "imaging-gw-1"),
        vm("us-east1-b", "imaging-worker-2"),
    );
    let app = vm("us-central1-a", "ehr-app-1");
    let (ehr_net, proxy_net, imaging_net) = (
        net("us-central1", "ehr-subnet"),
        net("us-central1", "proxy-only-us-central1"),
        net("us-east1", "imaging-subnet"),
    );
    vec![
        // Snapshots, over two pages: CMEK, an unlabelled snapshot of an internal disk, a
        // Google-managed snapshot of a protected disk, a protected one of a deleted disk, CSEK.
        (SNAPSHOT, snap("ehr-db-data-20260601"), "PASS"),
        (SNAPSHOT, snap("ehr-app-boot-20260601"), "PASS"),
        (SNAPSHOT, snap("imaging-scratch-20260531"), "FAIL"),
        (SNAPSHOT, snap("legacy-phi-export-2024"), "FAIL"),
        (SNAPSHOT, snap("elasticsearch-data-20260601"), "PASS"),
        // Instances; the imaging gateway has Shielded VM protection off.
        (EXTERNAL_IP, db.clone(), "PASS"),
        (DEFAULT_SA, db.clone(), "PASS"),
        (SHIELDED, db, "PASS"),
        (EXTERNAL_IP, app.clone(), "NOT_APPLICABLE"),
        (DEFAULT_SA, app.clone(), "PASS"),
        (SHIELDED, app, "PASS"),
        (EXTERNAL_IP, gw.clone(), "FAIL"),
        (DEFAULT_SA, gw.clone(), "FAIL"),
        (SHIELDED, gw, "FAIL"),
        // Stopped, with an ephemeral external address still configured.
        (EXTERNAL_IP, worker.clone(), "FAIL"),
        (DEFAULT_SA, worker.clone(), "PASS"),
        (SHIELDED, worker, "PASS"),
        // Subnetworks; the proxy-only subnet carries no VM traffic.
        (FLOW_LOGS, ehr_net.clone(), "PASS"),
        (PGA, ehr_net, "PASS"),
        (FLOW_LOGS, proxy_net.clone(), "NOT_APPLICABLE"),
        (PGA, proxy_net, "NOT_APPLICABLE"),
        (FLOW_LOGS, imaging_net.clone(), "FAIL"),
        (PGA, imaging_net, "FAIL"),
        // Backend services, global and regional.
        (
            BACKEND,
            compute(A, "global", "backendServices", "portal-backend"),
            "PASS",
        ),
        (
            BACKEND,
            compute(A, "global", "backendServices", "partner-api-backend"),
            "FAIL",
        ),
        (
            BACKEND,
            compute(
                A,
                "regions/us-central1",
                "backendServices",
                "internal-ehr-api-backend",
            ),
            "FAIL",
        ),
        (
            BACKEND,
            compute(A, "regions/us-central1", "backendServices", "hl7-ilb"),
            "NOT_APPLICABLE",
        ),
        // Bucket keys and usage logs.
        (BUCKET_CMEK, bucket("janus-phi-uploads"), "PASS"),
        (BUCKET_CMEK, bucket("janus-patient-portal-assets"), "PASS"),
        (BUCKET_CMEK, bucket("janus-legacy-exports"), "FAIL"),
        (BUCKET_CMEK, bucket("janus-public-docs-locked"), "PASS"),
        (BUCKET_LOGGING, bucket("janus-phi-uploads"), "PASS"),
        (
            BUCKET_LOGGING,
            bucket("janus-patient-portal-assets"),
            "NOT_APPLICABLE",
        ),
        (BUCKET_LOGGING, bucket("janus-legacy-exports"), "FAIL"),
        (
            BUCKET_LOGGING,
            bucket("janus-public-docs-locked"),
            "NOT_APPLICABLE",
        ),
        // Postgres logging flags: on, off / unset, and a MySQL instance.
        (PG_CONNECT, sql(A, "ehr-db-prod"), "PASS"),
        (PG_DISCONNECT, sql(A, "ehr-db-prod"), "PASS"),
        (PG_CONNECT, sql(A, "billing-mysql"), "NOT_APPLICABLE"),
        (PG_DISCONNECT, sql(A, "billing-mysql"), "NOT_APPLICABLE"),
        (PG_CONNECT, sql(A, "reporting-pg14"), "FAIL"),
        (PG_DISCONNECT, sql(A, "reporting-pg14"), "FAIL"),
        // The project: audit configs for allServices, an audit sink on page 2 of sinks.list.
        (AUDIT_LOGS, project_policy(A), "PASS"),
        (SINK, sinks(A), "PASS"),
    ]
}

/// The verdicts of the two projects where some collections fail.
fn expected_degraded() -> Vec<(&'static str, String, &'static str)> {
    let fw = |p: &str, n: &str| compute(p, "global", "firewalls", n);
    let errors = |checks: &[&'static str], p: &str, region: &str, kind: &str| {
        checks
            .iter()
            .map(|c| (*c, error(p, region, kind), "ERROR"))
            .collect::<Vec<_>>()
    };
    let mut out = vec![
        (
            DISK,
            compute(B, "zones/us-central1-c", "disks", "analytics-worker-boot"),
            "PASS",
        ),
        (ADMIN, fw(B, "default-allow-icmp"), "PASS"),
        (DB, fw(B, "default-allow-icmp"), "PASS"),
        (ADMIN, fw(B, "default-allow-internal"), "PASS"),
        (DB, fw(B, "default-allow-internal"), "PASS"),
        (ADMIN, fw(B, "default-allow-rdp"), "FAIL"),
        (DB, fw(B, "default-allow-rdp"), "PASS"),
        (ADMIN, fw(B, "default-allow-ssh"), "FAIL"),
        (DB, fw(B, "default-allow-ssh"), "PASS"),
        // The other janus-analytics bucket (location US) is outside the failed region.
        (PUBLIC, bucket("analytics-scratch"), "PASS"),
        (UNIFORM, bucket("analytics-scratch"), "PASS"),
        (PAP, bucket("analytics-scratch"), "PASS"),
        (VERSIONING, bucket("analytics-scratch"), "NOT_APPLICABLE"),
        (BUCKET_CMEK, bucket("analytics-scratch"), "PASS"),
        (
            BUCKET_LOGGING,
            bucket("analytics-scratch"),
            "NOT_APPLICABLE",
        ),
        // janus-analytics: the default subnet, no flow logs, no Private Google Access; audit
        // configs for Cloud Storage only.
        (
            FLOW_LOGS,
            compute(B, "regions/us-central1", "subnetworks", "default"),
            "FAIL",
        ),
        (
            PGA,
            compute(B, "regions/us-central1", "subnetworks", "default"),
            "FAIL",
        ),
        (AUDIT_LOGS, project_policy(B), "FAIL"),
        (SINK, error(B, "all-regions", "GcpProjectLogSinks"), "ERROR"),
        // janus-partner-sandbox: snapshots denied, and the disks their verdict also reads.
        (
            SNAPSHOT,
            error(C, "all-regions", "GcpComputeSnapshot"),
            "ERROR",
        ),
        (SNAPSHOT, error(C, "all-regions", "GcpComputeDisk"), "ERROR"),
        (
            EXTERNAL_IP,
            compute(C, "zones/us-central1-a", "instances", "partner-vpn-gw"),
            "NOT_APPLICABLE",
        ),
        (
            DEFAULT_SA,
            compute(C, "zones/us-central1-a", "instances", "partner-vpn-gw"),
            "FAIL",
        ),
        (
            SHIELDED,
            compute(C, "zones/us-central1-a", "instances", "partner-vpn-gw"),
            "PASS",
        ),
        (
            FLOW_LOGS,
            compute(C, "regions/us-central1", "subnetworks", "partner-subnet"),
            "PASS",
        ),
        (
            PGA,
            compute(C, "regions/us-central1", "subnetworks", "partner-subnet"),
            "PASS",
        ),
        (
            BACKEND,
            compute(C, "global", "backendServices", "partner-ssl-backend"),
            "PASS",
        ),
        // allServices, but a partner ETL account is exempted from DATA_READ.
        (AUDIT_LOGS, project_policy(C), "FAIL"),
        // An errors-only sink and a disabled export.
        (SINK, sinks(C), "FAIL"),
        // janus-partner-sandbox: disks denied; the global key ring's key is still judged.
        (DISK, error(C, "all-regions", "GcpComputeDisk"), "ERROR"),
        (ADMIN, fw(C, "allow-partner-vpn"), "PASS"),
        (DB, fw(C, "allow-partner-vpn"), "PASS"),
        (
            ROTATION,
            key(C, "global", "partner-keys", "partner-token-key"),
            "PASS",
        ),
        (
            KEY_PUBLIC,
            key(C, "global", "partner-keys", "partner-token-key"),
            "PASS",
        ),
    ];
    // Cloud SQL Admin API disabled in janus-analytics.
    out.extend(errors(&SQL_CHECKS, B, "all-regions", "GcpSqlInstance"));
    // One janus-analytics bucket's IAM policy denied: its region is ERROR.
    out.extend(errors(&BUCKET_CHECKS, B, "us-central1", "GcpStorageBucket"));
    // janus-partner-sandbox: buckets throttled past retries, key rings denied in us-central1.
    out.extend(errors(&BUCKET_CHECKS, C, "all-regions", "GcpStorageBucket"));
    out.extend(errors(&KEY_CHECKS, C, "us-central1", "GcpKmsKey"));
    out
}

fn as_map(v: Vec<(&'static str, String, &'static str)>) -> BTreeMap<(String, String), String> {
    v.into_iter()
        .map(|(c, r, s)| ((c.to_string(), r), s.to_string()))
        .collect()
}

fn assert_verdicts(
    got: &BTreeMap<(String, String), String>,
    want: &BTreeMap<(String, String), String>,
) {
    let mut problems = Vec::new();
    for (k, s) in want {
        match got.get(k) {
            Some(g) if g == s => {}
            Some(g) => problems.push(format!("{} {}: got {g}, want {s}", k.0, k.1)),
            None => problems.push(format!("{} {}: missing, want {s}", k.0, k.1)),
        }
    }
    for (k, g) in got {
        if !want.contains_key(k) {
            problems.push(format!("{} {}: unexpected {g}", k.0, k.1));
        }
    }
    assert!(
        problems.is_empty(),
        "verdicts differ:\n{}",
        problems.join("\n")
    );
}

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
        throttled.contains("still throttled after 4 attempts"),
        "{throttled}"
    );
    let bucket_iam = reason(PUBLIC, &error(B, "us-central1", "GcpStorageBucket"));
    assert!(
        bucket_iam.contains("analytics-exports")
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
        // (cloudkms ...:getIamPolicy and storage .../iam are GET methods), except Resource
        // Manager's projects.getIamPolicy: a POST that only reads the policy.
        let read_only_post = r.method == "POST"
            && r.path.starts_with("/v3/projects/")
            && r.path.ends_with(":getIamPolicy");
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
        4
    );
    assert_eq!(
        count(&|c| c["service"] == "sqladmin.googleapis.com"
            && c["account"] == B
            && c["error_code"] == "SERVICE_DISABLED"),
        1
    );
    assert_eq!(
        count(&|c| c["service"] == "logging.googleapis.com"
            && c["account"] == B
            && c["error_code"] == "SERVICE_DISABLED"),
        1
    );
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
        3,
        "only the three getIamPolicy reads are POSTs"
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

#[test]
fn named_projects_are_scanned_without_searching() {
    let replay = Replay::start(scenario("estate")).unwrap();
    let run = scan(&replay, &["--project", A]);
    assert_verdicts(&verdicts(&run.report), &as_map(expected_prod()));
    assert_eq!(
        run.code, 1,
        "failures, nothing missing; stderr: {}",
        run.stderr
    );
    assert!(replay
        .requests()
        .iter()
        .all(|r| r.path != "/v3/projects:search" && !r.path.contains(B) && !r.path.contains(C)));
}

#[test]
fn only_the_selected_checks_data_is_collected() {
    let replay = Replay::start(scenario("estate")).unwrap();
    let run = scan(&replay, &["--project", A, "--checks", "gcp-sql-*"]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let paths: Vec<String> = replay.requests().into_iter().map(|r| r.path).collect();
    assert!(!paths.is_empty());
    assert!(
        paths
            .iter()
            .all(|p| p.starts_with(&format!("/v1/projects/{A}/instances"))),
        "{paths:?}"
    );
}

#[test]
fn the_endpoint_can_come_from_the_environment() {
    let replay = Replay::start(scenario("estate")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = phiscan(dir.path())
        .env("PHISCAN_GCP_ENDPOINT", replay.base_url())
        .args([
            "scan",
            "gcp",
            "--project",
            A,
            "--checks",
            "gcp-kms-*",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(replay
        .requests()
        .iter()
        .any(|r| r.path.ends_with(":getIamPolicy")));
}

fn one_line_error(cmd: &mut Command, wanted: &[&str]) {
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    for w in wanted {
        assert!(stderr.contains(w), "{w:?} not in {stderr}");
    }
    assert!(out.stdout.is_empty());
    assert!(!stderr.contains(TOKEN));
}

#[test]
fn setup_problems_are_one_line_errors() {
    // The project search is refused: nothing can be attributed to a project.
    let replay = Replay::start(scenario("search-denied")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    one_line_error(
        phiscan(dir.path()).args(["scan", "gcp", "--gcp-endpoint", replay.base_url()]),
        &[
            "projects.search",
            "PERMISSION_DENIED",
            "resourcemanager.projects.list",
            "--project",
        ],
    );

    // No token and a credential file that does not exist.
    let mut cmd = phiscan(dir.path());
    cmd.env_remove("GOOGLE_OAUTH_ACCESS_TOKEN")
        .env(
            "GOOGLE_APPLICATION_CREDENTIALS",
            dir.path().join("missing.json"),
        )
        .args([
            "scan",
            "gcp",
            "--project",
            A,
            "--gcp-endpoint",
            replay.base_url(),
        ]);
    one_line_error(&mut cmd, &["credentials"]);
    assert!(replay
        .requests()
        .iter()
        .all(|r| r.path == "/v3/projects:search"));

    one_line_error(
        phiscan(dir.path()).args(["scan", "gcp", "--project", "Not_A_Project"]),
        &["--project", "Not_A_Project"],
    );
    one_line_error(
        phiscan(dir.path()).args(["scan", "gcp", "--gcp-endpoint", "not a url", "--project", A]),
        &["--gcp-endpoint"],
    );
    one_line_error(
        phiscan(dir.path()).args(["scan", "--demo", "--project", A]),
        &["live GCP scans only"],
    );
}

#[test]
fn an_unreachable_endpoint_is_error_and_names_no_url() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let out = phiscan(dir.path())
        .args([
            "scan",
            "gcp",
            "--project",
            A,
            "--checks",
            DISK,
            "--format",
            "json",
        ])
        .args(["--gcp-endpoint", &format!("http://127.0.0.1:{port}")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let got = verdicts(&report);
    assert_eq!(
        got,
        as_map(vec![(
            DISK,
            error(A, "all-regions", "GcpComputeDisk"),
            "ERROR"
        )])
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ConnectError") && text.contains("after 4 attempts"),
        "{text}"
    );
    assert!(
        !text.contains("127.0.0.1") && !text.contains("maxResults"),
        "{text}"
    );
}

/// phiscan.toml on a live-collected scan: the targets (project, endpoint) come from the file,
/// and a waiver turns a FAIL of a collected resource into WAIVED.
#[test]
fn phiscan_toml_targets_and_waivers_apply_to_a_live_scan() {
    let replay = Replay::start(scenario("estate")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let disk = compute(A, "zones/us-east1-b", "disks", "imaging-scratch");
    let config = dir.path().join("phiscan.toml");
    std::fs::write(
        &config,
        format!(
            "[gcp]\nprojects = [\"{A}\"]\nendpoint = \"{}\"\n\n[checks]\ninclude = [\"{DISK}\"]\n\n[[waiver]]\ncheck = \"{DISK}\"\nresource = \"imaging-*\"\njustification = \"Scratch disk, no ePHI at rest after 24h; RISK-7\"\napprover = \"ciso@example.org\"\nexpires = 2026-12-31\n",
            replay.base_url()
        ),
    )
    .unwrap();
    let out = phiscan(dir.path())
        .current_dir(dir.path())
        .args(["scan", "gcp", "--format", "json", "--now", NOW])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the one failure is waived; {stderr}"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let v = verdicts(&report);
    assert_eq!(v[&(DISK.to_string(), disk)], "WAIVED");
    assert_eq!(v.values().filter(|s| *s == "PASS").count(), 3);
    assert_eq!(report["waivers"][0]["state"], "applied");
    // Only the file's project was read.
    assert!(replay
        .requests()
        .iter()
        .all(|r| !r.path.starts_with("/v3/") && !r.path.contains(B) && !r.path.contains(C)));
}

/// The scope of a report, as project ids.
fn scope_projects(report: &Value) -> Vec<String> {
    report["scan"]["scope"]
        .as_array()
        .expect("scope")
        .iter()
        .map(|s| s["account"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_organization_is_scanned_through_its_nested_folders() {
    // organizations/100000000001 holds janus-ehr-prod and the folder Clinical (the second
    // page of its folders is a folder being deleted); Clinical holds janus-analytics (and a
    // project being deleted) and the nested folder Partners, whose projects come over two
    // pages: janus-partner-sandbox.
    let replay = Replay::start(scenario("estate")).unwrap();
    let run = scan(&replay, &["--organization", "100000000001"]);
    assert_eq!(run.code, 3, "stderr: {}", run.stderr);
    assert_eq!(scope_projects(&run.report), [B, A, C]);
    // The same verdicts as the scan of every project the credentials can see.
    let mut want = as_map(expected_prod());
    want.extend(as_map(expected_degraded()));
    assert_verdicts(&verdicts(&run.report), &want);
    let requests = replay.requests();
    assert!(requests
        .iter()
        .all(|r| r.matched && r.path != "/v3/projects:search"));
    assert!(!requests
        .iter()
        .any(|r| r.path.contains("janus-legacy-intake")));
    assert!(!requests
        .iter()
        .any(|r| r.query.iter().any(|(_, v)| v == "folders/200000000003")));
    let calls = run.report["scan"]["api_calls"].as_array().unwrap();
    let count = |op: &str| calls.iter().filter(|c| c["operation"] == op).count();
    assert_eq!(
        count("folders.list"),
        4,
        "org (2 pages), Clinical, Partners"
    );
    assert_eq!(
        count("projects.list"),
        4,
        "org, Clinical, Partners (2 pages)"
    );
    assert_eq!(calls.len(), requests.len());
}

#[test]
fn a_folder_and_named_projects_are_a_union() {
    let replay = Replay::start(scenario("estate")).unwrap();
    let run = scan(&replay, &["--folder", "300000000004", "--project", A]);
    assert_eq!(run.code, 3, "stderr: {}", run.stderr);
    assert_eq!(scope_projects(&run.report), [A, C]);
    let got = verdicts(&run.report);
    assert!(got.keys().all(|(_, id)| !id.contains(B)));
    assert_verdicts(
        &got.into_iter()
            .filter(|((_, id), _)| !id.contains(C))
            .collect(),
        &as_map(expected_prod()),
    );
    // The same project under the folder and named: scanned once.
    let replay = Replay::start(scenario("estate")).unwrap();
    let run = scan(
        &replay,
        &[
            "--folder",
            "folders/300000000004",
            "--project",
            C,
            "--checks",
            "gcp-sql-*",
        ],
    );
    assert_eq!(scope_projects(&run.report), [C]);

    // From phiscan.toml: `gcp.folders` with `gcp.projects`.
    let replay = Replay::start(scenario("estate")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("phiscan.toml"),
        format!(
            "[gcp]\nprojects = [\"{A}\"]\nfolders = [\"300000000004\"]\nendpoint = \"{}\"\n",
            replay.base_url()
        ),
    )
    .unwrap();
    let out = phiscan(dir.path())
        .current_dir(dir.path())
        .args(["scan", "gcp", "--format", "json", "--checks", "gcp-sql-*"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(scope_projects(&report), [A, C]);
}

#[test]
fn a_denied_folder_is_a_setup_error_naming_it_and_the_permission() {
    let replay = Replay::start(scenario("estate")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    one_line_error(
        phiscan(dir.path()).args([
            "scan",
            "gcp",
            "--gcp-endpoint",
            replay.base_url(),
            "--folder",
            "400000000005",
        ]),
        &[
            "folders/400000000005",
            "folders.list",
            "PERMISSION_DENIED",
            "resourcemanager.folders.list",
        ],
    );
    one_line_error(
        phiscan(dir.path()).args([
            "scan",
            "gcp",
            "--gcp-endpoint",
            replay.base_url(),
            "--organization",
            "100000000001",
            "--folder",
            "500000000006",
        ]),
        &["folders/500000000006", "resourcemanager.projects.list"],
    );
    // Nothing was scanned.
    assert!(replay
        .requests()
        .iter()
        .all(|r| r.path.starts_with("/v3/") && !r.path.contains(":getIamPolicy")));
    one_line_error(
        phiscan(dir.path()).args(["scan", "gcp", "--folder", "../x"]),
        &["--folder", "numeric"],
    );
}
