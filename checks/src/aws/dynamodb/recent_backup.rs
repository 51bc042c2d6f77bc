use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::DynamoDbTable;
use phiscan_core::ResourceKind;

use crate::aws::backup::{recent_backup, RecoveryPoints};

declare_check! {
    /// ## What it checks
    /// Every DynamoDB table can be restored to a moment no older than
    /// `params.max_backup_age_hours` (24 by default) before the scan clock: the newest of
    /// - point-in-time recovery's `LatestRestorableDateTime` (DescribeContinuousBackups;
    ///   only while PITR is `ENABLED`, when it trails the present by minutes), and
    /// - a `COMPLETED` AWS Backup recovery point of the table, in any region of the account.
    ///
    /// The rule is the one of the other recent-backup checks (one shared function): a table
    /// with neither FAILs; if the recovery points of its region could not be collected and
    /// no recent backup was seen, the verdict is ERROR, not FAIL. `aws-dynamodb-pitr`
    /// checks the setting alone; this check accepts either kind of backup.
    ///
    /// ## Why it matters
    /// A table of appointments or claims overwritten by a faulty deployment is lost back to
    /// its newest restorable point (data backup plan, 45 CFR 164.308(a)(7)(ii)(A); disaster
    /// recovery plan, 164.308(a)(7)(ii)(B)).
    ///
    /// ## Evidence
    /// `newest_backup`, `newest_backup_source` (`point-in-time recovery` or the recovery
    /// point), `backup_age_hours`, `max_backup_age_hours` and `pitr_status`.
    ///
    /// ## Remediation
    /// `aws dynamodb update-continuous-backups --table-name <t>
    /// --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true`, or add the
    /// table to a daily AWS Backup plan.
    pub struct DynamoDbRecentBackup {
        id: "aws-dynamodb-recent-backup",
        title: "DynamoDB tables have point-in-time recovery or a recovery point from the last 24 hours",
        severity: High,
        provider: Aws,
        kinds: [AwsDynamoDbTable, AwsBackupRecoveryPoint],
        controls: [DataBackupPlan, DisasterRecoveryPlan],
    }
}

const SOURCES: [ResourceKind; 1] = [ResourceKind::AwsBackupRecoveryPoint];
const PITR: &str = "point-in-time recovery";

impl Check for DynamoDbRecentBackup {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let points = RecoveryPoints::of(ctx);
        ctx.resources::<DynamoDbTable>()
            .iter()
            .map(|t| {
                let r = &t.resource;
                let pitr = t
                    .pitr_latest_restorable
                    .filter(|_| t.pitr_status.as_deref() == Some("ENABLED"))
                    .map(|at| (at, PITR));
                recent_backup(ctx, &points,
                    r,
                    pitr,
                    std::slice::from_ref(&r.id),
                    &SOURCES,
                    "Point-in-time recovery is off and no completed recovery point of the table was found.",
                )
                .evidence("pitr_status", &t.pitr_status)
                .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{backup_recovery_point, dynamodb_table};
    use crate::testing::{now, run};
    use chrono::Duration;
    use phiscan_core::{Inventory, Status};

    fn table(id: &str, pitr: Option<i64>) -> DynamoDbTable {
        let mut t = dynamodb_table(id);
        t.pitr_status = Some(if pitr.is_some() { "ENABLED" } else { "DISABLED" }.into());
        t.pitr_latest_restorable = pitr.map(|h| now() - Duration::hours(h));
        t
    }

    #[test]
    fn pitr_or_a_recent_recovery_point_passes() {
        let mut inv = Inventory::new();
        let mut disabled_but_dated = table("pitr-off-stale-date", None);
        // A date left over from before PITR was turned off restores nothing.
        disabled_but_dated.pitr_latest_restorable = Some(now());
        inv.aws_dynamodb_tables = vec![
            table("pitr", Some(0)),
            table("rp", None),
            table("stale-rp", None),
            table("none", None),
            disabled_but_dated,
        ];
        inv.aws_backup_recovery_points = vec![
            backup_recovery_point("rp-1", "rp", 12),
            backup_recovery_point("rp-2", "stale-rp", 36),
        ];
        let f = run(&DynamoDbRecentBackup, &inv);
        assert_eq!(f.status_of("pitr"), Status::Pass);
        assert_eq!(f.evidence_of("pitr", "newest_backup_source"), PITR);
        assert_eq!(f.status_of("rp"), Status::Pass);
        assert_eq!(f.evidence_of("rp", "newest_backup_source"), "rp-1");
        assert_eq!(f.status_of("stale-rp"), Status::Fail);
        assert!(f.of("stale-rp").reason.contains("36 h"));
        assert_eq!(f.status_of("none"), Status::Fail);
        assert!(f.of("none").reason.contains("Point-in-time recovery is off"));
        assert_eq!(f.status_of("pitr-off-stale-date"), Status::Fail);
    }
}
