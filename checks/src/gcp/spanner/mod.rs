phiscan_core::checks! {
    database_cmek::SpannerDatabaseCmek,
    database_not_public::SpannerDatabaseNotPublic,
    backup_recent::SpannerBackupRecent,
    database_drop_protection::SpannerDatabaseDropProtection,
}
