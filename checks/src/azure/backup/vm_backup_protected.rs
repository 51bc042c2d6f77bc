use chrono::SecondsFormat;
use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::{BackupProtectedItem, VirtualMachine};
use serde_json::json;

declare_check! {
    /// ## What it checks
    /// Every virtual machine is protected by Azure Backup: some Recovery Services protected
    /// item has `sourceResourceId` equal to the VM's ARM id (compared case-insensitively:
    /// ARM ids are case-insensitive, and Backup returns them with its own casing) and an
    /// active protection state.
    ///
    /// Active: `Protected`, `IRPending` (first backup pending) and `ProtectionError` (backup
    /// configured but the last job failed; the evidence shows the last backup status).
    /// Not active: `ProtectionStopped`, `BackupsSuspended`, `ProtectionPaused` and `Invalid`:
    /// the recovery points kept may restore an old state, but no new ones are taken. An item
    /// whose state ARM did not report does not count: phiscan cannot show it is active.
    ///
    /// ## Why it matters
    /// The data backup plan (45 CFR 164.308(a)(7)(ii)(A)) requires retrievable exact copies
    /// of ePHI, and the disaster recovery plan (164.308(a)(7)(ii)(B)) a way to restore it.
    /// Qolty's VMs run the databases and application servers that store ePHI.
    ///
    /// ## Evidence
    /// `protected_items` (every matching item: id, vault, protection state, last backup
    /// status and time), and for the active item `vault_id`, `protection_state`,
    /// `last_backup_status` and `last_backup_time` (null when none is active).
    ///
    /// ## Remediation
    /// `az backup protection enable-for-vm -g <vault-rg> -v <vault> --vm <vm-id>
    /// --policy-name <policy>` (portal: VM > Backup). For a stopped item, resume it:
    /// `az backup protection resume -g <vault-rg> -v <vault> -c <container> -i <item>
    /// --policy-name <policy>`.
    pub struct VmBackupProtected {
        id: "azure-vm-backup-protected",
        title: "Virtual machines are protected by Azure Backup",
        severity: High,
        provider: Azure,
        kinds: [AzureVirtualMachine, AzureBackupProtectedItem],
        controls: [DataBackupPlan, DisasterRecoveryPlan],
    }
}

/// Whether a protection state means new recovery points are still being taken.
fn active(state: Option<&str>) -> bool {
    state.is_some_and(|s| {
        ["Protected", "IRPending", "ProtectionError"]
            .iter()
            .any(|a| s.eq_ignore_ascii_case(a))
    })
}

fn vault_name(vault_id: &str) -> &str {
    vault_id.rsplit('/').next().unwrap_or(vault_id)
}

impl Check for VmBackupProtected {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let items = super::ItemsByVm::of(ctx.resources::<BackupProtectedItem>());
        ctx.resources::<VirtualMachine>()
            .iter()
            .map(|vm| {
                let mine: Vec<&BackupProtectedItem> = items.of_vm(&vm.resource.id);
                let current = mine.iter().find(|i| active(i.protection_state.as_deref()));
                let listed: Vec<serde_json::Value> = mine
                    .iter()
                    .map(|i| {
                        json!({
                            "id": i.resource.id,
                            "vault_id": i.vault_id,
                            "protection_state": i.protection_state,
                            "last_backup_status": i.last_backup_status,
                            "last_backup_time": i.last_backup_time,
                        })
                    })
                    .collect();
                let reason = match (current, mine.first()) {
                    (Some(i), _) => format!(
                        "Azure Backup protects the VM in vault {} (state {}, last backup {} at {}).",
                        vault_name(&i.vault_id),
                        i.protection_state.as_deref().unwrap_or("not reported"),
                        i.last_backup_status.as_deref().unwrap_or("status not reported"),
                        i.last_backup_time.map_or("an unreported time".to_string(), |t| {
                            t.to_rfc3339_opts(SecondsFormat::Secs, true)
                        }),
                    ),
                    (None, Some(i)) => format!(
                        "The VM's backup item in vault {} is not active (protection state {}): no new recovery points are taken.",
                        vault_name(&i.vault_id),
                        i.protection_state.as_deref().unwrap_or("not reported"),
                    ),
                    (None, None) => "No Recovery Services vault holds a backup item for this VM.".to_string(),
                };
                ctx.verdict(current.is_some(), &vm.resource)
                    .evidence("protected_items", listed)
                    .evidence("vault_id", current.map(|i| &i.vault_id))
                    .evidence("protection_state", current.and_then(|i| i.protection_state.as_deref()))
                    .evidence("last_backup_status", current.and_then(|i| i.last_backup_status.as_deref()))
                    .evidence("last_backup_time", current.and_then(|i| i.last_backup_time))
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
    use crate::testing::run;

    use phiscan_core::{Inventory, Status};

    const RG: &str =
        "/subscriptions/s/resourceGroups/rg-ephi-prod/providers/Microsoft.Compute/virtualMachines/";

    fn vm(name: &str) -> VirtualMachine {
        virtual_machine(&format!("{RG}{name}"))
    }

    fn item(source: &str, state: Option<&str>) -> BackupProtectedItem {
        BackupProtectedItem {
            protection_state: state.map(Into::into),
            ..backup_protected_item(&format!("item-{source}-{state:?}"), source)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_virtual_machines = ["ok", "upper", "stopped", "restarted", "none", "unknown"]
            .map(vm)
            .to_vec();
        inv.azure_backup_protected_items = vec![
            item(&format!("{RG}ok"), Some("Protected")),
            item(&format!("{RG}UPPER").to_uppercase(), Some("IRPending")),
            item(&format!("{RG}stopped"), Some("ProtectionStopped")),
            item(&format!("{RG}restarted"), Some("ProtectionStopped")),
            item(&format!("{RG}restarted"), Some("Protected")),
            item(&format!("{RG}unknown"), None),
        ];
        let f = run(&VmBackupProtected, &inv);
        let id = |n: &str| format!("{RG}{n}");
        assert_eq!(f.status_of(&id("ok")), Status::Pass);
        assert!(f.of(&id("ok")).reason.contains("rsv-1"));
        assert_eq!(
            f.evidence_of(&id("ok"), "last_backup_status"),
            json!("Completed")
        );
        assert_eq!(f.status_of(&id("upper")), Status::Pass);
        assert_eq!(f.status_of(&id("stopped")), Status::Fail);
        assert!(f.of(&id("stopped")).reason.contains("ProtectionStopped"));
        assert_eq!(f.status_of(&id("restarted")), Status::Pass);
        assert_eq!(
            f.evidence_of(&id("restarted"), "protected_items")
                .as_array()
                .map(Vec::len),
            Some(2)
        );
        assert_eq!(f.status_of(&id("none")), Status::Fail);
        assert_eq!(f.status_of(&id("unknown")), Status::Fail);
        assert!(f.of(&id("unknown")).reason.contains("not reported"));
    }
}
