phiscan_core::checks! {
    cmek::FirestoreCmek,
    pitr::FirestorePitr,
    delete_protection::FirestoreDeleteProtection,
    backup_schedule::FirestoreBackupSchedule,
}
