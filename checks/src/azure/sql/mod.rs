phiscan_core::checks! {
    tde_enabled::SqlTdeEnabled,
    firewall_no_public::SqlFirewallNoPublic,
    auditing_enabled::SqlAuditingEnabled,
    min_tls12::SqlMinTls12,
    ltr_backup::SqlLtrBackup,
    managed_instance_tde::SqlManagedInstanceTde,
    managed_instance_no_public_endpoint::SqlManagedInstanceNoPublicEndpoint,
    managed_instance_min_tls12::SqlManagedInstanceMinTls12,
}
