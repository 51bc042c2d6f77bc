//! `Microsoft.RecoveryServices`: Recovery Services vaults and their Azure VM backup items.
//!
//! Items are listed per vault with the filter of the official example
//! (`backupManagementType eq 'AzureIaasVM' and itemType eq 'VM'`): the backup check is about
//! VMs, and other workloads (SQL in VM, file shares) would only be data phiscan does not read.
//! A vault whose items could not be listed gets a collection error for its (subscription,
//! location): the VMs it may protect cannot be shown protected, nor unprotected.

use chrono::{DateTime, Utc};
use futures::future::join_all;
use serde::de::IgnoredAny;
use serde::Deserialize;

use super::arm::Item;
use super::client::{Arm, Op};
use super::{fail, versions};
use crate::model::azure::BackupProtectedItem;
use crate::model::{Inventory, ResourceKind};

const VM_ITEMS: &str = "backupManagementType eq 'AzureIaasVM' and itemType eq 'VM'";

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ItemProperties {
    friendly_name: Option<String>,
    source_resource_id: Option<String>,
    virtual_machine_id: Option<String>,
    protection_state: Option<String>,
    last_backup_status: Option<String>,
    last_backup_time: Option<String>,
}

pub async fn protected_items(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let kind = ResourceKind::AzureBackupProtectedItem;
    let ns = "Microsoft.RecoveryServices";
    let op = Op::new(ns, "Vaults_ListBySubscriptionId", sub);
    let path = format!("/subscriptions/{sub}/providers/{ns}/vaults");
    let vaults = match arm
        .list::<Item<IgnoredAny>>(&path, versions::RECOVERY_SERVICES, &[], &op)
        .await
    {
        Ok(v) => v,
        Err(e) => {
            inv.errors.push(fail(sub, None, kind, &e));
            return inv;
        }
    };
    let lists = join_all(vaults.iter().map(|v| {
        let op = Op::new(ns, "BackupProtectedItems_List", sub).in_region(&v.location());
        async move {
            let path = format!("{}/backupProtectedItems", v.id);
            arm.list::<Item<ItemProperties>>(
                &path,
                versions::RECOVERY_SERVICES,
                &[("$filter", VM_ITEMS)],
                &op,
            )
            .await
        }
    }))
    .await;
    for (vault, items) in vaults.iter().zip(lists) {
        let region = vault.location();
        let items = match items {
            Ok(i) => i,
            Err(e) => {
                inv.errors.push(fail(sub, Some(region), kind, &e));
                continue;
            }
        };
        for item in items {
            let p = &item.properties;
            let Some(source) = p
                .source_resource_id
                .clone()
                .or_else(|| p.virtual_machine_id.clone())
            else {
                // An item that names no protected resource protects nothing phiscan can match.
                continue;
            };
            let mut resource = item.resource(kind, sub);
            resource.region = region.clone();
            if let Some(friendly) = &p.friendly_name {
                resource.name = friendly.clone();
            }
            inv.azure_backup_protected_items.push(BackupProtectedItem {
                resource,
                source_resource_id: source,
                vault_id: vault.id.clone(),
                protection_state: p.protection_state.clone(),
                last_backup_status: p.last_backup_status.clone(),
                last_backup_time: p
                    .last_backup_time
                    .as_deref()
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| t.with_timezone(&Utc)),
            });
        }
    }
    inv
}
