//! AZURE checks, one file each under `azure/<service>/`. This list is the AZURE registry.

mod support;

phiscan_core::services! {
    compute,
    storage,
    sql,
    flexible_server,
    network,
    keyvault,
    backup,
    app_gateway,
    monitor,
    cosmosdb,
    appservice,
    redis,
    defender,
    rbac,
    vnet,
    bastion,
    lighthouse,
}
