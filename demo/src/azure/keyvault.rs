//! Key vaults and their diagnostic settings.

use super::{arm_id, arm_ref, EAST};
use crate::model::azure::{DiagnosticSetting, KeyVault, KeyVaultDiagnostics};
use crate::model::{Inventory, ResourceKind};

pub(super) fn add(inv: &mut Inventory) {
    let mut app_secrets = key_vault("kv-qolty-app-secrets", Some(true), None);
    // Reachable from any network: the CI runners' addresses were never listed.
    app_secrets.public_network_access = Some("Enabled".into());
    app_secrets.network_default_action = Some("Allow".into());
    app_secrets.enable_rbac_authorization = Some(false);
    inv.azure_key_vaults = vec![
        // Created after 2020: ARM omits enableSoftDelete, which can no longer be turned off.
        key_vault("kv-qolty-ephi-cmk", None, Some(true)),
        app_secrets,
    ];
    // The key vault's audit log goes to the security workspace; the app secrets' vault has
    // no diagnostic setting.
    let workspace = arm_id(
        "rg-ephi-security",
        "Microsoft.OperationalInsights/workspaces",
        "law-qolty-security",
    );
    inv.azure_key_vault_diagnostics = inv
        .azure_key_vaults
        .iter()
        .map(|v| {
            let mut resource = v.resource.clone();
            resource.kind = ResourceKind::AzureKeyVaultDiagnostics;
            resource.id = format!(
                "{}/providers/Microsoft.Insights/diagnosticSettings",
                v.resource.id
            );
            let audited = v.resource.name == "kv-qolty-ephi-cmk";
            KeyVaultDiagnostics {
                resource,
                settings: audited
                    .then(|| DiagnosticSetting {
                        name: "audit-to-security-law".into(),
                        storage_account_id: None,
                        workspace_id: Some(workspace.clone()),
                        event_hub_authorization_rule_id: None,
                        marketplace_partner_id: None,
                        enabled_categories: vec!["audit".into()],
                    })
                    .into_iter()
                    .collect(),
            }
        })
        .collect();
}

fn key_vault(name: &str, soft: Option<bool>, purge: Option<bool>) -> KeyVault {
    KeyVault {
        resource: arm_ref(
            ResourceKind::AzureKeyVault,
            EAST,
            "rg-ephi-security",
            "Microsoft.KeyVault/vaults",
            name,
        ),
        soft_delete_enabled: soft,
        soft_delete_retention_days: Some(90),
        purge_protection_enabled: purge,
        public_network_access: Some("Disabled".into()),
        enable_rbac_authorization: Some(true),
        network_default_action: Some("Deny".into()),
    }
}
