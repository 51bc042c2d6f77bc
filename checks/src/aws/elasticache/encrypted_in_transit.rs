use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{ElastiCacheReplicationGroup, ElastiCacheServerlessCache};

declare_check! {
    /// ## What it checks
    /// Every ElastiCache replication group has `TransitEncryptionEnabled = true` and, where
    /// the API reports a `TransitEncryptionMode`, the mode `required`: `preferred` (the
    /// migration mode) still accepts plaintext clients and fails. Serverless caches accept
    /// TLS connections only and pass.
    ///
    /// ## Why it matters
    /// Without in-transit encryption, cache reads and writes (sessions, tokens, cached
    /// records) and the AUTH token itself cross the network in the clear (transmission
    /// security, 45 CFR 164.312(e)(1); encryption, 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `transit_encryption`, `transit_encryption_mode`, `serverless` and `engine`.
    ///
    /// ## Remediation
    /// On Redis OSS 7+ / Valkey, online: `aws elasticache modify-replication-group
    /// --replication-group-id <id> --transit-encryption-enabled --transit-encryption-mode
    /// preferred --apply-immediately`, move the clients to TLS, then repeat with
    /// `--transit-encryption-mode required`. Older engines: recreate from a snapshot with
    /// `--transit-encryption-enabled`.
    pub struct ElastiCacheEncryptedInTransit {
        id: "aws-elasticache-encrypted-in-transit",
        title: "ElastiCache caches require TLS in transit",
        severity: High,
        provider: Aws,
        kinds: [AwsElastiCacheReplicationGroup, AwsElastiCacheServerlessCache],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

impl Check for ElastiCacheEncryptedInTransit {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let groups = ctx.resources::<ElastiCacheReplicationGroup>().iter().map(|g| {
            let mode = g.transit_encryption_mode.as_deref();
            let b = match (g.transit_encryption, mode) {
                (Some(true), Some(m)) if m.eq_ignore_ascii_case("preferred") => ctx.fail(&g.resource).reason(
                    "In-transit encryption is in mode preferred: plaintext clients are still accepted.",
                ),
                (Some(true), _) => ctx.pass(&g.resource).reason("In-transit encryption is enabled and required."),
                (Some(false), _) => ctx.fail(&g.resource).reason("In-transit encryption is disabled: clients connect in plaintext."),
                (None, _) => ctx.error(&g.resource).reason("DescribeReplicationGroups did not report in-transit encryption."),
            };
            b.evidence("serverless", false)
                .evidence("transit_encryption", g.transit_encryption)
                .evidence("transit_encryption_mode", mode)
                .evidence("engine", &g.engine)
                .build()
        });
        let serverless = ctx.resources::<ElastiCacheServerlessCache>().iter().map(|c| {
            ctx.pass(&c.resource)
                .evidence("serverless", true)
                .evidence("engine", &c.engine)
                .reason("Serverless caches accept TLS connections only.")
                .build()
        });
        groups.chain(serverless).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{elasticache_replication_group, elasticache_serverless_cache};
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn required_passes_preferred_and_off_fail() {
        let mut preferred = elasticache_replication_group("preferred");
        preferred.transit_encryption_mode = Some("preferred".into());
        let mut off = elasticache_replication_group("off");
        off.transit_encryption = Some(false);
        off.transit_encryption_mode = None;
        let mut old_api = elasticache_replication_group("no-mode");
        old_api.transit_encryption_mode = None;
        let mut inv = Inventory::new();
        inv.aws_elasticache_replication_groups =
            vec![elasticache_replication_group("tls"), preferred, off, old_api];
        inv.aws_elasticache_serverless_caches = vec![elasticache_serverless_cache("sls")];
        let f = run(&ElastiCacheEncryptedInTransit, &inv);
        assert_eq!(f.status_of("tls"), Status::Pass);
        assert_eq!(f.status_of("preferred"), Status::Fail);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert_eq!(f.status_of("no-mode"), Status::Pass);
        assert_eq!(f.status_of("sls"), Status::Pass);
    }
}
