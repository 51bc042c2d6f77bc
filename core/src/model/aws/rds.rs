//! RDS instances, clusters, parameter groups and snapshots.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

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

/// A DB cluster snapshot (automated, manual or made by AWS Backup), from
/// DescribeDBClusterSnapshots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RdsClusterSnapshot {
    pub resource: ResourceRef,
    #[serde(default)]
    pub db_cluster_identifier: Option<String>,
    /// `automated`, `manual`, `awsbackup`, ...
    #[serde(default)]
    pub snapshot_type: Option<String>,
    /// `available`, `creating`, ...
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub storage_encrypted: Option<bool>,
    #[serde(default)]
    pub create_time: Option<DateTime<Utc>>,
}
