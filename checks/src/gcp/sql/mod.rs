pub mod instance_backups;
pub mod instance_cmek;
pub mod instance_no_public_network;
pub mod instance_recent_backup;
pub mod instance_tls_required;
mod postgres_flag;
pub mod postgres_log_connections;
pub mod postgres_log_disconnections;
