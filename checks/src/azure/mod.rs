//! AZURE checks, one file each under `azure/<service>/`. This list is the AZURE registry.

pub mod app_gateway;
pub mod backup;
pub mod compute;
pub mod flexible_server;
pub mod keyvault;
pub mod monitor;
pub mod network;
pub mod sql;
pub mod storage;

use phiscan_core::Check;

pub static CHECKS: &[&dyn Check] = &[
    &compute::disk_encrypted::DiskEncrypted,
    &storage::secure_transfer::StorageSecureTransfer,
    &storage::min_tls12::StorageMinTls12,
    &storage::no_public_blob_access::StorageNoPublicBlobAccess,
    &sql::tde_enabled::SqlTdeEnabled,
    &sql::firewall_no_public::SqlFirewallNoPublic,
    &network::nsg_no_public_admin_ports::NsgNoPublicAdminPorts,
    &network::nsg_no_public_db_ports::NsgNoPublicDbPorts,
    &flexible_server::postgres_tls_required::PostgresFlexibleTlsRequired,
    &flexible_server::mysql_tls_required::MysqlFlexibleTlsRequired,
    &keyvault::recoverable::KeyVaultRecoverable,
    &backup::vm_backup_protected::VmBackupProtected,
    &compute::disk_network_access::DiskNetworkAccessRestricted,
    &compute::vm_no_public_ip::VmNoPublicIp,
    &storage::default_network_deny::StorageDefaultNetworkDeny,
    &storage::cmk_or_double_encryption::StorageStrongEncryptionWhereDemanded,
    &sql::auditing_enabled::SqlAuditingEnabled,
    &sql::min_tls12::SqlMinTls12,
    &flexible_server::postgres_no_public_access::PostgresFlexibleNoPublicAccess,
    &flexible_server::mysql_no_public_access::MysqlFlexibleNoPublicAccess,
    &keyvault::public_network_restricted::KeyVaultPublicNetworkRestricted,
    &backup::vm_backup_recent::VmBackupRecent,
    &app_gateway::tls12_policy::AppGatewayTls12Policy,
    &app_gateway::no_plain_http::AppGatewayNoPlainHttp,
    &monitor::activity_log_exported::ActivityLogExported,
    &flexible_server::backup_retention::FlexibleBackupRetention,
    &flexible_server::geo_redundant_backup::FlexibleGeoRedundantBackup,
    &compute::vm_encryption_at_host::VmEncryptionAtHost,
    &keyvault::rbac_authorization::KeyVaultRbacAuthorization,
    &storage::no_shared_key_access::StorageNoSharedKeyAccess,
];
