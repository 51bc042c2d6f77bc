use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;

use super::postgres_flag;

declare_check! {
    /// ## What it checks
    /// Every Cloud SQL for PostgreSQL instance has the database flag `log_disconnections`
    /// set to `on`. Off, or not set (PostgreSQL's default is off), FAILs. MySQL and SQL
    /// Server instances are NOT_APPLICABLE.
    ///
    /// ## Why it matters
    /// With `log_disconnections` on, the server logs the end of every session with its
    /// duration. Together with `log_connections` it tells how long each user was connected
    /// to the database holding ePHI, which an investigation needs to tie queries to sessions
    /// (audit controls, 45 CFR 164.312(b); log-in monitoring, 164.308(a)(5)(ii)(C)).
    ///
    /// ## Evidence
    /// `flag`, `value` (or null when not set), `database_version`.
    ///
    /// ## Remediation
    /// `gcloud sql instances patch <instance> --database-flags=log_disconnections=on,...`,
    /// listing every flag the instance already has (the option replaces the whole set). The
    /// flag takes effect without a restart.
    pub struct SqlPostgresLogDisconnections {
        id: "gcp-sql-postgres-log-disconnections",
        title: "Cloud SQL for PostgreSQL logs session ends",
        severity: Low,
        provider: Gcp,
        kinds: [GcpSqlInstance],
        controls: [AuditControls, LoginMonitoring],
    }
}

impl Check for SqlPostgresLogDisconnections {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        postgres_flag::evaluate(
            ctx,
            "log_disconnections",
            "session ends and their durations",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::sql_instance_with_flag;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn postgres_instances_log_disconnections() {
        let flag = "log_disconnections";
        let mut inv = Inventory::new();
        inv.gcp_sql_instances = vec![
            sql_instance_with_flag("on", "POSTGRES_15", flag, Some("on")),
            sql_instance_with_flag("off", "POSTGRES_15", flag, Some("off")),
            sql_instance_with_flag("unset", "POSTGRES_15", flag, None),
            sql_instance_with_flag("sqlserver", "SQLSERVER_2019_STANDARD", flag, Some("on")),
        ];
        let f = run(&SqlPostgresLogDisconnections, &inv);
        assert_eq!(f.status_of("on"), Status::Pass);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert_eq!(f.status_of("unset"), Status::Fail);
        assert_eq!(f.status_of("sqlserver"), Status::NotApplicable);
        assert_eq!(
            f.evidence_of("sqlserver", "database_version"),
            "SQLSERVER_2019_STANDARD"
        );
    }
}
