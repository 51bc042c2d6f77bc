//! GCP identities and log storage: service accounts with their user-managed keys (IAM
//! API) and Cloud Logging log buckets.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

/// A service account (`projects.serviceAccounts.list`) with its user-managed keys
/// (`keys.list?keyTypes=USER_MANAGED`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceAccount {
    pub resource: ResourceRef,
    pub email: String,
    #[serde(default)]
    pub disabled: bool,
    #[serde(default)]
    pub user_managed_keys: Vec<ServiceAccountKey>,
}

/// One user-managed key of a service account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceAccountKey {
    /// The key id (last segment of its name).
    pub id: String,
    /// `validAfterTime`: when the key was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub disabled: bool,
}

/// A Cloud Logging log bucket (`locations.buckets.list`, every location).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogBucket {
    pub resource: ResourceRef,
    /// `retentionDays` (the API's default is 30).
    pub retention_days: i32,
    /// `locked`: retention can no longer be shortened.
    #[serde(default)]
    pub locked: bool,
    /// `ACTIVE`, `DELETE_REQUESTED`, ...
    #[serde(default)]
    pub lifecycle_state: Option<String>,
}
