phiscan_core::checks! {
    instance_encrypted::RdsInstanceEncrypted,
    instance_not_public::RdsInstanceNotPublic,
    backup_retention::RdsInstanceBackupRetention,
    cluster_encrypted::RdsClusterEncrypted,
    tls_enforced::RdsTlsEnforced,
    snapshot_encrypted::RdsSnapshotEncrypted,
    snapshot_not_public::RdsSnapshotNotPublic,
    instance_recent_backup::RdsInstanceRecentBackup,
    cluster_recent_backup::RdsClusterRecentBackup,
    private_subnets::RdsPrivateSubnets,
}

// Data protection and backup.
