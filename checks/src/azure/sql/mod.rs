phiscan_core::checks! {
    tde_enabled::SqlTdeEnabled,
    firewall_no_public::SqlFirewallNoPublic,
    auditing_enabled::SqlAuditingEnabled,
    min_tls12::SqlMinTls12,
}
