phiscan_core::checks! {
    postgres_tls_required::PostgresFlexibleTlsRequired,
    mysql_tls_required::MysqlFlexibleTlsRequired,
    postgres_no_public_access::PostgresFlexibleNoPublicAccess,
    mysql_no_public_access::MysqlFlexibleNoPublicAccess,
    backup_retention::FlexibleBackupRetention,
    geo_redundant_backup::FlexibleGeoRedundantBackup,
}

mod public_access;
mod secure_transport;
