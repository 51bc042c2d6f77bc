//! The known truth of the `estate` scenario for the data stores, identities, disk
//! snapshots and log buckets of issue 16 (Spanner, Firestore, Pub/Sub, BigQuery,
//! Memorystore, IAM).

use super::*;

const SP_CMEK: &str = "gcp-spanner-database-cmek";
const SP_PUBLIC: &str = "gcp-spanner-database-not-public";
const SP_BACKUP: &str = "gcp-spanner-backup-recent";
const SP_DROP: &str = "gcp-spanner-database-drop-protection";
const FS_CMEK: &str = "gcp-firestore-cmek";
const FS_PITR: &str = "gcp-firestore-pitr";
const FS_DELETE: &str = "gcp-firestore-delete-protection";
const FS_BACKUP: &str = "gcp-firestore-backup-schedule";
const PS_CMEK: &str = "gcp-pubsub-topic-cmek";
const PS_PUBLIC: &str = "gcp-pubsub-topic-not-public";
const PS_PUSH: &str = "gcp-pubsub-push-https";
const BQ_CMEK: &str = "gcp-bigquery-dataset-cmek";
const BQ_PUBLIC: &str = "gcp-bigquery-dataset-not-public";
const REDIS_TLS: &str = "gcp-redis-transit-encryption";
const REDIS_AUTH: &str = "gcp-redis-auth-enabled";
const PRIMITIVE: &str = "gcp-iam-no-primitive-roles-for-users";
const SA_KEYS: &str = "gcp-iam-sa-no-user-managed-keys";
const DEFAULT_SA_EDITOR: &str = "gcp-iam-default-sa-not-editor";
const DISK_SNAPSHOT: &str = "gcp-compute-disk-recent-snapshot";
const LOG_RETENTION: &str = "gcp-logging-bucket-retention";

fn spanner(project: &str, instance: &str, db: &str) -> String {
    format!("//spanner.googleapis.com/projects/{project}/instances/{instance}/databases/{db}")
}
fn firestore(project: &str, db: &str) -> String {
    format!("//firestore.googleapis.com/projects/{project}/databases/{db}")
}
fn pubsub(project: &str, collection: &str, name: &str) -> String {
    format!("//pubsub.googleapis.com/projects/{project}/{collection}/{name}")
}
fn dataset(project: &str, name: &str) -> String {
    format!("//bigquery.googleapis.com/projects/{project}/datasets/{name}")
}
fn redis(project: &str, region: &str, name: &str) -> String {
    format!("//redis.googleapis.com/projects/{project}/locations/{region}/instances/{name}")
}
fn service_account(project: &str, name: &str) -> String {
    format!("//iam.googleapis.com/projects/{project}/serviceAccounts/{name}@{project}.iam.gserviceaccount.com")
}
fn log_bucket(project: &str, location: &str, name: &str) -> String {
    format!("//logging.googleapis.com/projects/{project}/locations/{location}/buckets/{name}")
}

