//! Builders for the GCP data stores, identities and log buckets of issue 16. Each returns a
//! resource that passes every check reading its kind, in project `proj-1`.

use chrono::Duration;
use phiscan_core::model::gcp::*;
use phiscan_core::ResourceKind;

use super::{gcp_ref, now};

/// A ready Spanner database with a CMEK key, drop protection, no IAM bindings and a
/// 6-hour-old scheduled backup.
pub fn spanner_database(id: &str) -> SpannerDatabase {
    SpannerDatabase {
        resource: gcp_ref(ResourceKind::GcpSpannerDatabase, "regional-us-central1", id),
        state: Some("READY".into()),
        kms_key_name: Some(
            "projects/proj-1/locations/us-central1/keyRings/r/cryptoKeys/spanner".into(),
        ),
        drop_protection: Some(true),
        iam_bindings: vec![],
        latest_backup: Some(BackupRef {
            name: format!("{id}-backup"),
            taken_at: now() - Duration::hours(6),
            schedules: vec!["daily".into()],
        }),
    }
}

/// A Native-mode database with CMEK, PITR, delete protection and a daily backup schedule.
pub fn firestore_database(id: &str) -> FirestoreDatabase {
    FirestoreDatabase {
        resource: gcp_ref(ResourceKind::GcpFirestoreDatabase, "nam5", id),
        database_type: Some("FIRESTORE_NATIVE".into()),
        kms_key_name: Some("projects/proj-1/locations/us/keyRings/r/cryptoKeys/firestore".into()),
        point_in_time_recovery: Some("POINT_IN_TIME_RECOVERY_ENABLED".into()),
        delete_protection: Some("DELETE_PROTECTION_ENABLED".into()),
        backup_schedules: vec![FirestoreBackupSchedule {
            name: format!("{id}/backupSchedules/daily"),
            recurrence: "daily".into(),
            retention_seconds: Some(604_800),
        }],
    }
}

/// A topic with a CMEK key and no IAM bindings.
pub fn pubsub_topic(id: &str) -> PubsubTopic {
    PubsubTopic {
        resource: gcp_ref(ResourceKind::GcpPubsubTopic, "global", id),
        kms_key_name: Some("projects/proj-1/locations/us/keyRings/r/cryptoKeys/pubsub".into()),
        iam_bindings: vec![],
    }
}

/// A subscription pushing to an https endpoint.
pub fn pubsub_subscription(id: &str) -> PubsubSubscription {
    PubsubSubscription {
        resource: gcp_ref(ResourceKind::GcpPubsubSubscription, "global", id),
        topic: Some("projects/proj-1/topics/t".into()),
        push_endpoint: Some("https://hooks.example.org/pubsub".into()),
    }
}

/// A dataset with a CMEK key and one project-owner access entry.
pub fn bigquery_dataset(id: &str) -> BigqueryDataset {
    BigqueryDataset {
        resource: gcp_ref(ResourceKind::GcpBigqueryDataset, "us", id),
        kms_key_name: Some("projects/proj-1/locations/us/keyRings/r/cryptoKeys/bq".into()),
        access: vec![IamBinding {
            role: "OWNER".into(),
            members: vec!["projectOwners".into()],
            condition: None,
        }],
    }
}

/// A Standard-tier instance with in-transit encryption and AUTH on.
pub fn redis_instance(id: &str) -> RedisInstance {
    RedisInstance {
        resource: gcp_ref(ResourceKind::GcpRedisInstance, "us-central1", id),
        transit_encryption_mode: Some("SERVER_AUTHENTICATION".into()),
        auth_enabled: true,
        tier: Some("STANDARD_HA".into()),
    }
}

/// An enabled service account without user-managed keys.
pub fn service_account(id: &str) -> ServiceAccount {
    ServiceAccount {
        resource: gcp_ref(ResourceKind::GcpServiceAccount, "global", id),
        email: format!("{id}@proj-1.iam.gserviceaccount.com"),
        disabled: false,
        user_managed_keys: vec![],
    }
}

/// A user-managed key created `days` before the test clock.
pub fn sa_key(id: &str, days: i64) -> ServiceAccountKey {
    ServiceAccountKey {
        id: id.into(),
        created_at: Some(now() - Duration::days(days)),
        disabled: false,
    }
}

/// An active log bucket keeping logs 400 days.
pub fn log_bucket(id: &str) -> LogBucket {
    LogBucket {
        resource: gcp_ref(ResourceKind::GcpLogBucket, "global", id),
        retention_days: 400,
        locked: false,
        lifecycle_state: Some("ACTIVE".into()),
    }
}
