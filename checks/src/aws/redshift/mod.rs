phiscan_core::checks! {
    encrypted::RedshiftEncrypted,
    not_public::RedshiftNotPublic,
    require_ssl::RedshiftRequireSsl,
    audit_logging::RedshiftAuditLogging,
}
