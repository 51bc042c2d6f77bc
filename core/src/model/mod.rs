//! The typed inventory: what the collectors observed, one Rust type per resource kind.
//!
//! Every kind is declared once, on one line of the `kinds!` table below: its
//! [`ResourceKind`] variant, the provider it belongs to, the `Inventory` field holding it,
//! its Rust type, its [`Granularity`] and whether it can carry tags. The macro
//! (`kinds.rs`) generates the closed `ResourceKind` enum, one kind enum per
//! provider that its collector matches exhaustively, the `Inventory` struct with its merge and
//! sort, and the [`Resource`] impls, so a kind cannot exist in one place and be forgotten in
//! another.
//!
//! Field conventions: an `Option` is `None` when the API did not say (a scanner must not
//! invent a default); collectors never put secrets into the model.

mod api_call;
#[macro_use]
mod kinds;
pub mod aws;
pub mod azure;
pub mod gcp;
mod load;
mod raw_response;
mod resource_ref;
mod tags;

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

pub use api_call::ApiCall;
pub use kinds::Granularity;
pub use raw_response::RawResponse;
pub use resource_ref::{Provider, ResourceFields, ResourceRef, Tags};

/// A typed resource of the inventory.
pub trait Resource: Sync {
    const KIND: ResourceKind;
    fn resource(&self) -> &ResourceRef;
    /// The slice of this kind in an inventory.
    fn all(inv: &Inventory) -> &[Self]
    where
        Self: Sized;
}

