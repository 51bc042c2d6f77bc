//! The ARM `api-version` of every call phiscan makes, in one place.
//!
//! Each is a named stable (non-preview) version (one documented exception below) whose response shapes the fixtures copy from
//! the official examples (`shared/reference/azure-arm-examples/`). Moving one is a deliberate
//! change: re-record the fixtures of that provider from the new version's examples, and check
//! that fields the checks read kept their meaning (a default can change between versions:
//! `supportsHttpsTrafficOnly` defaults to true only from 2019-04-01 on).

/// `Microsoft.Resources`: subscriptions (list, get).
pub const SUBSCRIPTIONS: &str = "2022-12-01";
/// `Microsoft.Compute` DiskRP: managed disks.
pub const COMPUTE_DISKS: &str = "2025-01-02";
/// `Microsoft.Compute` ComputeRP: virtual machines.
pub const COMPUTE_VMS: &str = "2025-04-01";
/// `Microsoft.Network`: network security groups, network interfaces, public IP addresses,
/// virtual networks (with subnets and peerings), Bastion hosts.
pub const NETWORK: &str = "2025-05-01";
/// `Microsoft.Storage`: storage accounts.
pub const STORAGE: &str = "2025-06-01";
/// `Microsoft.Sql`: servers, firewall rules, auditing settings, databases, TDE.
pub const SQL: &str = "2023-08-01";
/// `Microsoft.DBforPostgreSQL`: flexible servers, configurations, firewall rules.
pub const POSTGRES_FLEXIBLE: &str = "2025-08-01";
/// `Microsoft.DBforMySQL`: flexible servers, configurations, firewall rules.
pub const MYSQL_FLEXIBLE: &str = "2023-12-30";
/// `Microsoft.KeyVault`: vaults.
pub const KEY_VAULT: &str = "2025-05-01";
/// `Microsoft.Insights`: subscription (activity log) diagnostic settings. The one exception
/// to "stable only": this operation has no stable api-version; 2021-05-01-preview is the one
/// the Azure portal, CLI and the official examples use.
pub const SUBSCRIPTION_DIAGNOSTIC_SETTINGS: &str = "2021-05-01-preview";
/// `Microsoft.RecoveryServices`: vaults and their backup protected items.
pub const RECOVERY_SERVICES: &str = "2025-02-01";
/// `Microsoft.Management`: management group descendants (`--management-group`).
pub const MANAGEMENT_GROUPS: &str = "2020-05-01";
/// `Microsoft.DocumentDB`: Cosmos DB database accounts.
pub const COSMOS_DB: &str = "2024-11-15";
/// `Microsoft.Web`: web apps and their site configuration.
pub const WEB: &str = "2024-04-01";
/// `Microsoft.Cache`: Azure Cache for Redis.
pub const REDIS: &str = "2024-11-01";
/// `Microsoft.Insights`: a resource's (a Key Vault's) diagnostic settings. Preview, like the
/// subscription's: the stable 2016-09-01 predates category groups (`allLogs`, `audit`), which
/// settings created by the portal today use and the checks must read.
pub const RESOURCE_DIAGNOSTIC_SETTINGS: &str = "2021-05-01-preview";
/// `Microsoft.Security`: Defender for Cloud plans (pricings).
pub const SECURITY_PRICINGS: &str = "2024-01-01";
/// `Microsoft.Authorization`: role assignments and role definitions.
pub const AUTHORIZATION: &str = "2022-04-01";
/// `Microsoft.ManagedServices`: Azure Lighthouse registration assignments.
pub const MANAGED_SERVICES: &str = "2022-10-01";
