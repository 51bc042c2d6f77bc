use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::CosmosDbAccount;

use crate::azure::support::{cmk_required_by, data_classification};

declare_check! {
    /// ## What it checks
    /// Where a customer-managed key is demanded, a Cosmos DB account encrypts its data with
    /// one: ARM reports `keyVaultKeyUri` (a Key Vault or Managed HSM key). Every account is
    /// encrypted with a Microsoft-managed key anyway; this check is about who controls the
    /// key.
    ///
    /// It is demanded when `params.require_customer_managed_keys` is set, or when the
    /// account is tagged `data-classification = protected` (tag name and value compared
    /// case-insensitively), the rule of `azure-disk-encrypted` and
    /// `azure-storage-cmk-or-double-encryption`. Other accounts are NOT_APPLICABLE.
    ///
    /// ## Why it matters
    /// The encryption specification (45 CFR 164.312(a)(2)(iv)): for Protected data (PHI),
    /// phiscan reads the data classification taxonomy as requiring keys the customer can
    /// revoke or rotate, so that ePHI in Cosmos DB can be made unreadable on demand and key
    /// use is logged in the customer's own vault.
    ///
    /// ## Evidence
    /// `key_vault_key_uri` (null when not reported), `data_classification`, `required_by`.
    ///
    /// ## Remediation
    /// A customer-managed key can only be set when the account is created (or, for accounts
    /// with continuous backup, by `az cosmosdb update --key-uri`): grant the account's
    /// identity `get`/`wrapKey`/`unwrapKey` on a Key Vault key and create the account with
    /// `az cosmosdb create ... --key-uri https://<vault>.vault.azure.net/keys/<key>`, then
    /// migrate the data.
    pub struct CosmosDbCmk {
        id: "azure-cosmosdb-cmk",
        title: "Cosmos DB accounts holding Protected data use a customer-managed key",
        severity: Medium,
        provider: Azure,
        kinds: [AzureCosmosDbAccount],
        controls: [EncryptionDecryption],
    }
}

impl Check for CosmosDbCmk {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<CosmosDbAccount>()
            .iter()
            .map(|a| {
                let required_by = cmk_required_by(ctx, &a.resource);
                let builder = if required_by.is_empty() {
                    ctx.not_applicable(&a.resource).reason(
                        "Neither the configuration nor a data-classification=protected tag demands a customer-managed key for this account.",
                    )
                } else {
                    let reason = match &a.key_vault_key_uri {
                        Some(uri) => format!("The account's data is encrypted with the customer-managed key {uri}."),
                        None => format!(
                            "Required by {}, but the account reports no keyVaultKeyUri: its data is encrypted with a Microsoft-managed key only.",
                            required_by.join(", ")
                        ),
                    };
                    ctx.verdict(a.key_vault_key_uri.is_some(), &a.resource).reason(reason)
                };
                builder
                    .evidence("key_vault_key_uri", &a.key_vault_key_uri)
                    .evidence("data_classification", data_classification(&a.resource))
                    .evidence("required_by", &required_by)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::cosmosdb_account;
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};

    fn account(id: &str, protected: bool, key: bool) -> CosmosDbAccount {
        let mut a = cosmosdb_account(id);
        if protected {
            a.resource = a.resource.with_tag("Data-Classification", "Protected");
        }
        if !key {
            a.key_vault_key_uri = None;
        }
        a
    }

    #[test]
    fn protected_accounts_need_a_customer_key() {
        let mut inv = Inventory::new();
        inv.azure_cosmosdb_accounts = vec![
            account("phi-cmk", true, true),
            account("phi-ms-key", true, false),
            account("internal-ms-key", false, false),
        ];
        let f = run(&CosmosDbCmk, &inv);
        f.assert_statuses(&[("phi-cmk", Status::Pass), ("phi-ms-key", Status::Fail), ("internal-ms-key", Status::NotApplicable)]);

        let mut config = Config::default();
        config.params.require_customer_managed_keys = true;
        let f = run_with(&CosmosDbCmk, &inv, &config);
        assert_eq!(f.status_of("internal-ms-key"), Status::Fail);
    }
}
