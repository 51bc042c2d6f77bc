//! Azure monitoring and governance settings: NSG / virtual network flow logs, Key Vault
//! diagnostic settings, Defender for Cloud plans, role assignments and custom roles.

use serde::{Deserialize, Serialize};

use super::super::ResourceRef;
use super::ActivityLogDiagnosticSetting;

/// A diagnostic setting of any resource: where its logs go and which categories are on.
/// The activity log's settings have the same shape.
pub type DiagnosticSetting = ActivityLogDiagnosticSetting;

/// A Network Watcher flow log (`networkWatchers/{watcher}/flowLogs/{name}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowLog {
    pub resource: ResourceRef,
    /// `targetResourceId`: the NSG (NSG flow logs) or the virtual network, subnet or NIC
    /// (virtual network flow logs) whose traffic is logged.
    pub target_resource_id: String,
    #[serde(default)]
    pub enabled: Option<bool>,
    /// `storageId`: the storage account the records go to.
    #[serde(default)]
    pub storage_id: Option<String>,
    /// `retentionPolicy.enabled` / `.days` (0: kept forever).
    #[serde(default)]
    pub retention_enabled: Option<bool>,
    #[serde(default)]
    pub retention_days: Option<i32>,
}

/// A Key Vault's diagnostic settings: the resource is their collection
/// (`<vault id>/providers/Microsoft.Insights/diagnosticSettings`), named and tagged like the
/// vault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyVaultDiagnostics {
    pub resource: ResourceRef,
    #[serde(default)]
    pub settings: Vec<DiagnosticSetting>,
}

/// One Defender for Cloud plan (`Microsoft.Security/pricings/{name}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefenderPlan {
    /// `VirtualMachines`, `SqlServers`, `StorageAccounts`, `KeyVaults`, ...
    pub name: String,
    /// `Free` or `Standard`.
    #[serde(default)]
    pub pricing_tier: Option<String>,
    /// `P1`, `P2`, `DefenderForStorageV2`, ...
    #[serde(default)]
    pub sub_plan: Option<String>,
}

/// A subscription's Defender for Cloud plans; one per subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefenderPlans {
    pub resource: ResourceRef,
    #[serde(default)]
    pub plans: Vec<DefenderPlan>,
}

/// One role assignment that applies to a subscription as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleAssignment {
    pub id: String,
    /// `/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{guid}`.
    pub role_definition_id: String,
    pub principal_id: String,
    /// `User`, `Group`, `ServicePrincipal`, `ForeignGroup`, `Device`.
    #[serde(default)]
    pub principal_type: Option<String>,
    /// Where it is assigned: the subscription, a management group above it, or `/`.
    pub scope: String,
}

/// The role assignments at a subscription's scope or inherited from above it (the
/// `atScope()` filter): who controls the subscription as a whole. One per subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubscriptionRoleAssignments {
    pub resource: ResourceRef,
    #[serde(default)]
    pub assignments: Vec<RoleAssignment>,
}

/// A custom role definition assignable in the subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomRole {
    pub resource: ResourceRef,
    pub role_name: String,
    #[serde(default)]
    pub assignable_scopes: Vec<String>,
    /// `permissions[].actions` of every permission block, in order.
    #[serde(default)]
    pub actions: Vec<String>,
    #[serde(default)]
    pub not_actions: Vec<String>,
    #[serde(default)]
    pub data_actions: Vec<String>,
}

impl ActivityLogDiagnosticSetting {
    /// The setting sends its logs somewhere: a storage account, a Log Analytics workspace,
    /// an event hub or a partner solution.
    pub fn has_destination(&self) -> bool {
        self.storage_account_id.is_some()
            || self.workspace_id.is_some()
            || self.event_hub_authorization_rule_id.is_some()
            || self.marketplace_partner_id.is_some()
    }

    /// Log category `category` is on, by name or through one of the category `groups` that
    /// include it (`allLogs` includes every category).
    pub fn enables(&self, category: &str, groups: &[&str]) -> bool {
        self.enabled_categories.iter().any(|c| {
            c.eq_ignore_ascii_case(category)
                || c.eq_ignore_ascii_case("allLogs")
                || groups.iter().any(|g| c.eq_ignore_ascii_case(g))
        })
    }
}
