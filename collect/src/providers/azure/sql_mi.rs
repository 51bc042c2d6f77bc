//! `Microsoft.Sql`: managed instances, their user databases and each database's transparent
//! data encryption state.
//!
//! An instance whose databases or a database's TDE state cannot be read is an error for that
//! instance alone (a database left out would make the instance look encrypted).

use futures::future::join_all;
use serde::Deserialize;

use super::arm::Item;
use super::client::{Arm, ArmError, Op};
use super::{fail, fail_on, versions};
use crate::model::azure::{ManagedDatabaseTde, SqlManagedInstance};
use crate::model::{Inventory, ResourceKind};

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Properties {
    public_data_endpoint_enabled: Option<bool>,
    minimal_tls_version: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct State {
    state: Option<String>,
}

/// ManagedInstances_List, then per instance ManagedDatabases_ListByInstance and
/// ManagedDatabaseTransparentDataEncryption_Get per database.
pub async fn managed_instances(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let kind = ResourceKind::AzureSqlManagedInstance;
    let op = Op::new("Microsoft.Sql", "ManagedInstances_List", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Sql/managedInstances");
    let instances = match arm
        .list::<Item<Properties>>(&path, versions::SQL, &[], &op)
        .await
    {
        Ok(i) => i,
        Err(e) => {
            inv.errors.push(fail(sub, None, kind, &e));
            return inv;
        }
    };
    let dbs = join_all(instances.iter().map(|mi| databases(arm, sub, mi))).await;
    for (mi, dbs) in instances.iter().zip(dbs) {
        let resource = mi.resource(kind, sub);
        let databases = match dbs {
            Ok(d) => d,
            Err((op, e)) => {
                inv.errors.push(fail_on(&resource, op, &e));
                Vec::new()
            }
        };
        inv.azure_sql_managed_instances.push(SqlManagedInstance {
            resource,
            public_data_endpoint_enabled: mi.properties.public_data_endpoint_enabled,
            minimal_tls_version: mi.properties.minimal_tls_version.clone(),
            databases,
        });
    }
    inv
}

/// The instance's databases with their TDE state, or the first operation that failed.
async fn databases(
    arm: &Arm,
    sub: &str,
    mi: &Item<Properties>,
) -> Result<Vec<ManagedDatabaseTde>, (&'static str, ArmError)> {
    let region = mi.location();
    let list = "ManagedDatabases_ListByInstance";
    let op = Op::new("Microsoft.Sql", list, sub).in_region(&region);
    let dbs = arm
        .list::<Item<serde::de::IgnoredAny>>(
            &format!("{}/databases", mi.id),
            versions::SQL,
            &[],
            &op,
        )
        .await
        .map_err(|e| (list, e))?;
    let get = "ManagedDatabaseTransparentDataEncryption_Get";
    let states = join_all(dbs.iter().map(|db| {
        let op = Op::new("Microsoft.Sql", get, sub).in_region(&region);
        async move {
            let path = format!("{}/transparentDataEncryption/current", db.id);
            arm.get::<Item<State>>(&path, versions::SQL, &op).await
        }
    }))
    .await;
    dbs.iter()
        .zip(states)
        .map(|(db, st)| {
            Ok(ManagedDatabaseTde {
                name: db.name.clone(),
                tde_state: st.map_err(|e| (get, e))?.properties.state,
            })
        })
        .collect()
}
