//! Memorystore for Redis: the session cache (TLS and AUTH) and an old report cache
//! created without either.

use super::{store_ref, P, REGION};
use crate::model::gcp::RedisInstance;
use crate::model::{Inventory, ResourceKind};

pub(super) fn add(inv: &mut Inventory) {
    let redis = |name: &str, tls: &str, auth: bool, tier: &str| RedisInstance {
        resource: store_ref(
            ResourceKind::GcpRedisInstance,
            REGION,
            format!("//redis.googleapis.com/projects/{P}/locations/{REGION}/instances/{name}"),
        ),
        transit_encryption_mode: Some(tls.into()),
        auth_enabled: auth,
        tier: Some(tier.into()),
    };
    inv.gcp_redis_instances = vec![
        redis(
            "session-cache",
            "SERVER_AUTHENTICATION",
            true,
            "STANDARD_HA",
        ),
        redis("report-cache", "DISABLED", false, "BASIC"),
    ];
}
