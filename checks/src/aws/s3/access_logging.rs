use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::S3Bucket;

declare_check! {
    /// ## What it checks
    /// Every bucket has server access logging on (`GetBucketLogging` names a target bucket).
    /// A bucket that logs into itself passes, with a note in the reason, since every log
    /// delivery then writes another log record.
    ///
    /// ## Why it matters
    /// Server access logs record each request against the bucket (who read which ePHI
    /// object, from where), which CloudTrail management events do not. HIPAA requires
    /// mechanisms that record and examine activity in systems holding ePHI (audit controls,
    /// 45 CFR 164.312(b)) and regular review of those records (information system activity
    /// review, 164.308(a)(1)(ii)(D)).
    ///
    /// ## Evidence
    /// `logging_enabled` and `target_bucket`.
    ///
    /// ## Remediation
    /// Create a dedicated log bucket in the same region, then
    /// `aws s3api put-bucket-logging --bucket <bucket> --bucket-logging-status
    /// '{"LoggingEnabled":{"TargetBucket":"<log-bucket>","TargetPrefix":"<bucket>/"}}'`.
    /// CloudTrail S3 data events are an alternative with IAM identities in each record.
    pub struct S3BucketAccessLogging {
        id: "aws-s3-bucket-access-logging",
        title: "S3 buckets have server access logging enabled",
        severity: Medium,
        provider: Aws,
        kinds: [AwsS3Bucket],
        controls: [AuditControls, InformationSystemActivityReview],
    }
}

impl Check for S3BucketAccessLogging {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<S3Bucket>()
            .iter()
            .map(|b| {
                let target = b.logging_target_bucket.as_deref().filter(|t| !t.is_empty());
                let reason = match target {
                    Some(t) if t == b.resource.name => "Server access logging is on, into the bucket itself (each delivery logs again; prefer a separate log bucket).".to_string(),
                    Some(t) => format!("Server access logging is on, into bucket {t}."),
                    None => "Server access logging is off: requests to the bucket's objects are not recorded.".to_string(),
                };
                ctx.verdict(target.is_some(), &b.resource)
                    .evidence("logging_enabled", target.is_some())
                    .evidence("target_bucket", target)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::s3_bucket;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn target_bucket_decides() {
        let mut logged = s3_bucket("logged");
        logged.logging_target_bucket = Some("access-logs".into());
        let mut inv = Inventory::new();
        inv.aws_s3_buckets = vec![logged, s3_bucket("silent")];
        let f = run(&S3BucketAccessLogging, &inv);
        assert_eq!(f.status_of("arn:aws:s3:::logged"), Status::Pass);
        assert_eq!(
            f.evidence_of("arn:aws:s3:::logged", "target_bucket"),
            serde_json::json!("access-logs")
        );
        assert_eq!(f.status_of("arn:aws:s3:::silent"), Status::Fail);
    }
}
