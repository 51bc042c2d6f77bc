use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;

use super::postgres_flag;

declare_check! {
    /// ## What it checks
    /// Every Cloud SQL for PostgreSQL instance has the database flag `log_connections` set
    /// to `on`. Off, or not set (PostgreSQL's default is off), FAILs. MySQL and SQL Server
    /// instances are NOT_APPLICABLE.
    ///
    /// ## Why it matters
    /// With `log_connections` on, the server logs every connection attempt and every
    /// successful authentication, with user, database and client address: the record of who
    /// logged in to the database holding ePHI, and of failed attempts (log-in monitoring,
    /// 45 CFR 164.308(a)(5)(ii)(C); audit controls, 164.312(b)). Cloud SQL sends it to Cloud
    /// Logging, where a sink keeps it.
    ///
    /// ## Evidence
    /// `flag`, `value` (or null when not set), `database_version`.
    ///
    /// ## Remediation
    /// `gcloud sql instances patch <instance> --database-flags=log_connections=on,...`,
    /// listing every flag the instance already has (the option replaces the whole set). The
    /// flag takes effect without a restart.
    pub struct SqlPostgresLogConnections {
        id: "gcp-sql-postgres-log-connections",
        title: "Cloud SQL for PostgreSQL logs connections",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpSqlInstance],
        controls: [LoginMonitoring, AuditControls],
    }
}

impl Check for SqlPostgresLogConnections {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        postgres_flag::evaluate(
            ctx,
            "log_connections",
            "connection attempts and authentications",
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
    fn postgres_instances_log_connections() {
        let flag = "log_connections";
        let mut inv = Inventory::new();
        inv.gcp_sql_instances = vec![
            sql_instance_with_flag("on", "POSTGRES_15", flag, Some("on")),
            sql_instance_with_flag("upper", "POSTGRES_14", flag, Some("ON")),
            sql_instance_with_flag("off", "POSTGRES_15", flag, Some("off")),
            sql_instance_with_flag("unset", "POSTGRES_16", flag, None),
            sql_instance_with_flag("mysql", "MYSQL_8_0", flag, None),
            sql_instance_with_flag(
                "other-flag-on",
                "POSTGRES_15",
                "log_disconnections",
                Some("on"),
            ),
        ];
        let f = run(&SqlPostgresLogConnections, &inv);
        assert_eq!(f.status_of("on"), Status::Pass);
        assert_eq!(f.status_of("upper"), Status::Pass);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert_eq!(f.evidence_of("off", "value"), "off");
        assert_eq!(f.status_of("unset"), Status::Fail);
        assert!(f.of("unset").reason.contains("not set"));
        assert_eq!(f.status_of("mysql"), Status::NotApplicable);
        assert_eq!(f.status_of("other-flag-on"), Status::Fail);
    }
}
