use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;

use crate::common::backup_age;
use phiscan_core::model::gcp::SqlInstance;

declare_check! {
    /// ## What it checks
    /// Every Cloud SQL instance has a successful backup (the newest `SUCCESSFUL` run of
    /// `backupRuns.list`, automated or on-demand) no older than
    /// `params.max_backup_age_hours` (24 by default), measured against the scan clock. An
    /// instance with no successful backup reported FAILs: a missing backup is not evidence
    /// of a recent one. A backup time after the scan clock (clock skew) PASSes with age 0.
    ///
    /// `gcp-sql-instance-backups` checks that automated backups are configured; this check
    /// checks that they actually happen.
    ///
    /// ## Why it matters
    /// Janus HCP promises to "perform daily snapshot backups of all systems that process,
    /// store, or transmit ePHI". Backups that are enabled but failing (quota, maintenance,
    /// a broken instance) leave the newest restorable copy days old without anyone noticing
    /// (data backup plan, 45 CFR 164.308(a)(7)(ii)(A); disaster recovery plan,
    /// 164.308(a)(7)(ii)(B)).
    ///
    /// ## Evidence
    /// `last_successful_backup`, `last_backup_age_hours`, `max_backup_age_hours` and
    /// `backup_enabled`.
    ///
    /// ## Remediation
    /// Look at the failed runs with `gcloud sql backups list --instance=<instance>` and the
    /// instance's operations log; fix the cause (storage full, instance stopped, maintenance
    /// window overlap), then take one now with `gcloud sql backups create
    /// --instance=<instance>`. Turn automated backups on if they are off
    /// (`gcloud sql instances patch <instance> --backup-start-time=03:00`).
    pub struct SqlInstanceRecentBackup {
        id: "gcp-sql-instance-recent-backup",
        title: "Cloud SQL instances have a successful backup from the last 24 hours",
        severity: High,
        provider: Gcp,
        kinds: [GcpSqlInstance],
        controls: [DataBackupPlan, DisasterRecoveryPlan],
    }
}

impl Check for SqlInstanceRecentBackup {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let max_hours = ctx.config.params.max_backup_age_hours;
        ctx.resources::<SqlInstance>()
            .iter()
            .map(|i| {
                let age = i
                    .last_successful_backup
                    .map(|t| backup_age(t, ctx.now, max_hours));
                let builder = match (i.last_successful_backup, age) {
                    (Some(t), Some((h, true))) => ctx.pass(&i.resource).reason(format!(
                        "The newest successful backup is from {} ({h} h before the scan clock; at most {max_hours} h allowed).",
                        t.to_rfc3339()
                    )),
                    (Some(t), Some((h, false))) => ctx.fail(&i.resource).reason(format!(
                        "The newest successful backup is from {} ({h} h before the scan clock), older than the allowed {max_hours} h.",
                        t.to_rfc3339()
                    )),
                    _ => ctx.fail(&i.resource).reason(if i.backup_enabled {
                        "Automated backups are enabled, but no successful backup was reported."
                    } else {
                        "No successful backup was reported, and automated backups are disabled."
                    }),
                };
                builder
                    .evidence("last_successful_backup", i.last_successful_backup)
                    .evidence("last_backup_age_hours", age.map(|(h, _)| h))
                    .evidence("max_backup_age_hours", max_hours)
                    .evidence("backup_enabled", i.backup_enabled)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::sql_instance;
    use crate::testing::{now, run, run_with};
    use chrono::Duration;
    use phiscan_core::{Config, Inventory, Status};

    fn backed_up(id: &str, hours_ago: i64) -> SqlInstance {
        let mut i = sql_instance(id);
        i.last_successful_backup = Some(now() - Duration::hours(hours_ago));
        i
    }

    #[test]
    fn age_of_the_newest_success_decides() {
        let mut disabled = sql_instance("disabled-never");
        disabled.backup_enabled = false;
        let mut inv = Inventory::new();
        inv.gcp_sql_instances = vec![
            backed_up("fresh", 6),
            backed_up("edge", 24),
            backed_up("stale", 30),
            backed_up("future", -2),
            sql_instance("never"),
            disabled,
        ];
        let f = run(&SqlInstanceRecentBackup, &inv);
        assert_eq!(f.status_of("fresh"), Status::Pass);
        assert_eq!(f.evidence_of("fresh", "last_backup_age_hours"), 6);
        assert_eq!(f.status_of("edge"), Status::Pass);
        assert_eq!(f.status_of("stale"), Status::Fail);
        assert!(f.of("stale").reason.contains("30 h"));
        assert_eq!(f.status_of("future"), Status::Pass);
        assert_eq!(f.evidence_of("future", "last_backup_age_hours"), 0);
        assert_eq!(f.status_of("never"), Status::Fail);
        assert!(f
            .of("never")
            .reason
            .contains("enabled, but no successful backup"));
        assert_eq!(f.status_of("disabled-never"), Status::Fail);

        let mut config = Config::default();
        config.params.max_backup_age_hours = 48;
        let f = run_with(&SqlInstanceRecentBackup, &inv, &config);
        assert_eq!(f.status_of("stale"), Status::Pass);
    }
}
