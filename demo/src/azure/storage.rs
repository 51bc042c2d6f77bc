//! Storage accounts and their blob service data protection.

use super::{arm_ref, EAST};
use crate::model::azure::{BlobService, StorageAccount};
use crate::model::{Inventory, ResourceKind};

pub(super) fn add(inv: &mut Inventory) {
    inv.azure_storage_accounts = vec![
        storage(
            "stqoltyphiuploads",
            "rg-ephi-data",
            "protected",
            Some(true),
            Some("TLS1_2"),
            Some(false),
        ),
        storage(
            "stqoltylegacyexports",
            "rg-qolty-legacy",
            "protected",
            Some(false),
            Some("TLS1_0"),
            Some(true),
        ),
        // Created in 2021 and never touched: ARM omits the unset properties.
        storage(
            "stqoltydiaglogs",
            "rg-qolty-analytics",
            "internal",
            None,
            Some("TLS1_2"),
            None,
        ),
    ];
    // Uploads keep deleted blobs, containers and versions; the legacy exports nothing; the
    // diagnostics account has the portal's default blob soft delete (7 days) only.
    inv.azure_blob_services = inv
        .azure_storage_accounts
        .iter()
        .zip([
            (true, true, true),
            (false, false, false),
            (true, false, false),
        ])
        .map(|(a, (blobs, containers, versions))| {
            let mut resource = a.resource.clone();
            resource.kind = ResourceKind::AzureBlobService;
            resource.id = format!("{}/blobServices/default", a.resource.id);
            BlobService {
                resource,
                delete_retention_enabled: Some(blobs),
                delete_retention_days: blobs.then_some(7),
                container_delete_retention_enabled: Some(containers),
                container_delete_retention_days: containers.then_some(7),
                versioning_enabled: Some(versions),
            }
        })
        .collect();
}

fn storage(
    name: &str,
    rg: &str,
    class: &str,
    https: Option<bool>,
    tls: Option<&str>,
    public: Option<bool>,
) -> StorageAccount {
    let hardened = public == Some(false);
    StorageAccount {
        resource: arm_ref(
            ResourceKind::AzureStorageAccount,
            EAST,
            rg,
            "Microsoft.Storage/storageAccounts",
            name,
        )
        .with_tag("data-classification", class),
        supports_https_traffic_only: https,
        minimum_tls_version: tls.map(Into::into),
        allow_blob_public_access: public,
        key_source: Some(
            if hardened {
                "Microsoft.Keyvault"
            } else {
                "Microsoft.Storage"
            }
            .into(),
        ),
        require_infrastructure_encryption: Some(hardened),
        network_default_action: Some(if hardened { "Deny" } else { "Allow" }.into()),
        public_network_access: Some(if hardened { "Disabled" } else { "Enabled" }.into()),
        allow_shared_key_access: Some(!hardened),
    }
}
