use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::CloudTrail;

declare_check! {
    /// ## What it checks
    /// Every CloudTrail trail has log file integrity validation enabled
    /// (`LogFileValidationEnabled`), whether or not it is logging right now. Trails are
    /// evaluated once each (multi-region trails are deduplicated by ARN in the inventory).
    ///
    /// ## Why it matters
    /// With validation on, CloudTrail delivers signed, chained digest files, so anyone can
    /// prove later that no log file was altered or deleted after delivery. Audit records
    /// that an intruder could quietly edit do not protect the integrity of the evidence
    /// (integrity, 45 CFR 164.312(c)(1); audit controls, 164.312(b)).
    ///
    /// ## Evidence
    /// `log_file_validation`, `is_logging`, `is_multi_region`, `home_region` and `s3_bucket`.
    ///
    /// ## Remediation
    /// `aws cloudtrail update-trail --name <trail> --enable-log-file-validation`; verify
    /// with `aws cloudtrail validate-logs --trail-arn <arn> --start-time <time>`.
    pub struct CloudTrailLogValidation {
        id: "aws-cloudtrail-log-validation",
        title: "CloudTrail trails validate log file integrity",
        severity: Medium,
        provider: Aws,
        kinds: [AwsCloudTrail],
        controls: [Integrity, AuditControls],
    }
}

impl Check for CloudTrailLogValidation {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<CloudTrail>()
            .iter()
            .map(|t| {
                let reason = if t.log_file_validation {
                    "Log file integrity validation is enabled: delivered log files are covered by signed digests."
                } else {
                    "Log file integrity validation is disabled: changes to delivered log files cannot be detected."
                };
                ctx.verdict(t.log_file_validation, &t.resource)
                    .evidence("log_file_validation", t.log_file_validation)
                    .evidence("is_logging", t.is_logging)
                    .evidence("is_multi_region", t.is_multi_region)
                    .evidence("home_region", &t.home_region)
                    .evidence("s3_bucket", &t.s3_bucket)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::cloud_trail;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn validation_decides() {
        let mut off = cloud_trail("off");
        off.log_file_validation = false;
        let mut inv = Inventory::new();
        inv.aws_cloudtrails = vec![cloud_trail("on"), off];
        let f = run(&CloudTrailLogValidation, &inv);
        assert_eq!(f.status_of("on"), Status::Pass);
        assert_eq!(f.status_of("off"), Status::Fail);
    }
}
