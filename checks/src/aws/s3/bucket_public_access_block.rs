use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{PublicAccessBlock, S3Bucket};

declare_check! {
    /// ## What it checks
    /// Every bucket has a bucket-level S3 Block Public Access configuration with all four
    /// flags on: `BlockPublicAcls`, `IgnorePublicAcls`, `BlockPublicPolicy` and
    /// `RestrictPublicBuckets`. A bucket without a configuration fails. The account-level
    /// setting is judged separately by `aws-s3-account-public-access-block`, because an
    /// account setting can be switched off for every bucket at once.
    ///
    /// ## Why it matters
    /// Block Public Access is the guard rail that keeps a mistaken ACL or bucket policy from
    /// publishing ePHI to the internet. The policies limit access granted to external
    /// parties to the minimum necessary (access control, 45 CFR 164.312(a)(1); access
    /// authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `configured`, the four flags, and `flags_off` (the flags that are not on).
    ///
    /// ## Remediation
    /// `aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration
    /// BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`.
    /// Serve public content through CloudFront with origin access control instead of a
    /// public bucket.
    pub struct S3BucketPublicAccessBlock {
        id: "aws-s3-bucket-public-access-block",
        title: "S3 buckets block public access (all four settings)",
        severity: High,
        provider: Aws,
        kinds: [AwsS3Bucket],
        controls: [AccessControl, AccessAuthorization],
    }
}

/// The names of the flags of `pab` that are off.
pub(crate) fn flags_off(pab: &PublicAccessBlock) -> Vec<&'static str> {
    [
        ("BlockPublicAcls", pab.block_public_acls),
        ("IgnorePublicAcls", pab.ignore_public_acls),
        ("BlockPublicPolicy", pab.block_public_policy),
        ("RestrictPublicBuckets", pab.restrict_public_buckets),
    ]
    .into_iter()
    .filter(|(_, on)| !on)
    .map(|(name, _)| name)
    .collect()
}

impl Check for S3BucketPublicAccessBlock {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<S3Bucket>()
            .iter()
            .map(|b| match &b.public_access_block {
                None => ctx
                    .fail(&b.resource)
                    .evidence("configured", false)
                    .evidence(
                        "flags_off",
                        [
                            "BlockPublicAcls",
                            "IgnorePublicAcls",
                            "BlockPublicPolicy",
                            "RestrictPublicBuckets",
                        ],
                    )
                    .reason("The bucket has no Block Public Access configuration.")
                    .build(),
                Some(pab) => {
                    let off = flags_off(pab);
                    let reason = if off.is_empty() {
                        "All four Block Public Access settings are on for the bucket.".to_string()
                    } else {
                        format!(
                            "Block Public Access settings off for the bucket: {}.",
                            off.join(", ")
                        )
                    };
                    ctx.verdict(off.is_empty(), &b.resource)
                        .evidence("configured", true)
                        .evidence("block_public_acls", pab.block_public_acls)
                        .evidence("ignore_public_acls", pab.ignore_public_acls)
                        .evidence("block_public_policy", pab.block_public_policy)
                        .evidence("restrict_public_buckets", pab.restrict_public_buckets)
                        .evidence("flags_off", off)
                        .reason(reason)
                        .build()
                }
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

    fn blocked(name: &str, acls: bool, policy: bool) -> S3Bucket {
        let mut b = s3_bucket(name);
        b.public_access_block = Some(PublicAccessBlock {
            block_public_acls: acls,
            ignore_public_acls: true,
            block_public_policy: policy,
            restrict_public_buckets: true,
        });
        b
    }

    #[test]
    fn all_four_or_fail() {
        let mut inv = Inventory::new();
        inv.aws_s3_buckets = vec![
            blocked("all", true, true),
            blocked("partial", true, false),
            s3_bucket("none"),
        ];
        let f = run(&S3BucketPublicAccessBlock, &inv);
        assert_eq!(f.status_of("arn:aws:s3:::all"), Status::Pass);
        assert_eq!(f.status_of("arn:aws:s3:::partial"), Status::Fail);
        assert_eq!(
            f.evidence_of("arn:aws:s3:::partial", "flags_off"),
            serde_json::json!(["BlockPublicPolicy"])
        );
        assert_eq!(f.status_of("arn:aws:s3:::none"), Status::Fail);
        assert_eq!(
            f.evidence_of("arn:aws:s3:::none", "configured"),
            serde_json::json!(false)
        );
    }
}
