phiscan_core::checks! {
    vm_backup_protected::VmBackupProtected,
    vm_backup_recent::VmBackupRecent,
}

use std::collections::HashMap;

use phiscan_core::model::azure::BackupProtectedItem;

/// The backup items of each VM, by its id in lower case (ARM ids are case-insensitive), in
/// inventory order: built once per check, looked up per VM instead of a scan of every item.
pub(crate) struct ItemsByVm<'a>(HashMap<String, Vec<&'a BackupProtectedItem>>);

impl<'a> ItemsByVm<'a> {
    pub(crate) fn of(items: &'a [BackupProtectedItem]) -> Self {
        let mut by: HashMap<String, Vec<&BackupProtectedItem>> = HashMap::new();
        for i in items {
            by.entry(i.source_resource_id.to_ascii_lowercase())
                .or_default()
                .push(i);
        }
        ItemsByVm(by)
    }

    /// The items whose `sourceResourceId` is `vm_id`.
    pub(crate) fn of_vm(&self, vm_id: &str) -> Vec<&'a BackupProtectedItem> {
        self.0
            .get(&vm_id.to_ascii_lowercase())
            .cloned()
            .unwrap_or_default()
    }
}
