//! KMS keys.

use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmsKey {
    pub resource: ResourceRef,
    pub key_id: String,
    /// `AWS` or `CUSTOMER`.
    pub key_manager: String,
    /// `SYMMETRIC_DEFAULT`, `RSA_2048`, `HMAC_256`, ...
    pub key_spec: String,
    /// `Enabled`, `Disabled`, `PendingDeletion`, ...
    pub key_state: String,
    /// `AWS_KMS`, `EXTERNAL`, `AWS_CLOUDHSM`, `EXTERNAL_KEY_STORE`.
    #[serde(default)]
    pub origin: Option<String>,
    /// GetKeyRotationStatus; `None` where the API does not answer for this key type.
    #[serde(default)]
    pub rotation_enabled: Option<bool>,
    /// The key policy document, parsed.
    #[serde(default)]
    pub policy: Option<serde_json::Value>,
}
