use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::FirestoreDatabase;
use serde_json::json;

declare_check! {
    /// ## What it checks
    /// Every Firestore database has a backup schedule that runs daily
    /// (`dailyRecurrence`). A database with only a weekly schedule, or none, FAILs.
    /// Firestore backups are taken by schedules only (there is no on-demand backup), so a
    /// daily schedule is what makes a daily backup.
    ///
    /// ## Why it matters
    /// Janus HCP promises daily backups of every system holding ePHI (data backup plan,
    /// 45 CFR 164.308(a)(7)(ii)(A)). Point-in-time recovery reaches back 7 days at most and
    /// disappears with the database; a scheduled backup outlives both.
    ///
    /// ## Evidence
    /// `backup_schedules` (name, recurrence, retention seconds of each).
    ///
    /// ## Remediation
    /// `gcloud firestore backups schedules create --database=<db> --recurrence=daily
    /// --retention=7d`.
    pub struct FirestoreBackupSchedule {
        id: "gcp-firestore-backup-schedule",
        title: "Firestore databases have a daily backup schedule",
        severity: High,
        provider: Gcp,
        kinds: [GcpFirestoreDatabase],
        controls: [DataBackupPlan, DisasterRecoveryPlan],
    }
}

impl Check for FirestoreBackupSchedule {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<FirestoreDatabase>()
            .iter()
            .map(|d| {
                let daily = d.backup_schedules.iter().find(|s| s.recurrence == "daily");
                let reason = match (daily, d.backup_schedules.is_empty()) {
                    (Some(s), _) => format!("Backup schedule {} runs daily.", s.name),
                    (None, true) => "The database has no backup schedule.".to_string(),
                    (None, false) => "The database's backup schedules run weekly, not daily.".to_string(),
                };
                let schedules: Vec<serde_json::Value> = d
                    .backup_schedules
                    .iter()
                    .map(|s| json!({"name": s.name, "recurrence": s.recurrence, "retention_seconds": s.retention_seconds}))
                    .collect();
                ctx.verdict(daily.is_some(), &d.resource)
                    .evidence("backup_schedules", schedules)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp_stores::firestore_database;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn a_daily_schedule_is_needed() {
        let mut none = firestore_database("none");
        none.backup_schedules.clear();
        let mut weekly = firestore_database("weekly");
        weekly.backup_schedules[0].recurrence = "weekly".into();
        let mut inv = Inventory::new();
        inv.gcp_firestore_databases = vec![firestore_database("daily"), none, weekly];
        let f = run(&FirestoreBackupSchedule, &inv);
        assert_eq!(f.status_of("daily"), Status::Pass);
        assert_eq!(f.evidence_of("daily", "backup_schedules")[0]["recurrence"], "daily");
        assert_eq!(f.status_of("none"), Status::Fail);
        assert_eq!(f.status_of("weekly"), Status::Fail);
        assert!(f.of("weekly").reason.contains("weekly"));
    }
}
