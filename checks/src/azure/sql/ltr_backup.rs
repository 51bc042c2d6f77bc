use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::SqlLtrPolicy;

declare_check! {
    /// ## What it checks
    /// Every Azure SQL user database has a long-term retention (LTR) policy that keeps at
    /// least one series of full backups beyond the point-in-time window: weekly, monthly or
    /// yearly retention (`weeklyRetention`, `monthlyRetention`, `yearlyRetention`) set to a
    /// non-zero ISO 8601 duration. A policy whose three retentions are `PT0S` or unreported,
    /// and a database with no policy, FAIL. `master` has no LTR and is not judged.
    ///
    /// ## Why it matters
    /// Point-in-time restore reaches back at most 35 days. The data backup plan (45 CFR
    /// 164.308(a)(7)(ii)(A)) needs retrievable exact copies of ePHI for as long as the
    /// organization may have to restore or produce them (HIPAA documentation is kept six
    /// years, 164.316(b)(2)(i)); corruption found after a month is otherwise unrecoverable.
    ///
    /// ## Evidence
    /// `weekly_retention`, `monthly_retention`, `yearly_retention` (as reported), `server_id`.
    ///
    /// ## Remediation
    /// `az sql db ltr-policy set -g <rg> -s <server> -n <db> --weekly-retention P12W
    /// --monthly-retention P12M --yearly-retention P6Y --week-of-year 1`.
    pub struct SqlLtrBackup {
        id: "azure-sql-ltr-backup",
        title: "Azure SQL databases keep long-term retention backups",
        severity: Medium,
        provider: Azure,
        kinds: [AzureSqlLtrPolicy],
        controls: [DataBackupPlan],
    }
}

/// An ISO 8601 duration that keeps something: any non-zero number in it (`P12W`, `P1Y`);
/// `PT0S`, `P0D` and empty keep nothing.
fn keeps(d: &Option<String>) -> bool {
    d.as_deref()
        .is_some_and(|d| d.chars().any(|c| c.is_ascii_digit() && c != '0'))
}

impl Check for SqlLtrBackup {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SqlLtrPolicy>()
            .iter()
            .map(|p| {
                let kept: Vec<String> = [
                    ("weekly", &p.weekly_retention),
                    ("monthly", &p.monthly_retention),
                    ("yearly", &p.yearly_retention),
                ]
                .into_iter()
                .filter(|(_, d)| keeps(d))
                .map(|(what, d)| format!("{what} {}", d.as_deref().unwrap_or_default()))
                .collect();
                let reason = if kept.is_empty() {
                    "No long-term retention: weekly, monthly and yearly retention are all zero or unset, so backups older than the point-in-time window are lost.".to_string()
                } else {
                    format!("Long-term retention keeps {}.", kept.join(", "))
                };
                ctx.verdict(!kept.is_empty(), &p.resource)
                    .evidence("weekly_retention", &p.weekly_retention)
                    .evidence("monthly_retention", &p.monthly_retention)
                    .evidence("yearly_retention", &p.yearly_retention)
                    .evidence("server_id", &p.server_id)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::sql_ltr_policy;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn policy(id: &str, w: Option<&str>, m: Option<&str>, y: Option<&str>) -> SqlLtrPolicy {
        SqlLtrPolicy {
            weekly_retention: w.map(Into::into),
            monthly_retention: m.map(Into::into),
            yearly_retention: y.map(Into::into),
            ..sql_ltr_policy(id)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_sql_ltr_policies = vec![
            sql_ltr_policy("full"),
            policy("yearly-only", Some("PT0S"), Some("PT0S"), Some("P10Y")),
            policy("zeros", Some("PT0S"), Some("PT0S"), Some("PT0S")),
            policy("none", None, None, None),
        ];
        let f = run(&SqlLtrBackup, &inv);
        f.assert_statuses(&[("full", Status::Pass), ("yearly-only", Status::Pass)]);
        assert!(f.of("yearly-only").reason.contains("yearly P10Y"));
        f.assert_statuses(&[("zeros", Status::Fail), ("none", Status::Fail)]);
    }
}
