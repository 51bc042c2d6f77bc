use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::SpannerDatabase;

declare_check! {
    /// ## What it checks
    /// Every Cloud Spanner database has a READY backup (on demand, or produced by a backup
    /// schedule) whose data is no older than `params.max_backup_age_hours` (24 by default),
    /// measured against the scan clock. The backups come from the instance's
    /// `backups.list`; a backup's age is that of its `versionTime` (the moment its data
    /// was captured), else its `createTime`. A database with no backup FAILs: a schedule
    /// alone is not evidence that it produced anything.
    ///
    /// ## Why it matters
    /// Janus HCP promises daily backups of every system that holds ePHI. Without a recent
    /// restorable copy, a bad migration or a deleted table loses patient data (data backup
    /// plan, 45 CFR 164.308(a)(7)(ii)(A); disaster recovery plan, 164.308(a)(7)(ii)(B)).
    ///
    /// ## Evidence
    /// `latest_backup`, `latest_backup_time`, `latest_backup_age_hours`, `backup_schedules`
    /// (the schedules that produced it) and `max_backup_age_hours`.
    ///
    /// ## Remediation
    /// Create a daily schedule: `gcloud spanner backup-schedules create <name>
    /// --instance=<i> --database=<db> --cron="0 2 * * *" --retention-duration=7d
    /// --backup-type=full-backup`, or take one now with `gcloud spanner backups create`.
    pub struct SpannerBackupRecent {
        id: "gcp-spanner-backup-recent",
        title: "Spanner databases have a backup from the last 24 hours",
        severity: High,
        provider: Gcp,
        kinds: [GcpSpannerDatabase],
        controls: [DataBackupPlan, DisasterRecoveryPlan],
    }
}

impl Check for SpannerBackupRecent {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let max_hours = ctx.config.params.max_backup_age_hours;
        ctx.resources::<SpannerDatabase>()
            .iter()
            .map(|d| {
                let b = d.latest_backup.as_ref();
                let age = b.map(|b| (ctx.now - b.taken_at).num_hours().max(0));
                let (ok, reason) = match (b, age) {
                    (Some(b), Some(h)) if h <= max_hours => (true, format!(
                        "The newest backup, {}, holds data from {} ({h} h before the scan clock; at most {max_hours} h allowed).",
                        b.name, b.taken_at.to_rfc3339()
                    )),
                    (Some(b), Some(h)) => (false, format!(
                        "The newest backup, {}, holds data from {} ({h} h before the scan clock), older than the allowed {max_hours} h.",
                        b.name, b.taken_at.to_rfc3339()
                    )),
                    _ => (false, "The instance lists no READY backup of this database.".to_string()),
                };
                ctx.verdict(ok, &d.resource)
                    .evidence("latest_backup", b.map(|b| &b.name))
                    .evidence("latest_backup_time", b.map(|b| b.taken_at))
                    .evidence("latest_backup_age_hours", age)
                    .evidence("backup_schedules", b.map(|b| &b.schedules))
                    .evidence("max_backup_age_hours", max_hours)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp_stores::spanner_database;
    use crate::testing::{now, run, run_with};
    use chrono::Duration;
    use phiscan_core::{Config, Inventory, Status};

    fn aged(id: &str, hours: i64) -> SpannerDatabase {
        let mut d = spanner_database(id);
        if let Some(b) = d.latest_backup.as_mut() {
            b.taken_at = now() - Duration::hours(hours);
        }
        d
    }

    #[test]
    fn the_newest_backup_must_be_recent() {
        let mut never = spanner_database("never");
        never.latest_backup = None;
        let mut inv = Inventory::new();
        inv.gcp_spanner_databases = vec![aged("fresh", 6), aged("edge", 24), aged("stale", 30), never];
        let f = run(&SpannerBackupRecent, &inv);
        assert_eq!(f.status_of("fresh"), Status::Pass);
        assert_eq!(f.evidence_of("fresh", "latest_backup_age_hours"), 6);
        assert_eq!(f.evidence_of("fresh", "backup_schedules"), serde_json::json!(["daily"]));
        assert_eq!(f.status_of("edge"), Status::Pass);
        assert_eq!(f.status_of("stale"), Status::Fail);
        assert!(f.of("stale").reason.contains("30 h"));
        assert_eq!(f.status_of("never"), Status::Fail);

        let mut config = Config::default();
        config.params.max_backup_age_hours = 48;
        assert_eq!(run_with(&SpannerBackupRecent, &inv, &config).status_of("stale"), Status::Pass);
    }
}
