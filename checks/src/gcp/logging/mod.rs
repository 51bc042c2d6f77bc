phiscan_core::checks! {
    data_access_audit_logs::ProjectDataAccessAuditLogs,
    sink_exists::LoggingSinkExists,
    bucket_retention::LoggingBucketRetention,
}
