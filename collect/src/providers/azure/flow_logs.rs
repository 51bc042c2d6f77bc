//! `Microsoft.Network`: Network Watcher flow logs (NSG flow logs and virtual network flow
//! logs), listed per network watcher (one watcher per region).
//!
//! A watcher whose flow logs cannot be listed is an error for (subscription, its region):
//! an NSG there could otherwise look unlogged, or logged by a record that was never read.

use futures::future::join_all;
use serde::Deserialize;

use super::arm::Item;
use super::client::{Arm, Op};
use super::{fail, versions};
use crate::model::azure::FlowLog;
use crate::model::{Inventory, ResourceKind};

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Properties {
    target_resource_id: String,
    enabled: Option<bool>,
    storage_id: Option<String>,
    retention_policy: Option<Retention>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Retention {
    days: Option<i32>,
    enabled: Option<bool>,
}

/// NetworkWatchers_ListAll, then FlowLogs_List per watcher.
pub async fn flow_logs(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let kind = ResourceKind::AzureFlowLog;
    let op = Op::new("Microsoft.Network", "NetworkWatchers_ListAll", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Network/networkWatchers");
    let watchers = match arm
        .list::<Item<serde::de::IgnoredAny>>(&path, versions::NETWORK, &[], &op)
        .await
    {
        Ok(w) => w,
        Err(e) => {
            inv.errors.push(fail(sub, None, kind, &e));
            return inv;
        }
    };
    let lists = join_all(watchers.iter().map(|w| {
        let op = Op::new("Microsoft.Network", "FlowLogs_List", sub).in_region(&w.location());
        async move {
            let path = format!("{}/flowLogs", w.id);
            arm.list::<Item<Properties>>(&path, versions::NETWORK, &[], &op)
                .await
        }
    }))
    .await;
    for (w, list) in watchers.iter().zip(lists) {
        match list {
            Ok(items) => inv.azure_flow_logs.extend(items.iter().map(|f| {
                let p = &f.properties;
                let retention = p.retention_policy.as_ref();
                let mut resource = f.resource(kind, sub);
                // Flow logs live in their watcher's region even when ARM omits `location`.
                if f.location.is_none() {
                    resource.region = w.location();
                }
                FlowLog {
                    resource,
                    target_resource_id: p.target_resource_id.clone(),
                    enabled: p.enabled,
                    storage_id: p.storage_id.clone().filter(|s| !s.trim().is_empty()),
                    retention_enabled: retention.and_then(|r| r.enabled),
                    retention_days: retention.and_then(|r| r.days),
                }
            })),
            Err(e) => inv.errors.push(fail(sub, Some(w.location()), kind, &e)),
        }
    }
    inv
}
