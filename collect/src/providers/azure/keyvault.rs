//! `Microsoft.KeyVault`: vaults (management plane only: no keys, secrets or certificates).

use serde::Deserialize;

use super::arm::Item;
use super::client::{Arm, Op};
use super::{fail, versions};
use crate::model::azure::KeyVault;
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

/// Vaults_ListBySubscription.
pub async fn vaults(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let op = Op::new("Microsoft.KeyVault", "Vaults_ListBySubscription", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.KeyVault/vaults");
    match arm
        .list::<Item<Properties>>(&path, versions::KEY_VAULT, &[], &op)
        .await
    {
        Ok(items) => {
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
        Err(e) => inv
            .errors
            .push(fail(sub, None, ResourceKind::AzureKeyVault, &e)),
    }
    inv
}
