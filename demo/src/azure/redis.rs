//! Azure Cache for Redis: the portal's session cache, private, and the reporting cache,
//! opened for a debugging session and left so.

use super::{arm_ref, EAST, EAST2};
use crate::model::azure::RedisCache;
use crate::model::{Inventory, ResourceKind};

pub(super) fn add(inv: &mut Inventory) {
    inv.azure_redis_caches = vec![
        cache(
            "redis-qolty-sessions",
            "rg-ephi-prod",
            EAST,
            false,
            "1.2",
            "Disabled",
        ),
        cache(
            "redis-qolty-reporting",
            "rg-qolty-analytics",
            EAST2,
            true,
            "1.0",
            "Enabled",
        ),
    ];
}

fn cache(name: &str, rg: &str, location: &str, plain: bool, tls: &str, access: &str) -> RedisCache {
    RedisCache {
        resource: arm_ref(
            ResourceKind::AzureRedisCache,
            location,
            rg,
            "Microsoft.Cache/redis",
            name,
        ),
        enable_non_ssl_port: Some(plain),
        minimum_tls_version: Some(tls.into()),
        public_network_access: Some(access.into()),
        subnet_id: None,
    }
}
