//! AWS resources, shaped after the EC2 / S3 / RDS / ELBv2 / KMS / CloudTrail / IAM /
//! CloudWatch Logs / ACM API responses, keeping exactly the fields checks read. Names follow
//! the API where they can.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ResourceRef;

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RdsInstance {
    pub resource: ResourceRef,
    pub engine: String,
    pub storage_encrypted: bool,
    #[serde(default)]
    pub kms_key_id: Option<String>,
    pub publicly_accessible: bool,
    pub backup_retention_days: i32,
    /// VPC security group ids attached to the instance.
    #[serde(default)]
    pub vpc_security_groups: Vec<String>,
    /// Subnets of the DB subnet group.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    #[serde(default)]
    pub endpoint_port: Option<i32>,
    /// The DB cluster the instance belongs to (Aurora, Multi-AZ DB cluster).
    #[serde(default)]
    pub db_cluster_identifier: Option<String>,
    /// Names of the DB parameter groups applied to the instance.
    #[serde(default)]
    pub parameter_groups: Vec<String>,
}

/// One action of a listener (or of its default rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListenerAction {
    /// `forward`, `redirect`, `fixed-response`, `authenticate-oidc`, ...
    pub action_type: String,
    /// For `redirect`: the protocol it redirects to (`HTTPS`, `#{protocol}`).
    #[serde(default)]
    pub redirect_protocol: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Elbv2Listener {
    pub resource: ResourceRef,
    pub load_balancer_arn: String,
    pub load_balancer_name: String,
    /// `internet-facing` or `internal`.
    pub scheme: String,
    /// `HTTP`, `HTTPS`, `TLS`, `TCP`, `UDP`, `TCP_UDP`, `GENEVE`.
    pub protocol: String,
    pub port: i32,
    #[serde(default)]
    pub ssl_policy: Option<String>,
    /// Protocols the SSL policy allows (`TLSv1`, `TLSv1.1`, `TLSv1.2`, `TLSv1.3`), from
    /// DescribeSSLPolicies; `None` when not collected.
    #[serde(default)]
    pub ssl_protocols: Option<Vec<String>>,
    #[serde(default)]
    pub default_actions: Vec<ListenerAction>,
}

