use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::RedisCache;

declare_check! {
    /// ## What it checks
    /// No Azure Cache for Redis answers on a public endpoint: `publicNetworkAccess` is
    /// `Disabled` (private endpoints only), or the cache is injected into a virtual network
    /// (`subnetId` set: a Premium cache with no public endpoint). `Enabled`, and not reported
    /// (ARM's default is `Enabled`), FAIL: the cache's firewall rules, a separate
    /// sub-resource, are not read, and an enabled public endpoint is reachable from the
    /// internet whenever they are empty.
    ///
    /// ## Why it matters
    /// The policies promise that the data tier is reached only from the internal network.
    /// A cache on a public endpoint is one leaked access key away from exposing every cached
    /// value: access control (45 CFR 164.312(a)(1)) and transmission security
    /// (164.312(e)(1)).
    ///
    /// ## Evidence
    /// `public_network_access`, `subnet_id`.
    ///
    /// ## Remediation
    /// Add a private endpoint (`az network private-endpoint create ... --group-id
    /// redisCache`), then `az redis update -n <cache> -g <rg> --set
    /// publicNetworkAccess=Disabled`.
    pub struct RedisNoPublicAccess {
        id: "azure-redis-no-public-access",
        title: "Redis caches have no public endpoint",
        severity: High,
        provider: Azure,
        kinds: [AzureRedisCache],
        controls: [AccessControl, TransmissionSecurity],
    }
}

impl Check for RedisNoPublicAccess {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<RedisCache>()
            .iter()
            .map(|c| {
                let access = c.public_network_access.as_deref().map(str::trim);
                let (ok, reason) = match (&c.subnet_id, access) {
                    (Some(subnet), _) => (true, format!("The cache is injected into subnet {subnet} and has no public endpoint.")),
                    (None, Some(a)) if a.eq_ignore_ascii_case("Disabled") => (true, "Public network access is disabled: only private endpoints reach the cache.".to_string()),
                    (None, Some(a)) => (false, format!("Public network access is {a}: the cache answers on a public endpoint.")),
                    (None, None) => (false, "ARM did not report publicNetworkAccess; its default, Enabled, exposes a public endpoint.".to_string()),
                };
                ctx.verdict(ok, &c.resource)
                    .evidence("public_network_access", &c.public_network_access)
                    .evidence("subnet_id", &c.subnet_id)
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

    fn cache(id: &str, access: Option<&str>, subnet: bool) -> RedisCache {
        RedisCache {
            public_network_access: access.map(Into::into),
            subnet_id: subnet.then(|| "/subscriptions/s/virtualNetworks/v/subnets/cache".into()),
            ..redis_cache(id)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_redis_caches = vec![
            cache("private", Some("Disabled"), false),
            cache("injected", Some("Enabled"), true),
            cache("public", Some("Enabled"), false),
            cache("silent", None, false),
        ];
        let f = run(&RedisNoPublicAccess, &inv);
        f.assert_statuses(&[("private", Status::Pass), ("injected", Status::Pass), ("public", Status::Fail), ("silent", Status::Fail)]);
    }
}
