use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::KeyVault;

declare_check! {
    /// ## What it checks
    /// Every Key Vault authorizes data-plane access with Azure RBAC
    /// (`enableRbacAuthorization = true`) instead of vault access policies. A vault on
    /// access policies FAILs, as does one whose setting ARM did not report (the property
    /// defaults to false: access policies).
    ///
    /// ## Why it matters
    /// Access policies grant key and secret permissions per vault, outside the role
    /// assignments that Privileged Identity Management, access reviews and Conditional
    /// Access govern; anyone with `Microsoft.KeyVault/vaults/write` can grant themselves
    /// access to the keys that decrypt ePHI. Access control (45 CFR 164.312(a)(1)) and
    /// access authorization (164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `enable_rbac_authorization` (null when not reported).
    ///
    /// ## Remediation
    /// Assign the needed Key Vault roles (Key Vault Crypto User, Secrets User, ...) to the
    /// identities in the access policies, then `az keyvault update -n <vault> -g <rg>
    /// --enable-rbac-authorization true`.
    pub struct KeyVaultRbacAuthorization {
        id: "azure-keyvault-rbac-authorization",
        title: "Key Vaults use Azure RBAC for data-plane access",
        severity: Medium,
        provider: Azure,
        kinds: [AzureKeyVault],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for KeyVaultRbacAuthorization {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<KeyVault>()
            .iter()
            .map(|v| {
                let reason = match v.enable_rbac_authorization {
                    Some(true) => "Data-plane access is authorized by Azure RBAC role assignments.",
                    Some(false) => "Data-plane access is authorized by vault access policies, outside Azure RBAC governance.",
                    None => "ARM did not report enableRbacAuthorization; the vault is taken to use access policies.",
                };
                ctx.verdict(v.enable_rbac_authorization == Some(true), &v.resource)
                    .evidence("enable_rbac_authorization", v.enable_rbac_authorization)
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

    fn vault(id: &str, rbac: Option<bool>) -> KeyVault {
        KeyVault {
            enable_rbac_authorization: rbac,
            ..key_vault(id)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_key_vaults = vec![
            vault("rbac", Some(true)),
            vault("policies", Some(false)),
            vault("silent", None),
        ];
        let f = run(&KeyVaultRbacAuthorization, &inv);
        assert_eq!(f.status_of("rbac"), Status::Pass);
        assert_eq!(f.status_of("policies"), Status::Fail);
        assert_eq!(f.status_of("silent"), Status::Fail);
    }
}
