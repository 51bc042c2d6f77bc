//! EBS volumes, snapshots and the encryption-by-default setting.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EbsVolume {
    pub resource: ResourceRef,
    pub encrypted: bool,
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// `creating`, `available`, `in-use`, ...
    pub state: String,
    pub size_gib: i32,
    /// Instance ids the volume is attached to.
    #[serde(default)]
    pub attached_instances: Vec<String>,
}

/// The account's EBS encryption-by-default setting in one region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EbsEncryptionDefault {
    pub resource: ResourceRef,
    pub enabled: bool,
    /// The default KMS key for new volumes, when the API returned it.
    #[serde(default)]
    pub kms_key_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EbsSnapshot {
    pub resource: ResourceRef,
    pub encrypted: bool,
    #[serde(default)]
    pub kms_key_id: Option<String>,
    #[serde(default)]
    pub volume_id: Option<String>,
    pub start_time: DateTime<Utc>,
    /// `pending`, `completed`, `error`, ...
    pub state: String,
    /// createVolumePermission grants to the group `all`: anyone can copy the snapshot.
    pub public: bool,
    /// createVolumePermission grants to other account ids.
    #[serde(default)]
    pub shared_with_accounts: Vec<String>,
}
