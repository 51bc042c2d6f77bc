//! The typed inventory: what the collectors observed, one Rust type per resource kind.
//!
//! Every kind is declared once in [`kinds!`]: its [`ResourceKind`] variant, the provider it
//! belongs to, the `Inventory` field holding it and its Rust type. The macro generates the
//! closed `ResourceKind` enum, the `Inventory` struct and the [`Resource`] impls, so a kind
//! cannot exist in one place and be forgotten in another.
//!
//! Field conventions: an `Option` is `None` when the API did not say (a scanner must not
//! invent a default); collectors never put secrets into the model.

mod api_call;
pub mod aws;
pub mod azure;
pub mod gcp;
mod raw_response;
mod resource_ref;

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

pub use api_call::ApiCall;
pub use raw_response::RawResponse;
pub use resource_ref::{Provider, ResourceRef, Tags};

/// A typed resource of the inventory.
pub trait Resource: Sync {
    const KIND: ResourceKind;
    fn resource(&self) -> &ResourceRef;
    /// The slice of this kind in an inventory.
    fn all(inv: &Inventory) -> &[Self]
    where
        Self: Sized;
}

macro_rules! kinds {
    ($( $(#[$doc:meta])* $kind:ident => $provider:ident, $field:ident : $ty:ty ;)+) => {
        /// Every kind of resource phiscan knows. Checks declare the kinds they read; the planner
        /// turns selected checks into the kinds to collect.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum ResourceKind {
            $( $(#[$doc])* $kind, )+
        }

        impl ResourceKind {
            pub const ALL: &'static [ResourceKind] = &[$(ResourceKind::$kind),+];

            pub fn provider(self) -> Provider {
                match self { $(ResourceKind::$kind => Provider::$provider,)+ }
            }

            pub fn as_str(self) -> &'static str {
                match self { $(ResourceKind::$kind => stringify!($kind),)+ }
            }

            /// How many resources of this kind the inventory holds.
            pub fn count_in(self, inv: &Inventory) -> usize {
                match self { $(ResourceKind::$kind => inv.$field.len(),)+ }
            }
        }

        /// What the collectors observed: the resources of every kind, the scopes that were
        /// scanned, and for each (scope, region, kind) that could not be collected, why.
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Inventory {
            /// Format version of the saved inventory; see [`INVENTORY_FORMAT`].
            pub format: String,
            /// When collection started (reports and evidence bundles take the scan's start
            /// from here, never from the wall clock, so they are reproducible).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub collection_started_at: Option<chrono::DateTime<chrono::Utc>>,
            /// When collection finished; the default clock for re-evaluating this inventory.
            pub collected_at: Option<chrono::DateTime<chrono::Utc>>,
            /// Accounts / projects / subscriptions scanned, with the regions in scope.
            pub scopes: Vec<Scope>,
            /// Collections that failed: the checks that read these kinds there report ERROR.
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub errors: Vec<CollectionError>,
            /// Every API call the collectors made, in the order they started.
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub api_calls: Vec<ApiCall>,
            $(
                #[serde(default, skip_serializing_if = "Vec::is_empty")]
                pub $field: Vec<$ty>,
            )+
            /// Raw API responses the collectors kept as evidence; written (redacted) to the
            /// evidence bundle's `raw/` beside the resource records they describe.
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub raw_responses: Vec<RawResponse>,
        }

        $(
            impl Resource for $ty {
                const KIND: ResourceKind = ResourceKind::$kind;
                fn resource(&self) -> &ResourceRef { &self.resource }
                fn all(inv: &Inventory) -> &[Self] { &inv.$field }
            }
        )+

        impl Inventory {
            /// Add another collection's resources, scopes, errors, API calls and raw
            /// responses (one inventory per account of an organization, scanned apart). The
            /// collection window widens to cover both.
            pub fn absorb(&mut self, other: Inventory) {
                $( self.$field.extend(other.$field); )+
                self.scopes.extend(other.scopes);
                self.errors.extend(other.errors);
                self.api_calls.extend(other.api_calls);
                self.raw_responses.extend(other.raw_responses);
                self.collection_started_at = match (self.collection_started_at, other.collection_started_at) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                self.collected_at = match (self.collected_at, other.collected_at) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
            }

            /// Every resource reference of the inventory, in declaration order.
            pub fn resource_refs(&self) -> Vec<&ResourceRef> {
                let mut out = Vec::new();
                $( out.extend(self.$field.iter().map(|r| &r.resource)); )+
                out
            }

            /// Keep the resources of every kind for which `keep` says yes (sharding).
            pub fn retain_resources(&mut self, mut keep: impl FnMut(&ResourceRef) -> bool) {
                $( self.$field.retain(|r| keep(&r.resource)); )+
            }

            /// Every resource record with its reference, as JSON (the evidence bundle's `raw/`).
            pub fn records(&self) -> Vec<(&ResourceRef, serde_json::Value)> {
                let mut out = Vec::new();
                $(
                    for r in &self.$field {
                        // Plain data with string keys: serialization cannot fail.
                        let v = serde_json::to_value(r).expect("inventory record serializes");
                        out.push((&r.resource, v));
                    }
                )+
                out
            }

            /// Kind stamped on each `ResourceRef` must match the list it sits in, or a hand-edited
            /// inventory could make a check read a disk as a bucket.
            fn check_kinds(&self) -> Result<(), String> {
                $(
                    for (i, r) in self.$field.iter().enumerate() {
                        if r.resource.kind != ResourceKind::$kind {
                            return Err(format!(
                                "{}[{}] ({}) has kind {} but sits in the {} list",
                                stringify!($field), i, r.resource.id, r.resource.kind.as_str(),
                                stringify!($kind)
                            ));
                        }
                    }
                )+
                Ok(())
            }
        }
    };
}

kinds! {
    AwsEbsVolume => Aws, aws_ebs_volumes: aws::EbsVolume;
    AwsEbsEncryptionDefault => Aws, aws_ebs_encryption_defaults: aws::EbsEncryptionDefault;
    AwsEbsSnapshot => Aws, aws_ebs_snapshots: aws::EbsSnapshot;
    AwsS3Bucket => Aws, aws_s3_buckets: aws::S3Bucket;
    AwsS3AccountPublicAccessBlock => Aws, aws_s3_account_public_access_blocks: aws::S3AccountPublicAccessBlock;
    AwsRdsInstance => Aws, aws_rds_instances: aws::RdsInstance;
    AwsElbv2Listener => Aws, aws_elbv2_listeners: aws::Elbv2Listener;
    AwsEc2SecurityGroup => Aws, aws_ec2_security_groups: aws::SecurityGroup;
    AwsEc2Instance => Aws, aws_ec2_instances: aws::Ec2Instance;
    AwsEc2Subnet => Aws, aws_ec2_subnets: aws::Subnet;
    AwsVpc => Aws, aws_vpcs: aws::Vpc;
    AwsKmsKey => Aws, aws_kms_keys: aws::KmsKey;
    AwsCloudTrail => Aws, aws_cloudtrails: aws::CloudTrail;
    // IAM, CloudWatch Logs, ACM, network ACLs (issue 4, part B).
    AwsIamPolicy => Aws, aws_iam_policies: aws::IamPolicy;
    AwsIamRootAccount => Aws, aws_iam_root_accounts: aws::IamRootAccount;
    AwsIamPasswordPolicy => Aws, aws_iam_password_policies: aws::IamPasswordPolicy;
    AwsLogGroup => Aws, aws_log_groups: aws::LogGroup;
    AwsAcmCertificate => Aws, aws_acm_certificates: aws::AcmCertificate;
    AwsEc2NetworkAcl => Aws, aws_ec2_network_acls: aws::NetworkAcl;
    // Data protection and backup.
    AwsRdsCluster => Aws, aws_rds_clusters: aws::RdsCluster;
    AwsRdsParameterGroup => Aws, aws_rds_parameter_groups: aws::RdsParameterGroup;
    AwsRdsSnapshot => Aws, aws_rds_snapshots: aws::RdsSnapshot;
    AwsBackupVault => Aws, aws_backup_vaults: aws::BackupVault;
    AwsBackupRecoveryPoint => Aws, aws_backup_recovery_points: aws::BackupRecoveryPoint;
    AwsEfsFileSystem => Aws, aws_efs_file_systems: aws::EfsFileSystem;
    AwsDynamoDbTable => Aws, aws_dynamodb_tables: aws::DynamoDbTable;
    GcpComputeDisk => Gcp, gcp_compute_disks: gcp::ComputeDisk;
    GcpComputeFirewall => Gcp, gcp_compute_firewalls: gcp::Firewall;
    GcpSqlInstance => Gcp, gcp_sql_instances: gcp::SqlInstance;
    GcpStorageBucket => Gcp, gcp_storage_buckets: gcp::StorageBucket;
    GcpKmsKey => Gcp, gcp_kms_keys: gcp::KmsKey;
    GcpSslPolicy => Gcp, gcp_ssl_policies: gcp::SslPolicy;
    GcpTargetProxy => Gcp, gcp_target_proxies: gcp::TargetProxy;
    GcpComputeSnapshot => Gcp, gcp_compute_snapshots: gcp::ComputeSnapshot;
    GcpComputeInstance => Gcp, gcp_compute_instances: gcp::ComputeInstance;
    GcpSubnetwork => Gcp, gcp_subnetworks: gcp::Subnetwork;
    GcpBackendService => Gcp, gcp_backend_services: gcp::BackendService;
    GcpProjectAuditConfig => Gcp, gcp_project_audit_configs: gcp::ProjectAuditConfig;
    GcpProjectLogSinks => Gcp, gcp_project_log_sinks: gcp::ProjectLogSinks;
    AzureDisk => Azure, azure_disks: azure::Disk;
    AzureStorageAccount => Azure, azure_storage_accounts: azure::StorageAccount;
    AzureSqlServer => Azure, azure_sql_servers: azure::SqlServer;
    AzureSqlDatabase => Azure, azure_sql_databases: azure::SqlDatabase;
    AzureNetworkSecurityGroup => Azure, azure_network_security_groups: azure::NetworkSecurityGroup;
    AzurePostgresFlexibleServer => Azure, azure_postgres_flexible_servers: azure::PostgresFlexibleServer;
    AzureMysqlFlexibleServer => Azure, azure_mysql_flexible_servers: azure::MysqlFlexibleServer;
    AzureKeyVault => Azure, azure_key_vaults: azure::KeyVault;
    AzureVirtualMachine => Azure, azure_virtual_machines: azure::VirtualMachine;
    AzureBackupProtectedItem => Azure, azure_backup_protected_items: azure::BackupProtectedItem;
    AzureApplicationGateway => Azure, azure_application_gateways: azure::ApplicationGateway;
    AzureActivityLog => Azure, azure_activity_logs: azure::ActivityLog;
}

/// Version string written into saved inventories; loading refuses any other.
pub const INVENTORY_FORMAT: &str = "phiscan-inventory/v1";

/// One account / project / subscription that was scanned, and the regions in scope there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    pub provider: Provider,
    /// AWS account id, GCP project id or Azure subscription id.
    pub account: String,
    /// Human name when known (AWS account alias, GCP project name, subscription name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Regions / locations in scope. Empty means "whatever the resources report".
    #[serde(default)]
    pub regions: Vec<String>,
    /// Who the collector was authenticated as in this scope, when it found out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
}

/// The identity a collector scanned as: AWS caller ARN (sts:GetCallerIdentity), GCP
/// principal (service account e-mail), Azure tenant + object id. Filled by collectors;
/// written to the evidence bundle's `scan.json` as "who scanned".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// AWS caller ARN, GCP principal e-mail, Azure object id.
    pub principal: String,
    /// Azure tenant id; absent elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
}

