//! Azure resources, shaped after the ARM REST responses (`properties.*`), keeping exactly the
//! fields checks read. `None` means ARM omitted the property.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ResourceRef;

mod data;
mod governance;
mod segmentation;
pub use data::*;
pub use governance::*;
pub use segmentation::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disk {
    pub resource: ResourceRef,
    /// `properties.encryption.type`: `EncryptionAtRestWithPlatformKey`,
    /// `EncryptionAtRestWithCustomerKey`, `EncryptionAtRestWithPlatformAndCustomerKeys`.
    #[serde(default)]
    pub encryption_type: Option<String>,
    #[serde(default)]
    pub disk_encryption_set_id: Option<String>,
    /// Azure Disk Encryption (guest BitLocker/dm-crypt) via `encryptionSettingsCollection`.
    #[serde(default)]
    pub ade_enabled: Option<bool>,
    /// `AllowAll`, `AllowPrivate`, `DenyAll`.
    #[serde(default)]
    pub network_access_policy: Option<String>,
    #[serde(default)]
    pub public_network_access: Option<String>,
    /// `Attached`, `Unattached`, `Reserved`, ...
    #[serde(default)]
    pub disk_state: Option<String>,
    #[serde(default)]
    pub managed_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorageAccount {
    pub resource: ResourceRef,
    /// `supportsHttpsTrafficOnly`; ARM defaults it to true since API 2019-04-01.
    #[serde(default)]
    pub supports_https_traffic_only: Option<bool>,
    /// `TLS1_0`, `TLS1_1`, `TLS1_2`, `TLS1_3`.
    #[serde(default)]
    pub minimum_tls_version: Option<String>,
    #[serde(default)]
    pub allow_blob_public_access: Option<bool>,
    /// `Microsoft.Storage` or `Microsoft.Keyvault`.
    #[serde(default)]
    pub key_source: Option<String>,
    #[serde(default)]
    pub require_infrastructure_encryption: Option<bool>,
    /// `networkAcls.defaultAction`: `Allow` or `Deny`.
    #[serde(default)]
    pub network_default_action: Option<String>,
    #[serde(default)]
    pub public_network_access: Option<String>,
    /// `allowSharedKeyAccess`; ARM omits it when never set (then shared keys are allowed).
    #[serde(default)]
    pub allow_shared_key_access: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirewallRule {
    pub name: String,
    pub start_ip_address: String,
    pub end_ip_address: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SqlServer {
    pub resource: ResourceRef,
    /// `minimalTlsVersion`: `1.0`, `1.1`, `1.2`, `1.3`, `None`.
    #[serde(default)]
    pub minimal_tls_version: Option<String>,
    /// `Enabled`, `Disabled`, `SecuredByPerimeter`.
    #[serde(default)]
    pub public_network_access: Option<String>,
    #[serde(default)]
    pub firewall_rules: Vec<FirewallRule>,
    /// Server blob auditing policy state is `Enabled`.
    #[serde(default)]
    pub auditing_enabled: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SqlDatabase {
    pub resource: ResourceRef,
    pub server_id: String,
    /// Transparent data encryption `properties.state`: `Enabled` or `Disabled`.
    #[serde(default)]
    pub tde_state: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NsgRule {
    pub name: String,
    /// `Inbound` or `Outbound`.
    pub direction: String,
    /// `Allow` or `Deny`.
    pub access: String,
    /// `Tcp`, `Udp`, `Icmp`, `Esp`, `Ah`, `*`.
    pub protocol: String,
    pub priority: i32,
    /// `sourceAddressPrefix` and `sourceAddressPrefixes` merged (`*`, `Internet`, CIDRs, tags).
    #[serde(default)]
    pub source_address_prefixes: Vec<String>,
    /// `destinationPortRange` and `destinationPortRanges` merged (`22`, `1000-2000`, `*`).
    #[serde(default)]
    pub destination_port_ranges: Vec<String>,
    /// Rule comes from `defaultSecurityRules`.
    #[serde(default)]
    pub default_rule: bool,
    /// `sourceApplicationSecurityGroups[].id`: the rule admits the NICs in these groups.
    #[serde(default)]
    pub source_application_security_groups: Vec<String>,
    /// `destinationAddressPrefix` and `destinationAddressPrefixes` merged.
    #[serde(default)]
    pub destination_address_prefixes: Vec<String>,
    /// `destinationApplicationSecurityGroups[].id`: the rule applies to these groups' NICs.
    #[serde(default)]
    pub destination_application_security_groups: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkSecurityGroup {
    pub resource: ResourceRef,
    #[serde(default)]
    pub rules: Vec<NsgRule>,
    /// Subnet and NIC ids the NSG is associated with.
    #[serde(default)]
    pub attached_to: Vec<String>,
}

/// PostgreSQL and MySQL flexible servers share this shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlexibleServer {
    pub resource: ResourceRef,
    /// Value of the `require_secure_transport` server parameter (`on`/`off`, `ON`/`OFF`).
    #[serde(default)]
    pub require_secure_transport: Option<String>,
    /// `network.publicNetworkAccess`: `Enabled` or `Disabled`.
    #[serde(default)]
    pub public_network_access: Option<String>,
    #[serde(default)]
    pub firewall_rules: Vec<FirewallRule>,
    #[serde(default)]
    pub backup_retention_days: Option<i32>,
    #[serde(default)]
    pub geo_redundant_backup: Option<String>,
    /// `network.delegatedSubnetResourceId`: the VNet subnet of a privately integrated
    /// server; `None` for a server reached over its public endpoint.
    #[serde(default)]
    pub delegated_subnet_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PostgresFlexibleServer(pub FlexibleServer);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MysqlFlexibleServer(pub FlexibleServer);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyVault {
    pub resource: ResourceRef,
    /// `enableSoftDelete`; ARM omits it on vaults created after soft delete became mandatory.
    #[serde(default)]
    pub soft_delete_enabled: Option<bool>,
    #[serde(default)]
    pub soft_delete_retention_days: Option<i32>,
    #[serde(default)]
    pub purge_protection_enabled: Option<bool>,
    #[serde(default)]
    pub public_network_access: Option<String>,
    #[serde(default)]
    pub enable_rbac_authorization: Option<bool>,
    /// `networkAcls.defaultAction`: `Allow` or `Deny` (the vault firewall).
    #[serde(default)]
    pub network_default_action: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VirtualMachine {
    pub resource: ResourceRef,
    /// `properties.vmId`.
    #[serde(default)]
    pub vm_id: Option<String>,
    #[serde(default)]
    pub os_disk_id: Option<String>,
    #[serde(default)]
    pub data_disk_ids: Vec<String>,
    #[serde(default)]
    pub nic_ids: Vec<String>,
    /// Public IP addresses on the VM's NICs.
    #[serde(default)]
    pub public_ips: Vec<String>,
    #[serde(default)]
    pub encryption_at_host: Option<bool>,
    /// The subnets of the VM's NICs' IP configurations.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// The NSGs associated with the VM's NICs (those of its subnets are on the subnets).
    #[serde(default)]
    pub nic_security_group_ids: Vec<String>,
    /// The application security groups of the VM's NICs' IP configurations.
    #[serde(default)]
    pub application_security_group_ids: Vec<String>,
}

/// A Recovery Services backup protected item (an Azure IaaS VM, a SQL database, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupProtectedItem {
    pub resource: ResourceRef,
    /// `properties.sourceResourceId`: the protected resource's ARM id.
    pub source_resource_id: String,
    pub vault_id: String,
    /// `IRPending`, `Protected`, `ProtectionError`, `ProtectionStopped`, `ProtectionPaused`.
    #[serde(default)]
    pub protection_state: Option<String>,
    #[serde(default)]
    pub last_backup_status: Option<String>,
    #[serde(default)]
    pub last_backup_time: Option<DateTime<Utc>>,
}

/// An Application Gateway's TLS policy (`sslPolicy`, or an SSL profile's), as ARM reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppGatewaySslPolicy {
    /// `Predefined`, `Custom`, `CustomV2`.
    #[serde(default)]
    pub policy_type: Option<String>,
    /// `AppGwSslPolicy20150501`, `AppGwSslPolicy20170401S`, `AppGwSslPolicy20220101`, ...
    #[serde(default)]
    pub policy_name: Option<String>,
    /// `TLSv1_0`, `TLSv1_1`, `TLSv1_2`, `TLSv1_3`.
    #[serde(default)]
    pub min_protocol_version: Option<String>,
}

/// One listener of an Application Gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppGatewayListener {
    pub name: String,
    /// `Http` or `Https`.
    pub protocol: String,
    #[serde(default)]
    pub port: Option<u16>,
    /// The SSL profile the listener uses, whose policy replaces the gateway's.
    #[serde(default)]
    pub ssl_profile: Option<String>,
    /// The TLS policy in force on this listener (its SSL profile's, else the gateway's);
    /// `None` when neither is set (Azure's default policy then applies).
    #[serde(default)]
    pub ssl_policy: Option<AppGatewaySslPolicy>,
    /// Every routing rule of the listener redirects to HTTPS (an `Https` listener of the
    /// gateway or an `https://` URL); `false` when some rule serves content or redirects to
    /// plain HTTP, and when no rule uses the listener.
    #[serde(default)]
    pub redirects_to_https: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationGateway {
    pub resource: ResourceRef,
    /// The gateway-wide `sslPolicy`; `None` when ARM omitted it.
    #[serde(default)]
    pub ssl_policy: Option<AppGatewaySslPolicy>,
    #[serde(default)]
    pub listeners: Vec<AppGatewayListener>,
    /// `backendHttpSettingsCollection`: how the gateway speaks to its backend pools.
    /// `None` in inventories saved before phiscan read them (unknown, not "none").
    #[serde(default)]
    pub backend_settings: Option<Vec<AppGatewayBackendSetting>>,
}

/// One backend HTTP setting of an Application Gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppGatewayBackendSetting {
    pub name: String,
    /// `Http` or `Https`: the protocol of the hop from the gateway to the backend servers.
    pub protocol: String,
    #[serde(default)]
    pub port: Option<u16>,
    /// The routing rules that use it: `rule`, or `rule/path-rule` (`rule/default`) for a
    /// path-based rule's URL path map.
    #[serde(default)]
    pub rules: Vec<String>,
}

/// One diagnostic setting of a subscription's activity log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityLogDiagnosticSetting {
    pub name: String,
    #[serde(default)]
    pub storage_account_id: Option<String>,
    #[serde(default)]
    pub workspace_id: Option<String>,
    #[serde(default)]
    pub event_hub_authorization_rule_id: Option<String>,
    #[serde(default)]
    pub marketplace_partner_id: Option<String>,
    /// Log categories (`Administrative`, `Security`, ...) and category groups (`allLogs`)
    /// with `enabled: true`.
    #[serde(default)]
    pub enabled_categories: Vec<String>,
}

/// A subscription's activity log and where its diagnostic settings export it; one per
/// subscription, with `settings` empty when nothing exports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityLog {
    pub resource: ResourceRef,
    #[serde(default)]
    pub settings: Vec<ActivityLogDiagnosticSetting>,
}

// The two flexible-server kinds reach their ResourceRef through the shared shape.
impl std::ops::Deref for PostgresFlexibleServer {
    type Target = FlexibleServer;
    fn deref(&self) -> &FlexibleServer {
        &self.0
    }
}

impl std::ops::Deref for MysqlFlexibleServer {
    type Target = FlexibleServer;
    fn deref(&self) -> &FlexibleServer {
        &self.0
    }
}
