//! Azure Backup: the Recovery Services vault's VM backup items.

use chrono::{DateTime, Duration, Utc};

use super::{arm_id, EAST, SUB};
use crate::model::azure::BackupProtectedItem;
use crate::model::{Inventory, ResourceKind, ResourceRef};

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    // Backup spells the database VM's id in its own casing: ARM ids are case-insensitive.
    let db_vm_as_backup_spells_it =
        format!("/subscriptions/{SUB}/resourcegroups/RG-EPHI-PROD/providers/microsoft.compute/virtualmachines/VM-EHR-DB-01");
    let vm_id = |rg: &str, name: &str| arm_id(rg, "Microsoft.Compute/virtualMachines", name);
    inv.azure_backup_protected_items = vec![
        backup_item(
            "vm-ehr-app-01",
            "rg-ephi-prod",
            vm_id("rg-ephi-prod", "vm-ehr-app-01"),
            "Protected",
            Some((now - Duration::hours(6), "Completed")),
        ),
        backup_item(
            "vm-ehr-db-01",
            "rg-ephi-prod",
            db_vm_as_backup_spells_it,
            "Protected",
            Some((now - Duration::hours(5), "Completed")),
        ),
        // Protection was stopped (data retained) during a migration and never resumed.
        backup_item(
            "vm-legacy-jumpbox",
            "rg-qolty-legacy",
            vm_id("rg-qolty-legacy", "vm-legacy-jumpbox"),
            "ProtectionStopped",
            Some((now - Duration::days(97), "Completed")),
        ),
    ];
}

/// A VM backup item of the Recovery Services vault; `source` is the VM id as Backup spells it.
fn backup_item(
    vm: &str,
    rg: &str,
    source: String,
    state: &str,
    last: Option<(DateTime<Utc>, &str)>,
) -> BackupProtectedItem {
    let vault = arm_id(
        "rg-ephi-backup",
        "Microsoft.RecoveryServices/vaults",
        "rsv-qolty-ephi-prod",
    );
    let container = format!("iaasvmcontainerv2;{rg};{vm}");
    let name = format!("VM;{container}");
    let id = format!(
        "{vault}/backupFabrics/Azure/protectionContainers/IaasVMContainer;{container}/protectedItems/{name}"
    );
    BackupProtectedItem {
        resource: ResourceRef::new(ResourceKind::AzureBackupProtectedItem, SUB, EAST, id, name),
        source_resource_id: source,
        vault_id: vault,
        protection_state: Some(state.into()),
        last_backup_status: last.map(|(_, s)| s.to_string()),
        last_backup_time: last.map(|(t, _)| t),
    }
}
