use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::{FlexibleServer, MysqlFlexibleServer, PostgresFlexibleServer};

declare_check! {
    /// ## What it checks
    /// Every PostgreSQL and MySQL flexible server stores its backups geo-redundantly:
    /// `backup.geoRedundantBackup` is `Enabled`, so a restore is possible in the paired
    /// region when the server's region is lost. `Disabled` FAILs, and so does a value ARM
    /// did not report. The setting can only be chosen when a server is created.
    ///
    /// ## Why it matters
    /// The disaster recovery plan (45 CFR 164.308(a)(7)(ii)(B)) must be able to restore
    /// ePHI after a disaster; backups kept only in the region that failed restore nothing.
    ///
    /// ## Evidence
    /// `engine`, `geo_redundant_backup` (null when not reported).
    ///
    /// ## Remediation
    /// Create a replacement server with `--geo-redundant-backup Enabled` (`az postgres
    /// flexible-server create ...` / `az mysql flexible-server create ...`), restore or
    /// migrate the data to it, and retire the old server.
    pub struct FlexibleGeoRedundantBackup {
        id: "azure-flexible-server-geo-backup",
        title: "PostgreSQL and MySQL flexible servers keep geo-redundant backups",
        severity: Medium,
        provider: Azure,
        kinds: [AzurePostgresFlexibleServer, AzureMysqlFlexibleServer],
        controls: [DisasterRecoveryPlan],
    }
}

impl Check for FlexibleGeoRedundantBackup {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
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
                let geo = s.geo_redundant_backup.as_deref();
                let ok = geo.is_some_and(|g| g.eq_ignore_ascii_case("Enabled"));
                let reason = match geo {
                    Some(g) if ok => format!("Geo-redundant backup is {g}: backups can be restored in the paired region."),
                    Some(g) => format!("Geo-redundant backup is {g}: the backups live only in the server's region."),
                    None => "ARM did not report geo-redundant backup, so backups outside the region cannot be shown.".to_string(),
                };
                ctx.verdict(ok, &s.resource)
                    .evidence("engine", engine)
                    .evidence("geo_redundant_backup", geo)
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

    fn server(kind: ResourceKind, id: &str, geo: Option<&str>) -> FlexibleServer {
        FlexibleServer {
            geo_redundant_backup: geo.map(Into::into),
            ..flexible_server(kind, id)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_postgres_flexible_servers = vec![
            PostgresFlexibleServer(server(
                ResourceKind::AzurePostgresFlexibleServer,
                "geo",
                Some("Enabled"),
            )),
            PostgresFlexibleServer(server(
                ResourceKind::AzurePostgresFlexibleServer,
                "local",
                Some("Disabled"),
            )),
        ];
        inv.azure_mysql_flexible_servers = vec![MysqlFlexibleServer(server(
            ResourceKind::AzureMysqlFlexibleServer,
            "silent",
            None,
        ))];
        let f = run(&FlexibleGeoRedundantBackup, &inv);
        assert_eq!(f.status_of("geo"), Status::Pass);
        assert_eq!(f.status_of("local"), Status::Fail);
        assert_eq!(f.status_of("silent"), Status::Fail);
    }
}
