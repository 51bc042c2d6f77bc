use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::StorageAccount;

declare_check! {
    /// ## What it checks
    /// Where stronger encryption at rest is demanded, a storage account has it: a
    /// customer-managed key (`encryption.keySource = Microsoft.Keyvault`) or infrastructure
    /// (double) encryption (`encryption.requireInfrastructureEncryption = true`). Every
    /// account is encrypted with a Microsoft-managed key anyway; this check is about who
    /// controls the key, or a second independent layer.
    ///
    /// It is demanded when `params.require_customer_managed_keys` is set, or when the
    /// account is tagged `data-classification = protected` (tag name and value compared
    /// case-insensitively), the same rule as `azure-disk-encrypted`. Other accounts are
    /// NOT_APPLICABLE. A demanded account whose key source and infrastructure encryption ARM
    /// did not report FAILs: neither can be shown.
    ///
    /// ## Why it matters
    /// The encryption specification (45 CFR 164.312(a)(2)(iv)): for Protected data (PHI),
    /// phiscan reads the data classification taxonomy as requiring keys the customer can
    /// revoke or rotate, or a second encryption layer, rather than only the platform default.
    ///
    /// ## Evidence
    /// `key_source`, `require_infrastructure_encryption`, `data_classification`,
    /// `required_by` (which rules demand it).
    ///
    /// ## Remediation
    /// Customer-managed key: give the account a managed identity with access to a Key Vault
    /// key, then `az storage account update -n <account> -g <rg> --encryption-key-source
    /// Microsoft.Keyvault --encryption-key-vault <uri> --encryption-key-name <key>`.
    /// Infrastructure encryption can only be chosen at creation
    /// (`az storage account create ... --require-infrastructure-encryption`): move the data
    /// to a new account.
    pub struct StorageStrongEncryptionWhereDemanded {
        id: "azure-storage-cmk-or-double-encryption",
        title: "Storage accounts holding Protected data use a customer key or double encryption",
        severity: Medium,
        provider: Azure,
        kinds: [AzureStorageAccount],
        controls: [EncryptionDecryption],
    }
}

impl Check for StorageStrongEncryptionWhereDemanded {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<StorageAccount>()
            .iter()
            .map(|a| {
                let class = a
                    .resource
                    .tags
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("data-classification"))
                    .map(|(_, v)| v.as_str());
                let mut required_by = Vec::new();
                if ctx.config.params.require_customer_managed_keys {
                    required_by.push("params.require_customer_managed_keys");
                }
                if class.is_some_and(|c| c.trim().eq_ignore_ascii_case("protected")) {
                    required_by.push("data-classification=protected");
                }
                let cmk = a
                    .key_source
                    .as_deref()
                    .is_some_and(|k| k.eq_ignore_ascii_case("Microsoft.Keyvault"));
                let infra = a.require_infrastructure_encryption == Some(true);
                let builder = if required_by.is_empty() {
                    ctx.not_applicable(&a.resource).reason(
                        "Neither the configuration nor a data-classification=protected tag demands a customer key or infrastructure encryption for this account.",
                    )
                } else {
                    let reason = match (cmk, infra) {
                        (true, true) => "The account uses a customer-managed key and infrastructure encryption.".to_string(),
                        (true, false) => "The account is encrypted with a customer-managed key (keySource Microsoft.Keyvault).".to_string(),
                        (false, true) => "The account has infrastructure (double) encryption.".to_string(),
                        (false, false) => format!(
                            "Required by {}, but the key source is {} and infrastructure encryption is {}.",
                            required_by.join(", "),
                            a.key_source.as_deref().unwrap_or("not reported"),
                            a.require_infrastructure_encryption
                                .map_or("not reported", |i| if i { "on" } else { "off" })
                        ),
                    };
                    ctx.verdict(cmk || infra, &a.resource).reason(reason)
                };
                builder
                    .evidence("key_source", &a.key_source)
                    .evidence("require_infrastructure_encryption", a.require_infrastructure_encryption)
                    .evidence("data_classification", class)
                    .evidence("required_by", &required_by)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::storage_account;
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};

    fn protected(id: &str, key: Option<&str>, infra: Option<bool>) -> StorageAccount {
        let mut a = storage_account(id);
        a.resource = a.resource.with_tag("Data-Classification", "Protected");
        a.key_source = key.map(Into::into);
        a.require_infrastructure_encryption = infra;
        a
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_storage_accounts = vec![
            protected("cmk", Some("Microsoft.Keyvault"), Some(false)),
            protected("double", Some("Microsoft.Storage"), Some(true)),
            protected("platform", Some("Microsoft.Storage"), Some(false)),
            protected("silent", None, None),
            storage_account("internal"),
        ];
        let f = run(&StorageStrongEncryptionWhereDemanded, &inv);
        assert_eq!(f.status_of("cmk"), Status::Pass);
        assert_eq!(f.status_of("double"), Status::Pass);
        assert_eq!(f.status_of("platform"), Status::Fail);
        assert_eq!(f.status_of("silent"), Status::Fail);
        assert_eq!(f.status_of("internal"), Status::NotApplicable);

        let mut config = Config::default();
        config.params.require_customer_managed_keys = true;
        let f = run_with(&StorageStrongEncryptionWhereDemanded, &inv, &config);
        assert_eq!(f.status_of("internal"), Status::Fail);
    }
}
