pub mod instance_backups;
pub mod instance_cmek;
pub mod instance_no_public_network;
pub mod instance_recent_backup;
pub mod instance_tls_required;
mod postgres_flag;
pub mod postgres_log_connections;
pub mod postgres_log_disconnections;

#[cfg(test)]
pub mod tests {
    use crate::testing::gcp_ref;
    use phiscan_scanner::model::gcp::SqlInstance;
    use phiscan_scanner::ResourceKind;

    /// A private, TLS-only Postgres instance with backups: edit the fields a test is about.
    pub fn instance(id: &str) -> SqlInstance {
        SqlInstance {
            resource: gcp_ref(ResourceKind::GcpSqlInstance, "us-central1", id),
            database_version: "POSTGRES_15".into(),
            ssl_mode: Some("ENCRYPTED_ONLY".into()),
            require_ssl: None,
            ipv4_enabled: false,
            authorized_networks: vec![],
            backup_enabled: true,
            point_in_time_recovery: Some(true),
            last_successful_backup: None,
            kms_key_name: None,
            database_flags: vec![],
        }
    }
}
