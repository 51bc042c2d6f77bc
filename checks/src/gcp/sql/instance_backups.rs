use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::SqlInstance;

declare_check! {
    /// ## What it checks
    /// Every Cloud SQL instance has automated backups enabled
    /// (`settings.backupConfiguration.enabled`). Point-in-time recovery and the newest
    /// successful backup are recorded as evidence but do not decide the verdict; the age of
    /// the newest backup is evidence only (null when it was not collected).
    ///
    /// ## Why it matters
    /// Janus HCP's data management policy promises "daily snapshot backups of all systems
    /// that process, store, or transmit ePHI" and retrievable exact copies of ePHI. An
    /// instance without automated backups has no copy to restore after corruption, deletion
    /// or a regional outage (data backup plan, 45 CFR 164.308(a)(7)(ii)(A); disaster recovery
    /// plan, 164.308(a)(7)(ii)(B)).
    ///
    /// ## Evidence
    /// `backup_enabled`, `point_in_time_recovery`, `last_successful_backup`,
    /// `last_backup_age_hours` (measured against the scan clock) and `database_version`.
    ///
    /// ## Remediation
    /// `gcloud sql instances patch <instance> --backup-start-time=03:00` turns automated
    /// daily backups on; add `--enable-point-in-time-recovery` (PostgreSQL, SQL Server) or
    /// `--enable-bin-log` (MySQL) for point-in-time recovery, and
    /// `--retained-backups-count=<n>` to keep enough days. Test a restore to a clone.
    pub struct SqlInstanceBackups {
        id: "gcp-sql-instance-backups",
        title: "Cloud SQL instances have automated backups enabled",
        severity: High,
        provider: Gcp,
        kinds: [GcpSqlInstance],
        controls: [DataBackupPlan, DisasterRecoveryPlan],
    }
}

impl Check for SqlInstanceBackups {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SqlInstance>()
            .iter()
            .map(|i| {
                let age_hours = i.last_successful_backup.map(|t| (ctx.now - t).num_hours());
                let pitr = match i.point_in_time_recovery {
                    Some(true) => "point-in-time recovery is on",
                    Some(false) => "point-in-time recovery is off",
                    None => "point-in-time recovery was not reported",
                };
                let last = match (i.last_successful_backup, age_hours) {
                    (Some(t), Some(h)) => format!(
                        "the newest successful backup is from {} ({h} h ago)",
                        t.to_rfc3339()
                    ),
                    _ => "no successful backup was reported".to_string(),
                };
                let reason = if i.backup_enabled {
                    format!("Automated backups are enabled; {pitr} and {last}.")
                } else {
                    format!("Automated backups are disabled; {pitr} and {last}.")
                };
                ctx.verdict(i.backup_enabled, &i.resource)
                    .evidence("backup_enabled", i.backup_enabled)
                    .evidence("point_in_time_recovery", i.point_in_time_recovery)
                    .evidence("last_successful_backup", i.last_successful_backup)
                    .evidence("last_backup_age_hours", age_hours)
                    .evidence("database_version", &i.database_version)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::sql_instance;
    use crate::testing::{now, run};
    use chrono::Duration;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut with_pitr = sql_instance("backed-up");
        with_pitr.last_successful_backup = Some(now() - Duration::hours(6));
        let mut none = sql_instance("no-backups");
        none.backup_enabled = false;
        none.point_in_time_recovery = Some(false);
        let mut unreported = sql_instance("backups-no-pitr-info");
        unreported.point_in_time_recovery = None;
        let mut inv = Inventory::new();
        inv.gcp_sql_instances = vec![with_pitr, none, unreported];
        let f = run(&SqlInstanceBackups, &inv);
        assert_eq!(f.status_of("backed-up"), Status::Pass);
        assert_eq!(f.evidence_of("backed-up", "point_in_time_recovery"), true);
        assert_eq!(f.evidence_of("backed-up", "last_backup_age_hours"), 6);
        assert_eq!(f.status_of("no-backups"), Status::Fail);
        assert!(f.of("no-backups").reason.contains("disabled"));
        assert_eq!(f.status_of("backups-no-pitr-info"), Status::Pass);
        assert_eq!(
            f.evidence_of("backups-no-pitr-info", "last_successful_backup"),
            serde_json::Value::Null
        );
        assert!(f.of("backups-no-pitr-info").reason.contains("not reported"));
    }
}
