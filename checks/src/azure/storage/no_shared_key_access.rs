use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::StorageAccount;

declare_check! {
    /// ## What it checks
    /// Every storage account refuses Shared Key authorization (`allowSharedKeyAccess =
    /// false`), so every request is made by a Microsoft Entra identity (or a user
    /// delegation SAS signed by one). `true` FAILs, and so does an account for which ARM
    /// did not report the property: shared keys are allowed unless it is set to false.
    ///
    /// ## Why it matters
    /// An account key is an all-powerful, shared, long-lived secret: whoever holds it reads
    /// and writes every blob, and the logs show "the key", not a person. Person or entity
    /// authentication (45 CFR 164.312(d)) and access control (164.312(a)(1)) require that
    /// access to ePHI be tied to a verified identity.
    ///
    /// ## Evidence
    /// `allow_shared_key_access` (null when not reported).
    ///
    /// ## Remediation
    /// Move clients to Entra ID (RBAC roles such as Storage Blob Data Reader, managed
    /// identities, user delegation SAS), watch the `Shared Key` requests in the storage logs
    /// drop to zero, then `az storage account update -n <account> -g <rg>
    /// --allow-shared-key-access false`.
    pub struct StorageNoSharedKeyAccess {
        id: "azure-storage-no-shared-key-access",
        title: "Storage accounts refuse Shared Key authorization",
        severity: Medium,
        provider: Azure,
        kinds: [AzureStorageAccount],
        controls: [PersonEntityAuthentication, AccessControl],
    }
}

impl Check for StorageNoSharedKeyAccess {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<StorageAccount>()
            .iter()
            .map(|a| {
                let reason = match a.allow_shared_key_access {
                    Some(false) => "Shared Key authorization is disabled: every request is made by an Entra identity.",
                    Some(true) => "Shared Key authorization is allowed: anyone holding an account key has full, anonymous-to-the-logs access.",
                    None => "ARM did not report allowSharedKeyAccess; unset, it allows Shared Key authorization.",
                };
                ctx.verdict(a.allow_shared_key_access == Some(false), &a.resource)
                    .evidence("allow_shared_key_access", a.allow_shared_key_access)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::storage_account;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let mut off = storage_account("off");
        off.allow_shared_key_access = Some(false);
        let mut on = storage_account("on");
        on.allow_shared_key_access = Some(true);
        inv.azure_storage_accounts = vec![off, on, storage_account("silent")];
        let f = run(&StorageNoSharedKeyAccess, &inv);
        assert_eq!(f.status_of("off"), Status::Pass);
        assert_eq!(f.status_of("on"), Status::Fail);
        assert_eq!(f.status_of("silent"), Status::Fail);
    }
}
