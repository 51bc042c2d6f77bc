phiscan_core::checks! {
    cmk::CosmosDbCmk,
    no_public_access::CosmosDbNoPublicAccess,
    local_auth_disabled::CosmosDbLocalAuthDisabled,
    backup::CosmosDbBackup,
    min_tls12::CosmosDbMinTls12,
}
