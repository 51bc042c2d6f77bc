//! Azure data services beyond the first release: Cosmos DB accounts, App Service web apps,
//! Azure Cache for Redis, SQL long-term retention and managed instances, blob service data
//! protection. Same rules as the parent module: ARM's shapes, `None` when ARM omitted it.

use serde::{Deserialize, Serialize};

use super::super::ResourceRef;

/// A Cosmos DB database account (`Microsoft.DocumentDB/databaseAccounts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CosmosDbAccount {
    pub resource: ResourceRef,
    /// `keyVaultKeyUri`: the customer-managed key; ARM omits it with service-managed keys.
    #[serde(default)]
    pub key_vault_key_uri: Option<String>,
    /// `Enabled`, `Disabled`, `SecuredByPerimeter`; omitted means `Enabled`.
    #[serde(default)]
    pub public_network_access: Option<String>,
    /// `ipRules[].ipAddressOrRange`.
    #[serde(default)]
    pub ip_rules: Vec<String>,
    #[serde(default)]
    pub is_virtual_network_filter_enabled: Option<bool>,
    /// `virtualNetworkRules[].id`.
    #[serde(default)]
    pub virtual_network_rules: Vec<String>,
    /// `disableLocalAuth`: account keys (and resource tokens) refused, Entra ID only.
    #[serde(default)]
    pub disable_local_auth: Option<bool>,
    /// `backupPolicy.type`: `Periodic` or `Continuous`.
    #[serde(default)]
    pub backup_policy_type: Option<String>,
    /// `backupPolicy.periodicModeProperties.backupRetentionIntervalInHours`.
    #[serde(default)]
    pub backup_retention_hours: Option<i32>,
    /// `backupPolicy.continuousModeProperties.tier`: `Continuous7Days`, `Continuous30Days`.
    #[serde(default)]
    pub continuous_backup_tier: Option<String>,
    /// `minimalTlsVersion`: `Tls`, `Tls11`, `Tls12`.
    #[serde(default)]
    pub minimal_tls_version: Option<String>,
}

/// An App Service web app (`Microsoft.Web/sites`) with its site configuration (`config/web`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebApp {
    pub resource: ResourceRef,
    /// `kind`: `app`, `app,linux`, `functionapp`, ...
    #[serde(default)]
    pub kind: Option<String>,
    /// `httpsOnly`: plain HTTP is redirected to HTTPS.
    #[serde(default)]
    pub https_only: Option<bool>,
    /// Site config `minTlsVersion`: `1.0`, `1.1`, `1.2`, `1.3`.
    #[serde(default)]
    pub min_tls_version: Option<String>,
    /// Site config `scmMinTlsVersion` (the Kudu/deployment endpoint).
    #[serde(default)]
    pub scm_min_tls_version: Option<String>,
    /// Site config `ftpsState`: `AllAllowed`, `FtpsOnly`, `Disabled`.
    #[serde(default)]
    pub ftps_state: Option<String>,
}

/// An Azure Cache for Redis (`Microsoft.Cache/redis`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RedisCache {
    pub resource: ResourceRef,
    /// `enableNonSslPort`: the plain-text port 6379 is open.
    #[serde(default)]
    pub enable_non_ssl_port: Option<bool>,
    /// `minimumTlsVersion`: `1.0`, `1.1`, `1.2`.
    #[serde(default)]
    pub minimum_tls_version: Option<String>,
    /// `Enabled` or `Disabled`; omitted means `Enabled`.
    #[serde(default)]
    pub public_network_access: Option<String>,
    /// `subnetId`: a Premium cache injected into a virtual network has no public endpoint.
    #[serde(default)]
    pub subnet_id: Option<String>,
}

/// The long-term retention policy of an Azure SQL database: the resource is the policy
/// (`<database id>/backupLongTermRetentionPolicies/default`), named and tagged like its
/// database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SqlLtrPolicy {
    pub resource: ResourceRef,
    pub server_id: String,
    /// ISO 8601 durations (`P12W`, `P1Y`); `PT0S` or omitted: no backup of that period kept.
    #[serde(default)]
    pub weekly_retention: Option<String>,
    #[serde(default)]
    pub monthly_retention: Option<String>,
    #[serde(default)]
    pub yearly_retention: Option<String>,
}

/// One database of a SQL managed instance and its transparent data encryption state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedDatabaseTde {
    pub name: String,
    /// `Enabled` or `Disabled`.
    #[serde(default)]
    pub tde_state: Option<String>,
}

/// An Azure SQL managed instance (`Microsoft.Sql/managedInstances`) and its user databases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SqlManagedInstance {
    pub resource: ResourceRef,
    /// `publicDataEndpointEnabled`: the instance answers on a public endpoint (port 3342).
    #[serde(default)]
    pub public_data_endpoint_enabled: Option<bool>,
    #[serde(default)]
    pub minimal_tls_version: Option<String>,
    #[serde(default)]
    pub databases: Vec<ManagedDatabaseTde>,
}

/// A storage account's blob service data protection: the resource is the blob service
/// (`<account id>/blobServices/default`), named and tagged like its account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlobService {
    pub resource: ResourceRef,
    /// `deleteRetentionPolicy.enabled` / `.days`: deleted blobs are kept (soft delete).
    #[serde(default)]
    pub delete_retention_enabled: Option<bool>,
    #[serde(default)]
    pub delete_retention_days: Option<i32>,
    /// `containerDeleteRetentionPolicy`: deleted containers are kept.
    #[serde(default)]
    pub container_delete_retention_enabled: Option<bool>,
    #[serde(default)]
    pub container_delete_retention_days: Option<i32>,
    /// `isVersioningEnabled`: every overwrite keeps the previous version.
    #[serde(default)]
    pub versioning_enabled: Option<bool>,
}