/// A collection that failed for one (provider, account, region, kind).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionError {
    pub provider: Provider,
    pub account: String,
    /// `None`: every region of the account (e.g. a global list call failed).
    #[serde(default)]
    pub region: Option<String>,
    pub kind: ResourceKind,
    /// What went wrong, in words an operator can act on (e.g. "AccessDenied: ec2:DescribeVolumes").
    pub reason: String,
}

impl CollectionError {
    /// Whether a resource in (account, region) is inside the scope this error covers.
    pub fn covers(&self, account: &str, region: &str) -> bool {
        self.account == account && self.region.as_deref().is_none_or(|r| r == region)
    }
}

/// Why a saved inventory could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: line {line}, column {column}: {message}")]
    Parse {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

impl Inventory {
    pub fn new() -> Self {
        Inventory {
            format: INVENTORY_FORMAT.to_string(),
            ..Default::default()
        }
    }

    /// Parse a saved inventory; `path` names the source in error messages.
    pub fn from_json(text: &str, path: &str) -> Result<Self, InventoryError> {
        let inv: Inventory = serde_json::from_str(text).map_err(|e| InventoryError::Parse {
            path: path.to_string(),
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        })?;
        if inv.format != INVENTORY_FORMAT {
            return Err(InventoryError::Invalid {
                path: path.to_string(),
                message: format!(
                    "unsupported inventory format {:?} (this phiscan reads {INVENTORY_FORMAT:?})",
                    inv.format
                ),
            });
        }
        inv.check_kinds()
            .map_err(|message| InventoryError::Invalid {
                path: path.to_string(),
                message,
            })?;
        Ok(inv)
    }

    pub fn load(path: &std::path::Path) -> Result<Self, InventoryError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| InventoryError::Io {
            path: shown.clone(),
            source,
        })?;
        Self::from_json(&text, &shown)
    }

    pub fn to_json(&self) -> String {
        // Serializing plain data structures with string keys cannot fail.
        serde_json::to_string_pretty(self).expect("inventory serializes")
    }

    /// Typed slice of one kind.
    pub fn of<T: Resource>(&self) -> &[T] {
        T::all(self)
    }

    /// The providers that have at least one scope in this inventory.
    pub fn providers(&self) -> BTreeSet<Provider> {
        self.scopes.iter().map(|s| s.provider).collect()
    }

    /// Regions in scope for one account (as declared in its [`Scope`]).
    pub fn regions_of(&self, provider: Provider, account: &str) -> &[String] {
        self.scopes
            .iter()
            .find(|s| s.provider == provider && s.account == account)
            .map(|s| s.regions.as_slice())
            .unwrap_or(&[])
    }
}

/// serde_json appends " at line L column C"; we print the position ourselves.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}
