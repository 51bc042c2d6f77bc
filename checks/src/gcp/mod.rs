//! GCP checks, one file each under `gcp/<service>/`. This list is the GCP registry.

pub mod compute;
pub mod kms;
pub mod lb;
pub mod logging;
pub mod sql;
pub mod storage;

use phiscan_core::Check;

pub static CHECKS: &[&dyn Check] = &[
    &compute::disk_cmek::DiskCmek,
    &compute::firewall_no_public_admin_ports::FirewallNoPublicAdminPorts,
    &compute::firewall_no_public_db_ports::FirewallNoPublicDbPorts,
    &sql::instance_tls_required::SqlInstanceTlsRequired,
    &sql::instance_no_public_network::SqlInstanceNoPublicNetwork,
    &sql::instance_backups::SqlInstanceBackups,
    &sql::instance_recent_backup::SqlInstanceRecentBackup,
    &sql::instance_cmek::SqlInstanceCmek,
    &storage::bucket_not_public::StorageBucketNotPublic,
    &storage::bucket_uniform_access::StorageBucketUniformAccess,
    &storage::bucket_public_access_prevention::StorageBucketPublicAccessPrevention,
    &storage::bucket_versioning::StorageBucketVersioning,
    &kms::key_rotation::KmsKeyRotation,
    &kms::key_not_public::KmsKeyNotPublic,
    &lb::ssl_policy_tls12::LbSslPolicyTls12,
    &compute::snapshot_cmek::SnapshotCmek,
    &compute::instance_no_external_ip::InstanceNoExternalIp,
    &compute::instance_default_sa_full_scope::InstanceNoDefaultSaFullScope,
    &compute::instance_shielded_vm::InstanceShieldedVm,
    &compute::subnet_flow_logs::SubnetFlowLogs,
    &compute::subnet_private_google_access::SubnetPrivateGoogleAccess,
    &lb::backend_service_encrypted::BackendServiceEncrypted,
    &storage::bucket_cmek::StorageBucketCmek,
    &storage::bucket_logging::StorageBucketLogging,
    &sql::postgres_log_connections::SqlPostgresLogConnections,
    &sql::postgres_log_disconnections::SqlPostgresLogDisconnections,
    &logging::data_access_audit_logs::ProjectDataAccessAuditLogs,
    &logging::sink_exists::LoggingSinkExists,
];
