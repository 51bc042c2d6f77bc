use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::{FlexibleServer, MysqlFlexibleServer, PostgresFlexibleServer};

declare_check! {
    /// ## What it checks
    /// Every PostgreSQL and MySQL flexible server keeps its automated backups for at least
    /// `params.min_backup_retention_days` (default 7): `backup.backupRetentionDays`. A
    /// retention ARM did not report FAILs, since no retention can be shown. (PostgreSQL
    /// allows 7 to 35 days, MySQL 1 to 35.)
    ///
    /// ## Why it matters
    /// The data backup plan (45 CFR 164.308(a)(7)(ii)(A)) requires retrievable exact copies
    /// of ePHI; a one-day window means corruption noticed on Monday cannot be undone from
    /// Friday's state. The policies promise daily backups kept long enough to restore from.
    ///
    /// ## Evidence
    /// `engine`, `backup_retention_days` (null when not reported), `min_backup_retention_days`.
    ///
    /// ## Remediation
    /// `az postgres flexible-server update -g <rg> -n <server> --backup-retention 35` (or
    /// `az mysql flexible-server update ... --backup-retention 35`).
    pub struct FlexibleBackupRetention {
        id: "azure-flexible-server-backup-retention",
        title: "PostgreSQL and MySQL flexible servers keep backups long enough",
        severity: High,
        provider: Azure,
        kinds: [AzurePostgresFlexibleServer, AzureMysqlFlexibleServer],
        controls: [DataBackupPlan],
    }
}

impl Check for FlexibleBackupRetention {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let min = ctx.config.params.min_backup_retention_days;
        let pg = ctx
            .resources::<PostgresFlexibleServer>()
            .iter()
            .map(|s| (&s.0, "PostgreSQL"));
        let my = ctx
            .resources::<MysqlFlexibleServer>()
            .iter()
            .map(|s| (&s.0, "MySQL"));
        pg.chain(my)
            .map(|(s, engine): (&FlexibleServer, &str)| {
                let days = s.backup_retention_days;
                let ok = days.is_some_and(|d| i64::from(d) >= i64::from(min));
                let reason = match days {
                    Some(d) if ok => format!("Automated backups are kept for {d} days (at least {min})."),
                    Some(d) => format!("Automated backups are kept for {d} days, fewer than the {min} required."),
                    None => "ARM did not report the backup retention, so it cannot be shown to be long enough.".to_string(),
                };
                ctx.verdict(ok, &s.resource)
                    .evidence("engine", engine)
                    .evidence("backup_retention_days", days)
                    .evidence("min_backup_retention_days", min)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::flexible_server;
    use crate::testing::run;
    use phiscan_core::{Inventory, ResourceKind, Status};

    fn server(kind: ResourceKind, id: &str, days: Option<i32>) -> FlexibleServer {
        FlexibleServer {
            backup_retention_days: days,
            ..flexible_server(kind, id)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_postgres_flexible_servers = vec![
            PostgresFlexibleServer(server(
                ResourceKind::AzurePostgresFlexibleServer,
                "pg35",
                Some(35),
            )),
            PostgresFlexibleServer(server(
                ResourceKind::AzurePostgresFlexibleServer,
                "pg-silent",
                None,
            )),
        ];
        inv.azure_mysql_flexible_servers = vec![
            MysqlFlexibleServer(server(
                ResourceKind::AzureMysqlFlexibleServer,
                "my7",
                Some(7),
            )),
            MysqlFlexibleServer(server(
                ResourceKind::AzureMysqlFlexibleServer,
                "my1",
                Some(1),
            )),
        ];
        let f = run(&FlexibleBackupRetention, &inv);
        assert_eq!(f.status_of("pg35"), Status::Pass);
        assert_eq!(f.status_of("pg-silent"), Status::Fail);
        assert_eq!(f.status_of("my7"), Status::Pass);
        assert_eq!(f.status_of("my1"), Status::Fail);
        assert!(f.of("my1").reason.contains("fewer than the 7"));
    }
}
