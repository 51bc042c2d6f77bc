use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::EfsFileSystem;
use phiscan_core::ResourceKind;

use crate::aws::backup::{recent_backup, RecoveryPoints};

declare_check! {
    /// ## What it checks
    /// Every EFS file system has a `COMPLETED` AWS Backup recovery point no older than
    /// `params.max_backup_age_hours` (24 by default), measured against the scan clock, in
    /// any region of the account. EFS has no snapshots of its own: its automatic backups
    /// are AWS Backup recovery points too (in `aws/efs/automatic-backup-vault`).
    ///
    /// The rule is the one of the other recent-backup checks (one shared function): a file
    /// system without a recovery point FAILs; if the recovery points of its region could
    /// not be collected and no recent backup was seen, the verdict is ERROR, not FAIL.
    ///
    /// ## Why it matters
    /// Shared file systems hold scanned records, exports and attachments. Without a recent
    /// backup, a deleted directory or a ransomware encryption of the share loses everything
    /// since the last copy (data backup plan, 45 CFR 164.308(a)(7)(ii)(A); disaster
    /// recovery plan, 164.308(a)(7)(ii)(B)).
    ///
    /// ## Evidence
    /// `newest_backup`, `newest_backup_source`, `backup_age_hours`, `max_backup_age_hours`
    /// and `life_cycle_state`.
    ///
    /// ## Remediation
    /// Turn on automatic backups (`aws efs put-backup-policy --file-system-id <fs>
    /// --backup-policy Status=ENABLED`) or add the file system to a daily AWS Backup plan,
    /// then check its jobs: `aws backup list-backup-jobs --by-resource-arn <fs-arn>`.
    pub struct EfsRecentBackup {
        id: "aws-efs-recent-backup",
        title: "EFS file systems have a recovery point from the last 24 hours",
        severity: High,
        provider: Aws,
        kinds: [AwsEfsFileSystem, AwsBackupRecoveryPoint],
        controls: [DataBackupPlan, DisasterRecoveryPlan],
    }
}

const SOURCES: [ResourceKind; 1] = [ResourceKind::AwsBackupRecoveryPoint];

impl Check for EfsRecentBackup {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let points = RecoveryPoints::of(ctx);
        ctx.resources::<EfsFileSystem>()
            .iter()
            .map(|fs| {
                let r = &fs.resource;
                recent_backup(ctx, &points,
                    r,
                    None,
                    std::slice::from_ref(&r.id),
                    &SOURCES,
                    "No completed recovery point of the file system was found (EFS automatic backups are off and no backup plan covers it).",
                )
                .evidence("life_cycle_state", &fs.life_cycle_state)
                .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{backup_recovery_point, efs_file_system};
    use crate::testing::{run, run_with};
    use crate::testing::aws_list_error;
    use phiscan_core::{Config, Inventory, Status};

    fn inventory() -> Inventory {
        let mut inv = Inventory::new();
        inv.aws_efs_file_systems = ["fs-daily", "fs-stale", "fs-none"]
            .iter()
            .map(|id| efs_file_system(id))
            .collect();
        let mut expired = backup_recovery_point("rp-expired", "fs-none", 1);
        expired.status = Some("EXPIRED".into());
        inv.aws_backup_recovery_points = vec![
            backup_recovery_point("rp-daily", "fs-daily", 4),
            backup_recovery_point("rp-stale", "fs-stale", 49),
            expired,
        ];
        inv
    }

    #[test]
    fn only_a_recent_completed_recovery_point_passes() {
        let f = run(&EfsRecentBackup, &inventory());
        assert_eq!(f.status_of("fs-daily"), Status::Pass);
        assert_eq!(f.evidence_of("fs-daily", "newest_backup_source"), "rp-daily");
        assert_eq!(f.status_of("fs-stale"), Status::Fail);
        assert!(f.of("fs-stale").reason.contains("49 h"));
        assert_eq!(f.status_of("fs-none"), Status::Fail);
        assert!(f.of("fs-none").reason.contains("No completed recovery point"));

        let mut config = Config::default();
        config.params.max_backup_age_hours = 72;
        let f = run_with(&EfsRecentBackup, &inventory(), &config);
        assert_eq!(f.status_of("fs-stale"), Status::Pass);
    }

    #[test]
    fn missing_recovery_points_make_error_not_fail() {
        let mut inv = inventory();
        inv.errors.push(aws_list_error(ResourceKind::AwsBackupRecoveryPoint, "not implemented by the endpoint (backup:ListRecoveryPointsByBackupVault)"));
        let f = run(&EfsRecentBackup, &inv);
        assert!(f.0.iter().all(|x| x.status == Status::Error), "{:#?}", f.0);
    }
}
