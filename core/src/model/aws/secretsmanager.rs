//! Secrets Manager secrets (metadata only: phiscan never reads a secret's value).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

/// A secret, from ListSecrets (which carries rotation, key and tags), never GetSecretValue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Secret {
    pub resource: ResourceRef,
    /// `RotationEnabled`; absent in the answer means rotation was never configured.
    pub rotation_enabled: bool,
    #[serde(default)]
    pub rotation_days: Option<i64>,
    #[serde(default)]
    pub last_rotated: Option<DateTime<Utc>>,
    /// `KmsKeyId`; `None`: the account's AWS managed key `aws/secretsmanager`.
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// `CUSTOMER` or `AWS` for `kms_key_id` (see [`BackupVault::encryption_key_manager`](super::BackupVault::encryption_key_manager)).
    #[serde(default)]
    pub kms_key_manager: Option<String>,
}
