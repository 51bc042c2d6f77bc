use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{RdsCluster, RdsClusterSnapshot};
use phiscan_core::ResourceKind;

use crate::aws::backup::{recent_backup, RecoveryPoints};
use crate::index::greatest_by;

declare_check! {
    /// ## What it checks
    /// Every RDS DB cluster (Aurora, Multi-AZ DB cluster) has a backup no older than
    /// `params.max_backup_age_hours` (24 by default), measured against the scan clock: the
    /// newest of
    /// - an `available` DB cluster snapshot of the cluster (DescribeDBClusterSnapshots: the
    ///   daily automated snapshot, a manual one, or one AWS Backup made), and
    /// - a `COMPLETED` AWS Backup recovery point of the cluster, in any region of the account.
    ///
    /// The rule is the one of `aws-rds-instance-recent-backup` and
    /// `aws-ebs-volume-recent-backup` (one shared function): a cluster without either
    /// FAILs; if the cluster snapshots or recovery points of its region could not be
    /// collected and no recent backup was seen, the verdict is ERROR, not FAIL. The member
    /// instances of a cluster are NOT_APPLICABLE in the instance check: this check judges
    /// their data.
    ///
    /// ## Why it matters
    /// The policies promise "daily snapshot backups" of every database holding ePHI. An
    /// Aurora cluster whose newest snapshot is days old loses days of records when its
    /// storage is damaged or a table is dropped (data backup plan, 45 CFR
    /// 164.308(a)(7)(ii)(A); disaster recovery plan, 164.308(a)(7)(ii)(B)).
    ///
    /// ## Evidence
    /// `newest_backup`, `newest_backup_source`, `backup_age_hours`, `max_backup_age_hours`,
    /// `engine` and `backup_retention_days`.
    ///
    /// ## Remediation
    /// Keep automated backups on (`aws rds modify-db-cluster --db-cluster-identifier <c>
    /// --backup-retention-period 7 --apply-immediately`) or add the cluster to a daily AWS
    /// Backup plan; take a snapshot now (`aws rds create-db-cluster-snapshot`) and read the
    /// cluster's events (`aws rds describe-events --source-type db-cluster
    /// --source-identifier <c>`) for failed backups.
    pub struct RdsClusterRecentBackup {
        id: "aws-rds-cluster-recent-backup",
        title: "RDS clusters have a snapshot or recovery point from the last 24 hours",
        severity: High,
        provider: Aws,
        kinds: [AwsRdsCluster, AwsRdsClusterSnapshot, AwsBackupRecoveryPoint],
        controls: [DataBackupPlan, DisasterRecoveryPlan],
    }
}

const SOURCES: [ResourceKind; 2] = [
    ResourceKind::AwsRdsClusterSnapshot,
    ResourceKind::AwsBackupRecoveryPoint,
];

impl Check for RdsClusterRecentBackup {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let points = RecoveryPoints::of(ctx);
        // The newest available snapshot of each (account, region, identifier), looked up
        // per database rather than scanned for each.
        let newest = greatest_by(ctx.resources::<RdsClusterSnapshot>(), |s| {
            let ident = s.db_cluster_identifier.as_deref().filter(|_| s.status.as_deref() == Some("available"))?;
            let key = (s.resource.account.as_str(), s.resource.region.as_str(), ident);
            Some((key, (s.create_time?, s.resource.id.as_str())))
        });
        ctx.resources::<RdsCluster>()
            .iter()
            .map(|c| {
                let r = &c.resource;
                // arn:aws:rds:<region>:<account>:cluster:<identifier>
                let ident = r.id.rsplit(':').next().unwrap_or(&r.id);
                let snapshot = newest
                    .get(&(r.account.as_str(), r.region.as_str(), ident))
                    .copied();
                recent_backup(ctx, &points,
                    r,
                    snapshot,
                    std::slice::from_ref(&r.id),
                    &SOURCES,
                    "No available cluster snapshot or recovery point of the cluster was found.",
                )
                .evidence("engine", &c.engine)
                .evidence("backup_retention_days", c.backup_retention_days)
                .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{backup_recovery_point, rds_cluster};
    use crate::testing::aws_edges::rds_cluster_snapshot;
    use crate::testing::run;
    use crate::testing::aws_list_error;
    use phiscan_core::{Inventory, Status};

    const ARN: &str = "arn:aws:rds:us-east-1:111122223333:cluster:";

    fn inventory() -> Inventory {
        let mut creating = rds_cluster_snapshot("busy-now", "busy", 1);
        creating.status = Some("creating".into());
        let mut inv = Inventory::new();
        inv.aws_rds_clusters = ["fresh", "stale", "busy", "rp", "none"]
            .iter()
            .map(|n| rds_cluster(&format!("{ARN}{n}")))
            .collect();
        inv.aws_rds_cluster_snapshots = vec![
            rds_cluster_snapshot("rds:fresh-daily", "fresh", 3),
            rds_cluster_snapshot("rds:fresh-old", "fresh", 30),
            rds_cluster_snapshot("rds:stale-daily", "stale", 26),
            creating,
        ];
        let mut rp = backup_recovery_point("rp-cluster", &format!("{ARN}rp"), 20);
        rp.resource_type = Some("Aurora".into());
        inv.aws_backup_recovery_points = vec![rp];
        inv
    }

    #[test]
    fn newest_cluster_snapshot_or_recovery_point_decides() {
        let f = run(&RdsClusterRecentBackup, &inventory());
        let id = |n: &str| format!("{ARN}{n}");
        assert_eq!(f.status_of(&id("fresh")), Status::Pass);
        assert_eq!(
            f.evidence_of(&id("fresh"), "newest_backup_source"),
            "rds:fresh-daily"
        );
        assert_eq!(f.status_of(&id("stale")), Status::Fail);
        assert!(f.of(&id("stale")).reason.contains("26 h"));
        assert_eq!(f.status_of(&id("busy")), Status::Fail);
        assert_eq!(f.status_of(&id("rp")), Status::Pass);
        assert_eq!(f.evidence_of(&id("rp"), "backup_age_hours"), 20);
        assert_eq!(f.status_of(&id("none")), Status::Fail);
        assert!(f.of(&id("none")).reason.contains("No available cluster snapshot"));
    }

    #[test]
    fn missing_cluster_snapshots_make_error_not_fail() {
        let mut inv = inventory();
        inv.errors.push(aws_list_error(ResourceKind::AwsRdsClusterSnapshot, "AccessDenied (rds:DescribeDBClusterSnapshots)"));
        let f = run(&RdsClusterRecentBackup, &inv);
        assert!(f.0.iter().all(|x| x.status == Status::Error), "{:#?}", f.0);
    }
}
