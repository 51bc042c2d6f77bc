//! `Microsoft.Sql`: logical servers (firewall rules, server auditing policy) and their
//! databases (transparent data encryption, long-term retention policies). One walk of the
//! servers fills the three kinds; each detail is read only when its kind is wanted.
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
use crate::model::azure::{FirewallRule, SqlDatabase, SqlLtrPolicy, SqlServer};
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
    let want_ltr = kinds.contains(&ResourceKind::AzureSqlLtrPolicy);
    let op = Op::new("Microsoft.Sql", "Servers_List", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Sql/servers");
    let servers = match arm
        .list::<Item<ServerProperties>>(&path, versions::SQL, &[], &op)
        .await
    {
        Ok(s) => s,
        Err(e) => {
            for kind in [
                ResourceKind::AzureSqlServer,
                ResourceKind::AzureSqlDatabase,
                ResourceKind::AzureSqlLtrPolicy,
            ] {
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
        if want_dbs || want_ltr {
            databases(arm, sub, s, (want_dbs, want_ltr), &mut part).await;
        }
        part
    }))
    .await;
    for part in parts {
        inv.azure_sql_servers.extend(part.azure_sql_servers);
        inv.azure_sql_databases.extend(part.azure_sql_databases);
        inv.azure_sql_ltr_policies
            .extend(part.azure_sql_ltr_policies);
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

/// The databases of server `s`: their TDE state (`want.0`) and long-term retention policy
/// (`want.1`).
async fn databases(
    arm: &Arm,
    sub: &str,
    s: &Item<ServerProperties>,
    want: (bool, bool),
    out: &mut Inventory,
) {
    let (want_tde, want_ltr) = want;
    let region = s.location();
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
        // The server's databases are unknown: an error for that server alone (named by its
        // id under each database kind wanted), the other servers' databases are judged.
        Err(e) => {
            let kinds = [
                (want_tde, ResourceKind::AzureSqlDatabase),
                (want_ltr, ResourceKind::AzureSqlLtrPolicy),
            ];
            for (_, kind) in kinds.into_iter().filter(|(w, _)| *w) {
                let server = s.resource(kind, sub);
                out.errors
                    .push(fail_on(&server, "Databases_ListByServer", &e));
            }
            return;
        }
    };
    if want_tde {
        tde(arm, sub, s, &dbs, out).await;
    }
    if want_ltr {
        ltr(arm, sub, s, &dbs, out).await;
    }
}

async fn tde(
    arm: &Arm,
    sub: &str,
    s: &Item<ServerProperties>,
    dbs: &[Item<serde::de::IgnoredAny>],
    out: &mut Inventory,
) {
    let kind = ResourceKind::AzureSqlDatabase;
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

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct LtrProperties {
    weekly_retention: Option<String>,
    monthly_retention: Option<String>,
    yearly_retention: Option<String>,
}

/// LongTermRetentionPolicies_ListByDatabase for every user database: `master` has no
/// long-term retention (Azure keeps no LTR backups of it), so it gets no policy record.
async fn ltr(
    arm: &Arm,
    sub: &str,
    s: &Item<ServerProperties>,
    dbs: &[Item<serde::de::IgnoredAny>],
    out: &mut Inventory,
) {
    let kind = ResourceKind::AzureSqlLtrPolicy;
    let user: Vec<_> = dbs
        .iter()
        .filter(|db| !db.name.eq_ignore_ascii_case("master"))
        .collect();
    let policies = join_all(user.iter().map(|db| {
        let op = Op::new(
            "Microsoft.Sql",
            "LongTermRetentionPolicies_ListByDatabase",
            sub,
        )
        .in_region(&db.location());
        async move {
            let path = format!("{}/backupLongTermRetentionPolicies", db.id);
            arm.list::<Item<LtrProperties>>(&path, versions::SQL, &[], &op)
                .await
        }
    }))
    .await;
    for (db, policies) in user.into_iter().zip(policies) {
        let resource = db.sub_resource(kind, sub, "/backupLongTermRetentionPolicies/default");
        let p = match policies {
            // A database has one policy, `default`; none listed means nothing is kept.
            Ok(list) => list
                .into_iter()
                .next()
                .map(|p| p.properties)
                .unwrap_or_default(),
            Err(e) => {
                let op = "LongTermRetentionPolicies_ListByDatabase";
                out.errors.push(fail_on(&resource, op, &e));
                LtrProperties::default()
            }
        };
        out.azure_sql_ltr_policies.push(SqlLtrPolicy {
            resource,
            server_id: s.id.clone(),
            weekly_retention: p.weekly_retention,
            monthly_retention: p.monthly_retention,
            yearly_retention: p.yearly_retention,
        });
    }
}
