//! Builders for the Azure kinds of issue 18 (data services, monitoring, RBAC): each returns a
//! resource that passes every check reading its kind, in `eastus` of the test subscription
//! (account-wide settings in `global`), named by its id.

use phiscan_core::model::azure::*;
use phiscan_core::ResourceKind;

use super::super::azure_ref;

/// A Cosmos DB account with a customer-managed key, closed to public networks, Entra ID
/// only, continuous backup and TLS 1.2.
pub fn cosmosdb_account(id: &str) -> CosmosDbAccount {
    CosmosDbAccount {
        resource: azure_ref(ResourceKind::AzureCosmosDbAccount, "eastus", id),
        key_vault_key_uri: Some("https://kv-1.vault.azure.net/keys/cosmos".into()),
        public_network_access: Some("Disabled".into()),
        ip_rules: vec![],
        is_virtual_network_filter_enabled: Some(false),
        virtual_network_rules: vec![],
        disable_local_auth: Some(true),
        backup_policy_type: Some("Continuous".into()),
        backup_retention_hours: None,
        continuous_backup_tier: Some("Continuous30Days".into()),
        minimal_tls_version: Some("Tls12".into()),
    }
}

/// A web app with HTTPS only, TLS 1.2 and FTP disabled.
pub fn web_app(id: &str) -> WebApp {
    WebApp {
        resource: azure_ref(ResourceKind::AzureWebApp, "eastus", id),
        kind: Some("app".into()),
        https_only: Some(true),
        min_tls_version: Some("1.2".into()),
        scm_min_tls_version: Some("1.2".into()),
        ftps_state: Some("Disabled".into()),
    }
}

/// A Redis cache with the non-TLS port closed, TLS 1.2 and no public endpoint.
pub fn redis_cache(id: &str) -> RedisCache {
    RedisCache {
        resource: azure_ref(ResourceKind::AzureRedisCache, "eastus", id),
        enable_non_ssl_port: Some(false),
        minimum_tls_version: Some("1.2".into()),
        public_network_access: Some("Disabled".into()),
        subnet_id: None,
    }
}

/// A database of server `sql-1` keeping weekly, monthly and yearly backups.
pub fn sql_ltr_policy(id: &str) -> SqlLtrPolicy {
    SqlLtrPolicy {
        resource: azure_ref(ResourceKind::AzureSqlLtrPolicy, "eastus", id),
        server_id: "sql-1".into(),
        weekly_retention: Some("P12W".into()),
        monthly_retention: Some("P12M".into()),
        yearly_retention: Some("P6Y".into()),
    }
}

/// A managed instance without public endpoint, TLS 1.2, one encrypted database.
pub fn sql_managed_instance(id: &str) -> SqlManagedInstance {
    SqlManagedInstance {
        resource: azure_ref(ResourceKind::AzureSqlManagedInstance, "eastus", id),
        public_data_endpoint_enabled: Some(false),
        minimal_tls_version: Some("1.2".into()),
        databases: vec![ManagedDatabaseTde {
            name: "db".into(),
            tde_state: Some("Enabled".into()),
        }],
    }
}

/// A blob service with blob and container soft delete (14 days) and versioning.
pub fn blob_service(id: &str) -> BlobService {
    BlobService {
        resource: azure_ref(ResourceKind::AzureBlobService, "eastus", id),
        delete_retention_enabled: Some(true),
        delete_retention_days: Some(14),
        container_delete_retention_enabled: Some(true),
        container_delete_retention_days: Some(14),
        versioning_enabled: Some(true),
    }
}

/// An enabled flow log of `target`, to a storage account.
pub fn flow_log(id: &str, target: &str) -> FlowLog {
    FlowLog {
        resource: azure_ref(ResourceKind::AzureFlowLog, "eastus", id),
        target_resource_id: target.into(),
        enabled: Some(true),
        storage_id: Some("st-flowlogs".into()),
        retention_enabled: Some(true),
        retention_days: Some(365),
    }
}

/// A vault whose one diagnostic setting sends AuditEvent to a Log Analytics workspace.
pub fn key_vault_diagnostics(id: &str) -> KeyVaultDiagnostics {
    KeyVaultDiagnostics {
        resource: azure_ref(ResourceKind::AzureKeyVaultDiagnostics, "eastus", id),
        settings: vec![DiagnosticSetting {
            name: "audit-to-law".into(),
            storage_account_id: None,
            workspace_id: Some("law-security".into()),
            event_hub_authorization_rule_id: None,
            marketplace_partner_id: None,
            enabled_categories: vec!["AuditEvent".into()],
        }],
    }
}

/// A subscription's Defender plans with servers, SQL, storage and Key Vault on Standard.
pub fn defender_plans(id: &str) -> DefenderPlans {
    let plan = |name: &str| DefenderPlan {
        name: name.into(),
        pricing_tier: Some("Standard".into()),
        sub_plan: None,
    };
    DefenderPlans {
        resource: azure_ref(ResourceKind::AzureDefenderPlans, "global", id),
        plans: [
            "VirtualMachines",
            "SqlServers",
            "StorageAccounts",
            "KeyVaults",
        ]
        .into_iter()
        .map(plan)
        .collect(),
    }
}

/// A subscription's role assignments, none: tests add theirs.
pub fn role_assignments(id: &str) -> SubscriptionRoleAssignments {
    SubscriptionRoleAssignments {
        resource: azure_ref(ResourceKind::AzureRoleAssignments, "global", id),
        assignments: vec![],
    }
}

/// An assignment of role `role` (a role definition guid) on the test subscription to a user.
pub fn role_assignment(id: &str, role: &str) -> RoleAssignment {
    RoleAssignment {
        id: id.into(),
        role_definition_id: format!(
            "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/{role}"
        ),
        principal_id: format!("principal-{id}"),
        principal_type: Some("User".into()),
        scope: "/subscriptions/s".into(),
    }
}

/// A custom role with these actions, assignable on the test subscription.
pub fn custom_role(id: &str, actions: &[&str]) -> CustomRole {
    CustomRole {
        resource: azure_ref(ResourceKind::AzureCustomRole, "global", id),
        role_name: id.into(),
        assignable_scopes: vec!["/subscriptions/s".into()],
        actions: actions.iter().map(|a| a.to_string()).collect(),
        not_actions: vec![],
        data_actions: vec![],
    }
}
