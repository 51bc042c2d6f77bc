//! `Microsoft.Cache`: Azure Cache for Redis (management plane only: no access keys).

use serde::Deserialize;

use super::arm::Item;
use super::client::{Arm, Op};
use super::{fail, versions};
use crate::model::azure::RedisCache;
use crate::model::{Inventory, ResourceKind};

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Properties {
    enable_non_ssl_port: Option<bool>,
    minimum_tls_version: Option<String>,
    public_network_access: Option<String>,
    subnet_id: Option<String>,
}

/// Redis_ListBySubscription.
pub async fn caches(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let kind = ResourceKind::AzureRedisCache;
    let op = Op::new("Microsoft.Cache", "Redis_ListBySubscription", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Cache/redis");
    match arm
        .list::<Item<Properties>>(&path, versions::REDIS, &[], &op)
        .await
    {
        Ok(items) => {
            inv.azure_redis_caches = items
                .iter()
                .map(|c| {
                    let p = &c.properties;
                    RedisCache {
                        resource: c.resource(kind, sub),
                        enable_non_ssl_port: p.enable_non_ssl_port,
                        minimum_tls_version: p.minimum_tls_version.clone(),
                        public_network_access: p.public_network_access.clone(),
                        subnet_id: p.subnet_id.clone().filter(|s| !s.trim().is_empty()),
                    }
                })
                .collect()
        }
        Err(e) => inv.errors.push(fail(sub, None, kind, &e)),
    }
    inv
}
