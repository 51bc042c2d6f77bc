pub mod vm_backup_protected;
pub mod vm_backup_recent;
