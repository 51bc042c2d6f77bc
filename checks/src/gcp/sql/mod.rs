phiscan_core::checks! {
    instance_tls_required::SqlInstanceTlsRequired,
    instance_no_public_network::SqlInstanceNoPublicNetwork,
    instance_backups::SqlInstanceBackups,
    instance_recent_backup::SqlInstanceRecentBackup,
    instance_cmek::SqlInstanceCmek,
    postgres_log_connections::SqlPostgresLogConnections,
    postgres_log_disconnections::SqlPostgresLogDisconnections,
}

mod postgres_flag;
