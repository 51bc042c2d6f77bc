use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::KeyVault;

declare_check! {
    /// ## What it checks
    /// Every Key Vault is recoverable: soft delete is on (a deleted vault, key or secret is
    /// kept for the retention period) and purge protection is on (nobody, not even an
    /// owner, can purge it before the retention period ends).
    ///
    /// `enableSoftDelete` not reported counts as on: soft delete cannot be disabled on
    /// vaults since 2020 and ARM omits the property on vaults created since; the evidence
    /// records `soft_delete_reported: false` and `soft_delete_effective: true`. An explicit
    /// `false` FAILs. `enablePurgeProtection` not reported FAILs: ARM omits it until purge
    /// protection is turned on (it can never be turned off again).
    ///
    /// ## Why it matters
    /// Qolty's vaults hold the customer-managed keys that encrypt ePHI disks, databases and
    /// storage, and application secrets. A purged key makes every copy of the data it
    /// protects unreadable, backups included: recovery after an accidental or malicious
    /// deletion is part of the disaster recovery plan (45 CFR 164.308(a)(7)(ii)(B)), and
    /// losing the key is an improper destruction of ePHI (integrity, 164.312(c)(1)).
    ///
    /// ## Evidence
    /// `soft_delete_enabled` (as reported), `soft_delete_reported`, `soft_delete_effective`,
    /// `soft_delete_retention_days` and `purge_protection_enabled` (as reported).
    ///
    /// ## Remediation
    /// `az keyvault update -n <vault> -g <rg> --enable-purge-protection true` (irreversible,
    /// by design). A legacy vault that still reports soft delete off needs
    /// `az keyvault update -n <vault> --enable-soft-delete true`.
    pub struct KeyVaultRecoverable {
        id: "azure-keyvault-recoverable",
        title: "Key Vaults have soft delete and purge protection",
        severity: Medium,
        provider: Azure,
        kinds: [AzureKeyVault],
        controls: [DisasterRecoveryPlan, Integrity],
    }
}

impl Check for KeyVaultRecoverable {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<KeyVault>()
            .iter()
            .map(|v| {
                // Soft delete is mandatory since 2020: an omitted flag is the enforced default.
                let soft = v.soft_delete_enabled.unwrap_or(true);
                let purge = v.purge_protection_enabled == Some(true);
                let mut problems = Vec::new();
                if !soft {
                    problems.push("soft delete is off (enableSoftDelete = false)");
                }
                match v.purge_protection_enabled {
                    Some(true) => {}
                    Some(false) => problems.push("purge protection is off (enablePurgeProtection = false)"),
                    None => problems.push("purge protection is not enabled (ARM omits enablePurgeProtection until it is turned on)"),
                }
                let soft_note = if v.soft_delete_enabled.is_none() {
                    " (enableSoftDelete was not reported and is taken as on: soft delete cannot be disabled on vaults since 2020)"
                } else {
                    ""
                };
                let reason = if problems.is_empty() {
                    format!("Soft delete and purge protection are on, so a deleted vault or key can be recovered{soft_note}.")
                } else {
                    format!("The vault is not fully recoverable: {}.", problems.join("; "))
                };
                ctx.verdict(soft && purge, &v.resource)
                    .evidence("soft_delete_enabled", v.soft_delete_enabled)
                    .evidence("soft_delete_reported", v.soft_delete_enabled.is_some())
                    .evidence("soft_delete_effective", soft)
                    .evidence("soft_delete_retention_days", v.soft_delete_retention_days)
                    .evidence("purge_protection_enabled", v.purge_protection_enabled)
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
    use serde_json::json;

    fn vault(id: &str, soft: Option<bool>, purge: Option<bool>) -> KeyVault {
        KeyVault {
            soft_delete_enabled: soft,
            purge_protection_enabled: purge,
            ..key_vault(id)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_key_vaults = vec![
            vault("both", Some(true), Some(true)),
            vault("soft-omitted", None, Some(true)),
            vault("purge-omitted", Some(true), None),
            vault("soft-off", Some(false), Some(true)),
        ];
        let f = run(&KeyVaultRecoverable, &inv);
        assert_eq!(f.status_of("both"), Status::Pass);
        assert_eq!(f.status_of("soft-omitted"), Status::Pass);
        assert_eq!(
            f.evidence_of("soft-omitted", "soft_delete_reported"),
            json!(false)
        );
        assert_eq!(
            f.evidence_of("soft-omitted", "soft_delete_effective"),
            json!(true)
        );
        assert!(f.of("soft-omitted").reason.contains("since 2020"));
        assert_eq!(f.status_of("purge-omitted"), Status::Fail);
        assert!(f
            .of("purge-omitted")
            .reason
            .contains("purge protection is not enabled"));
        assert_eq!(f.status_of("soft-off"), Status::Fail);
    }
}
