//! `Microsoft.Storage`: storage accounts and their blob service data protection (soft
//! delete, versioning). One walk of the accounts fills both kinds; an account whose blob
//! service properties cannot be read is an error for that account's blob service alone.

use std::collections::BTreeSet;

use futures::future::join_all;
use serde::Deserialize;

use super::arm::Item;
use super::client::{Arm, Op};
use super::{fail, fail_on, versions};
use crate::model::azure::{BlobService, StorageAccount};
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
/// (no keys: phiscan never calls listKeys); BlobServices_GetServiceProperties per account
/// when blob services are wanted.
pub async fn accounts(arm: &Arm, sub: &str, kinds: &BTreeSet<ResourceKind>) -> Inventory {
    let mut inv = Inventory::default();
    let want_accounts = kinds.contains(&ResourceKind::AzureStorageAccount);
    let want_blobs = kinds.contains(&ResourceKind::AzureBlobService);
    let op = Op::new("Microsoft.Storage", "StorageAccounts_List", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Storage/storageAccounts");
    match arm
        .list::<Item<Properties>>(&path, versions::STORAGE, &[], &op)
        .await
    {
        Ok(items) => {
            if want_blobs {
                blob_services(arm, sub, &items, &mut inv).await;
            }
            if !want_accounts {
                return inv;
            }
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
        Err(e) => {
            let kinds = [
                (want_accounts, ResourceKind::AzureStorageAccount),
                (want_blobs, ResourceKind::AzureBlobService),
            ];
            for (_, kind) in kinds.into_iter().filter(|(w, _)| *w) {
                inv.errors.push(fail(sub, None, kind, &e));
            }
        }
    }
    inv
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct BlobProperties {
    delete_retention_policy: Option<Retention>,
    container_delete_retention_policy: Option<Retention>,
    is_versioning_enabled: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Retention {
    enabled: Option<bool>,
    days: Option<i32>,
}

async fn blob_services(arm: &Arm, sub: &str, accounts: &[Item<Properties>], out: &mut Inventory) {
    let kind = ResourceKind::AzureBlobService;
    let got = join_all(accounts.iter().map(|a| {
        let op = Op::new(
            "Microsoft.Storage",
            "BlobServices_GetServiceProperties",
            sub,
        )
        .in_region(&a.location());
        async move {
            let path = format!("{}/blobServices/default", a.id);
            arm.get::<Item<BlobProperties>>(&path, versions::STORAGE, &op)
                .await
        }
    }))
    .await;
    for (a, got) in accounts.iter().zip(got) {
        let resource = a.sub_resource(kind, sub, "/blobServices/default");
        let p = match got {
            Ok(b) => b.properties,
            Err(e) => {
                let op = "BlobServices_GetServiceProperties";
                out.errors.push(fail_on(&resource, op, &e));
                BlobProperties::default()
            }
        };
        let (blob, container) = (
            p.delete_retention_policy.unwrap_or_default(),
            p.container_delete_retention_policy.unwrap_or_default(),
        );
        out.azure_blob_services.push(BlobService {
            resource,
            delete_retention_enabled: blob.enabled,
            delete_retention_days: blob.days,
            container_delete_retention_enabled: container.enabled,
            container_delete_retention_days: container.days,
            versioning_enabled: p.is_versioning_enabled,
        });
    }
}
