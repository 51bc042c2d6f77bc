phiscan_core::checks! {
    pitr::DynamoDbPitr,
    encrypted_cmk::DynamoDbEncryptedCmk,
    recent_backup::DynamoDbRecentBackup,
}
