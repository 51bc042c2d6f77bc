//! Threat detection and configuration history: GuardDuty and AWS Config, one record per
//! (account, region) each, since both are switched on region by region.

use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

/// The GuardDuty detectors of one region (ListDetectors + GetDetector).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuardDutyRegion {
    pub resource: ResourceRef,
    #[serde(default)]
    pub detectors: Vec<GuardDutyDetector>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardDutyDetector {
    pub id: String,
    /// `ENABLED` or `DISABLED`.
    pub status: String,
}

/// The AWS Config recorders of one region (DescribeConfigurationRecorders and
/// DescribeConfigurationRecorderStatus).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigRecorderRegion {
    pub resource: ResourceRef,
    #[serde(default)]
    pub recorders: Vec<ConfigRecorder>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigRecorder {
    pub name: String,
    /// The status's `recording`; `false` when the recorder has no status.
    pub recording: bool,
    /// `recordingGroup.allSupported`: every supported resource type is recorded.
    #[serde(default)]
    pub all_supported: Option<bool>,
    /// `lastStatus`: `Pending`, `Success` or `Failure`.
    #[serde(default)]
    pub last_status: Option<String>,
}
