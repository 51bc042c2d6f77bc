phiscan_core::checks! {
    encrypted_at_rest::ElastiCacheEncryptedAtRest,
    encrypted_in_transit::ElastiCacheEncryptedInTransit,
    auth_enabled::ElastiCacheAuthEnabled,
    backup_retention::ElastiCacheBackupRetention,
}
