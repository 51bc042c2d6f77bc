use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{ElastiCacheReplicationGroup, ElastiCacheServerlessCache};

declare_check! {
    /// ## What it checks
    /// Every ElastiCache (Redis OSS / Valkey) replication group has
    /// `AtRestEncryptionEnabled = true`; a group whose answer does not say is an ERROR.
    /// Serverless caches are always encrypted at rest by AWS and pass, with their key as
    /// evidence.
    ///
    /// ## Why it matters
    /// A cache holds copies of what the application reads most (sessions, patient lookups)
    /// and writes them to disk for snapshots, swap and replication. The policies promise
    /// that data at rest is encrypted (encryption and decryption,
    /// 45 CFR 164.312(a)(2)(iv)).
    ///
    /// ## Evidence
    /// `at_rest_encryption` (replication groups), `serverless`, `kms_key_id` and `engine`.
    ///
    /// ## Remediation
    /// At-rest encryption is chosen at creation: take a snapshot
    /// (`aws elasticache create-snapshot`), create a new replication group from it with
    /// `--at-rest-encryption-enabled` (and `--kms-key-id`), switch the application's
    /// endpoint, then delete the old group.
    pub struct ElastiCacheEncryptedAtRest {
        id: "aws-elasticache-encrypted-at-rest",
        title: "ElastiCache caches are encrypted at rest",
        severity: High,
        provider: Aws,
        kinds: [AwsElastiCacheReplicationGroup, AwsElastiCacheServerlessCache],
        controls: [EncryptionDecryption],
    }
}

impl Check for ElastiCacheEncryptedAtRest {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let groups = ctx.resources::<ElastiCacheReplicationGroup>().iter().map(|g| {
            let b = match g.at_rest_encryption {
                Some(true) => ctx.pass(&g.resource).reason("At-rest encryption is enabled."),
                Some(false) => ctx.fail(&g.resource).reason("At-rest encryption is disabled: snapshots, swap and replicated data are stored in plaintext."),
                None => ctx.error(&g.resource).reason("DescribeReplicationGroups did not report at-rest encryption."),
            };
            b.evidence("serverless", false)
                .evidence("at_rest_encryption", g.at_rest_encryption)
                .evidence("kms_key_id", &g.kms_key_id)
                .evidence("engine", &g.engine)
                .build()
        });
        let serverless = ctx.resources::<ElastiCacheServerlessCache>().iter().map(|c| {
            ctx.pass(&c.resource)
                .evidence("serverless", true)
                .evidence("kms_key_id", &c.kms_key_id)
                .evidence("engine", &c.engine)
                .reason("Serverless caches are always encrypted at rest.")
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
    fn disabled_fails_unknown_errors_serverless_passes() {
        let mut plain = elasticache_replication_group("plain");
        plain.at_rest_encryption = Some(false);
        let mut unknown = elasticache_replication_group("unknown");
        unknown.at_rest_encryption = None;
        let mut inv = Inventory::new();
        inv.aws_elasticache_replication_groups = vec![elasticache_replication_group("enc"), plain, unknown];
        inv.aws_elasticache_serverless_caches = vec![elasticache_serverless_cache("sls")];
        let f = run(&ElastiCacheEncryptedAtRest, &inv);
        assert_eq!(f.status_of("enc"), Status::Pass);
        assert_eq!(f.status_of("plain"), Status::Fail);
        assert_eq!(f.status_of("unknown"), Status::Error);
        assert_eq!(f.status_of("sls"), Status::Pass);
        assert_eq!(f.evidence_of("sls", "serverless"), true);
    }
}
