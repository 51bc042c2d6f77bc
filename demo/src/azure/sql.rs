//! Azure SQL servers and databases.

use super::{arm_ref, fw, EAST, EAST2, SUB};
use crate::model::azure::{FirewallRule, SqlDatabase, SqlServer};
use crate::model::{Inventory, ResourceKind, ResourceRef};

pub(super) fn add(inv: &mut Inventory) {
    let ehr = sql_server(
        "sql-qolty-ehr-prod",
        "rg-ephi-data",
        EAST,
        "Disabled",
        vec![],
    );
    let reporting = sql_server(
        "sql-qolty-reporting",
        "rg-qolty-analytics",
        EAST2,
        "Enabled",
        vec![
            fw("office-vpn", "203.0.113.10", "203.0.113.10"),
            fw("AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0"),
        ],
    );
    let research = sql_server(
        "sql-qolty-research-dev",
        "rg-qolty-legacy",
        EAST,
        "Enabled",
        vec![fw("AllowAll", "0.0.0.0", "255.255.255.255")],
    );
    inv.azure_sql_databases = vec![
        sql_db(&ehr, "ehr", "Enabled"),
        sql_db(&ehr, "master", "Enabled"),
        sql_db(&reporting, "claims-reporting", "Disabled"),
        sql_db(&reporting, "master", "Disabled"),
        sql_db(&research, "research-deid", "Enabled"),
    ];
    let mut reporting = reporting;
    // A partner's reporting tool only speaks TLS 1.1; research never turned auditing on.
    reporting.minimal_tls_version = Some("1.1".into());
    let mut research = research;
    research.auditing_enabled = Some(false);
    inv.azure_sql_servers = vec![ehr, reporting, research];
}

fn sql_server(
    name: &str,
    rg: &str,
    location: &str,
    access: &str,
    rules: Vec<FirewallRule>,
) -> SqlServer {
    SqlServer {
        resource: arm_ref(
            ResourceKind::AzureSqlServer,
            location,
            rg,
            "Microsoft.Sql/servers",
            name,
        ),
        minimal_tls_version: Some("1.2".into()),
        public_network_access: Some(access.into()),
        firewall_rules: rules,
        auditing_enabled: Some(true),
    }
}

fn sql_db(server: &SqlServer, name: &str, tde: &str) -> SqlDatabase {
    let id = format!("{}/databases/{name}", server.resource.id);
    let mut resource = ResourceRef::new(
        ResourceKind::AzureSqlDatabase,
        SUB,
        &server.resource.region,
        id,
        name,
    );
    resource.tags = server.resource.tags.clone();
    SqlDatabase {
        resource,
        server_id: server.resource.id.clone(),
        tde_state: Some(tde.into()),
    }
}
