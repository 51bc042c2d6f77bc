use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{ElastiCacheReplicationGroup, ElastiCacheServerlessCache};
use phiscan_core::ResourceRef;

declare_check! {
    /// ## What it checks
    /// Every ElastiCache replication group and serverless cache keeps automatic snapshots
    /// for at least `params.min_backup_retention_days` days (7 by default, the same
    /// threshold as the RDS retention check): `SnapshotRetentionLimit`, where 0 means no
    /// automatic snapshots. A cache whose answer does not say is an ERROR.
    ///
    /// ## Why it matters
    /// When a cache is the system of record for anything (session state, queues,
    /// pre-computed patient summaries), losing a node without a snapshot loses that data;
    /// the policies promise daily backups kept long enough to restore from (data backup
    /// plan, 45 CFR 164.308(a)(7)(ii)(A); disaster recovery plan, 164.308(a)(7)(ii)(B)).
    ///
    /// ## Evidence
    /// `snapshot_retention_limit`, `min_backup_retention_days` and `serverless`.
    ///
    /// ## Remediation
    /// `aws elasticache modify-replication-group --replication-group-id <id>
    /// --snapshot-retention-limit 7 --apply-immediately` (serverless:
    /// `aws elasticache modify-serverless-cache --serverless-cache-name <name>
    /// --snapshot-retention-limit 7`).
    pub struct ElastiCacheBackupRetention {
        id: "aws-elasticache-backup-retention",
        title: "ElastiCache caches keep automatic snapshots long enough",
        severity: Medium,
        provider: Aws,
        kinds: [AwsElastiCacheReplicationGroup, AwsElastiCacheServerlessCache],
        controls: [DataBackupPlan, DisasterRecoveryPlan],
    }
}

fn judge(ctx: &Ctx, r: &ResourceRef, days: Option<i32>, serverless: bool) -> Result<Finding, FindingError> {
    let min = ctx.config.params.min_backup_retention_days;
    let b = match days {
        Some(0) => ctx.fail(r).reason("Automatic snapshots are off (retention 0)."),
        Some(d) if d >= min => ctx.pass(r).reason(format!("Automatic snapshots are kept {d} days (at least {min}).")),
        Some(d) => ctx.fail(r).reason(format!("Automatic snapshots are kept {d} days, fewer than {min}.")),
        None => ctx.error(r).reason("The API did not report a snapshot retention limit."),
    };
    b.evidence("snapshot_retention_limit", days)
        .evidence("min_backup_retention_days", min)
        .evidence("serverless", serverless)
        .build()
}

impl Check for ElastiCacheBackupRetention {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let groups = ctx
            .resources::<ElastiCacheReplicationGroup>()
            .iter()
            .map(|g| judge(ctx, &g.resource, g.snapshot_retention_limit, false));
        let serverless = ctx
            .resources::<ElastiCacheServerlessCache>()
            .iter()
            .map(|c| judge(ctx, &c.resource, c.snapshot_retention_limit, true));
        groups.chain(serverless).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{elasticache_replication_group, elasticache_serverless_cache};
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};

    #[test]
    fn retention_against_the_threshold() {
        let group = |id: &str, days: Option<i32>| {
            let mut g = elasticache_replication_group(id);
            g.snapshot_retention_limit = days;
            g
        };
        let mut short_sls = elasticache_serverless_cache("short-sls");
        short_sls.snapshot_retention_limit = Some(1);
        let mut inv = Inventory::new();
        inv.aws_elasticache_replication_groups =
            vec![group("week", Some(7)), group("off", Some(0)), group("three", Some(3)), group("unknown", None)];
        inv.aws_elasticache_serverless_caches = vec![elasticache_serverless_cache("sls"), short_sls];
        let f = run(&ElastiCacheBackupRetention, &inv);
        assert_eq!(f.status_of("week"), Status::Pass);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert_eq!(f.status_of("three"), Status::Fail);
        assert_eq!(f.status_of("unknown"), Status::Error);
        assert_eq!(f.status_of("sls"), Status::Pass);
        assert_eq!(f.status_of("short-sls"), Status::Fail);
        let mut lenient = Config::default();
        lenient.params.min_backup_retention_days = 3;
        assert_eq!(run_with(&ElastiCacheBackupRetention, &inv, &lenient).status_of("three"), Status::Pass);
    }
}
