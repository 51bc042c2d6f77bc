//! EFS file systems.

use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

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
