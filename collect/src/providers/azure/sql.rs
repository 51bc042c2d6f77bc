//! `Microsoft.Sql`: logical servers (firewall rules, server auditing policy) and their
//! databases (transparent data encryption).
//!
//! A server or database whose sub-resource call failed is an error for it alone (operation
//! and reason): it stays in the inventory with that detail empty or `None`, and the engine
//! reports ERROR for it in every check reading its kind, since a server without its
//! firewall rules would look closed and a database without its TDE state unencrypted.

use std::collections::BTreeSet;

use futures::future::join_all;
use serde::Deserialize;

use super::arm::Item;
use super::client::{Arm, Op};
use super::{fail, fail_on, versions};
use crate::model::azure::{FirewallRule, SqlDatabase, SqlServer};
use crate::model::{Inventory, ResourceKind};

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ServerProperties {
    minimal_tls_version: Option<String>,
    public_network_access: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct FirewallProperties {
    start_ip_address: String,
    end_ip_address: String,
}

/// Firewall rules as SQL and the flexible servers return them.
pub(super) fn firewall_rules(items: &[Item<FirewallProperties>]) -> Vec<FirewallRule> {
    items
        .iter()
        .map(|r| FirewallRule {
            name: r.name.clone(),
            start_ip_address: r.properties.start_ip_address.clone(),
            end_ip_address: r.properties.end_ip_address.clone(),
        })
        .collect()
}

/// `properties.state` of auditing settings and of transparent data encryption.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct State {
    state: Option<String>,
}

pub async fn collect(arm: &Arm, sub: &str, kinds: &BTreeSet<ResourceKind>) -> Inventory {
    let mut inv = Inventory::default();
    let want_servers = kinds.contains(&ResourceKind::AzureSqlServer);
    let want_dbs = kinds.contains(&ResourceKind::AzureSqlDatabase);
    let op = Op::new("Microsoft.Sql", "Servers_List", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Sql/servers");
    let servers = match arm
        .list::<Item<ServerProperties>>(&path, versions::SQL, &[], &op)
        .await
    {
        Ok(s) => s,
        Err(e) => {
            for kind in [ResourceKind::AzureSqlServer, ResourceKind::AzureSqlDatabase] {
                if kinds.contains(&kind) {
                    inv.errors.push(fail(sub, None, kind, &e));
                }
            }
            return inv;
        }
    };
    let parts = join_all(servers.iter().map(|s| async move {
        let mut part = Inventory::default();
        if want_servers {
            server(arm, sub, s, &mut part).await;
        }
        if want_dbs {
            databases(arm, sub, s, &mut part).await;
        }
        part
    }))
    .await;
    for part in parts {
        inv.azure_sql_servers.extend(part.azure_sql_servers);
        inv.azure_sql_databases.extend(part.azure_sql_databases);
        inv.errors.extend(part.errors);
    }
    inv
}

async fn server(arm: &Arm, sub: &str, s: &Item<ServerProperties>, out: &mut Inventory) {
    let region = s.location();
    let kind = ResourceKind::AzureSqlServer;
    let fw_op = Op::new("Microsoft.Sql", "FirewallRules_ListByServer", sub).in_region(&region);
    let audit_op =
        Op::new("Microsoft.Sql", "ServerBlobAuditingPolicies_Get", sub).in_region(&region);
    let fw_path = format!("{}/firewallRules", s.id);
    let audit_path = format!("{}/auditingSettings/default", s.id);
    let (rules, audit) = tokio::join!(
        arm.list::<Item<FirewallProperties>>(&fw_path, versions::SQL, &[], &fw_op),
        arm.get::<Item<State>>(&audit_path, versions::SQL, &audit_op),
    );
    // A detail that cannot be read is an error for this server only; the server stays,
    // that detail empty / `None` (unknown), and the engine reports ERROR for it.
    let resource = s.resource(kind, sub);
    let firewall_rules = match rules {
        Ok(rules) => firewall_rules(&rules),
        Err(e) => {
            out.errors
                .push(fail_on(&resource, "FirewallRules_ListByServer", &e));
            Vec::new()
        }
    };
    let auditing_enabled = match audit {
        Ok(audit) => audit
            .properties
            .state
            .map(|st| st.eq_ignore_ascii_case("Enabled")),
        Err(e) => {
            out.errors
                .push(fail_on(&resource, "ServerBlobAuditingPolicies_Get", &e));
            None
        }
    };
    out.azure_sql_servers.push(SqlServer {
        resource,
        minimal_tls_version: s.properties.minimal_tls_version.clone(),
        public_network_access: s.properties.public_network_access.clone(),
        firewall_rules,
        auditing_enabled,
    });
}

async fn databases(arm: &Arm, sub: &str, s: &Item<ServerProperties>, out: &mut Inventory) {
    let region = s.location();
    let kind = ResourceKind::AzureSqlDatabase;
    let op = Op::new("Microsoft.Sql", "Databases_ListByServer", sub).in_region(&region);
    let dbs = match arm
        .list::<Item<serde::de::IgnoredAny>>(
            &format!("{}/databases", s.id),
            versions::SQL,
            &[],
            &op,
        )
        .await
    {
        Ok(d) => d,
        Err(e) => return out.errors.push(fail(sub, Some(region), kind, &e)),
    };
    let tde = join_all(dbs.iter().map(|db| {
        let op = Op::new("Microsoft.Sql", "TransparentDataEncryptions_Get", sub)
            .in_region(&db.location());
        async move {
            let path = format!("{}/transparentDataEncryption/current", db.id);
            arm.get::<Item<State>>(&path, versions::SQL, &op).await
        }
    }))
    .await;
    for (db, tde) in dbs.iter().zip(tde) {
        let resource = db.resource(kind, sub);
        let tde_state = match tde {
            Ok(t) => t.properties.state,
            Err(e) => {
                let op = "TransparentDataEncryptions_Get";
                out.errors.push(fail_on(&resource, op, &e));
                None
            }
        };
        out.azure_sql_databases.push(SqlDatabase {
            resource,
            server_id: s.id.clone(),
            tde_state,
        });
    }
}
