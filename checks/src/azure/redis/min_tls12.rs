use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::RedisCache;

use crate::azure::support::tls12_verdict;

declare_check! {
    /// ## What it checks
    /// Every Azure Cache for Redis sets `minimumTlsVersion` to `1.2` (or newer). `1.0`,
    /// `1.1`, unrecognised values and an unreported value (caches that never set it
    /// accepted TLS 1.0) FAIL.
    ///
    /// ## Why it matters
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996) and weaken the protection of cached ePHI
    /// in transit: transmission security (45 CFR 164.312(e)(1)), integrity controls
    /// (164.312(e)(2)(i)) and encryption (164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `minimum_tls_version` (as reported, null when omitted).
    ///
    /// ## Remediation
    /// `az redis update -n <cache> -g <rg> --set minimumTlsVersion=1.2`.
    pub struct RedisMinTls12 {
        id: "azure-redis-min-tls12",
        title: "Redis caches require TLS 1.2 or newer",
        severity: Medium,
        provider: Azure,
        kinds: [AzureRedisCache],
        controls: [TransmissionSecurity, TransmissionIntegrityControls, TransmissionEncryption],
    }
}

impl Check for RedisMinTls12 {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<RedisCache>()
            .iter()
            .map(|c| {
                let (ok, reason) = tls12_verdict(
                    "minimumTlsVersion",
                    c.minimum_tls_version.as_deref(),
                    "caches that never set it accepted TLS 1.0.",
                );
                ctx.verdict(ok, &c.resource)
                    .evidence("minimum_tls_version", &c.minimum_tls_version)
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
        inv.azure_redis_caches = [Some("1.2"), Some("1.0"), None]
            .into_iter()
            .map(|v| RedisCache {
                minimum_tls_version: v.map(Into::into),
                ..redis_cache(v.unwrap_or("silent"))
            })
            .collect();
        let f = run(&RedisMinTls12, &inv);
        f.assert_statuses(&[("1.2", Status::Pass), ("1.0", Status::Fail), ("silent", Status::Fail)]);
    }
}
