use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::LogGroup;

declare_check! {
    /// ## What it checks
    /// Every CloudWatch Logs log group keeps its events for at least
    /// `params.min_log_retention_days` days (365 by default). A group with no retention
    /// setting keeps events forever (the API omits `retentionInDays`): that passes, and the
    /// reason says so.
    ///
    /// ## Why it matters
    /// Logs are the record that shows who touched ePHI; a group that expires events after a
    /// week cannot answer an investigation that starts a month later (audit controls,
    /// 45 CFR 164.312(b); information system activity review, 164.308(a)(1)(ii)(D)). HIPAA
    /// keeps documentation six years (164.316(b)(2)(i)); a year of searchable logs, archived
    /// beyond, is the common audit expectation.
    ///
    /// ## Evidence
    /// `retention_in_days` (`null`: never expire) and `min_log_retention_days`.
    ///
    /// ## Remediation
    /// `aws logs put-retention-policy --log-group-name <group> --retention-in-days 365`
    /// (or longer), and export older logs to S3 with a lifecycle rule if they must be kept
    /// for six years.
    pub struct LogsGroupRetention {
        id: "aws-logs-group-retention",
        title: "CloudWatch log groups keep events long enough",
        severity: Medium,
        provider: Aws,
        kinds: [AwsLogGroup],
        controls: [AuditControls, InformationSystemActivityReview],
    }
}

impl Check for LogsGroupRetention {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let min = ctx.config.params.min_log_retention_days;
        ctx.resources::<LogGroup>()
            .iter()
            .map(|g| {
                let (ok, reason) = match g.retention_in_days {
                    None => (
                        true,
                        "Events never expire (no retention setting).".to_string(),
                    ),
                    Some(d) if d >= min => {
                        (true, format!("Events are kept {d} days (minimum {min})."))
                    }
                    Some(d) => (
                        false,
                        format!("Events are kept only {d} days, below the minimum of {min}."),
                    ),
                };
                ctx.verdict(ok, &g.resource)
                    .evidence("retention_in_days", g.retention_in_days)
                    .evidence("min_log_retention_days", min)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::log_group;
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};

    fn kept(id: &str, days: Option<i32>) -> LogGroup {
        let mut g = log_group(id);
        g.retention_in_days = days;
        g
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.aws_log_groups = vec![
            kept("year", Some(365)),
            kept("decade", Some(3653)),
            kept("week", Some(7)),
            kept("forever", None),
        ];
        let f = run(&LogsGroupRetention, &inv);
        assert_eq!(f.status_of("year"), Status::Pass);
        assert_eq!(f.status_of("decade"), Status::Pass);
        assert_eq!(f.status_of("week"), Status::Fail);
        assert_eq!(f.status_of("forever"), Status::Pass);
        assert!(f.of("forever").reason.contains("never expire"));
    }

    #[test]
    fn minimum_comes_from_params() {
        let mut config = Config::default();
        config.params.min_log_retention_days = 2192;
        let mut inv = Inventory::new();
        inv.aws_log_groups = vec![kept("year", Some(365)), kept("six-years", Some(2192))];
        let f = run_with(&LogsGroupRetention, &inv, &config);
        assert_eq!(f.status_of("year"), Status::Fail);
        assert_eq!(f.status_of("six-years"), Status::Pass);
    }
}
