//! Azure Monitor: the subscriptions' activity log diagnostic settings.

use super::{arm_id, SUB};
use crate::model::azure::{ActivityLog, ActivityLogDiagnosticSetting};
use crate::model::{Inventory, ResourceKind, ResourceRef};

pub(super) fn add(inv: &mut Inventory) {
    // Production exports its activity log to the security workspace; the sandbox was never
    // set up, so its 90 days of activity vanish.
    inv.azure_activity_logs = vec![
        activity_log(SUB, true),
        activity_log(crate::AZURE_SANDBOX_SUBSCRIPTION, false),
    ];
}

/// A subscription's activity log, exported to the security workspace when `exported`.
fn activity_log(sub: &str, exported: bool) -> ActivityLog {
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Insights/diagnosticSettings");
    ActivityLog {
        resource: ResourceRef::new(
            ResourceKind::AzureActivityLog,
            sub,
            "global",
            path,
            "activity-log",
        ),
        settings: if exported {
            vec![ActivityLogDiagnosticSetting {
                name: "export-activity-log".into(),
                storage_account_id: None,
                workspace_id: Some(arm_id(
                    "rg-ephi-security",
                    "Microsoft.OperationalInsights/workspaces",
                    "law-qolty-security",
                )),
                event_hub_authorization_rule_id: None,
                marketplace_partner_id: None,
                enabled_categories: vec!["allLogs".into()],
            }]
        } else {
            vec![]
        },
    }
}
