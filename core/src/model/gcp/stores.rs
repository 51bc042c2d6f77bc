//! The GCP data stores that hold ePHI outside Cloud SQL and Cloud Storage: Cloud Spanner,
//! Firestore / Datastore, Pub/Sub, BigQuery and Memorystore for Redis, shaped after their
//! REST references and keeping exactly the fields checks read.
//!
//! IAM policies and BigQuery access entries are both kept as [`IamBinding`]s (an access
//! entry's `specialGroup: allAuthenticatedUsers` or `iamMember: allUsers` becomes that
//! member), so one rule decides "public" for every store.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::IamBinding;
use crate::model::ResourceRef;

/// The newest usable backup of a database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupRef {
    /// Full backup name (`projects/p/instances/i/backups/b`).
    pub name: String,
    /// When the backup's data was captured (`versionTime`, else `createTime`).
    pub taken_at: DateTime<Utc>,
    /// The backup schedules that produced it (`backupSchedules`); empty: taken on demand.
    #[serde(default)]
    pub schedules: Vec<String>,
}

/// A Cloud Spanner database (`instances.databases.list`), with its IAM policy and the
/// newest READY backup of it found in its instance's `backups.list`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpannerDatabase {
    pub resource: ResourceRef,
    /// `READY`, `CREATING`, `READY_OPTIMIZING`.
    #[serde(default)]
    pub state: Option<String>,
    /// `encryptionConfig.kmsKeyName` (or the first of `kmsKeyNames`); `None`: Google-managed.
    #[serde(default)]
    pub kms_key_name: Option<String>,
    /// `enableDropProtection`; `None` in inventories saved before it was kept.
    #[serde(default)]
    pub drop_protection: Option<bool>,
    #[serde(default)]
    pub iam_bindings: Vec<IamBinding>,
    /// The newest READY backup; `None`: the instance lists no backup of this database.
    #[serde(default)]
    pub latest_backup: Option<BackupRef>,
}

/// A Firestore database, in Native or Datastore mode (`databases.list`), with its backup
/// schedules (`databases.backupSchedules.list`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirestoreDatabase {
    pub resource: ResourceRef,
    /// `FIRESTORE_NATIVE` or `DATASTORE_MODE`.
    #[serde(default)]
    pub database_type: Option<String>,
    /// `cmekConfig.kmsKeyName`; `None`: Google-managed.
    #[serde(default)]
    pub kms_key_name: Option<String>,
    /// `pointInTimeRecoveryEnablement`: `POINT_IN_TIME_RECOVERY_ENABLED` or `_DISABLED`.
    #[serde(default)]
    pub point_in_time_recovery: Option<String>,
    /// `deleteProtectionState`: `DELETE_PROTECTION_ENABLED` or `_DISABLED`.
    #[serde(default)]
    pub delete_protection: Option<String>,
    #[serde(default)]
    pub backup_schedules: Vec<FirestoreBackupSchedule>,
}

/// One backup schedule of a Firestore database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirestoreBackupSchedule {
    pub name: String,
    /// `daily` or `weekly` (`dailyRecurrence` / `weeklyRecurrence`).
    pub recurrence: String,
    /// `retention` in seconds (`604800s`).
    #[serde(default)]
    pub retention_seconds: Option<i64>,
}

/// A Pub/Sub topic (`topics.list`) with its IAM policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PubsubTopic {
    pub resource: ResourceRef,
    /// `kmsKeyName`; `None`: Google-managed.
    #[serde(default)]
    pub kms_key_name: Option<String>,
    #[serde(default)]
    pub iam_bindings: Vec<IamBinding>,
}

/// A Pub/Sub subscription (`subscriptions.list`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PubsubSubscription {
    pub resource: ResourceRef,
    /// The topic's full name (`_deleted-topic_` once it is gone).
    #[serde(default)]
    pub topic: Option<String>,
    /// `pushConfig.pushEndpoint`; `None`: a pull (or export) subscription.
    #[serde(default)]
    pub push_endpoint: Option<String>,
}

/// A BigQuery dataset (`datasets.get`: the list omits access entries and keys).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BigqueryDataset {
    pub resource: ResourceRef,
    /// `defaultEncryptionConfiguration.kmsKeyName`; `None`: Google-managed.
    #[serde(default)]
    pub kms_key_name: Option<String>,
    /// The `access` entries as bindings (`READER` to `allAuthenticatedUsers`, ...).
    #[serde(default)]
    pub access: Vec<IamBinding>,
}

/// A Memorystore for Redis instance (`instances.list` over every location).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RedisInstance {
    pub resource: ResourceRef,
    /// `transitEncryptionMode`: `SERVER_AUTHENTICATION` or `DISABLED` (absent: disabled).
    #[serde(default)]
    pub transit_encryption_mode: Option<String>,
    /// `authEnabled`.
    #[serde(default)]
    pub auth_enabled: bool,
    /// `STANDARD_HA` or `BASIC`.
    #[serde(default)]
    pub tier: Option<String>,
}