/// One ingress permission of a security group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SgRule {
    /// `tcp`, `udp`, `icmp`, `icmpv6`, or `-1` for all traffic.
    pub protocol: String,
    #[serde(default)]
    pub from_port: Option<i32>,
    #[serde(default)]
    pub to_port: Option<i32>,
    #[serde(default)]
    pub ipv4_ranges: Vec<String>,
    #[serde(default)]
    pub ipv6_ranges: Vec<String>,
    /// Referenced security groups / prefix lists: not public by themselves.
    #[serde(default)]
    pub source_groups: Vec<String>,
    #[serde(default)]
    pub prefix_lists: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub resource: ResourceRef,
    pub group_id: String,
    #[serde(default)]
    pub vpc_id: Option<String>,
    #[serde(default)]
    pub ingress: Vec<SgRule>,
    /// What the group is attached to: ENIs, instances, RDS instances, load balancers.
    /// Read from those resources (moto creates no ENIs for RDS/ELB).
    #[serde(default)]
    pub attached_to: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ec2Instance {
    pub resource: ResourceRef,
    /// `pending`, `running`, `stopped`, `terminated`, ...
    pub state: String,
    /// IMDS `HttpTokens`: `required` (IMDSv2 only) or `optional`.
    #[serde(default)]
    pub imds_http_tokens: Option<String>,
    /// IMDS `HttpEndpoint`: `enabled` or `disabled`.
    #[serde(default)]
    pub imds_http_endpoint: Option<String>,
    #[serde(default)]
    pub public_ip: Option<String>,
    #[serde(default)]
    pub subnet_id: Option<String>,
    #[serde(default)]
    pub vpc_id: Option<String>,
    #[serde(default)]
    pub security_groups: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subnet {
    pub resource: ResourceRef,
    pub subnet_id: String,
    pub vpc_id: String,
    /// The subnet's route table (explicit or the VPC main table) routes 0.0.0.0/0 or ::/0 to
    /// an internet gateway.
    pub routes_to_internet_gateway: bool,
    pub map_public_ip_on_launch: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowLog {
    pub flow_log_id: String,
    /// `ACTIVE` when delivering.
    #[serde(default)]
    pub status: Option<String>,
    /// `ACCEPT`, `REJECT` or `ALL`.
    #[serde(default)]
    pub traffic_type: Option<String>,
    #[serde(default)]
    pub destination: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vpc {
    pub resource: ResourceRef,
    pub vpc_id: String,
    pub is_default: bool,
    /// Flow logs whose resource is this VPC.
    #[serde(default)]
    pub flow_logs: Vec<FlowLog>,
}

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudTrail {
    pub resource: ResourceRef,
    pub home_region: String,
    pub is_multi_region: bool,
    pub is_organization_trail: bool,
    /// GetTrailStatus `IsLogging`.
    pub is_logging: bool,
    pub log_file_validation: bool,
    #[serde(default)]
    pub kms_key_id: Option<String>,
    #[serde(default)]
    pub s3_bucket: Option<String>,
    #[serde(default)]
    pub cloudwatch_log_group_arn: Option<String>,
}

// ---- IAM, CloudWatch Logs, ACM, network ACLs (issue 4, part B) ------------------------------

/// An IAM policy document: a customer-managed policy's default version, or an inline policy
/// of a user, role or group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IamPolicy {
    pub resource: ResourceRef,
    /// `managed` (customer-managed), `user-inline`, `role-inline` or `group-inline`.
    pub policy_type: String,
    /// For inline policies: the ARN of the user, role or group that holds it.
    #[serde(default)]
    pub owner_arn: Option<String>,
    /// For managed policies: how many users, groups and roles it is attached to.
    #[serde(default)]
    pub attachment_count: Option<i32>,
    /// For managed policies: the version judged (the default version).
    #[serde(default)]
    pub default_version_id: Option<String>,
    /// The policy document, URL-decoded and parsed; a string when it did not parse as JSON.
    pub document: serde_json::Value,
}

/// The account's root user, from GetAccountSummary (one record per account).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IamRootAccount {
    pub resource: ResourceRef,
    /// `AccountAccessKeysPresent`: 1 when the root user has access keys.
    #[serde(default)]
    pub access_keys_present: Option<i32>,
    /// `AccountMFAEnabled`: 1 when the root user has an MFA device.
    #[serde(default)]
    pub mfa_enabled: Option<i32>,
}

/// The account's IAM password policy (GetAccountPasswordPolicy), one record per account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IamPasswordPolicy {
    pub resource: ResourceRef,
    /// `None`: the account has no password policy (the API answered NoSuchEntity).
    #[serde(default)]
    pub policy: Option<PasswordPolicy>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    #[serde(default)]
    pub minimum_password_length: Option<i32>,
    pub require_symbols: bool,
    pub require_numbers: bool,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    /// `MaxPasswordAge`; `None` when passwords never expire.
    #[serde(default)]
    pub max_password_age: Option<i32>,
    /// `PasswordReusePrevention`; `None` when reuse is not restricted.
    #[serde(default)]
    pub password_reuse_prevention: Option<i32>,
}

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

/// An ACM certificate (ListCertificates + DescribeCertificate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcmCertificate {
    pub resource: ResourceRef,
    pub domain_name: String,
    /// `ISSUED`, `EXPIRED`, `PENDING_VALIDATION`, `INACTIVE`, `REVOKED`, `FAILED`, ...
    pub status: String,
    /// `AMAZON_ISSUED`, `IMPORTED` or `PRIVATE`.
    #[serde(default)]
    pub cert_type: Option<String>,
    #[serde(default)]
    pub not_after: Option<DateTime<Utc>>,
    /// ARNs of the resources (load balancers, distributions) using the certificate.
    #[serde(default)]
    pub in_use_by: Vec<String>,
    /// `ELIGIBLE` when ACM renews it automatically.
    #[serde(default)]
    pub renewal_eligibility: Option<String>,
}

