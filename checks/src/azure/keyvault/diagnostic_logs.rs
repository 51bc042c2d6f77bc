use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::KeyVaultDiagnostics;

declare_check! {
    /// ## What it checks
    /// Every Key Vault records who used its keys and secrets: one of its diagnostic settings
    /// sends the `AuditEvent` log category (directly, or through the `audit` or `allLogs`
    /// category group) to a destination (a Log Analytics workspace, a storage account, an
    /// event hub or a partner solution). A vault with no such setting FAILs.
    ///
    /// ## Why it matters
    /// The vaults hold the keys that encrypt ePHI and the applications' secrets; without
    /// the audit log nobody can tell who read a secret or used a key, or when: audit
    /// controls (45 CFR 164.312(b)) and information system activity review
    /// (164.308(a)(1)(ii)(D)).
    ///
    /// ## Evidence
    /// `settings` (each with its destinations and enabled categories), `auditing` (the
    /// settings that send AuditEvent somewhere).
    ///
    /// ## Remediation
    /// `az monitor diagnostic-settings create -n audit-to-law --resource <vault-id>
    /// --workspace <workspace-id> --logs '[{"categoryGroup":"audit","enabled":true}]'`.
    pub struct KeyVaultDiagnosticLogs {
        id: "azure-keyvault-diagnostic-logs",
        title: "Key Vaults send their audit log to a destination",
        severity: Medium,
        provider: Azure,
        kinds: [AzureKeyVaultDiagnostics],
        controls: [AuditControls, InformationSystemActivityReview],
    }
}

impl Check for KeyVaultDiagnosticLogs {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<KeyVaultDiagnostics>()
            .iter()
            .map(|v| {
                let auditing: Vec<&str> = v
                    .settings
                    .iter()
                    .filter(|s| s.has_destination() && s.enables("AuditEvent", &["audit"]))
                    .map(|s| s.name.as_str())
                    .collect();
                let reason = if !auditing.is_empty() {
                    format!("Diagnostic setting(s) {} send the vault's AuditEvent log to a destination.", auditing.join(", "))
                } else if v.settings.is_empty() {
                    "The vault has no diagnostic setting: its AuditEvent log is not kept anywhere.".to_string()
                } else {
                    format!("None of the vault's {} diagnostic setting(s) sends the AuditEvent category to a destination.", v.settings.len())
                };
                ctx.verdict(!auditing.is_empty(), &v.resource)
                    .evidence("settings", &v.settings)
                    .evidence("auditing", &auditing)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::key_vault_diagnostics;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let mut metrics_only = key_vault_diagnostics("metrics-only");
        metrics_only.settings[0].enabled_categories = vec!["AzurePolicyEvaluationDetails".into()];
        let mut nowhere = key_vault_diagnostics("nowhere");
        nowhere.settings[0].workspace_id = None;
        let mut group = key_vault_diagnostics("audit-group");
        group.settings[0].enabled_categories = vec!["audit".into()];
        let mut none = key_vault_diagnostics("none");
        none.settings.clear();
        inv.azure_key_vault_diagnostics =
            vec![key_vault_diagnostics("audited"), group, metrics_only, nowhere, none];
        let f = run(&KeyVaultDiagnosticLogs, &inv);
        f.assert_statuses(&[("audited", Status::Pass), ("audit-group", Status::Pass), ("metrics-only", Status::Fail), ("nowhere", Status::Fail), ("none", Status::Fail)]);
        assert!(f.of("none").reason.contains("no diagnostic setting"));
    }
}
