use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::LogBucket;

declare_check! {
    /// ## What it checks
    /// Every log bucket of a project (`_Required`, `_Default` and the ones the customer
    /// creates, in every location) keeps logs at least `params.min_log_retention_days` (365
    /// by default) days (`retentionDays`). `_Required` is fixed by Google at 400 days and
    /// passes. A bucket being deleted (`lifecycleState` `DELETE_REQUESTED`) is
    /// NOT_APPLICABLE.
    ///
    /// ## Why it matters
    /// Audit logs are how access to ePHI is reviewed and incidents are investigated
    /// (audit controls, 45 CFR 164.312(b); information system activity review,
    /// 164.308(a)(1)(ii)(D)). `_Default` keeps 30 days unless changed: a breach found in
    /// month two has no trail. HIPAA documentation is kept six years (164.316(b)(2)(i));
    /// a year of searchable logs is the usual audit ask.
    ///
    /// ## Evidence
    /// `retention_days`, `min_log_retention_days`, `locked` and `lifecycle_state`.
    ///
    /// ## Remediation
    /// `gcloud logging buckets update <bucket> --location=<loc> --retention-days=365`
    /// (and route older logs to a Cloud Storage sink for the rest of the six years).
    pub struct LoggingBucketRetention {
        id: "gcp-logging-bucket-retention",
        title: "Log buckets keep logs for at least a year",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpLogBucket],
        controls: [AuditControls, InformationSystemActivityReview],
    }
}

impl Check for LoggingBucketRetention {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let min_days = ctx.config.params.min_log_retention_days;
        ctx.resources::<LogBucket>()
            .iter()
            .map(|b| {
                let builder = if b.lifecycle_state.as_deref() == Some("DELETE_REQUESTED") {
                    ctx.not_applicable(&b.resource).reason("The bucket is being deleted.")
                } else if b.retention_days >= min_days {
                    ctx.pass(&b.resource).reason(format!(
                        "Logs are kept {} days (at least {min_days} required).",
                        b.retention_days
                    ))
                } else {
                    ctx.fail(&b.resource).reason(format!(
                        "Logs are kept {} days, fewer than the required {min_days}.",
                        b.retention_days
                    ))
                };
                builder
                    .evidence("retention_days", b.retention_days)
                    .evidence("min_log_retention_days", min_days)
                    .evidence("locked", b.locked)
                    .evidence("lifecycle_state", &b.lifecycle_state)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp_stores::log_bucket;
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};

    fn kept(id: &str, days: i32) -> LogBucket {
        LogBucket {
            retention_days: days,
            ..log_bucket(id)
        }
    }

    #[test]
    fn retention_must_reach_the_minimum() {
        let mut deleting = kept("deleting", 1);
        deleting.lifecycle_state = Some("DELETE_REQUESTED".into());
        let mut inv = Inventory::new();
        inv.gcp_log_buckets = vec![kept("required", 400), kept("edge", 365), kept("default", 30), deleting];
        let f = run(&LoggingBucketRetention, &inv);
        assert_eq!(f.status_of("required"), Status::Pass);
        assert_eq!(f.status_of("edge"), Status::Pass);
        assert_eq!(f.status_of("default"), Status::Fail);
        assert!(f.of("default").reason.contains("30 days"));
        assert_eq!(f.status_of("deleting"), Status::NotApplicable);

        let mut config = Config::default();
        config.params.min_log_retention_days = 30;
        assert_eq!(run_with(&LoggingBucketRetention, &inv, &config).status_of("default"), Status::Pass);
    }
}