/// One entry of a network ACL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NaclEntry {
    pub rule_number: i32,
    /// `-1` (all), `6` (TCP), `17` (UDP), `1` (ICMP), ... (protocol numbers, as the API says).
    pub protocol: String,
    /// `allow` or `deny`.
    pub rule_action: String,
    pub egress: bool,
    #[serde(default)]
    pub cidr_block: Option<String>,
    #[serde(default)]
    pub ipv6_cidr_block: Option<String>,
    /// `None` when the rule covers all ports (protocol -1) or the API gave no range.
    #[serde(default)]
    pub port_from: Option<i32>,
    #[serde(default)]
    pub port_to: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkAcl {
    pub resource: ResourceRef,
    pub nacl_id: String,
    #[serde(default)]
    pub vpc_id: Option<String>,
    pub is_default: bool,
    #[serde(default)]
    pub entries: Vec<NaclEntry>,
    /// Subnets associated with the ACL.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
}

// ---- Data protection and backup: RDS clusters, parameter groups and snapshots, AWS Backup,
// ---- EFS, DynamoDB.

/// An RDS DB cluster (Aurora or Multi-AZ DB cluster), from DescribeDBClusters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RdsCluster {
    pub resource: ResourceRef,
    pub engine: String,
    pub storage_encrypted: bool,
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// The DB cluster parameter group (`DBClusterParameterGroup`).
    #[serde(default)]
    pub parameter_group: Option<String>,
    /// Identifiers of the member DB instances.
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default)]
    pub backup_retention_days: Option<i32>,
}

/// A DB parameter group or DB cluster parameter group, with the parameters that force TLS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RdsParameterGroup {
    pub resource: ResourceRef,
    pub name: String,
    #[serde(default)]
    pub family: Option<String>,
    /// `true` for a DB cluster parameter group.
    pub cluster: bool,
    /// The parameters that force TLS (`rds.force_ssl`, `require_secure_transport`, `tls`,
    /// `neptune_enforce_ssl`) as DescribeDB(Cluster)Parameters listed
    /// them, with their value (`None`: listed without a value). A parameter the API did not
    /// list is absent.
    #[serde(default)]
    pub tls_parameters: BTreeMap<String, Option<String>>,
}

/// A DB snapshot (manual, automated or made by AWS Backup), from DescribeDBSnapshots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RdsSnapshot {
    pub resource: ResourceRef,
    #[serde(default)]
    pub db_instance_identifier: Option<String>,
    /// `automated`, `manual`, `awsbackup`, ...
    #[serde(default)]
    pub snapshot_type: Option<String>,
    /// `available`, `creating`, ...
    #[serde(default)]
    pub status: Option<String>,
    pub encrypted: bool,
    #[serde(default)]
    pub kms_key_id: Option<String>,
    #[serde(default)]
    pub create_time: Option<DateTime<Utc>>,
    /// The `restore` attribute grants to `all`: any AWS account can restore it.
    pub public: bool,
    /// The `restore` attribute grants to other account ids.
    #[serde(default)]
    pub shared_with_accounts: Vec<String>,
}

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

/// An EFS file system, from DescribeFileSystems.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EfsFileSystem {
    pub resource: ResourceRef,
    pub encrypted: bool,
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// `available`, `creating`, ...
    #[serde(default)]
    pub life_cycle_state: Option<String>,
}

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
    /// `CUSTOMER` or `AWS` for `kms_key_arn` (see [`BackupVault::encryption_key_manager`]).
    #[serde(default)]
    pub kms_key_manager: Option<String>,
    /// `ENABLED` or `DISABLED` (PointInTimeRecoveryStatus).
    #[serde(default)]
    pub pitr_status: Option<String>,
}