kinds! {
    Aws => AwsKind {
        AwsEbsVolume => aws_ebs_volumes: aws::EbsVolume, Regional, tags: true;
        AwsEbsEncryptionDefault => aws_ebs_encryption_defaults: aws::EbsEncryptionDefault, Regional, tags: false;
        AwsEbsSnapshot => aws_ebs_snapshots: aws::EbsSnapshot, Regional, tags: true;
        AwsS3Bucket => aws_s3_buckets: aws::S3Bucket, Global, tags: true;
        AwsS3AccountPublicAccessBlock => aws_s3_account_public_access_blocks: aws::S3AccountPublicAccessBlock, AccountWide, tags: false;
        AwsRdsInstance => aws_rds_instances: aws::RdsInstance, Regional, tags: true;
        AwsElbv2Listener => aws_elbv2_listeners: aws::Elbv2Listener, Regional, tags: true;
        AwsEc2SecurityGroup => aws_ec2_security_groups: aws::SecurityGroup, Regional, tags: true;
        AwsEc2Instance => aws_ec2_instances: aws::Ec2Instance, Regional, tags: true;
        AwsEc2Subnet => aws_ec2_subnets: aws::Subnet, Regional, tags: true;
        AwsVpc => aws_vpcs: aws::Vpc, Regional, tags: true;
        AwsKmsKey => aws_kms_keys: aws::KmsKey, Regional, tags: true;
        // A multi-region trail is in every region's DescribeTrails answer (a shadow copy).
        AwsCloudTrail => aws_cloudtrails: aws::CloudTrail, Global, tags: true,
            seen_from_every_region: |t: &aws::CloudTrail| t.is_multi_region;
        // IAM, CloudWatch Logs, ACM, network ACLs (issue 4, part B).
        AwsIamPolicy => aws_iam_policies: aws::IamPolicy, AccountWide, tags: true;
        AwsIamRootAccount => aws_iam_root_accounts: aws::IamRootAccount, AccountWide, tags: false;
        AwsIamPasswordPolicy => aws_iam_password_policies: aws::IamPasswordPolicy, AccountWide, tags: false;
        AwsLogGroup => aws_log_groups: aws::LogGroup, Regional, tags: true;
        AwsAcmCertificate => aws_acm_certificates: aws::AcmCertificate, Regional, tags: true;
        AwsEc2NetworkAcl => aws_ec2_network_acls: aws::NetworkAcl, Regional, tags: true;
        // Data protection and backup.
        AwsRdsCluster => aws_rds_clusters: aws::RdsCluster, Regional, tags: true;
        AwsRdsParameterGroup => aws_rds_parameter_groups: aws::RdsParameterGroup, Regional, tags: true;
        AwsRdsSnapshot => aws_rds_snapshots: aws::RdsSnapshot, Regional, tags: true;
        AwsBackupVault => aws_backup_vaults: aws::BackupVault, Regional, tags: true;
        AwsBackupRecoveryPoint => aws_backup_recovery_points: aws::BackupRecoveryPoint, Regional, tags: true;
        AwsEfsFileSystem => aws_efs_file_systems: aws::EfsFileSystem, Regional, tags: true;
        AwsDynamoDbTable => aws_dynamodb_tables: aws::DynamoDbTable, Regional, tags: true;
        // Edges, identity, detection and backups (issue 17). Kinds without tags are always
        // inside a data-classification scope: account and region settings, IAM users, and
        // edges whose tags would cost a call per resource.
        AwsRdsClusterSnapshot => aws_rds_cluster_snapshots: aws::RdsClusterSnapshot, Regional, tags: true;
        AwsIamUser => aws_iam_users: aws::IamUser, AccountWide, tags: false;
        AwsGuardDutyRegion => aws_guardduty_regions: aws::GuardDutyRegion, Regional, tags: false;
        AwsConfigRecorderRegion => aws_config_recorder_regions: aws::ConfigRecorderRegion, Regional, tags: false;
        AwsCloudFrontDistribution => aws_cloudfront_distributions: aws::CloudFrontDistribution, AccountWide, tags: false;
        AwsApiGatewayDomainName => aws_apigateway_domain_names: aws::ApiGatewayDomainName, Regional, tags: true;
        AwsElbClassicLoadBalancer => aws_elb_classic_load_balancers: aws::ElbClassicLoadBalancer, Regional, tags: false;
        // Data stores (issue 17, first half).
        AwsElastiCacheReplicationGroup => aws_elasticache_replication_groups: aws::ElastiCacheReplicationGroup, Regional, tags: true;
        AwsElastiCacheServerlessCache => aws_elasticache_serverless_caches: aws::ElastiCacheServerlessCache, Regional, tags: true;
        AwsRedshiftCluster => aws_redshift_clusters: aws::RedshiftCluster, Regional, tags: true;
        AwsOpenSearchDomain => aws_opensearch_domains: aws::OpenSearchDomain, Regional, tags: true;
        AwsSqsQueue => aws_sqs_queues: aws::SqsQueue, Regional, tags: true;
        AwsSnsTopic => aws_sns_topics: aws::SnsTopic, Regional, tags: true;
        AwsKinesisStream => aws_kinesis_streams: aws::KinesisStream, Regional, tags: true;
        // Not `aws_secrets`: the redactor withholds every JSON key naming secrets.
        AwsSecretsManagerSecret => aws_secretsmanager_entries: aws::Secret, Regional, tags: true;
        // Segmentation and third parties (issue 14). Target groups' tags would cost a call
        // per group.
        AwsElbv2TargetGroup => aws_elbv2_target_groups: aws::Elbv2TargetGroup, Regional, tags: false;
        AwsIamRole => aws_iam_roles: aws::IamRole, AccountWide, tags: true;
        // The paths between VPCs (issue 14): findings per peering and per VPC attachment.
        AwsVpcPeering => aws_vpc_peerings: aws::VpcPeering, Regional, tags: true;
        AwsTransitGatewayAttachment => aws_transit_gateway_attachments: aws::TransitGatewayAttachment, Regional, tags: true;
    }
    Gcp => GcpKind {
        GcpComputeDisk => gcp_compute_disks: gcp::ComputeDisk, Regional, tags: true;
        GcpComputeFirewall => gcp_compute_firewalls: gcp::Firewall, Regional, tags: false;
        GcpSqlInstance => gcp_sql_instances: gcp::SqlInstance, Regional, tags: true;
        GcpStorageBucket => gcp_storage_buckets: gcp::StorageBucket, Regional, tags: true;
        GcpKmsKey => gcp_kms_keys: gcp::KmsKey, Regional, tags: true;
        GcpSslPolicy => gcp_ssl_policies: gcp::SslPolicy, Regional, tags: false;
        GcpTargetProxy => gcp_target_proxies: gcp::TargetProxy, Regional, tags: false;
        GcpComputeSnapshot => gcp_compute_snapshots: gcp::ComputeSnapshot, Regional, tags: true;
        GcpComputeInstance => gcp_compute_instances: gcp::ComputeInstance, Regional, tags: true;
        GcpSubnetwork => gcp_subnetworks: gcp::Subnetwork, Regional, tags: false;
        GcpBackendService => gcp_backend_services: gcp::BackendService, Regional, tags: false;
        GcpProjectAuditConfig => gcp_project_audit_configs: gcp::ProjectAuditConfig, AccountWide, tags: false;
        GcpProjectLogSinks => gcp_project_log_sinks: gcp::ProjectLogSinks, AccountWide, tags: false;
        // Data stores, identity and log storage (issue 16).
        GcpSpannerDatabase => gcp_spanner_databases: gcp::SpannerDatabase, Regional, tags: true;
        GcpFirestoreDatabase => gcp_firestore_databases: gcp::FirestoreDatabase, Regional, tags: false;
        GcpPubsubTopic => gcp_pubsub_topics: gcp::PubsubTopic, Regional, tags: true;
        GcpPubsubSubscription => gcp_pubsub_subscriptions: gcp::PubsubSubscription, Regional, tags: true;
        GcpBigqueryDataset => gcp_bigquery_datasets: gcp::BigqueryDataset, Regional, tags: true;
        GcpRedisInstance => gcp_redis_instances: gcp::RedisInstance, Regional, tags: true;
        GcpServiceAccount => gcp_service_accounts: gcp::ServiceAccount, Regional, tags: false;
        GcpLogBucket => gcp_log_buckets: gcp::LogBucket, Regional, tags: false;
        // Segmentation (issue 14): VPC networks carry no labels.
        GcpNetwork => gcp_networks: gcp::Network, Regional, tags: false;
    }
    Azure => AzureKind {
        AzureDisk => azure_disks: azure::Disk, Regional, tags: true;
        AzureStorageAccount => azure_storage_accounts: azure::StorageAccount, Regional, tags: true;
        AzureSqlServer => azure_sql_servers: azure::SqlServer, Regional, tags: true;
        AzureSqlDatabase => azure_sql_databases: azure::SqlDatabase, Regional, tags: true;
        AzureNetworkSecurityGroup => azure_network_security_groups: azure::NetworkSecurityGroup, Regional, tags: true;
        AzurePostgresFlexibleServer => azure_postgres_flexible_servers: azure::PostgresFlexibleServer, Regional, tags: true;
        AzureMysqlFlexibleServer => azure_mysql_flexible_servers: azure::MysqlFlexibleServer, Regional, tags: true;
        AzureKeyVault => azure_key_vaults: azure::KeyVault, Regional, tags: true;
        AzureVirtualMachine => azure_virtual_machines: azure::VirtualMachine, Regional, tags: true;
        AzureBackupProtectedItem => azure_backup_protected_items: azure::BackupProtectedItem, Regional, tags: true;
        AzureApplicationGateway => azure_application_gateways: azure::ApplicationGateway, Regional, tags: true;
        AzureActivityLog => azure_activity_logs: azure::ActivityLog, AccountWide, tags: false;
        AzureCosmosDbAccount => azure_cosmosdb_accounts: azure::CosmosDbAccount, Regional, tags: true;
        AzureWebApp => azure_web_apps: azure::WebApp, Regional, tags: true;
        AzureRedisCache => azure_redis_caches: azure::RedisCache, Regional, tags: true;
        AzureSqlLtrPolicy => azure_sql_ltr_policies: azure::SqlLtrPolicy, Regional, tags: true;
        AzureSqlManagedInstance => azure_sql_managed_instances: azure::SqlManagedInstance, Regional, tags: true;
        AzureBlobService => azure_blob_services: azure::BlobService, Regional, tags: true;
        AzureFlowLog => azure_flow_logs: azure::FlowLog, Regional, tags: false;
        AzureKeyVaultDiagnostics => azure_key_vault_diagnostics: azure::KeyVaultDiagnostics, Regional, tags: true;
        AzureDefenderPlans => azure_defender_plans: azure::DefenderPlans, AccountWide, tags: false;
        AzureRoleAssignments => azure_role_assignments: azure::SubscriptionRoleAssignments, AccountWide, tags: false;
        AzureCustomRole => azure_custom_roles: azure::CustomRole, AccountWide, tags: false;
        // Segmentation and third parties (issue 14).
        AzureVirtualNetwork => azure_virtual_networks: azure::VirtualNetwork, Regional, tags: true;
        AzureBastionHost => azure_bastion_hosts: azure::BastionHost, Regional, tags: true;
        AzureLighthouseAssignment => azure_lighthouse_assignments: azure::LighthouseAssignment, AccountWide, tags: false;
    }
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

/// A collection that failed: for one (provider, account, region, kind) when a list call
/// failed, or for one resource when a call reading its detail failed (`resource` is set).
///
/// A resource with a failed detail read stays in the inventory with what was read; the
/// fields that could not be read are `None`, which alone would mean "not configured", so
/// the engine never lets a check judge that resource (see [`crate::engine`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionError {
    pub provider: Provider,
    pub account: String,
    /// `None`: every region of the account (e.g. a global list call failed, or where the
    /// resource lives could not be read).
    #[serde(default)]
    pub region: Option<String>,
    pub kind: ResourceKind,
    /// The id of the one resource whose detail could not be read; `None`: the whole kind
    /// in the scope could not be listed. (Absent in inventories saved before it existed.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The API operation that failed (`s3:GetBucketPolicy`), when the collector names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// What went wrong, in words an operator can act on (e.g. "AccessDenied: ec2:DescribeVolumes").
    pub reason: String,
}

