//! `Microsoft.DBforPostgreSQL` and `Microsoft.DBforMySQL` flexible servers: network and
//! backup settings, the `require_secure_transport` server parameter and the firewall rules.
//! Both engines share the ARM shape, so one collector serves both.
//!
//! A server whose parameter or firewall call failed is an error for that server only, kept
//! with that detail empty or `None` (see `sql.rs` for why).

use futures::future::join_all;
use serde::Deserialize;

use super::arm::Item;
use super::client::{Arm, Op};
use super::sql::{firewall_rules, FirewallProperties};
use super::{fail, fail_on, versions};
use crate::model::azure::{FlexibleServer, MysqlFlexibleServer, PostgresFlexibleServer};
use crate::model::{Inventory, ResourceKind};

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Properties {
    network: Option<Network>,
    backup: Option<Backup>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Network {
    public_network_access: Option<String>,
    delegated_subnet_resource_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Backup {
    backup_retention_days: Option<i32>,
    geo_redundant_backup: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Configuration {
    value: Option<String>,
}

#[derive(Clone, Copy)]
pub enum Engine {
    Postgres,
    Mysql,
}

impl Engine {
    fn namespace(self) -> &'static str {
        match self {
            Engine::Postgres => "Microsoft.DBforPostgreSQL",
            Engine::Mysql => "Microsoft.DBforMySQL",
        }
    }

    fn version(self) -> &'static str {
        match self {
            Engine::Postgres => versions::POSTGRES_FLEXIBLE,
            Engine::Mysql => versions::MYSQL_FLEXIBLE,
        }
    }

    fn kind(self) -> ResourceKind {
        match self {
            Engine::Postgres => ResourceKind::AzurePostgresFlexibleServer,
            Engine::Mysql => ResourceKind::AzureMysqlFlexibleServer,
        }
    }
}

/// Servers_List, then per server Configurations_Get(require_secure_transport) and
/// FirewallRules_ListByServer.
pub async fn servers(arm: &Arm, sub: &str, engine: Engine) -> Inventory {
    let mut inv = Inventory::default();
    let (ns, version, kind) = (engine.namespace(), engine.version(), engine.kind());
    let op = Op::new(ns, "Servers_List", sub);
    let path = format!("/subscriptions/{sub}/providers/{ns}/flexibleServers");
    let servers = match arm.list::<Item<Properties>>(&path, version, &[], &op).await {
        Ok(s) => s,
        Err(e) => {
            inv.errors.push(fail(sub, None, kind, &e));
            return inv;
        }
    };
    let details = join_all(servers.iter().map(|s| {
        let region = s.location();
        let cfg_op = Op::new(ns, "Configurations_Get", sub).in_region(&region);
        let fw_op = Op::new(ns, "FirewallRules_ListByServer", sub).in_region(&region);
        async move {
            let cfg_path = format!("{}/configurations/require_secure_transport", s.id);
            let fw_path = format!("{}/firewallRules", s.id);
            tokio::join!(
                arm.get::<Item<Configuration>>(&cfg_path, version, &cfg_op),
                arm.list::<Item<FirewallProperties>>(&fw_path, version, &[], &fw_op),
            )
        }
    }))
    .await;
    for (s, detail) in servers.iter().zip(details) {
        let resource = s.resource(kind, sub);
        let (cfg, rules) = detail;
        let require_secure_transport = match cfg {
            Ok(cfg) => cfg.properties.value,
            Err(e) => {
                inv.errors
                    .push(fail_on(&resource, "Configurations_Get", &e));
                None
            }
        };
        let rules = match rules {
            Ok(rules) => firewall_rules(&rules),
            Err(e) => {
                inv.errors
                    .push(fail_on(&resource, "FirewallRules_ListByServer", &e));
                Vec::new()
            }
        };
        let p = &s.properties;
        let server = FlexibleServer {
            resource,
            require_secure_transport,
            public_network_access: p
                .network
                .as_ref()
                .and_then(|n| n.public_network_access.clone()),
            firewall_rules: rules,
            backup_retention_days: p.backup.as_ref().and_then(|b| b.backup_retention_days),
            geo_redundant_backup: p
                .backup
                .as_ref()
                .and_then(|b| b.geo_redundant_backup.clone()),
            delegated_subnet_id: p
                .network
                .as_ref()
                .and_then(|n| n.delegated_subnet_resource_id.clone()),
        };
        match engine {
            Engine::Postgres => inv
                .azure_postgres_flexible_servers
                .push(PostgresFlexibleServer(server)),
            Engine::Mysql => inv
                .azure_mysql_flexible_servers
                .push(MysqlFlexibleServer(server)),
        }
    }
    inv
}
