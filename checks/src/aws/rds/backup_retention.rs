use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::RdsInstance;

declare_check! {
    /// ## What it checks
    /// Every RDS DB instance keeps automated backups for at least
    /// `params.min_backup_retention_days` days (7 by default). A retention of 0 means
    /// automated backups, and point-in-time recovery, are disabled.
    ///
    /// ## Why it matters
    /// The policies promise daily backups of ePHI that can be restored. Automated backups
    /// give daily snapshots plus transaction logs, so a database can be restored to any
    /// second in the window after corruption, deletion or ransomware (data backup plan,
    /// 45 CFR 164.308(a)(7)(ii)(A); disaster recovery plan, 164.308(a)(7)(ii)(B)).
    ///
    /// ## Evidence
    /// `backup_retention_days`, `min_backup_retention_days` and `engine`.
    ///
    /// ## Remediation
    /// `aws rds modify-db-instance --db-instance-identifier <db> --backup-retention-period
    /// <days> --apply-immediately` (1 to 35 days). For longer retention, add an AWS Backup
    /// plan with a vault lock.
    pub struct RdsInstanceBackupRetention {
        id: "aws-rds-instance-backup-retention",
        title: "RDS instances keep automated backups long enough",
        severity: High,
        provider: Aws,
        kinds: [AwsRdsInstance],
        controls: [DataBackupPlan, DisasterRecoveryPlan],
    }
}

impl Check for RdsInstanceBackupRetention {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let min = ctx.config.params.min_backup_retention_days;
        ctx.resources::<RdsInstance>()
            .iter()
            .map(|db| {
                let days = db.backup_retention_days;
                let ok = days > 0 && days >= min;
                let reason = if days <= 0 {
                    "Automated backups are disabled (retention 0 days): the database cannot be restored to a point in time.".to_string()
                } else if ok {
                    format!("Automated backups are kept for {days} days (minimum {min}).")
                } else {
                    format!("Automated backups are kept for only {days} days, below the minimum of {min}.")
                };
                ctx.verdict(ok, &db.resource)
                    .evidence("backup_retention_days", days)
                    .evidence("min_backup_retention_days", min)
                    .evidence("engine", &db.engine)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::rds_instance;
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};

    fn with_retention(id: &str, days: i32) -> RdsInstance {
        let mut db = rds_instance(id);
        db.backup_retention_days = days;
        db
    }

    #[test]
    fn retention_against_the_minimum() {
        let mut inv = Inventory::new();
        inv.aws_rds_instances = vec![
            with_retention("d7", 7),
            with_retention("d3", 3),
            with_retention("d0", 0),
        ];
        let f = run(&RdsInstanceBackupRetention, &inv);
        assert_eq!(f.status_of("d7"), Status::Pass);
        assert_eq!(f.status_of("d3"), Status::Fail);
        assert_eq!(f.status_of("d0"), Status::Fail);
        assert!(f.of("d0").reason.contains("disabled"));
    }

    #[test]
    fn minimum_comes_from_params_and_zero_never_passes() {
        let mut config = Config::default();
        config.params.min_backup_retention_days = 0;
        let mut inv = Inventory::new();
        inv.aws_rds_instances = vec![with_retention("d3", 3), with_retention("d0", 0)];
        let f = run_with(&RdsInstanceBackupRetention, &inv, &config);
        assert_eq!(f.status_of("d3"), Status::Pass);
        assert_eq!(f.status_of("d0"), Status::Fail);
    }
}
