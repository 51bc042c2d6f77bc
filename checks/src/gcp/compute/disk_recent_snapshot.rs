use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::{ComputeDisk, ComputeSnapshot};

use super::disk_snapshots::{newest_ready, resource_path};
use crate::gcp::shared::CLASSIFICATION_LABEL;

declare_check! {
    /// ## What it checks
    /// Every persistent disk that holds (or may hold) protected data has a READY snapshot
    /// taken no more than `params.max_backup_age_hours` (24 by default) before the scan
    /// clock. Which disks: those labelled `data-classification=protected`, and every disk
    /// without a `data-classification` label (an unclassified disk may hold ePHI, such as
    /// the PostgreSQL, Elasticsearch and CockroachDB volumes of Janus HCP's VMs). A disk
    /// with another classification is NOT_APPLICABLE. Snapshots are matched to disks by
    /// `sourceDisk`; the snapshot schedules attached to the disk (`resourcePolicies`) are
    /// evidence, not proof: only a snapshot shows that a schedule ran.
    ///
    /// ## Why it matters
    /// Janus HCP promises "daily snapshot backups of all systems that process, store, or
    /// transmit ePHI". The stores it runs on VMs have no managed backup of their own: a
    /// disk snapshot is the backup (data backup plan, 45 CFR 164.308(a)(7)(ii)(A);
    /// disaster recovery plan, 164.308(a)(7)(ii)(B)).
    ///
    /// ## Evidence
    /// `latest_snapshot`, `latest_snapshot_time`, `latest_snapshot_age_hours`,
    /// `snapshot_schedules`, `data_classification` and `max_backup_age_hours`.
    ///
    /// ## Remediation
    /// Attach a daily snapshot schedule: `gcloud compute resource-policies create
    /// snapshot-schedule daily-backup --region=<r> --daily-schedule --start-time=02:00
    /// --max-retention-days=14`, then `gcloud compute disks add-resource-policies <disk>
    /// --resource-policies=daily-backup --zone=<z>`; check its snapshots appear.
    pub struct DiskRecentSnapshot {
        id: "gcp-compute-disk-recent-snapshot",
        title: "Disks holding protected data have a snapshot from the last 24 hours",
        severity: High,
        provider: Gcp,
        kinds: [GcpComputeDisk, GcpComputeSnapshot],
        controls: [DataBackupPlan, DisasterRecoveryPlan],
    }
}


impl Check for DiskRecentSnapshot {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let max_hours = ctx.config.params.max_backup_age_hours;
        let newest_of = newest_ready(ctx.resources::<ComputeSnapshot>());
        ctx.resources::<ComputeDisk>()
            .iter()
            .map(|d| {
                let class = d.resource.tags.get(CLASSIFICATION_LABEL);
                let demanded = class.is_none_or(|c| c.trim().eq_ignore_ascii_case("protected"));
                let path = resource_path(&d.resource.id);
                let newest: Option<&ComputeSnapshot> = path.and_then(|p| newest_of.get(p).copied());
                let taken = newest.and_then(|s| s.created_at);
                let age = taken.map(|t| (ctx.now - t).num_hours().max(0));
                let builder = match (demanded, newest, age) {
                    (false, _, _) => ctx.not_applicable(&d.resource).reason(format!(
                        "The disk is classified {}: only protected or unclassified disks must have recent snapshots.",
                        class.map(String::as_str).unwrap_or_default()
                    )),
                    (true, Some(s), Some(h)) if h <= max_hours => ctx.pass(&d.resource).reason(format!(
                        "Snapshot {} was taken {h} h before the scan clock (at most {max_hours} h allowed).",
                        s.resource.name
                    )),
                    (true, Some(s), Some(h)) => ctx.fail(&d.resource).reason(format!(
                        "The newest snapshot, {}, was taken {h} h before the scan clock, more than the allowed {max_hours} h.",
                        s.resource.name
                    )),
                    (true, _, _) if d.resource_policies.is_empty() => ctx
                        .fail(&d.resource)
                        .reason("The disk has no READY snapshot and no snapshot schedule."),
                    (true, _, _) => ctx
                        .fail(&d.resource)
                        .reason("The disk has a snapshot schedule, but no READY snapshot of it was found."),
                };
                builder
                    .evidence("latest_snapshot", newest.map(|s| &s.resource.name))
                    .evidence("latest_snapshot_time", taken)
                    .evidence("latest_snapshot_age_hours", age)
                    .evidence("snapshot_schedules", &d.resource_policies)
                    .evidence("data_classification", class)
                    .evidence("max_backup_age_hours", max_hours)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::{compute_disk, compute_snapshot};
    use crate::testing::{now, run, run_with};
    use chrono::Duration;
    use phiscan_core::{Config, Inventory, Status};

    const URL: &str = "https://www.googleapis.com/compute/v1/";

    fn id(name: &str) -> String {
        format!("//compute.googleapis.com/projects/proj-1/zones/us-central1-a/disks/{name}")
    }

    fn disk(name: &str, class: Option<&str>) -> ComputeDisk {
        let mut d = compute_disk(name);
        d.resource.id = id(name);
        if let Some(c) = class {
            d.resource = d.resource.with_tag(CLASSIFICATION_LABEL, c);
        }
        d
    }

    fn snap(id: &str, disk: &str, hours: i64) -> ComputeSnapshot {
        let mut s = compute_snapshot(id);
        s.source_disk = Some(format!("{URL}projects/proj-1/zones/us-central1-a/disks/{disk}"));
        s.created_at = Some(now() - Duration::hours(hours));
        s
    }

    #[test]
    fn protected_and_unclassified_disks_need_a_recent_snapshot() {
        let mut failed = snap("failed", "stale", 1);
        failed.status = Some("FAILED".into());
        let mut scheduled = disk("scheduled-never", Some("protected"));
        scheduled.resource_policies = vec!["projects/proj-1/regions/us-central1/resourcePolicies/daily".into()];
        let mut inv = Inventory::new();
        inv.gcp_compute_disks = vec![
            disk("fresh", Some("Protected")),
            disk("stale", None),
            disk("internal", Some("internal")),
            scheduled,
            disk("never", None),
        ];
        inv.gcp_compute_snapshots = vec![
            snap("fresh-old", "fresh", 100),
            snap("fresh-new", "fresh", 5),
            snap("stale-1", "stale", 30),
            failed,
        ];
        let f = run(&DiskRecentSnapshot, &inv);
        assert_eq!(f.status_of(&id("fresh")), Status::Pass);
        assert_eq!(f.evidence_of(&id("fresh"), "latest_snapshot"), "fresh-new");
        assert_eq!(f.status_of(&id("stale")), Status::Fail);
        assert!(f.of(&id("stale")).reason.contains("30 h"));
        assert_eq!(f.status_of(&id("internal")), Status::NotApplicable);
        assert_eq!(f.status_of(&id("scheduled-never")), Status::Fail);
        assert!(f.of(&id("scheduled-never")).reason.contains("schedule"));
        assert_eq!(f.status_of(&id("never")), Status::Fail);

        let mut config = Config::default();
        config.params.max_backup_age_hours = 48;
        assert_eq!(run_with(&DiskRecentSnapshot, &inv, &config).status_of(&id("stale")), Status::Pass);
    }
}
