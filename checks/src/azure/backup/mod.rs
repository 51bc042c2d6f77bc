phiscan_core::checks! {
    vm_backup_protected::VmBackupProtected,
    vm_backup_recent::VmBackupRecent,
}
