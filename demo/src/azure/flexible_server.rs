//! Azure Database for PostgreSQL and MySQL flexible servers.

use super::{arm_ref, fw, EAST};
use crate::model::azure::{FlexibleServer, MysqlFlexibleServer, PostgresFlexibleServer};
use crate::model::{Inventory, ResourceKind};

pub(super) fn add(inv: &mut Inventory) {
    let pg = |name, rg, tls, access| {
        PostgresFlexibleServer(flexible(
            ResourceKind::AzurePostgresFlexibleServer,
            "Microsoft.DBforPostgreSQL/flexibleServers",
            name,
            rg,
            tls,
            access,
        ))
    };
    inv.azure_postgres_flexible_servers = vec![
        pg("psql-qolty-ehr-prod", "rg-ephi-data", "on", "Disabled"),
        pg(
            "psql-qolty-analytics",
            "rg-qolty-analytics",
            "off",
            "Enabled",
        ),
    ];
    let mysql = |name, rg, tls, access| {
        MysqlFlexibleServer(flexible(
            ResourceKind::AzureMysqlFlexibleServer,
            "Microsoft.DBforMySQL/flexibleServers",
            name,
            rg,
            tls,
            access,
        ))
    };
    inv.azure_mysql_flexible_servers = vec![
        mysql("mysql-qolty-portal", "rg-ephi-data", "ON", "Disabled"),
        mysql(
            "mysql-qolty-legacy-crm",
            "rg-qolty-legacy",
            "OFF",
            "Enabled",
        ),
    ];

    // The analytics server's firewall was opened "for a day" during a data migration; the
    // legacy CRM lets every Azure service in.
    for s in &mut inv.azure_postgres_flexible_servers {
        if s.0.resource.name == "psql-qolty-analytics" {
            s.0.firewall_rules
                .push(fw("AllowAll_2026-3-1", "0.0.0.0", "255.255.255.255"));
        }
    }
    for s in &mut inv.azure_mysql_flexible_servers {
        if s.0.resource.name == "mysql-qolty-legacy-crm" {
            // Retention cut to 3 days to save storage costs.
            s.0.backup_retention_days = Some(3);
            s.0.firewall_rules.push(fw(
                "AllowAllAzureServicesAndResourcesWithinAzureIps",
                "0.0.0.0",
                "0.0.0.0",
            ));
        }
    }
}

fn flexible(
    kind: ResourceKind,
    rtype: &str,
    name: &str,
    rg: &str,
    tls: &str,
    access: &str,
) -> FlexibleServer {
    FlexibleServer {
        resource: arm_ref(kind, EAST, rg, rtype, name).with_tag("data-classification", "protected"),
        require_secure_transport: Some(tls.into()),
        public_network_access: Some(access.into()),
        firewall_rules: if access == "Enabled" {
            vec![fw("office-vpn", "203.0.113.10", "203.0.113.10")]
        } else {
            vec![]
        },
        backup_retention_days: Some(if access == "Enabled" { 7 } else { 35 }),
        geo_redundant_backup: Some(
            if access == "Enabled" {
                "Disabled"
            } else {
                "Enabled"
            }
            .into(),
        ),
        delegated_subnet_id: None,
    }
}
