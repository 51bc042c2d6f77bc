//! ElastiCache: Redis OSS / Valkey replication groups and serverless caches.

use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

/// A replication group (DescribeReplicationGroups): the unit that holds a Redis OSS or
/// Valkey data set, with or without cluster mode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElastiCacheReplicationGroup {
    pub resource: ResourceRef,
    #[serde(default)]
    pub engine: Option<String>,
    #[serde(default)]
    pub at_rest_encryption: Option<bool>,
    #[serde(default)]
    pub transit_encryption: Option<bool>,
    /// `required` or `preferred` (`preferred` still accepts plaintext clients).
    #[serde(default)]
    pub transit_encryption_mode: Option<String>,
    #[serde(default)]
    pub auth_token_enabled: Option<bool>,
    /// RBAC user groups (`UserGroupIds`): access by named users instead of one token.
    #[serde(default)]
    pub user_group_ids: Vec<String>,
    /// Days of automatic snapshots kept; 0 turns them off.
    #[serde(default)]
    pub snapshot_retention_limit: Option<i32>,
    #[serde(default)]
    pub kms_key_id: Option<String>,
}

/// A serverless cache (DescribeServerlessCaches): always encrypted at rest and in transit
/// by AWS; access control and snapshots are the owner's choice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElastiCacheServerlessCache {
    pub resource: ResourceRef,
    #[serde(default)]
    pub engine: Option<String>,
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// The RBAC user group; `None`: the default user, without a password.
    #[serde(default)]
    pub user_group_id: Option<String>,
    #[serde(default)]
    pub snapshot_retention_limit: Option<i32>,
}
