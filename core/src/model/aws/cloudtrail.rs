//! CloudTrail trails.

use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

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
