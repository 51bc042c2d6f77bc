use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{RdsInstance, RdsSnapshot};
use phiscan_core::ResourceKind;

use crate::aws::backup::{recent_backup, RecoveryPoints};
use crate::index::greatest_by;

declare_check! {
    /// ## What it checks
    /// Every RDS DB instance has a backup no older than `params.max_backup_age_hours` (24
    /// by default), measured against the scan clock: the newest of
    /// - an `available` DB snapshot of the instance (DescribeDBSnapshots: the daily
    ///   automated snapshot, a manual snapshot, or one AWS Backup made), and
    /// - a `COMPLETED` AWS Backup recovery point of the instance, in any region of the
    ///   account.
    ///
    /// An instance without either FAILs. An instance that belongs to a DB cluster (Aurora,
    /// Multi-AZ DB cluster) is NOT_APPLICABLE: its backups are cluster snapshots, which
    /// `aws-rds-cluster-recent-backup` judges, with the same rule. If the snapshots or recovery points of the instance's region
    /// could not be collected and no recent backup was seen, the verdict is ERROR, not FAIL.
    ///
    /// `aws-rds-instance-backup-retention` checks that automated backups are configured;
    /// this check checks that a backup actually exists.
    ///
    /// ## Why it matters
    /// The policies promise "daily snapshot backups" of every system holding ePHI. Backups
    /// that are configured but not happening (storage-full instances, a stopped instance,
    /// a backup plan that misses the database) leave the newest restorable copy days old
    /// (data backup plan, 45 CFR 164.308(a)(7)(ii)(A); disaster recovery plan,
    /// 164.308(a)(7)(ii)(B)).
    ///
    /// ## Evidence
    /// `newest_backup`, `newest_backup_source`, `backup_age_hours`, `max_backup_age_hours`
    /// and `backup_retention_days`.
    ///
    /// ## Remediation
    /// Turn automated backups on (`aws rds modify-db-instance --db-instance-identifier <db>
    /// --backup-retention-period 7 --apply-immediately`) or add the instance to a daily AWS
    /// Backup plan; take a snapshot now (`aws rds create-db-snapshot`) and look at the
    /// instance's events (`aws rds describe-events --source-identifier <db> --source-type
    /// db-instance`) for failed backups.
    pub struct RdsInstanceRecentBackup {
        id: "aws-rds-instance-recent-backup",
        title: "RDS instances have a snapshot or recovery point from the last 24 hours",
        severity: High,
        provider: Aws,
        kinds: [AwsRdsInstance, AwsRdsSnapshot, AwsBackupRecoveryPoint],
        controls: [DataBackupPlan, DisasterRecoveryPlan],
    }
}

const SOURCES: [ResourceKind; 2] = [
    ResourceKind::AwsRdsSnapshot,
    ResourceKind::AwsBackupRecoveryPoint,
];

impl Check for RdsInstanceRecentBackup {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let points = RecoveryPoints::of(ctx);
        // The newest available snapshot of each (account, region, identifier), looked up
        // per database rather than scanned for each.
        let newest = greatest_by(ctx.resources::<RdsSnapshot>(), |s| {
            let ident = s.db_instance_identifier.as_deref().filter(|_| s.status.as_deref() == Some("available"))?;
            let key = (s.resource.account.as_str(), s.resource.region.as_str(), ident);
            Some((key, (s.create_time?, s.resource.id.as_str())))
        });
        ctx.resources::<RdsInstance>()
            .iter()
            .map(|db| {
                let r = &db.resource;
                if let Some(c) = &db.db_cluster_identifier {
                    return ctx
                        .not_applicable(r)
                        .evidence("db_cluster_identifier", c)
                        .evidence("backup_retention_days", db.backup_retention_days)
                        .reason(format!("The instance belongs to DB cluster {c}: its backups are cluster snapshots, which this check does not read."))
                        .build();
                }
                // arn:aws:rds:<region>:<account>:db:<identifier>
                let ident = r.id.rsplit(':').next().unwrap_or(&r.id);
                let snapshot = newest
                    .get(&(r.account.as_str(), r.region.as_str(), ident))
                    .copied();
                let none = if db.backup_retention_days > 0 {
                    "Automated backups are configured, but no available snapshot or recovery point of the instance was found."
                } else {
                    "No available snapshot or recovery point of the instance was found, and automated backups are off."
                };
                recent_backup(ctx, &points, r, snapshot, std::slice::from_ref(&r.id), &SOURCES, none)
                    .evidence("backup_retention_days", db.backup_retention_days)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{backup_recovery_point, rds_instance, rds_snapshot};
    use crate::testing::run;
    use crate::testing::aws_list_error;
    use phiscan_core::{Inventory, Status};

    const ARN: &str = "arn:aws:rds:us-east-1:111122223333:db:";

    fn db(name: &str) -> RdsInstance {
        let mut d = rds_instance(&format!("{ARN}{name}"));
        d.resource.name = name.into();
        d
    }

    fn inventory() -> Inventory {
        let mut creating = rds_snapshot("creating", "busy", 1);
        creating.status = Some("creating".into());
        let mut member = db("member");
        member.db_cluster_identifier = Some("aurora-1".into());
        let mut off = db("off");
        off.backup_retention_days = 0;
        let mut inv = Inventory::new();
        inv.aws_rds_instances = vec![db("fresh"), db("stale"), db("busy"), db("rp"), member, off];
        inv.aws_rds_snapshots = vec![
            rds_snapshot("rds:fresh-daily", "fresh", 5),
            rds_snapshot("rds:stale-daily", "stale", 40),
            creating,
        ];
        let mut rp = backup_recovery_point("rp-db", &format!("{ARN}rp"), 3);
        rp.resource_type = Some("RDS".into());
        inv.aws_backup_recovery_points = vec![rp];
        inv
    }

    #[test]
    fn newest_snapshot_or_recovery_point_decides() {
        let f = run(&RdsInstanceRecentBackup, &inventory());
        let id = |n: &str| format!("{ARN}{n}");
        assert_eq!(f.status_of(&id("fresh")), Status::Pass);
        assert_eq!(f.evidence_of(&id("fresh"), "backup_age_hours"), 5);
        assert_eq!(f.status_of(&id("stale")), Status::Fail);
        assert!(f.of(&id("stale")).reason.contains("40 h"));
        assert_eq!(f.status_of(&id("busy")), Status::Fail);
        assert!(f
            .of(&id("busy"))
            .reason
            .contains("configured, but no available snapshot"));
        assert_eq!(f.status_of(&id("rp")), Status::Pass);
        assert_eq!(f.evidence_of(&id("rp"), "newest_backup_source"), "rp-db");
        assert_eq!(f.status_of(&id("member")), Status::NotApplicable);
        assert_eq!(f.status_of(&id("off")), Status::Fail);
        assert!(f
            .of(&id("off"))
            .reason
            .contains("automated backups are off"));
    }

    #[test]
    fn missing_snapshots_make_error_not_fail() {
        let mut inv = inventory();
        inv.errors.push(aws_list_error(ResourceKind::AwsRdsSnapshot, "AccessDenied (rds:DescribeDBSnapshots)"));
        let f = run(&RdsInstanceRecentBackup, &inv);
        assert!(f.0.iter().all(|x| x.status == Status::Error), "{:#?}", f.0);
    }
}
