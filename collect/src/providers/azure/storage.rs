//! `Microsoft.Storage`: storage accounts.

use serde::Deserialize;

use super::arm::Item;
use super::client::{Arm, Op};
use super::{fail, versions};
use crate::model::azure::StorageAccount;
use crate::model::{Inventory, ResourceKind};

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Properties {
    supports_https_traffic_only: Option<bool>,
    minimum_tls_version: Option<String>,
    allow_blob_public_access: Option<bool>,
    encryption: Option<Encryption>,
    network_acls: Option<NetworkAcls>,
    public_network_access: Option<String>,
    allow_shared_key_access: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Encryption {
    key_source: Option<String>,
    require_infrastructure_encryption: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct NetworkAcls {
    default_action: Option<String>,
}

/// StorageAccounts_List: every storage account of the subscription, with its properties
/// (no keys: phiscan never calls listKeys).
pub async fn accounts(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let op = Op::new("Microsoft.Storage", "StorageAccounts_List", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Storage/storageAccounts");
    match arm
        .list::<Item<Properties>>(&path, versions::STORAGE, &[], &op)
        .await
    {
        Ok(items) => {
            inv.azure_storage_accounts = items
                .iter()
                .map(|a| {
                    let p = &a.properties;
                    StorageAccount {
                        resource: a.resource(ResourceKind::AzureStorageAccount, sub),
                        supports_https_traffic_only: p.supports_https_traffic_only,
                        minimum_tls_version: p.minimum_tls_version.clone(),
                        allow_blob_public_access: p.allow_blob_public_access,
                        key_source: p.encryption.as_ref().and_then(|e| e.key_source.clone()),
                        require_infrastructure_encryption: p
                            .encryption
                            .as_ref()
                            .and_then(|e| e.require_infrastructure_encryption),
                        network_default_action: p
                            .network_acls
                            .as_ref()
                            .and_then(|n| n.default_action.clone()),
                        public_network_access: p.public_network_access.clone(),
                        allow_shared_key_access: p.allow_shared_key_access,
                    }
                })
                .collect()
        }
        Err(e) => inv
            .errors
            .push(fail(sub, None, ResourceKind::AzureStorageAccount, &e)),
    }
    inv
}
