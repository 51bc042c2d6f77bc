use chrono::{DateTime, SecondsFormat, Utc};
use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::{BackupProtectedItem, VirtualMachine};

declare_check! {
    /// ## What it checks
    /// Every virtual machine has an Azure Backup recovery point newer than
    /// `params.max_backup_age_hours` (default 24) at the scan clock: among the Recovery
    /// Services backup items whose `sourceResourceId` is the VM (compared
    /// case-insensitively), the newest `lastBackupTime` whose `lastBackupStatus` is
    /// `Completed` or `CompletedWithWarnings` must be recent enough.
    ///
    /// A VM with no backup item, or whose last backup failed or reported no time, FAILs: a
    /// recent recovery point cannot be shown. (`azure-vm-backup-protected` says whether
    /// protection is configured at all; this check says whether it is working.)
    ///
    /// ## Why it matters
    /// The data backup plan (45 CFR 164.308(a)(7)(ii)(A)) requires retrievable exact copies
    /// of ePHI; the policies promise "daily snapshot backups". A backup job that stopped
    /// succeeding a week ago leaves a week of patient records without a copy.
    ///
    /// ## Evidence
    /// `last_backup_time` (of the newest completed backup, null when none),
    /// `last_backup_status`, `age_hours`, `max_backup_age_hours`, `backup_items` (ids).
    ///
    /// ## Remediation
    /// Look at the vault's backup jobs (`az backup job list -g <vault-rg> -v <vault>
    /// --status Failed`), fix the cause (VM agent, snapshot extension, network), and run an
    /// on-demand backup: `az backup protection backup-now -g <vault-rg> -v <vault>
    /// -c <container> -i <item> --backup-management-type AzureIaasVM`.
    pub struct VmBackupRecent {
        id: "azure-vm-backup-recent",
        title: "Virtual machines have a recent completed backup",
        severity: High,
        provider: Azure,
        kinds: [AzureVirtualMachine, AzureBackupProtectedItem],
        controls: [DataBackupPlan],
    }
}

fn completed(status: Option<&str>) -> bool {
    status.is_some_and(|s| {
        s.eq_ignore_ascii_case("Completed") || s.eq_ignore_ascii_case("CompletedWithWarnings")
    })
}

impl Check for VmBackupRecent {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let max_hours = ctx.config.params.max_backup_age_hours;
        let items = super::ItemsByVm::of(ctx.resources::<BackupProtectedItem>());
        ctx.resources::<VirtualMachine>()
            .iter()
            .map(|vm| {
                let mine: Vec<&BackupProtectedItem> = items.of_vm(&vm.resource.id);
                let newest: Option<(DateTime<Utc>, &BackupProtectedItem)> = mine
                    .iter()
                    .filter(|i| completed(i.last_backup_status.as_deref()))
                    .filter_map(|i| i.last_backup_time.map(|t| (t, *i)))
                    .max_by_key(|(t, _)| *t);
                let age = newest.map(|(t, _)| ctx.now - t);
                let ok = age.is_some_and(|a| a <= chrono::Duration::hours(max_hours));
                let age_hours = age.map(|a| a.num_minutes() as f64 / 60.0);
                let reason = match (newest, age_hours) {
                    (Some((t, _)), Some(age)) => format!(
                        "The newest completed backup is from {} ({age:.1} hours before the scan clock; the limit is {max_hours} hours).",
                        t.to_rfc3339_opts(SecondsFormat::Secs, true)
                    ),
                    _ if mine.is_empty() => "No Recovery Services vault holds a backup item for this VM, so no recent backup can be shown.".to_string(),
                    _ => format!(
                        "None of the VM's {} backup item(s) reports a completed backup with a time (last status: {}).",
                        mine.len(),
                        mine.iter()
                            .map(|i| i.last_backup_status.as_deref().unwrap_or("not reported"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                let ids: Vec<&str> = mine.iter().map(|i| i.resource.id.as_str()).collect();
                ctx.verdict(ok, &vm.resource)
                    .evidence("last_backup_time", newest.map(|(t, _)| t))
                    .evidence("last_backup_status", newest.and_then(|(_, i)| i.last_backup_status.as_deref()))
                    .evidence("age_hours", age_hours)
                    .evidence("max_backup_age_hours", max_hours)
                    .evidence("backup_items", ids)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::{backup_protected_item, virtual_machine};
    use crate::testing::{now, run};
    use chrono::Duration;
    use phiscan_core::{Inventory, Status};

    fn item(n: u8, source: &str, status: &str, hours_ago: Option<i64>) -> BackupProtectedItem {
        BackupProtectedItem {
            last_backup_status: Some(status.into()),
            last_backup_time: hours_ago.map(|h| now() - Duration::hours(h)),
            ..backup_protected_item(&format!("item-{n}"), source)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_virtual_machines = ["fresh", "stale", "failed", "none", "two"]
            .map(virtual_machine)
            .to_vec();
        inv.azure_backup_protected_items = vec![
            item(1, "FRESH", "Completed", Some(6)),
            item(2, "stale", "Completed", Some(30)),
            item(3, "failed", "Failed", Some(2)),
            item(4, "two", "Completed", Some(72)),
            item(5, "two", "CompletedWithWarnings", Some(20)),
        ];
        let f = run(&VmBackupRecent, &inv);
        assert_eq!(f.status_of("fresh"), Status::Pass);
        assert_eq!(f.status_of("stale"), Status::Fail);
        assert_eq!(f.status_of("failed"), Status::Fail);
        assert_eq!(f.status_of("none"), Status::Fail);
        assert_eq!(f.status_of("two"), Status::Pass);
        assert!(f.of("failed").reason.contains("Failed"));
        assert!(f.of("stale").reason.contains("30.0 hours"));
    }
}
