use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::SqlServer;

declare_check! {
    /// ## What it checks
    /// Every Azure SQL logical server has server-level auditing on: its blob auditing policy
    /// (`auditingSettings/default`) has `state = Enabled`, so every database on the server
    /// writes an audit trail (to storage, Log Analytics or Event Hubs). `Disabled` FAILs; a
    /// state ARM did not report FAILs too.
    ///
    /// Database-level auditing is not read: server auditing covers every database, including
    /// ones created later, which is what the policy promise needs.
    ///
    /// ## Why it matters
    /// Audit controls (45 CFR 164.312(b)) require recording activity in systems that hold
    /// ePHI, and information system activity review (164.308(a)(1)(ii)(D)) needs those
    /// records to review. Without auditing, who read which patient rows cannot be answered.
    ///
    /// ## Evidence
    /// `auditing_enabled` (null when not reported).
    ///
    /// ## Remediation
    /// `az sql server audit-policy update -g <rg> -n <server> --state Enabled
    /// --lat-destination --lat-workspace <workspace-id>` (or `--bsts Enabled
    /// --storage-account <account>`); portal: SQL server > Auditing. Keep the logs at least
    /// as long as the retention policy requires.
    pub struct SqlAuditingEnabled {
        id: "azure-sql-auditing-enabled",
        title: "Azure SQL servers have auditing on",
        severity: Medium,
        provider: Azure,
        kinds: [AzureSqlServer],
        controls: [AuditControls, InformationSystemActivityReview],
    }
}

impl Check for SqlAuditingEnabled {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SqlServer>()
            .iter()
            .map(|s| {
                let reason = match s.auditing_enabled {
                    Some(true) => "Server auditing is Enabled: every database on the server writes an audit trail.",
                    Some(false) => "Server auditing is Disabled: database activity on this server is not recorded.",
                    None => "ARM did not report the server auditing state, so an audit trail cannot be shown.",
                };
                ctx.verdict(s.auditing_enabled == Some(true), &s.resource)
                    .evidence("auditing_enabled", s.auditing_enabled)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::sql_server;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    /// A SQL server with everything unreported; tests set what they examine.
    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let mut on = sql_server("on");
        on.auditing_enabled = Some(true);
        let mut off = sql_server("off");
        off.auditing_enabled = Some(false);
        inv.azure_sql_servers = vec![on, off, sql_server("silent")];
        let f = run(&SqlAuditingEnabled, &inv);
        assert_eq!(f.status_of("on"), Status::Pass);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert_eq!(f.status_of("silent"), Status::Fail);
    }
}
