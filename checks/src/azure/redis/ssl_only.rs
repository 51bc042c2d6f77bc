use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::RedisCache;

use crate::azure::support::flag_verdict;

declare_check! {
    /// ## What it checks
    /// Every Azure Cache for Redis keeps its non-TLS port (6379) closed: `enableNonSslPort`
    /// is `false`. ARM reports `false` for caches that never opened it; `true` FAILs, and so
    /// does a cache for which ARM reports nothing (the port cannot be shown closed).
    ///
    /// ## Why it matters
    /// Caches in health apps hold sessions, query results and tokens; on the plain port the
    /// access key and every cached value cross the network in cleartext: transmission
    /// security and encryption (45 CFR 164.312(e)(1), 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `enable_non_ssl_port` (null when not reported).
    ///
    /// ## Remediation
    /// Point clients at port 6380 with TLS, then
    /// `az redis update -n <cache> -g <rg> --set enableNonSslPort=false`.
    pub struct RedisSslOnly {
        id: "azure-redis-ssl-only",
        title: "Redis caches accept TLS connections only",
        severity: High,
        provider: Azure,
        kinds: [AzureRedisCache],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

impl Check for RedisSslOnly {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<RedisCache>()
            .iter()
            .map(|c| {
                let (ok, reason) = flag_verdict(
                    c.enable_non_ssl_port,
                    false,
                    [
                        "The non-TLS port 6379 is closed: clients connect over TLS (6380).",
                        "The non-TLS port 6379 is open: keys and cached data can travel in cleartext.",
                        "ARM did not report enableNonSslPort, so the non-TLS port cannot be shown closed.",
                    ],
                );
                ctx.verdict(ok, &c.resource)
                    .evidence("enable_non_ssl_port", c.enable_non_ssl_port)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::redis_cache;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_redis_caches = [("closed", Some(false)), ("open", Some(true)), ("silent", None)]
            .into_iter()
            .map(|(id, v)| RedisCache {
                enable_non_ssl_port: v,
                ..redis_cache(id)
            })
            .collect();
        let f = run(&RedisSslOnly, &inv);
        f.assert_statuses(&[("closed", Status::Pass), ("open", Status::Fail), ("silent", Status::Fail)]);
    }
}
