//! `Microsoft.Insights`: diagnostic settings (where logs are exported): the subscription's
//! activity log here, a resource's (a Key Vault's) through [`settings`].

use serde::Deserialize;

use super::arm::Item;
use super::client::{Arm, Op};
use super::{fail, versions};
use crate::model::azure::{ActivityLog, ActivityLogDiagnosticSetting};
use crate::model::{Inventory, ResourceKind, ResourceRef};

/// One diagnostic setting as ARM lists it.
pub(super) type Setting = Item<Properties>;

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct Properties {
    storage_account_id: Option<String>,
    workspace_id: Option<String>,
    event_hub_authorization_rule_id: Option<String>,
    marketplace_partner_id: Option<String>,
    logs: Vec<Log>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Log {
    category: Option<String>,
    category_group: Option<String>,
    enabled: bool,
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref().filter(|v| !v.trim().is_empty()).cloned()
}

/// SubscriptionDiagnosticSettings_List: one ActivityLog resource per subscription, with the
/// settings found (none is a finding, not an error).
pub async fn activity_log(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let kind = ResourceKind::AzureActivityLog;
    let op = Op::new(
        "Microsoft.Insights",
        "SubscriptionDiagnosticSettings_List",
        sub,
    );
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Insights/diagnosticSettings");
    match arm
        .list::<Item<Properties>>(&path, versions::SUBSCRIPTION_DIAGNOSTIC_SETTINGS, &[], &op)
        .await
    {
        Ok(items) => inv.azure_activity_logs.push(ActivityLog {
            resource: ResourceRef::new(kind, sub, "global", path, "activity-log"),
            settings: settings(&items),
        }),
        Err(e) => inv.errors.push(fail(sub, None, kind, &e)),
    }
    inv
}

/// Settings as the model keeps them: destinations, and the categories (or category groups)
/// that are on.
pub(super) fn settings(items: &[Setting]) -> Vec<ActivityLogDiagnosticSetting> {
    items
        .iter()
        .map(|s| {
            let p = &s.properties;
            ActivityLogDiagnosticSetting {
                name: s.name.clone(),
                storage_account_id: non_empty(&p.storage_account_id),
                workspace_id: non_empty(&p.workspace_id),
                event_hub_authorization_rule_id: non_empty(&p.event_hub_authorization_rule_id),
                marketplace_partner_id: non_empty(&p.marketplace_partner_id),
                enabled_categories: p
                    .logs
                    .iter()
                    .filter(|l| l.enabled)
                    .filter_map(|l| l.category.clone().or_else(|| l.category_group.clone()))
                    .collect(),
            }
        })
        .collect()
}
