use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::CosmosDbAccount;

declare_check! {
    /// ## What it checks
    /// Every Cosmos DB account can be restored to a recent state: its backup policy is
    /// `Continuous` (point-in-time restore over the last 7 or 30 days), or `Periodic` with
    /// backups kept at least `params.min_cosmos_backup_retention_hours` (default 168, a
    /// week; Cosmos DB's own default keeps 8 hours). A periodic policy whose retention ARM
    /// did not report, an unknown policy type and no policy at all FAIL.
    ///
    /// ## Why it matters
    /// The data backup plan (45 CFR 164.308(a)(7)(ii)(A)) requires retrievable exact copies
    /// of ePHI, and the disaster recovery plan (164.308(a)(7)(ii)(B)) restoring them: with
    /// eight hours of backups, a deletion or corruption noticed the next morning cannot be
    /// undone.
    ///
    /// ## Evidence
    /// `backup_policy_type`, `backup_retention_hours` (periodic), `continuous_backup_tier`,
    /// `min_cosmos_backup_retention_hours`.
    ///
    /// ## Remediation
    /// `az cosmosdb update -n <account> -g <rg> --backup-policy-type Continuous
    /// --continuous-tier Continuous30Days` (a one-way change), or keep periodic backups
    /// longer: `az cosmosdb update ... --backup-retention <hours>` (up to 720).
    pub struct CosmosDbBackup {
        id: "azure-cosmosdb-backup",
        title: "Cosmos DB accounts keep continuous or long enough periodic backups",
        severity: High,
        provider: Azure,
        kinds: [AzureCosmosDbAccount],
        controls: [DataBackupPlan, DisasterRecoveryPlan],
    }
}

impl Check for CosmosDbBackup {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let min = ctx.config.params.min_cosmos_backup_retention_hours;
        ctx.resources::<CosmosDbAccount>()
            .iter()
            .map(|a| {
                let kind = a.backup_policy_type.as_deref().map(str::trim);
                let hours = a.backup_retention_hours;
                let (ok, reason) = match kind {
                    Some(k) if k.eq_ignore_ascii_case("Continuous") => (
                        true,
                        format!(
                            "Continuous backup ({}): the account can be restored to any point in its window.",
                            a.continuous_backup_tier.as_deref().unwrap_or("tier not reported")
                        ),
                    ),
                    Some(k) if k.eq_ignore_ascii_case("Periodic") => match hours {
                        Some(h) if h >= min => (true, format!("Periodic backups are kept for {h} hours (at least {min}).")),
                        Some(h) => (false, format!("Periodic backups are kept for {h} hours, fewer than the {min} required.")),
                        None => (false, "The policy is periodic but ARM did not report its retention, so it cannot be shown to be long enough.".to_string()),
                    },
                    Some(other) => (false, format!("The backup policy type {other:?} is not one phiscan recognises.")),
                    None => (false, "ARM reported no backup policy for the account.".to_string()),
                };
                ctx.verdict(ok, &a.resource)
                    .evidence("backup_policy_type", &a.backup_policy_type)
                    .evidence("backup_retention_hours", hours)
                    .evidence("continuous_backup_tier", &a.continuous_backup_tier)
                    .evidence("min_cosmos_backup_retention_hours", min)
                    .reason(reason)
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

    fn periodic(id: &str, hours: Option<i32>) -> CosmosDbAccount {
        CosmosDbAccount {
            backup_policy_type: Some("Periodic".into()),
            backup_retention_hours: hours,
            continuous_backup_tier: None,
            ..cosmosdb_account(id)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_cosmosdb_accounts = vec![
            cosmosdb_account("continuous"),
            periodic("week", Some(168)),
            periodic("default-8h", Some(8)),
            periodic("silent", None),
            CosmosDbAccount {
                backup_policy_type: None,
                ..cosmosdb_account("no-policy")
            },
        ];
        let f = run(&CosmosDbBackup, &inv);
        f.assert_statuses(&[("continuous", Status::Pass), ("week", Status::Pass), ("default-8h", Status::Fail), ("silent", Status::Fail), ("no-policy", Status::Fail)]);

        let mut config = Config::default();
        config.params.min_cosmos_backup_retention_hours = 8;
        let f = run_with(&CosmosDbBackup, &inv, &config);
        assert_eq!(f.status_of("default-8h"), Status::Pass);
    }
}
