use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::RedshiftCluster;

declare_check! {
    /// ## What it checks
    /// Every Redshift cluster has audit logging on (DescribeLoggingStatus
    /// `LoggingEnabled = true`, to S3 or CloudWatch Logs): connection, user and (with
    /// `enable_user_activity_logging`) query logs. A cluster whose logging status could not
    /// be read is an ERROR.
    ///
    /// ## Why it matters
    /// Who connected to the warehouse and what they queried is the record an investigation
    /// of a breach of ePHI needs (audit controls, 45 CFR 164.312(b); information system
    /// activity review, 164.308(a)(1)(ii)(D)).
    ///
    /// ## Evidence
    /// `logging_enabled` and `log_destination`.
    ///
    /// ## Remediation
    /// `aws redshift enable-logging --cluster-identifier <id> --log-destination-type
    /// cloudwatch --log-exports connectionlog userlog useractivitylog` (or
    /// `--bucket-name <bucket>` for S3).
    pub struct RedshiftAuditLogging {
        id: "aws-redshift-audit-logging",
        title: "Redshift clusters have audit logging enabled",
        severity: Medium,
        provider: Aws,
        kinds: [AwsRedshiftCluster],
        controls: [AuditControls, InformationSystemActivityReview],
    }
}

impl Check for RedshiftAuditLogging {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<RedshiftCluster>()
            .iter()
            .map(|c| {
                let b = match c.logging_enabled {
                    Some(true) => ctx.pass(&c.resource).reason(match &c.log_destination {
                        Some(d) => format!("Audit logging is enabled, to {d}."),
                        None => "Audit logging is enabled.".to_string(),
                    }),
                    Some(false) => ctx.fail(&c.resource).reason("Audit logging is disabled: connections and queries are not recorded."),
                    None => ctx.error(&c.resource).reason("The logging status was not reported."),
                };
                b.evidence("logging_enabled", c.logging_enabled)
                    .evidence("log_destination", &c.log_destination)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::redshift_cluster;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn logging_on_passes_off_fails_unknown_errors() {
        let mut off = redshift_cluster("off");
        off.logging_enabled = Some(false);
        let mut unknown = redshift_cluster("unknown");
        unknown.logging_enabled = None;
        let mut inv = Inventory::new();
        inv.aws_redshift_clusters = vec![redshift_cluster("on"), off, unknown];
        let f = run(&RedshiftAuditLogging, &inv);
        assert_eq!(f.status_of("on"), Status::Pass);
        assert!(f.of("on").reason.contains("cloudwatch"));
        assert_eq!(f.status_of("off"), Status::Fail);
        assert_eq!(f.status_of("unknown"), Status::Error);
    }
}
