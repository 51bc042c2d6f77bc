//! AWS Backup vaults and recovery points.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

/// An AWS Backup vault, from ListBackupVaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupVault {
    pub resource: ResourceRef,
    #[serde(default)]
    pub encryption_key_arn: Option<String>,
    /// Who manages the vault's key: `CUSTOMER` or `AWS` (kms:DescribeKey; a key with an
    /// `alias/aws/...` alias is AWS managed whatever DescribeKey says). `None`: no key named.
    #[serde(default)]
    pub encryption_key_manager: Option<String>,
    #[serde(default)]
    pub recovery_points: Option<i64>,
    #[serde(default)]
    pub locked: Option<bool>,
}

/// A recovery point in an AWS Backup vault, from ListRecoveryPointsByBackupVault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupRecoveryPoint {
    pub resource: ResourceRef,
    pub vault_name: String,
    /// The ARN of the backed-up resource (volume, instance, DB instance, table, ...).
    #[serde(default)]
    pub resource_arn: Option<String>,
    /// `EBS`, `EC2`, `RDS`, `DynamoDB`, `EFS`, ...
    #[serde(default)]
    pub resource_type: Option<String>,
    /// `COMPLETED`, `PARTIAL`, `DELETING`, `EXPIRED`, ...
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub creation_date: Option<DateTime<Utc>>,
    #[serde(default)]
    pub completion_date: Option<DateTime<Utc>>,
    #[serde(default)]
    pub encrypted: Option<bool>,
}
