pub mod vm_backup_protected;
