//! Cosmos DB accounts: the patient-engagement app's store, hardened, and the analytics
//! team's account, created with the portal's defaults.

use super::{arm_ref, EAST, EAST2};
use crate::model::azure::CosmosDbAccount;
use crate::model::{Inventory, ResourceKind};

pub(super) fn add(inv: &mut Inventory) {
    let engagement = CosmosDbAccount {
        key_vault_key_uri: Some(
            "https://kv-qolty-ephi-cmk.vault.azure.net/keys/cosmos-engagement".into(),
        ),
        public_network_access: Some("Disabled".into()),
        disable_local_auth: Some(true),
        backup_policy_type: Some("Continuous".into()),
        continuous_backup_tier: Some("Continuous30Days".into()),
        minimal_tls_version: Some("Tls12".into()),
        ..account("cosmos-qolty-engagement", "rg-ephi-data", EAST)
    };
    // Portal defaults of 2021: open to all networks, keys on, 8 hours of periodic backups.
    let analytics = CosmosDbAccount {
        backup_policy_type: Some("Periodic".into()),
        backup_retention_hours: Some(8),
        minimal_tls_version: Some("Tls".into()),
        ..account("cosmos-qolty-analytics", "rg-qolty-analytics", EAST2)
    };
    inv.azure_cosmosdb_accounts = vec![engagement, analytics];
}

/// An account reporting what a fresh one reports: no key, public access enabled, no rules.
fn account(name: &str, rg: &str, location: &str) -> CosmosDbAccount {
    CosmosDbAccount {
        resource: arm_ref(
            ResourceKind::AzureCosmosDbAccount,
            location,
            rg,
            "Microsoft.DocumentDB/databaseAccounts",
            name,
        )
        .with_tag("data-classification", "protected"),
        key_vault_key_uri: None,
        public_network_access: Some("Enabled".into()),
        ip_rules: vec![],
        is_virtual_network_filter_enabled: Some(false),
        virtual_network_rules: vec![],
        disable_local_auth: Some(false),
        backup_policy_type: None,
        backup_retention_hours: None,
        continuous_backup_tier: None,
        minimal_tls_version: None,
    }
}