/// janus-ehr-prod: a compliant and a non-compliant resource for every check.
pub(crate) fn prod() -> Vec<(&'static str, String, &'static str)> {
    let (patients, audit) = (
        spanner(A, "ehr-spanner", "patients"),
        spanner(A, "ehr-spanner", "audit-events"),
    );
    let (default_db, scheduling) = (firestore(A, "(default)"), firestore(A, "scheduling"));
    let (hl7, export) = (
        pubsub(A, "topics", "hl7-feed"),
        pubsub(A, "topics", "analytics-export"),
    );
    let (clinical, research) = (
        dataset(A, "clinical_analytics"),
        dataset(A, "research_extract"),
    );
    let (session, report) = (
        redis(A, "us-central1", "session-cache"),
        redis(A, "us-east1", "report-cache"),
    );
    let disk = |scope: &str, name: &str| compute(A, scope, "disks", name);
    vec![
        // Spanner: databases over two pages; the instance is labelled protected; the
        // audit-events backup is 74 h old (a newer one is still CREATING).
        (SP_CMEK, patients.clone(), "PASS"),
        (SP_CMEK, audit.clone(), "FAIL"),
        (SP_PUBLIC, patients.clone(), "PASS"),
        (SP_PUBLIC, audit.clone(), "FAIL"),
        (SP_BACKUP, patients.clone(), "PASS"),
        (SP_BACKUP, audit.clone(), "FAIL"),
        // Only the patients database is drop-protected (absent means off).
        (SP_DROP, patients, "PASS"),
        (SP_DROP, audit, "FAIL"),
        // Firestore: the Datastore-mode default database has everything, the scheduling
        // database nothing (and only a weekly backup schedule).
        (FS_CMEK, default_db.clone(), "PASS"),
        (FS_CMEK, scheduling.clone(), "FAIL"),
        (FS_PITR, default_db.clone(), "PASS"),
        (FS_PITR, scheduling.clone(), "FAIL"),
        (FS_DELETE, default_db.clone(), "PASS"),
        (FS_DELETE, scheduling.clone(), "FAIL"),
        (FS_BACKUP, default_db, "PASS"),
        (FS_BACKUP, scheduling, "FAIL"),
        // Pub/Sub: topics over two pages, both labelled protected.
        (PS_CMEK, hl7.clone(), "PASS"),
        (PS_CMEK, export.clone(), "FAIL"),
        (PS_PUBLIC, hl7, "PASS"),
        (PS_PUBLIC, export, "FAIL"),
        (PS_PUSH, pubsub(A, "subscriptions", "hl7-to-ehr"), "PASS"),
        (
            PS_PUSH,
            pubsub(A, "subscriptions", "analytics-partner-push"),
            "FAIL",
        ),
        (
            PS_PUSH,
            pubsub(A, "subscriptions", "hl7-archive-pull"),
            "NOT_APPLICABLE",
        ),
        // BigQuery: both datasets labelled protected.
        (BQ_CMEK, clinical.clone(), "PASS"),
        (BQ_CMEK, research.clone(), "FAIL"),
        (BQ_PUBLIC, clinical, "PASS"),
        (BQ_PUBLIC, research, "FAIL"),
        // Memorystore, over every location.
        (REDIS_TLS, session.clone(), "PASS"),
        (REDIS_TLS, report.clone(), "FAIL"),
        (REDIS_AUTH, session, "PASS"),
        (REDIS_AUTH, report, "FAIL"),
        // IAM: a group owns the project; the default compute account only writes logs.
        (PRIMITIVE, project_policy(A), "FAIL"),
        (DEFAULT_SA_EDITOR, project_policy(A), "PASS"),
        // No keys; an enabled key 507 days old (its older key is disabled); a 31-day key.
        (SA_KEYS, service_account(A, "ehr-api"), "PASS"),
        (SA_KEYS, service_account(A, "legacy-etl"), "FAIL"),
        (SA_KEYS, service_account(A, "ci-deployer"), "PASS"),
        // Disk snapshots: 5 h, internal, 29 h, 5 h (regional disk).
        (
            DISK_SNAPSHOT,
            disk("zones/us-central1-a", "ehr-db-data"),
            "PASS",
        ),
        (
            DISK_SNAPSHOT,
            disk("zones/us-central1-a", "ehr-app-boot"),
            "NOT_APPLICABLE",
        ),
        (
            DISK_SNAPSHOT,
            disk("zones/us-east1-b", "imaging-scratch"),
            "FAIL",
        ),
        (
            DISK_SNAPSHOT,
            disk("regions/us-central1", "elasticsearch-data"),
            "PASS",
        ),
        // Log buckets: _Default left at 30 days.
        (LOG_RETENTION, log_bucket(A, "global", "_Default"), "FAIL"),
        (LOG_RETENTION, log_bucket(A, "global", "_Required"), "PASS"),
        (
            LOG_RETENTION,
            log_bucket(A, "us-central1", "phi-audit"),
            "PASS",
        ),
    ]
}

/// janus-analytics (Spanner and Cloud Logging APIs disabled, one dataset it may not read)
/// and janus-partner-sandbox (may not list service accounts, disks or snapshots); no
/// instance of a service is no finding.
pub(crate) fn degraded() -> Vec<(&'static str, String, &'static str)> {
    let mut out = vec![
        (PRIMITIVE, project_policy(B), "PASS"),
        (DEFAULT_SA_EDITOR, project_policy(B), "FAIL"),
        (PRIMITIVE, project_policy(C), "FAIL"),
        (DEFAULT_SA_EDITOR, project_policy(C), "PASS"),
        (BQ_CMEK, dataset(B, "warehouse"), "ERROR"),
        (BQ_PUBLIC, dataset(B, "warehouse"), "ERROR"),
        (
            DISK_SNAPSHOT,
            compute(B, "zones/us-central1-c", "disks", "analytics-worker-boot"),
            "FAIL",
        ),
        (
            LOG_RETENTION,
            error(B, "all-regions", "GcpLogBucket"),
            "ERROR",
        ),
        (LOG_RETENTION, log_bucket(C, "global", "_Default"), "PASS"),
        (LOG_RETENTION, log_bucket(C, "global", "_Required"), "PASS"),
        (
            SA_KEYS,
            error(C, "all-regions", "GcpServiceAccount"),
            "ERROR",
        ),
        (
            DISK_SNAPSHOT,
            error(C, "all-regions", "GcpComputeDisk"),
            "ERROR",
        ),
        (
            DISK_SNAPSHOT,
            error(C, "all-regions", "GcpComputeSnapshot"),
            "ERROR",
        ),
    ];
    out.extend(
        [SP_CMEK, SP_PUBLIC, SP_BACKUP, SP_DROP]
            .map(|c| (c, error(B, "all-regions", "GcpSpannerDatabase"), "ERROR")),
    );
    out
}
