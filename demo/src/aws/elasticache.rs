//! ElastiCache: the EHR's session cache `ehr-sessions-cache` is encrypted at rest and in
//! transit (TLS required), uses RBAC users and keeps 7 days of snapshots; the portal's
//! serverless `ehr-portal-cache` has its user group and a week of snapshots. The reporting
//! stack's `legacy-report-cache-redis` predates all of it: no encryption, no AUTH, no
//! snapshots, and the `legacy-bi-serverless` cache was created with the defaults (no user
//! group, one day of snapshots).

use super::{arn_ref, protected, E1, EHR_KEY, PROD};
use crate::model::aws::{ElastiCacheReplicationGroup, ElastiCacheServerlessCache};
use crate::model::{Inventory, ResourceKind as K};

fn arn(what: &str, name: &str) -> String {
    format!("arn:aws:elasticache:{E1}:{PROD}:{what}:{name}")
}

pub(super) fn add(inv: &mut Inventory) {
    let group = |name: &str| ElastiCacheReplicationGroup {
        resource: protected(arn_ref(
            K::AwsElastiCacheReplicationGroup,
            PROD,
            E1,
            arn("replicationgroup", name),
            name,
        )),
        engine: Some("redis".into()),
        at_rest_encryption: Some(true),
        transit_encryption: Some(true),
        transit_encryption_mode: Some("required".into()),
        auth_token_enabled: Some(false),
        user_group_ids: vec!["ehr-cache-users".into()],
        snapshot_retention_limit: Some(7),
        kms_key_id: Some(EHR_KEY.into()),
    };
    let legacy = ElastiCacheReplicationGroup {
        at_rest_encryption: Some(false),
        transit_encryption: Some(false),
        transit_encryption_mode: None,
        user_group_ids: vec![],
        snapshot_retention_limit: Some(0),
        kms_key_id: None,
        ..group("legacy-report-cache-redis")
    };
    inv.aws_elasticache_replication_groups = vec![group("ehr-sessions-cache"), legacy];
    let serverless = |name: &str, users: Option<&str>, days: i32| ElastiCacheServerlessCache {
        resource: protected(arn_ref(
            K::AwsElastiCacheServerlessCache,
            PROD,
            E1,
            arn("serverlesscache", name),
            name,
        )),
        engine: Some("valkey".into()),
        kms_key_id: None,
        user_group_id: users.map(Into::into),
        snapshot_retention_limit: Some(days),
    };
    inv.aws_elasticache_serverless_caches = vec![
        serverless("ehr-portal-cache", Some("ehr-cache-users"), 7),
        serverless("legacy-bi-serverless", None, 1),
    ];
}
