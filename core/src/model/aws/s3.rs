//! S3 buckets (with their policy, encryption, public access block, versioning, logging) and the account public access block.

use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

/// The four S3 Block Public Access flags (bucket or account level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAccessBlock {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlock {
    pub fn all_enabled(&self) -> bool {
        self.block_public_acls
            && self.ignore_public_acls
            && self.block_public_policy
            && self.restrict_public_buckets
    }
}

/// Bucket default encryption (the first rule of GetBucketEncryption).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct S3DefaultEncryption {
    /// `AES256`, `aws:kms` or `aws:kms:dsse`.
    pub sse_algorithm: String,
    #[serde(default)]
    pub kms_master_key_id: Option<String>,
    #[serde(default)]
    pub bucket_key_enabled: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct S3Bucket {
    pub resource: ResourceRef,
    /// `None`: the bucket has no explicit default-encryption configuration.
    #[serde(default)]
    pub default_encryption: Option<S3DefaultEncryption>,
    /// The bucket policy document, parsed; `None` when the bucket has no policy.
    #[serde(default)]
    pub policy: Option<serde_json::Value>,
    /// `None`: no bucket-level public access block is configured.
    #[serde(default)]
    pub public_access_block: Option<PublicAccessBlock>,
    /// `Enabled` or `Suspended`; `None` when versioning was never enabled.
    #[serde(default)]
    pub versioning: Option<String>,
    #[serde(default)]
    pub mfa_delete: Option<String>,
    /// Server access logging target bucket, when logging is on.
    #[serde(default)]
    pub logging_target_bucket: Option<String>,
}

/// The account-level S3 public access block (S3 Control).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct S3AccountPublicAccessBlock {
    pub resource: ResourceRef,
    /// `None`: the account has no public access block configuration.
    #[serde(default)]
    pub config: Option<PublicAccessBlock>,
}
