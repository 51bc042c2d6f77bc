//! Azure SQL servers and databases, their long-term retention, and managed instances.

use super::{arm_ref, fw, EAST, EAST2, SUB};
use crate::model::azure::{
    FirewallRule, ManagedDatabaseTde, SqlDatabase, SqlLtrPolicy, SqlManagedInstance, SqlServer,
};
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
    // The EHR database keeps weekly, monthly and yearly backups; reporting never set a policy.
    inv.azure_sql_ltr_policies = vec![
        ltr(&inv.azure_sql_databases[0], Some(("P12W", "P12M", "P6Y"))),
        ltr(&inv.azure_sql_databases[2], None),
        ltr(&inv.azure_sql_databases[4], Some(("PT0S", "PT0S", "P1Y"))),
    ];
    inv.azure_sql_managed_instances = managed_instances();
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

fn ltr(db: &SqlDatabase, kept: Option<(&str, &str, &str)>) -> SqlLtrPolicy {
    let mut resource = db.resource.clone();
    resource.kind = ResourceKind::AzureSqlLtrPolicy;
    resource.id = format!("{}/backupLongTermRetentionPolicies/default", db.resource.id);
    let (w, m, y) = kept.unwrap_or(("PT0S", "PT0S", "PT0S"));
    SqlLtrPolicy {
        resource,
        server_id: db.server_id.clone(),
        weekly_retention: Some(w.into()),
        monthly_retention: Some(m.into()),
        yearly_retention: Some(y.into()),
    }
}

/// The billing system's managed instance, private and encrypted, and the one migrated from
/// the old datacenter: public endpoint on for the vendor, one database restored without TDE.
fn managed_instances() -> Vec<SqlManagedInstance> {
    let mi =
        |name: &str, rg: &str, public: bool, tls: &str, dbs: &[(&str, &str)]| SqlManagedInstance {
            resource: arm_ref(
                ResourceKind::AzureSqlManagedInstance,
                EAST,
                rg,
                "Microsoft.Sql/managedInstances",
                name,
            ),
            public_data_endpoint_enabled: Some(public),
            minimal_tls_version: Some(tls.into()),
            databases: dbs
                .iter()
                .map(|(n, st)| ManagedDatabaseTde {
                    name: n.to_string(),
                    tde_state: Some(st.to_string()),
                })
                .collect(),
        };
    vec![
        mi(
            "sqlmi-qolty-billing",
            "rg-ephi-data",
            false,
            "1.2",
            &[("billing", "Enabled"), ("claims", "Enabled")],
        ),
        mi(
            "sqlmi-qolty-migrated",
            "rg-qolty-legacy",
            true,
            "1.0",
            &[("ehr-archive", "Disabled"), ("scheduling", "Enabled")],
        ),
    ]
}
