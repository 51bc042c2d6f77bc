use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::{LogSink, ProjectLogSinks};

declare_check! {
    /// ## What it checks
    /// Every project has at least one enabled log sink of its own that exports audit logs:
    /// its filter is empty (every log entry) or selects `cloudaudit.googleapis.com` logs
    /// without negating anything. A filter with `NOT` or a `-` negation is not credited,
    /// since phiscan does not evaluate the Logging query language and such a filter may drop
    /// the audit logs; waive the finding if it does not. The built-in `_Required` and
    /// `_Default` sinks do not count: they keep logs only in the project's own log buckets
    /// (400 days for `_Required`, 30 days for `_Default` unless changed), which go with the
    /// project when it is deleted.
    ///
    /// ## Why it matters
    /// Audit logs prove who did what to ePHI only if they outlive an incident and the
    /// project: an export to a locked bucket, BigQuery or a SIEM keeps them for the
    /// retention the policy requires and out of reach of a project administrator covering
    /// tracks (audit controls, 45 CFR 164.312(b); information system activity review,
    /// 164.308(a)(1)(ii)(D)).
    ///
    /// ## Evidence
    /// `sinks` (name, destination, filter, disabled of each), `exporting_sinks` (the names
    /// that qualify).
    ///
    /// ## Remediation
    /// `gcloud logging sinks create audit-archive storage.googleapis.com/<locked-bucket>
    /// --log-filter='logName:"cloudaudit.googleapis.com"' --project=<p>`, then grant the
    /// sink's writer identity `roles/storage.objectCreator` on the bucket. For every project
    /// at once, create an aggregated sink on the organization with `--include-children` and
    /// waive this check per project.
    pub struct LoggingSinkExists {
        id: "gcp-logging-sink-exists",
        title: "Projects export their audit logs through a log sink",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpProjectLogSinks],
        controls: [AuditControls, InformationSystemActivityReview],
    }
}

const BUILT_IN: [&str; 2] = ["_Required", "_Default"];

/// Why `s` does not export audit logs, or `None` when it does.
fn not_exporting(s: &LogSink) -> Option<&'static str> {
    let filter = s.filter.trim();
    if BUILT_IN.contains(&s.name.as_str()) {
        Some("built-in")
    } else if s.disabled {
        Some("disabled")
    } else if filter.is_empty() {
        None
    } else if filter.contains("NOT ") || filter.contains("-logName") || filter.contains("-LOG_ID") {
        Some("filter negates")
    } else if filter.contains("cloudaudit.googleapis.com") {
        None
    } else {
        Some("filter selects no audit logs")
    }
}

impl Check for LoggingSinkExists {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<ProjectLogSinks>()
            .iter()
            .map(|p| {
                let exporting: Vec<&str> = p
                    .sinks
                    .iter()
                    .filter(|s| not_exporting(s).is_none())
                    .map(|s| s.name.as_str())
                    .collect();
                let sinks: Vec<serde_json::Value> = p
                    .sinks
                    .iter()
                    .map(|s| {
                        serde_json::json!({
                            "name": s.name,
                            "destination": s.destination,
                            "filter": s.filter,
                            "disabled": s.disabled,
                        })
                    })
                    .collect();
                let builder = if let Some(first) = exporting.first() {
                    let dest = p
                        .sinks
                        .iter()
                        .find(|s| s.name == *first)
                        .map(|s| s.destination.as_str())
                        .unwrap_or("");
                    ctx.pass(&p.resource)
                        .reason(format!("Log sink {first} exports audit logs to {dest}."))
                } else {
                    let others: Vec<String> = p
                        .sinks
                        .iter()
                        .filter_map(|s| not_exporting(s).map(|why| format!("{} ({why})", s.name)))
                        .collect();
                    ctx.fail(&p.resource).reason(if others.is_empty() {
                        "The project has no log sinks: audit logs are not exported.".to_string()
                    } else {
                        format!(
                            "No enabled sink of the project exports audit logs; its sinks: {}.",
                            others.join(", ")
                        )
                    })
                };
                builder
                    .evidence("sinks", sinks)
                    .evidence("exporting_sinks", &exporting)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::{log_sink, project_log_sinks};
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn sink(name: &str, filter: &str, disabled: bool) -> LogSink {
        LogSink {
            disabled,
            ..log_sink(name, filter)
        }
    }

    fn with(id: &str, extra: Vec<LogSink>) -> ProjectLogSinks {
        let mut p = project_log_sinks(id);
        p.sinks.extend(extra);
        p
    }

    #[test]
    fn an_enabled_sink_must_export_audit_logs() {
        let mut inv = Inventory::new();
        inv.gcp_project_log_sinks = vec![
            with("all-logs", vec![sink("archive", "", false)]),
            with(
                "audit-only",
                vec![sink(
                    "audit",
                    r#"logName:"cloudaudit.googleapis.com""#,
                    false,
                )],
            ),
            with("built-ins-only", vec![]),
            with("disabled", vec![sink("archive", "", true)]),
            with(
                "errors-only",
                vec![sink("errors", "severity>=ERROR", false)],
            ),
            with(
                "negated",
                vec![sink(
                    "most",
                    r#"logName:"cloudaudit.googleapis.com" AND NOT severity=DEBUG"#,
                    false,
                )],
            ),
            ProjectLogSinks {
                sinks: vec![],
                ..project_log_sinks("no-sinks")
            },
        ];
        let f = run(&LoggingSinkExists, &inv);
        assert_eq!(f.status_of("all-logs"), Status::Pass);
        assert!(f.of("all-logs").reason.contains("archive-bucket"));
        assert_eq!(f.status_of("audit-only"), Status::Pass);
        assert_eq!(f.status_of("built-ins-only"), Status::Fail);
        assert!(f
            .of("built-ins-only")
            .reason
            .contains("_Required (built-in)"));
        assert_eq!(f.status_of("disabled"), Status::Fail);
        assert!(f.of("disabled").reason.contains("archive (disabled)"));
        assert_eq!(f.status_of("errors-only"), Status::Fail);
        assert_eq!(f.status_of("negated"), Status::Fail);
        assert_eq!(f.status_of("no-sinks"), Status::Fail);
        assert!(f.of("no-sinks").reason.contains("no log sinks"));
        assert_eq!(f.evidence_of("audit-only", "exporting_sinks")[0], "audit");
    }
}
