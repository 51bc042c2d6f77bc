use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::StorageAccount;

declare_check! {
    /// ## What it checks
    /// Every storage account disallows anonymous (public) blob access:
    /// `allowBlobPublicAccess = false`. With `true`, any container can be switched to
    /// anonymous read and then serves its blobs to anyone with the URL.
    ///
    /// When ARM does not report the property the account FAILs. Accounts created since
    /// November 2023 report `false` explicitly (their default); the property is omitted on
    /// older accounts that never set it, and Azure treats an unset value as permitting
    /// anonymous access there. The evidence records `reported: false` and
    /// `effective_value: true` (public access permitted).
    ///
    /// The check reads the account-level switch only: it does not list containers, so a
    /// FAIL means anonymous access can be turned on by anyone who may configure a
    /// container, not that a container is public today.
    ///
    /// ## Why it matters
    /// Access control (45 CFR 164.312(a)(1)) and access authorization (164.308(a)(4)(ii)(B))
    /// require that only authorized persons read ePHI; an anonymously readable container
    /// bypasses identities, keys and SAS tokens. The policies limit access granted to
    /// external parties to the minimum necessary.
    ///
    /// ## Evidence
    /// `allow_blob_public_access` (as reported, null when omitted), `reported`,
    /// `effective_value`, `public_network_access` and `network_default_action`.
    ///
    /// ## Remediation
    /// `az storage account update -n <account> -g <rg> --allow-blob-public-access false`
    /// (portal: Configuration > "Allow Blob anonymous access" = Disabled). Containers that
    /// were public stop accepting anonymous requests at once: move anything meant to be
    /// public to a separate account without ePHI first.
    pub struct StorageNoPublicBlobAccess {
        id: "azure-storage-no-public-blob-access",
        title: "Storage accounts disallow anonymous blob access",
        severity: Critical,
        provider: Azure,
        kinds: [AzureStorageAccount],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for StorageNoPublicBlobAccess {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<StorageAccount>()
            .iter()
            .map(|a| {
                // Unset means "permitted" on accounts older than November 2023.
                let permitted = a.allow_blob_public_access.unwrap_or(true);
                let reason = match a.allow_blob_public_access {
                    Some(false) => "Anonymous blob access is disallowed (allowBlobPublicAccess = false).".to_string(),
                    Some(true) => "Anonymous blob access is allowed (allowBlobPublicAccess = true): any container can be made publicly readable.".to_string(),
                    None => "ARM did not report allowBlobPublicAccess; an unset value permits anonymous blob access on accounts created before November 2023.".to_string(),
                };
                ctx.verdict(!permitted, &a.resource)
                    .evidence("allow_blob_public_access", a.allow_blob_public_access)
                    .evidence("reported", a.allow_blob_public_access.is_some())
                    .evidence("effective_value", permitted)
                    .evidence("public_network_access", &a.public_network_access)
                    .evidence("network_default_action", &a.network_default_action)
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
    use serde_json::json;

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let mut private = storage_account("private");
        private.allow_blob_public_access = Some(false);
        let mut public = storage_account("public");
        public.allow_blob_public_access = Some(true);
        inv.azure_storage_accounts = vec![private, public, storage_account("omitted")];
        let f = run(&StorageNoPublicBlobAccess, &inv);
        assert_eq!(f.status_of("private"), Status::Pass);
        assert_eq!(f.status_of("public"), Status::Fail);
        assert_eq!(f.status_of("omitted"), Status::Fail);
        assert_eq!(f.evidence_of("omitted", "reported"), json!(false));
        assert_eq!(f.evidence_of("omitted", "effective_value"), json!(true));
        assert!(f.of("omitted").reason.contains("November 2023"));
    }
}
