pub mod encryption_by_default;
pub mod snapshot_encrypted;
pub mod snapshot_not_public;
pub mod volume_encrypted;
pub mod volume_recent_backup;
