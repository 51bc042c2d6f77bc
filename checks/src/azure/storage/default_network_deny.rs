use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::StorageAccount;

declare_check! {
    /// ## What it checks
    /// Every storage account's firewall denies by default: `networkAcls.defaultAction` is
    /// `Deny` (only the listed virtual networks, IP ranges and trusted services get through),
    /// or `publicNetworkAccess` is `Disabled` (private endpoints only). `Allow` FAILs: the
    /// blob, file, queue and table endpoints accept requests from any internet address, and
    /// only keys, SAS tokens or identities stand between them and the data.
    ///
    /// An account whose default action ARM did not report FAILs: `Allow` is the default.
    ///
    /// ## Why it matters
    /// Access control (45 CFR 164.312(a)(1)) and access authorization (164.308(a)(4)(ii)(B)):
    /// a leaked account key or SAS token is usable from anywhere when the network admits
    /// everyone; a default-deny firewall limits access to the networks that need it, the
    /// "minimum necessary" the policies promise.
    ///
    /// ## Evidence
    /// `network_default_action`, `public_network_access` (as reported, null when omitted).
    ///
    /// ## Remediation
    /// Add the virtual networks / IP ranges that need access, then
    /// `az storage account update -n <account> -g <rg> --default-action Deny` (portal:
    /// Networking > "Enabled from selected virtual networks and IP addresses"), or disable
    /// public network access and use private endpoints.
    pub struct StorageDefaultNetworkDeny {
        id: "azure-storage-default-network-deny",
        title: "Storage account firewalls deny by default",
        severity: High,
        provider: Azure,
        kinds: [AzureStorageAccount],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for StorageDefaultNetworkDeny {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<StorageAccount>()
            .iter()
            .map(|a| {
                let action = a.network_default_action.as_deref();
                let public = a.public_network_access.as_deref();
                let disabled = public.is_some_and(|p| p.eq_ignore_ascii_case("Disabled"));
                let deny = action.is_some_and(|d| d.eq_ignore_ascii_case("Deny"));
                let reason = if disabled {
                    "Public network access is Disabled: only private endpoints reach the account.".to_string()
                } else if deny {
                    "The account firewall denies by default (networkAcls.defaultAction = Deny).".to_string()
                } else {
                    match action {
                        Some(v) => format!("The account firewall's default action is {v}: any internet address can reach the storage endpoints."),
                        None => "ARM did not report networkAcls.defaultAction; the default, Allow, admits any internet address.".to_string(),
                    }
                };
                ctx.verdict(disabled || deny, &a.resource)
                    .evidence("network_default_action", action)
                    .evidence("public_network_access", public)
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
        let mut deny = storage_account("deny");
        deny.network_default_action = Some("Deny".into());
        let mut private = storage_account("private");
        private.network_default_action = Some("Allow".into());
        private.public_network_access = Some("Disabled".into());
        let mut open = storage_account("open");
        open.network_default_action = Some("Allow".into());
        open.public_network_access = Some("Enabled".into());
        inv.azure_storage_accounts = vec![deny, private, open, storage_account("silent")];
        let f = run(&StorageDefaultNetworkDeny, &inv);
        assert_eq!(f.status_of("deny"), Status::Pass);
        assert_eq!(f.status_of("private"), Status::Pass);
        assert_eq!(f.status_of("open"), Status::Fail);
        assert_eq!(f.status_of("silent"), Status::Fail);
    }
}
