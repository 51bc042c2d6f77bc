phiscan_core::checks! {
    volume_encrypted::EbsVolumeEncrypted,
    encryption_by_default::EbsEncryptionByDefault,
    snapshot_encrypted::EbsSnapshotEncrypted,
    snapshot_not_public::EbsSnapshotNotPublic,
    volume_recent_backup::EbsVolumeRecentBackup,
}
