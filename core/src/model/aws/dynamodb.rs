//! DynamoDB tables.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

/// A DynamoDB table: DescribeTable and DescribeContinuousBackups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DynamoDbTable {
    pub resource: ResourceRef,
    #[serde(default)]
    pub table_status: Option<String>,
    /// `SSEDescription.Status`; `None` when the table has no SSEDescription, which means
    /// encryption with an AWS owned key (DynamoDB's default).
    #[serde(default)]
    pub sse_status: Option<String>,
    /// `KMS` when a KMS key (AWS managed or customer managed) encrypts the table.
    #[serde(default)]
    pub sse_type: Option<String>,
    #[serde(default)]
    pub kms_key_arn: Option<String>,
    /// `CUSTOMER` or `AWS` for `kms_key_arn` (see [`BackupVault::encryption_key_manager`](super::BackupVault::encryption_key_manager)).
    #[serde(default)]
    pub kms_key_manager: Option<String>,
    /// `ENABLED` or `DISABLED` (PointInTimeRecoveryStatus).
    #[serde(default)]
    pub pitr_status: Option<String>,
    /// `LatestRestorableDateTime` of point-in-time recovery, when it is enabled: the
    /// newest moment the table can be restored to.
    #[serde(default)]
    pub pitr_latest_restorable: Option<DateTime<Utc>>,
}
