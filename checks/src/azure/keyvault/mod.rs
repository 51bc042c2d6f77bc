phiscan_core::checks! {
    recoverable::KeyVaultRecoverable,
    public_network_restricted::KeyVaultPublicNetworkRestricted,
    rbac_authorization::KeyVaultRbacAuthorization,
    diagnostic_logs::KeyVaultDiagnosticLogs,
}
