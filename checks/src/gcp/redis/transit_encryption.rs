use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use crate::gcp::shared::setting_is;
use phiscan_core::model::gcp::RedisInstance;

declare_check! {
    /// ## What it checks
    /// Every Memorystore for Redis instance has in-transit encryption on
    /// (`transitEncryptionMode` is `SERVER_AUTHENTICATION`: clients connect over TLS).
    /// `DISABLED`, or no mode reported (the API's default is disabled), FAILs.
    ///
    /// ## Why it matters
    /// Caches hold whatever the application puts in them: sessions, query results, patient
    /// records. Without TLS, anything on the network path reads them (transmission security,
    /// 45 CFR 164.312(e)(1); encryption, 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `transit_encryption_mode` and `tier`.
    ///
    /// ## Remediation
    /// In-transit encryption is chosen at creation: create a new instance with
    /// `gcloud redis instances create <name> --region=<r> --transit-encryption-mode=server-authentication`,
    /// move the clients to it (with the server CA), and delete the old one.
    pub struct RedisTransitEncryption {
        id: "gcp-redis-transit-encryption",
        title: "Memorystore for Redis instances encrypt connections",
        severity: High,
        provider: Gcp,
        kinds: [GcpRedisInstance],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

impl Check for RedisTransitEncryption {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<RedisInstance>()
            .iter()
            .map(|i| {
                setting_is(
                    ctx,
                    &i.resource,
                    "transit_encryption_mode",
                    i.transit_encryption_mode.as_deref(),
                    "SERVER_AUTHENTICATION",
                    "Clients connect over TLS (transitEncryptionMode SERVER_AUTHENTICATION).",
                    "In-transit encryption is off, so clients connect in clear text (an unreported mode means DISABLED)",
                )
                .evidence("tier", &i.tier)
                .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp_stores::redis_instance;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn only_server_authentication_passes() {
        let mut off = redis_instance("off");
        off.transit_encryption_mode = Some("DISABLED".into());
        let mut unset = redis_instance("unset");
        unset.transit_encryption_mode = None;
        let mut inv = Inventory::new();
        inv.gcp_redis_instances = vec![redis_instance("tls"), off, unset];
        let f = run(&RedisTransitEncryption, &inv);
        assert_eq!(f.status_of("tls"), Status::Pass);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert_eq!(f.status_of("unset"), Status::Fail);
        assert!(f.of("unset").reason.contains("DISABLED"));
    }
}
