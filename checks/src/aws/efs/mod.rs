phiscan_core::checks! {
    encrypted::EfsEncrypted,
    recent_backup::EfsRecentBackup,
}
