//! `Microsoft.KeyVault`: vaults (management plane only: no keys, secrets or certificates)
//! and, when wanted, each vault's diagnostic settings (`Microsoft.Insights`). One walk of
//! the vaults fills both kinds; a vault whose settings cannot be read is an error for its
//! diagnostics alone.

use std::collections::BTreeSet;

use futures::future::join_all;
use serde::Deserialize;

use super::arm::Item;
use super::client::{Arm, Op};
use super::{fail, fail_on, monitor, versions};
use crate::model::azure::{KeyVault, KeyVaultDiagnostics};
use crate::model::{Inventory, ResourceKind};

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Properties {
    enable_soft_delete: Option<bool>,
    soft_delete_retention_in_days: Option<i32>,
    enable_purge_protection: Option<bool>,
    public_network_access: Option<String>,
    enable_rbac_authorization: Option<bool>,
    network_acls: Option<NetworkAcls>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct NetworkAcls {
    default_action: Option<String>,
}

/// Vaults_ListBySubscription; DiagnosticSettings_List per vault when diagnostics are wanted.
pub async fn vaults(arm: &Arm, sub: &str, kinds: &BTreeSet<ResourceKind>) -> Inventory {
    let mut inv = Inventory::default();
    let want_vaults = kinds.contains(&ResourceKind::AzureKeyVault);
    let want_diagnostics = kinds.contains(&ResourceKind::AzureKeyVaultDiagnostics);
    let op = Op::new("Microsoft.KeyVault", "Vaults_ListBySubscription", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.KeyVault/vaults");
    match arm
        .list::<Item<Properties>>(&path, versions::KEY_VAULT, &[], &op)
        .await
    {
        Ok(items) => {
            if want_diagnostics {
                diagnostics(arm, sub, &items, &mut inv).await;
            }
            if !want_vaults {
                return inv;
            }
            inv.azure_key_vaults = items
                .iter()
                .map(|v| {
                    let p = &v.properties;
                    KeyVault {
                        resource: v.resource(ResourceKind::AzureKeyVault, sub),
                        soft_delete_enabled: p.enable_soft_delete,
                        soft_delete_retention_days: p.soft_delete_retention_in_days,
                        purge_protection_enabled: p.enable_purge_protection,
                        public_network_access: p.public_network_access.clone(),
                        enable_rbac_authorization: p.enable_rbac_authorization,
                        network_default_action: p
                            .network_acls
                            .as_ref()
                            .and_then(|n| n.default_action.clone()),
                    }
                })
                .collect()
        }
        Err(e) => {
            let kinds = [
                (want_vaults, ResourceKind::AzureKeyVault),
                (want_diagnostics, ResourceKind::AzureKeyVaultDiagnostics),
            ];
            for (_, kind) in kinds.into_iter().filter(|(w, _)| *w) {
                inv.errors.push(fail(sub, None, kind, &e));
            }
        }
    }
    inv
}

async fn diagnostics(arm: &Arm, sub: &str, vaults: &[Item<Properties>], out: &mut Inventory) {
    let kind = ResourceKind::AzureKeyVaultDiagnostics;
    let operation = "DiagnosticSettings_List";
    let got = join_all(vaults.iter().map(|v| {
        let op = Op::new("Microsoft.Insights", operation, sub).in_region(&v.location());
        async move {
            let path = format!("{}/providers/Microsoft.Insights/diagnosticSettings", v.id);
            let api = versions::RESOURCE_DIAGNOSTIC_SETTINGS;
            arm.list::<monitor::Setting>(&path, api, &[], &op).await
        }
    }))
    .await;
    for (v, got) in vaults.iter().zip(got) {
        let suffix = "/providers/Microsoft.Insights/diagnosticSettings";
        let resource = v.sub_resource(kind, sub, suffix);
        let settings = match got {
            Ok(items) => monitor::settings(&items),
            Err(e) => {
                out.errors.push(fail_on(&resource, operation, &e));
                Vec::new()
            }
        };
        out.azure_key_vault_diagnostics
            .push(KeyVaultDiagnostics { resource, settings });
    }
}
