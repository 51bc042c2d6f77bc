//! GCP resources, shaped after the Compute, Cloud SQL Admin, Storage JSON and Cloud KMS REST
//! responses, keeping exactly the fields checks read.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ResourceRef;

mod identity;
mod network;
mod stores;
pub use identity::*;
pub use network::*;
pub use stores::*;

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
    /// `resourcePolicies`: URLs of the snapshot schedules attached to the disk.
    #[serde(default)]
    pub resource_policies: Vec<String>,
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
    /// `sourceTags`: ingress from instances with these network tags.
    #[serde(default)]
    pub source_tags: Vec<String>,
    /// `sourceServiceAccounts`: ingress from instances running as these accounts.
    #[serde(default)]
    pub source_service_accounts: Vec<String>,
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
    /// `settings.databaseFlags` as (name, value), in the API's order.
    #[serde(default)]
    pub database_flags: Vec<DatabaseFlag>,
}

/// One `settings.databaseFlags` entry of a Cloud SQL instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseFlag {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

/// One binding of an IAM policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IamBinding {
    pub role: String,
    pub members: Vec<String>,
    /// The binding's IAM condition (policy version 3), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<IamCondition>,
}

/// An IAM condition: a CEL expression (`request.time < timestamp("2027-01-01T00:00:00Z")`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IamCondition {
    pub expression: String,
    #[serde(default)]
    pub title: Option<String>,
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

/// A Compute Engine snapshot (global; `storageLocations` says where its data lives).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComputeSnapshot {
    pub resource: ResourceRef,
    /// From `snapshotEncryptionKey`, read like a disk's `diskEncryptionKey`.
    pub encryption: DiskEncryption,
    /// URL of the disk the snapshot was taken from.
    #[serde(default)]
    pub source_disk: Option<String>,
    /// Regions or multi-regions holding the snapshot (`us`, `us-central1`).
    #[serde(default)]
    pub storage_locations: Vec<String>,
    /// `READY`, `CREATING`, `UPLOADING`, `FAILED`, `DELETING`.
    #[serde(default)]
    pub status: Option<String>,
    /// `creationTimestamp`.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// `autoCreated`: taken by a snapshot schedule.
    #[serde(default)]
    pub auto_created: bool,
}

/// One network interface of an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkInterface {
    #[serde(default)]
    pub name: Option<String>,
    /// Network URL.
    #[serde(default)]
    pub network: Option<String>,
    /// Subnetwork URL.
    #[serde(default)]
    pub subnetwork: Option<String>,
    /// Internal IPv4 address.
    #[serde(default)]
    pub network_ip: Option<String>,
    /// External addresses: `accessConfigs[].natIP` (IPv4) and
    /// `ipv6AccessConfigs[].externalIpv6`. An access config without an address yet is
    /// still external (`ephemeral`).
    #[serde(default)]
    pub external_ips: Vec<String>,
}

/// A service account attached to an instance, with its OAuth scopes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceServiceAccount {
    pub email: String,
    #[serde(default)]
    pub scopes: Vec<String>,
}

/// A Compute Engine VM instance (zonal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComputeInstance {
    pub resource: ResourceRef,
    /// `RUNNING`, `TERMINATED`, ...
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub network_interfaces: Vec<NetworkInterface>,
    #[serde(default)]
    pub service_accounts: Vec<InstanceServiceAccount>,
    /// Source URLs of the attached disks.
    #[serde(default)]
    pub disks: Vec<String>,
    /// `shieldedInstanceConfig`; `None` when the instance reports none.
    #[serde(default)]
    pub shielded_vm: Option<ShieldedVm>,
    /// `tags.items`: the network tags firewall rules select the instance by.
    #[serde(default)]
    pub network_tags: Vec<String>,
}

/// An instance's Shielded VM settings (`shieldedInstanceConfig`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShieldedVm {
    #[serde(default)]
    pub secure_boot: Option<bool>,
    #[serde(default)]
    pub vtpm: Option<bool>,
    #[serde(default)]
    pub integrity_monitoring: Option<bool>,
}

/// A VPC subnetwork (regional).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subnetwork {
    pub resource: ResourceRef,
    #[serde(default)]
    pub network: Option<String>,
    #[serde(default)]
    pub ip_cidr_range: Option<String>,
    /// `PRIVATE` (ordinary VM subnet), `REGIONAL_MANAGED_PROXY`, `PRIVATE_SERVICE_CONNECT`, ...
    /// `None`: the API did not say, which it does for ordinary subnets.
    #[serde(default)]
    pub purpose: Option<String>,
    /// `logConfig.enable`, else the older `enableFlowLogs`; `None` when neither is reported.
    #[serde(default)]
    pub flow_logs: Option<bool>,
    /// `logConfig.flowSampling` (0.0 - 1.0).
    #[serde(default)]
    pub flow_sampling: Option<f32>,
    /// `privateIpGoogleAccess`.
    #[serde(default)]
    pub private_google_access: Option<bool>,
}

/// A backend service of a load balancer (global or regional).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackendService {
    pub resource: ResourceRef,
    /// How the load balancer talks to the backends: `HTTP`, `HTTPS`, `HTTP2`, `SSL`, `TCP`,
    /// `UDP`, `GRPC`, `H2C`, `UNSPECIFIED`. `None`: not reported.
    #[serde(default)]
    pub protocol: Option<String>,
    /// `EXTERNAL`, `EXTERNAL_MANAGED`, `INTERNAL`, `INTERNAL_MANAGED`, `INTERNAL_SELF_MANAGED`.
    #[serde(default)]
    pub load_balancing_scheme: Option<String>,
}

/// One `auditLogConfigs` entry of an audit config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLogConfig {
    /// `ADMIN_READ`, `DATA_READ`, `DATA_WRITE`.
    pub log_type: String,
    #[serde(default)]
    pub exempted_members: Vec<String>,
}

/// One `auditConfigs` entry of an IAM policy: which Data Access logs a service writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditConfig {
    /// A service (`storage.googleapis.com`) or `allServices`.
    pub service: String,
    #[serde(default)]
    pub log_configs: Vec<AuditLogConfig>,
}

/// A project's own IAM policy audit configuration (`projects.getIamPolicy`). One per
/// project; configs inherited from folders or the organization are not in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectAuditConfig {
    pub resource: ResourceRef,
    #[serde(default)]
    pub audit_configs: Vec<AuditConfig>,
    /// The project's own role bindings, from the same `projects.getIamPolicy` answer.
    /// `None` in inventories saved before they were kept: unknown, not "no bindings".
    #[serde(default)]
    pub iam_bindings: Option<Vec<IamBinding>>,
}

/// One log sink (router) of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogSink {
    pub name: String,
    /// `storage.googleapis.com/<bucket>`, `bigquery.googleapis.com/...`,
    /// `pubsub.googleapis.com/...`, `logging.googleapis.com/.../buckets/<b>`.
    pub destination: String,
    /// Advanced logs filter; empty exports every log entry.
    #[serde(default)]
    pub filter: String,
    pub disabled: bool,
}

/// The log sinks of one project (`sinks.list`), so a project without any has a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectLogSinks {
    pub resource: ResourceRef,
    #[serde(default)]
    pub sinks: Vec<LogSink>,
}
