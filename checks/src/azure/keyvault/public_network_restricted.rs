use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::KeyVault;

declare_check! {
    /// ## What it checks
    /// Every Key Vault restricts network access: `publicNetworkAccess` is `Disabled`
    /// (private endpoints only), or the vault firewall denies by default
    /// (`networkAcls.defaultAction = Deny`, admitting only listed networks and, if chosen,
    /// trusted Azure services). A vault that is public with the firewall's default action
    /// `Allow` FAILs, as does one for which ARM reported neither setting (the defaults are
    /// public and `Allow`).
    ///
    /// ## Why it matters
    /// Key Vaults hold the customer-managed keys that encrypt ePHI and the secrets that open
    /// the databases. Access control (45 CFR 164.312(a)(1)) and access authorization
    /// (164.308(a)(4)(ii)(B)): a stolen token or misassigned role is usable from any address
    /// when the vault's network admits everyone.
    ///
    /// ## Evidence
    /// `public_network_access`, `network_default_action` (as reported, null when omitted).
    ///
    /// ## Remediation
    /// `az keyvault update -n <vault> -g <rg> --default-action Deny --bypass AzureServices`
    /// after adding the needed `az keyvault network-rule add` entries, or
    /// `--public-network-access Disabled` with a private endpoint.
    pub struct KeyVaultPublicNetworkRestricted {
        id: "azure-keyvault-public-network-restricted",
        title: "Key Vaults restrict public network access",
        severity: Medium,
        provider: Azure,
        kinds: [AzureKeyVault],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for KeyVaultPublicNetworkRestricted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<KeyVault>()
            .iter()
            .map(|v| {
                let public = v.public_network_access.as_deref();
                let action = v.network_default_action.as_deref();
                let disabled = public.is_some_and(|p| p.eq_ignore_ascii_case("Disabled"));
                let deny = action.is_some_and(|a| a.eq_ignore_ascii_case("Deny"));
                let reason = if disabled {
                    "Public network access is Disabled: only private endpoints reach the vault.".to_string()
                } else if deny {
                    "The vault firewall denies by default (networkAcls.defaultAction = Deny).".to_string()
                } else {
                    format!(
                        "The vault is reachable from any network: public network access is {} and the firewall's default action is {}.",
                        public.unwrap_or("not reported (default Enabled)"),
                        action.unwrap_or("not reported (default Allow)")
                    )
                };
                ctx.verdict(disabled || deny, &v.resource)
                    .evidence("public_network_access", public)
                    .evidence("network_default_action", action)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::key_vault;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn vault(id: &str, public: Option<&str>, action: Option<&str>) -> KeyVault {
        KeyVault {
            public_network_access: public.map(Into::into),
            network_default_action: action.map(Into::into),
            ..key_vault(id)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_key_vaults = vec![
            vault("private", Some("Disabled"), Some("Allow")),
            vault("firewalled", Some("Enabled"), Some("Deny")),
            vault("open", Some("Enabled"), Some("Allow")),
            vault("silent", None, None),
        ];
        let f = run(&KeyVaultPublicNetworkRestricted, &inv);
        assert_eq!(f.status_of("private"), Status::Pass);
        assert_eq!(f.status_of("firewalled"), Status::Pass);
        assert_eq!(f.status_of("open"), Status::Fail);
        assert_eq!(f.status_of("silent"), Status::Fail);
        assert!(f.of("silent").reason.contains("default Allow"));
    }
}
