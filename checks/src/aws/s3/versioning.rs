use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::S3Bucket;

declare_check! {
    /// ## What it checks
    /// Every bucket has versioning `Enabled`. `Suspended` fails (new writes overwrite in
    /// place again), and so does a bucket on which versioning was never enabled.
    ///
    /// ## Why it matters
    /// Without versioning an overwrite or delete, by mistake, by a compromised credential or
    /// by ransomware, destroys the only copy of the object. Versions keep ePHI recoverable
    /// (integrity, 45 CFR 164.312(c)(1): protect ePHI from improper alteration or
    /// destruction; data backup plan, 164.308(a)(7)(ii)(A): retrievable exact copies), and
    /// every prior version stays readable, so an unauthorized alteration or deletion can be
    /// corroborated by comparing versions (164.312(c)(2)).
    ///
    /// ## Evidence
    /// `versioning` (`Enabled`, `Suspended` or null for never enabled) and `mfa_delete`.
    ///
    /// ## Remediation
    /// `aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration
    /// Status=Enabled`, plus a lifecycle rule that expires noncurrent versions after the
    /// retention period your backup policy sets.
    pub struct S3BucketVersioning {
        id: "aws-s3-bucket-versioning",
        title: "S3 buckets have versioning enabled",
        severity: Medium,
        provider: Aws,
        kinds: [AwsS3Bucket],
        controls: [Integrity, IntegrityAuthentication, DataBackupPlan],
    }
}

impl Check for S3BucketVersioning {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<S3Bucket>()
            .iter()
            .map(|b| {
                let (ok, reason) = match b.versioning.as_deref() {
                    Some("Enabled") => (true, "Versioning is Enabled on the bucket.".to_string()),
                    Some("Suspended") => (false, "Versioning is Suspended on the bucket: objects written from now on are overwritten and deleted without a recoverable version.".to_string()),
                    Some(other) => (false, format!("Versioning reports an unrecognized status {other:?}.")),
                    None => (false, "Versioning was never enabled on the bucket.".to_string()),
                };
                ctx.verdict(ok, &b.resource)
                    .evidence("versioning", &b.versioning)
                    .evidence("mfa_delete", &b.mfa_delete)
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
    fn only_enabled_passes() {
        let mut inv = Inventory::new();
        for (name, v) in [
            ("on", Some("Enabled")),
            ("paused", Some("Suspended")),
            ("never", None),
        ] {
            let mut b = s3_bucket(name);
            b.versioning = v.map(Into::into);
            inv.aws_s3_buckets.push(b);
        }
        let f = run(&S3BucketVersioning, &inv);
        assert_eq!(f.status_of("arn:aws:s3:::on"), Status::Pass);
        assert_eq!(f.status_of("arn:aws:s3:::paused"), Status::Fail);
        assert_eq!(f.status_of("arn:aws:s3:::never"), Status::Fail);
        assert!(f.of("arn:aws:s3:::never").reason.contains("never enabled"));
    }
}
