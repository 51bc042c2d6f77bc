use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::{ActivityLog, ActivityLogDiagnosticSetting};
use serde_json::json;

declare_check! {
    /// ## What it checks
    /// Every subscription exports its activity log: some diagnostic setting of the
    /// subscription sends the `Administrative` and `Security` categories (or the `allLogs`
    /// category group) to a destination (a Log Analytics workspace, a storage account, an
    /// event hub or a partner solution). A subscription without such a setting FAILs; the
    /// evidence lists the settings found and what each exports.
    ///
    /// ## Why it matters
    /// The activity log records who created, changed or deleted which resource, and Defender
    /// alerts. Azure keeps it for 90 days only and nowhere the organisation controls, so
    /// audit controls (45 CFR 164.312(b)) and information system activity review
    /// (164.308(a)(1)(ii)(D)) need it exported and retained.
    ///
    /// ## Evidence
    /// `settings` (name, destinations, enabled categories) and `exporting` (the settings that
    /// qualify).
    ///
    /// ## Remediation
    /// `az monitor diagnostic-settings subscription create -n export-activity-log
    /// --location <region> --workspace <workspace-id> --logs
    /// '[{"categoryGroup":"allLogs","enabled":true}]'` (portal: Monitor > Activity log >
    /// Export Activity Logs).
    pub struct ActivityLogExported {
        id: "azure-activity-log-exported",
        title: "Subscription activity logs are exported",
        severity: Medium,
        provider: Azure,
        kinds: [AzureActivityLog],
        controls: [AuditControls, InformationSystemActivityReview],
    }
}

fn has(s: &ActivityLogDiagnosticSetting, category: &str) -> bool {
    s.enabled_categories
        .iter()
        .any(|c| c.eq_ignore_ascii_case(category) || c.eq_ignore_ascii_case("allLogs"))
}

fn exports(s: &ActivityLogDiagnosticSetting) -> bool {
    let destination = s.storage_account_id.is_some()
        || s.workspace_id.is_some()
        || s.event_hub_authorization_rule_id.is_some()
        || s.marketplace_partner_id.is_some();
    destination && has(s, "Administrative") && has(s, "Security")
}

impl Check for ActivityLogExported {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<ActivityLog>()
            .iter()
            .map(|log| {
                let listed: Vec<serde_json::Value> = log
                    .settings
                    .iter()
                    .map(|s| {
                        json!({
                            "name": s.name,
                            "workspace_id": s.workspace_id,
                            "storage_account_id": s.storage_account_id,
                            "event_hub_authorization_rule_id": s.event_hub_authorization_rule_id,
                            "marketplace_partner_id": s.marketplace_partner_id,
                            "enabled_categories": s.enabled_categories,
                        })
                    })
                    .collect();
                let exporting: Vec<&str> = log
                    .settings
                    .iter()
                    .filter(|s| exports(s))
                    .map(|s| s.name.as_str())
                    .collect();
                let reason = if !exporting.is_empty() {
                    format!(
                        "Diagnostic setting(s) {} export the activity log's Administrative and Security events.",
                        exporting.join(", ")
                    )
                } else if log.settings.is_empty() {
                    "No diagnostic setting exports the activity log: Azure keeps it for 90 days only.".to_string()
                } else {
                    format!(
                        "None of the {} diagnostic setting(s) exports both the Administrative and Security categories to a destination.",
                        log.settings.len()
                    )
                };
                ctx.verdict(!exporting.is_empty(), &log.resource)
                    .evidence("settings", listed)
                    .evidence("exporting", &exporting)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::activity_log;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn setting(name: &str, workspace: bool, categories: &[&str]) -> ActivityLogDiagnosticSetting {
        ActivityLogDiagnosticSetting {
            name: name.into(),
            storage_account_id: None,
            workspace_id: workspace.then(|| "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law".into()),
            event_hub_authorization_rule_id: None,
            marketplace_partner_id: None,
            enabled_categories: categories.iter().map(|c| c.to_string()).collect(),
        }
    }

    fn log(id: &str, settings: Vec<ActivityLogDiagnosticSetting>) -> ActivityLog {
        ActivityLog {
            settings,
            ..activity_log(id)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_activity_logs = vec![
            log("all", vec![setting("ds", true, &["allLogs"])]),
            log(
                "explicit",
                vec![setting(
                    "ds",
                    true,
                    &["Administrative", "Security", "Policy"],
                )],
            ),
            log("admin-only", vec![setting("ds", true, &["Administrative"])]),
            log("nowhere", vec![setting("ds", false, &["allLogs"])]),
            log("none", vec![]),
        ];
        let f = run(&ActivityLogExported, &inv);
        assert_eq!(f.status_of("all"), Status::Pass);
        assert_eq!(f.status_of("explicit"), Status::Pass);
        assert_eq!(f.status_of("admin-only"), Status::Fail);
        assert_eq!(f.status_of("nowhere"), Status::Fail);
        assert_eq!(f.status_of("none"), Status::Fail);
        assert!(f.of("none").reason.contains("90 days"));
    }
}
