use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::DefenderPlans;

declare_check! {
    /// ## What it checks
    /// Every subscription runs Microsoft Defender for Cloud's paid (`Standard`) plans for the
    /// resource types that hold or process ePHI: `VirtualMachines` (Defender for Servers:
    /// malware and intrusion detection on the hosts), `SqlServers` (Azure SQL threat
    /// detection), `StorageAccounts` (malware scanning of uploads, anomalous access) and
    /// `KeyVaults` (unusual secret and key access). A plan on `Free`, or missing from the
    /// list ARM returned, FAILs the subscription, naming the plans.
    ///
    /// ## Why it matters
    /// The plans are how the cloud estate detects malicious software and intrusions and
    /// alerts on them: they feed the information system activity review (45 CFR
    /// 164.308(a)(1)(ii)(D)) and the audit controls (164.312(b)), and are the technical
    /// part of protection from malicious software (164.308(a)(5)(ii)(B)), which the control
    /// catalogue counts as organizational.
    ///
    /// ## Evidence
    /// `plans` (every plan with its tier and sub-plan), `required`, `not_standard`.
    ///
    /// ## Remediation
    /// `az security pricing create -n VirtualMachines --tier Standard --subplan P2` (and
    /// `-n SqlServers`, `-n StorageAccounts --subplan DefenderForStorageV2`, `-n KeyVaults`),
    /// or in the portal: Defender for Cloud > Environment settings > the subscription.
    pub struct DefenderPlansStandard {
        id: "azure-defender-plans",
        title: "Defender for Cloud plans are on for servers, SQL, storage and Key Vault",
        severity: High,
        provider: Azure,
        kinds: [AzureDefenderPlans],
        controls: [InformationSystemActivityReview, AuditControls],
    }
}

/// The plans (Defender pricing names) that cover where ePHI is stored and processed.
const REQUIRED: [&str; 4] = ["VirtualMachines", "SqlServers", "StorageAccounts", "KeyVaults"];

impl Check for DefenderPlansStandard {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<DefenderPlans>()
            .iter()
            .map(|d| {
                let not_standard: Vec<String> = REQUIRED
                    .iter()
                    .filter_map(|name| {
                        let plan = d.plans.iter().find(|p| p.name.eq_ignore_ascii_case(name));
                        match plan.and_then(|p| p.pricing_tier.as_deref()) {
                            Some(t) if t.eq_ignore_ascii_case("Standard") => None,
                            Some(t) => Some(format!("{name} ({t})")),
                            None if plan.is_some() => Some(format!("{name} (tier not reported)")),
                            None => Some(format!("{name} (not listed)")),
                        }
                    })
                    .collect();
                let reason = if not_standard.is_empty() {
                    format!("Defender plans {} are on the Standard tier.", REQUIRED.join(", "))
                } else {
                    format!("Defender is not on for {}: threats to those resources raise no alert.", not_standard.join(", "))
                };
                ctx.verdict(not_standard.is_empty(), &d.resource)
                    .evidence("plans", &d.plans)
                    .evidence("required", REQUIRED)
                    .evidence("not_standard", &not_standard)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::defender_plans;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let mut free_sql = defender_plans("free-sql");
        free_sql.plans[1].pricing_tier = Some("Free".into());
        let mut no_kv = defender_plans("no-kv");
        no_kv.plans.retain(|p| p.name != "KeyVaults");
        inv.azure_defender_plans = vec![defender_plans("all-on"), free_sql, no_kv];
        let f = run(&DefenderPlansStandard, &inv);
        f.assert_statuses(&[("all-on", Status::Pass), ("free-sql", Status::Fail)]);
        assert!(f.of("free-sql").reason.contains("SqlServers (Free)"));
        assert_eq!(f.status_of("no-kv"), Status::Fail);
        assert!(f.of("no-kv").reason.contains("KeyVaults (not listed)"));
    }
}