impl CollectionError {
    /// A failed detail read of one resource (`id` as in its [`ResourceRef`]).
    pub fn of_resource(r: &ResourceRef, operation: &str, reason: impl Into<String>) -> Self {
        CollectionError {
            provider: r.provider,
            account: r.account.clone(),
            region: Some(r.region.clone()),
            kind: r.kind,
            resource: Some(r.id.clone()),
            operation: Some(operation.to_string()),
            reason: reason.into(),
        }
    }

    /// The resource id of the ERROR findings this error makes (and of its evidence file):
    /// the resource's own id, or `<provider>/<account>/<region|all-regions>/<kind>`.
    pub fn subject_id(&self) -> String {
        match &self.resource {
            Some(id) => id.clone(),
            None => format!(
                "{}/{}/{}/{}",
                self.provider,
                self.account,
                self.region.as_deref().unwrap_or("all-regions"),
                self.kind.as_str()
            ),
        }
    }

    /// Whether a resource in (account, region) is inside the scope this error covers.
    pub fn covers(&self, account: &str, region: &str) -> bool {
        self.account == account && self.region.as_deref().is_none_or(|r| r == region)
    }

    /// Whether this is a failed detail read of exactly `r`.
    pub fn is_about(&self, r: &ResourceRef) -> bool {
        self.resource.as_deref() == Some(r.id.as_str())
            && self.kind == r.kind
            && self.provider == r.provider
            && self.account == r.account
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
        let inv = match Inventory::parse_in_parallel(text) {
            Some(inv) => inv,
            None => serde_json::from_str(text).map_err(|e| InventoryError::Parse {
                path: path.to_string(),
                line: e.line(),
                column: e.column(),
                message: strip_position(&e.to_string()),
            })?,
        };
        if inv.format != INVENTORY_FORMAT {
            return Err(InventoryError::Invalid {
                path: path.to_string(),
                message: format!(
                    "unsupported inventory format {} (this phiscan reads {INVENTORY_FORMAT:?})",
                    crate::quote::quote(&inv.format)
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
