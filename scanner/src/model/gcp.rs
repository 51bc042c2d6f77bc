//! GCP resources, shaped after the Compute, Cloud SQL Admin, Storage JSON and Cloud KMS REST
//! responses, keeping exactly the fields checks read.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ResourceRef;

/// How a disk's (or snapshot's) data is encrypted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DiskEncryption {
    /// No `diskEncryptionKey`: Google-managed keys.
    GoogleManaged,
    /// `diskEncryptionKey.kmsKeyName`: a Cloud KMS key the customer controls.
    Cmek { kms_key_name: String },
    /// `diskEncryptionKey.sha256` with a raw or RSA-wrapped key: customer-supplied.
    Csek,
}

impl DiskEncryption {
    pub fn label(&self) -> &'static str {
        match self {
            DiskEncryption::GoogleManaged => "google-managed",
            DiskEncryption::Cmek { .. } => "cmek",
            DiskEncryption::Csek => "csek",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComputeDisk {
    pub resource: ResourceRef,
    pub encryption: DiskEncryption,
    /// `READY`, `CREATING`, ...
    #[serde(default)]
    pub status: Option<String>,
    /// Instance URLs using the disk.
    #[serde(default)]
    pub users: Vec<String>,
}

/// One `allowed` (or `denied`) entry of a firewall rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirewallEntry {
    /// `tcp`, `udp`, `icmp`, `all`, or an IP protocol number.
    pub ip_protocol: String,
    /// Ports or ranges (`22`, `8000-8080`); empty means every port.
    #[serde(default)]
    pub ports: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Firewall {
    pub resource: ResourceRef,
    pub network: String,
    /// `INGRESS` or `EGRESS`.
    pub direction: String,
    pub disabled: bool,
    pub priority: i32,
    #[serde(default)]
    pub source_ranges: Vec<String>,
    #[serde(default)]
    pub target_tags: Vec<String>,
    #[serde(default)]
    pub target_service_accounts: Vec<String>,
    #[serde(default)]
    pub allowed: Vec<FirewallEntry>,
    #[serde(default)]
    pub denied: Vec<FirewallEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizedNetwork {
    #[serde(default)]
    pub name: Option<String>,
    /// CIDR, e.g. `0.0.0.0/0`.
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SqlInstance {
    pub resource: ResourceRef,
    /// `POSTGRES_15`, `MYSQL_8_0`, `SQLSERVER_2019_STANDARD`, ...
    pub database_version: String,
    /// `settings.ipConfiguration.sslMode`: `ALLOW_UNENCRYPTED_AND_ENCRYPTED`,
    /// `ENCRYPTED_ONLY`, `TRUSTED_CLIENT_CERTIFICATE_REQUIRED`.
    #[serde(default)]
    pub ssl_mode: Option<String>,
    /// Legacy `settings.ipConfiguration.requireSsl`.
    #[serde(default)]
    pub require_ssl: Option<bool>,
    /// `settings.ipConfiguration.ipv4Enabled`: the instance has a public IP.
    pub ipv4_enabled: bool,
    #[serde(default)]
    pub authorized_networks: Vec<AuthorizedNetwork>,
    /// `settings.backupConfiguration.enabled`.
    pub backup_enabled: bool,
    #[serde(default)]
    pub point_in_time_recovery: Option<bool>,
    /// Newest successful backup run, when collected.
    #[serde(default)]
    pub last_successful_backup: Option<DateTime<Utc>>,
    /// `diskEncryptionConfiguration.kmsKeyName`.
    #[serde(default)]
    pub kms_key_name: Option<String>,
}

/// One binding of an IAM policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IamBinding {
    pub role: String,
    pub members: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorageBucket {
    pub resource: ResourceRef,
    #[serde(default)]
    pub iam_bindings: Vec<IamBinding>,
    /// `iamConfiguration.uniformBucketLevelAccess.enabled`.
    pub uniform_bucket_level_access: bool,
    /// `iamConfiguration.publicAccessPrevention`: `enforced` or `inherited`.
    #[serde(default)]
    pub public_access_prevention: Option<String>,
    #[serde(default)]
    pub default_kms_key_name: Option<String>,
    #[serde(default)]
    pub versioning_enabled: bool,
    #[serde(default)]
    pub retention_period_seconds: Option<i64>,
    #[serde(default)]
    pub logging_bucket: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmsKey {
    pub resource: ResourceRef,
    /// `ENCRYPT_DECRYPT`, `ASYMMETRIC_SIGN`, `ASYMMETRIC_DECRYPT`, `MAC`, ...
    pub purpose: String,
    /// `rotationPeriod` in seconds (`7776000s` = 90 days); `None` when rotation is off.
    #[serde(default)]
    pub rotation_period_seconds: Option<i64>,
    #[serde(default)]
    pub next_rotation_time: Option<DateTime<Utc>>,
    /// State of the primary version (`ENABLED`, `DISABLED`, `DESTROYED`, ...).
    #[serde(default)]
    pub primary_state: Option<String>,
    #[serde(default)]
    pub iam_bindings: Vec<IamBinding>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SslPolicy {
    pub resource: ResourceRef,
    /// Self link; target proxies refer to the policy by it.
    pub self_link: String,
    /// `TLS_1_0`, `TLS_1_1`, `TLS_1_2`.
    pub min_tls_version: String,
    /// `COMPATIBLE`, `MODERN`, `RESTRICTED`, `CUSTOM`.
    pub profile: String,
}

/// A target HTTPS proxy or target SSL proxy: where a load balancer terminates TLS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetProxy {
    pub resource: ResourceRef,
    /// `https` or `ssl`.
    pub proxy_type: String,
    /// Self link of the attached SSL policy; `None` means GCP's default policy (TLS 1.0+).
    #[serde(default)]
    pub ssl_policy: Option<String>,
}
