//! Redshift clusters.

use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

/// A provisioned cluster (DescribeClusters), with the `require_ssl` of its parameter group
/// (DescribeClusterParameters) and its audit logging (DescribeLoggingStatus).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RedshiftCluster {
    pub resource: ResourceRef,
    pub encrypted: bool,
    #[serde(default)]
    pub kms_key_id: Option<String>,
    pub publicly_accessible: bool,
    /// The cluster parameter group.
    #[serde(default)]
    pub parameter_group: Option<String>,
    /// `require_ssl` in that group (`true`/`false`); `None` when the group does not list it
    /// or could not be read (then the cluster carries a collection error).
    #[serde(default)]
    pub require_ssl: Option<String>,
    /// `LoggingEnabled` of DescribeLoggingStatus; `None` when it could not be read.
    #[serde(default)]
    pub logging_enabled: Option<bool>,
    /// `s3` or `cloudwatch`, where the logs go.
    #[serde(default)]
    pub log_destination: Option<String>,
}
