pub mod backup_retention;
pub mod instance_encrypted;
pub mod instance_not_public;
// Data protection and backup.
pub mod cluster_encrypted;
pub mod instance_recent_backup;
pub mod snapshot_encrypted;
pub mod snapshot_not_public;
pub mod tls_enforced;
