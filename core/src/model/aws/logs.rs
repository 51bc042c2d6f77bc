//! CloudWatch Logs log groups.

use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

/// A CloudWatch Logs log group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogGroup {
    pub resource: ResourceRef,
    /// The KMS key that encrypts the group; `None`: CloudWatch Logs' own encryption.
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// `None`: events never expire.
    #[serde(default)]
    pub retention_in_days: Option<i32>,
}
