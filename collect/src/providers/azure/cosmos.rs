//! `Microsoft.DocumentDB`: Cosmos DB database accounts (management plane only: no keys, no
//! data).

use serde::Deserialize;

use super::arm::{IdRef, Item};
use super::client::{Arm, Op};
use super::{fail, versions};
use crate::model::azure::CosmosDbAccount;
use crate::model::{Inventory, ResourceKind};

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Properties {
    key_vault_key_uri: Option<String>,
    public_network_access: Option<String>,
    ip_rules: Vec<IpRule>,
    is_virtual_network_filter_enabled: Option<bool>,
    virtual_network_rules: Vec<IdRef>,
    disable_local_auth: Option<bool>,
    backup_policy: Option<BackupPolicy>,
    minimal_tls_version: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct IpRule {
    ip_address_or_range: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct BackupPolicy {
    #[serde(rename = "type")]
    kind: Option<String>,
    periodic_mode_properties: Option<Periodic>,
    continuous_mode_properties: Option<Continuous>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Periodic {
    backup_retention_interval_in_hours: Option<i32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Continuous {
    tier: Option<String>,
}

/// DatabaseAccounts_List.
pub async fn accounts(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let kind = ResourceKind::AzureCosmosDbAccount;
    let op = Op::new("Microsoft.DocumentDB", "DatabaseAccounts_List", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.DocumentDB/databaseAccounts");
    match arm
        .list::<Item<Properties>>(&path, versions::COSMOS_DB, &[], &op)
        .await
    {
        Ok(items) => {
            inv.azure_cosmosdb_accounts = items
                .iter()
                .map(|a| {
                    let p = &a.properties;
                    let backup = p.backup_policy.as_ref();
                    CosmosDbAccount {
                        resource: a.resource(kind, sub),
                        key_vault_key_uri: p
                            .key_vault_key_uri
                            .clone()
                            .filter(|k| !k.trim().is_empty()),
                        public_network_access: p.public_network_access.clone(),
                        ip_rules: p
                            .ip_rules
                            .iter()
                            .map(|r| r.ip_address_or_range.trim().to_string())
                            .collect(),
                        is_virtual_network_filter_enabled: p.is_virtual_network_filter_enabled,
                        virtual_network_rules: p
                            .virtual_network_rules
                            .iter()
                            .filter_map(|r| r.id.clone())
                            .collect(),
                        disable_local_auth: p.disable_local_auth,
                        backup_policy_type: backup.and_then(|b| b.kind.clone()),
                        backup_retention_hours: backup
                            .and_then(|b| b.periodic_mode_properties.as_ref())
                            .and_then(|m| m.backup_retention_interval_in_hours),
                        continuous_backup_tier: backup
                            .and_then(|b| b.continuous_mode_properties.as_ref())
                            .and_then(|m| m.tier.clone()),
                        minimal_tls_version: p.minimal_tls_version.clone(),
                    }
                })
                .collect()
        }
        Err(e) => inv.errors.push(fail(sub, None, kind, &e)),
    }
    inv
}
