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
//! log sinks) have a verdict in every project. The data stores of issue 16 live in
//! `janus-ehr-prod` (Spanner databases and Pub/Sub topics over two pages each);
//! `janus-analytics` has the Spanner API disabled and one BigQuery dataset it may not read,
//! `janus-partner-sandbox` may not list service accounts ([`truth_stores`]).
//!
//! What the tests prove: every resource gets the verdict the scenario says (check id +
//! resource id -> status); what could not be collected is ERROR, never PASS, with the
//! reason naming the API or permission, and exit code 3; only GET requests (and the
//! read-only POSTs `projects.getIamPolicy` and Spanner's `databases.getIamPolicy`) were sent, all of them recorded routes; every attempt is in the call log; the token never reaches an
//! output.

#[path = "../support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use phiscan_replay::Replay;
use serde_json::Value;
use support::{scope_accounts, verdicts};

mod collection;
mod doctor;
mod failures;
mod per_resource;
mod raw;
mod segmentation;
mod targets;
mod truth;
mod truth_stores;

use truth::{expected_degraded, expected_prod};

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

/// The binary with a clean GCP environment: the static token, gcloud's configuration in
/// `config_dir`, the endpoint only where a test gives it.
fn phiscan(config_dir: &Path) -> Command {
    support::gcp(TOKEN, config_dir)
}

struct Run {
    report: Value,
    code: i32,
    stdout: String,
    stderr: String,
}

fn scan(replay: &Replay, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let out = support::run(
        phiscan(dir.path())
            .args(["scan", "gcp", "--format", "json", "--now", NOW])
            .args(["--gcp-endpoint", replay.base_url()])
            .args(extra),
    );
    Run {
        report: out.report(),
        code: out.code,
        stdout: out.stdout,
        stderr: out.stderr,
    }
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
