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
    /// The S3 object-level (data event) logging the trail's event selectors ask for,
    /// from GetEventSelectors (basic and advanced selectors). `None`: not read.
    #[serde(default)]
    pub s3_data_events: Option<Vec<S3DataEvents>>,
}

/// One S3 data-event selection of a trail: the objects under `prefix` (`arn:aws:s3` or
/// `arn:aws:s3:::` alone: every bucket; `arn:aws:s3:::bucket/`: one bucket), with which
/// kinds of access are logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct S3DataEvents {
    pub prefix: String,
    pub read: bool,
    pub write: bool,
}
