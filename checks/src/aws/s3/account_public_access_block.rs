use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::S3AccountPublicAccessBlock;

use super::bucket_public_access_block::flags_off;

declare_check! {
    /// ## What it checks
    /// Each account has an account-level S3 Block Public Access configuration (S3 Control
    /// `GetPublicAccessBlock`) with all four flags on. An account without one fails.
    ///
    /// ## Why it matters
    /// The account setting covers every bucket, including the ones created tomorrow without
    /// a bucket-level setting, so one mistaken policy cannot publish ePHI. The policies limit
    /// access granted to external parties to the minimum necessary (access control,
    /// 45 CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `account`, `configured`, the four flags, and `flags_off`.
    ///
    /// ## Remediation
    /// S3 console > Block Public Access settings for this account > Edit > Block all public
    /// access, or `aws s3control put-public-access-block --account-id <account>
    /// --public-access-block-configuration
    /// BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`.
    pub struct S3AccountPublicAccessBlockCheck {
        id: "aws-s3-account-public-access-block",
        title: "The account blocks S3 public access (all four settings)",
        severity: High,
        provider: Aws,
        kinds: [AwsS3AccountPublicAccessBlock],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for S3AccountPublicAccessBlockCheck {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<S3AccountPublicAccessBlock>()
            .iter()
            .map(|a| {
                let account = &a.resource.account;
                match &a.config {
                    None => ctx
                        .fail(&a.resource)
                        .evidence("account", account)
                        .evidence("configured", false)
                        .evidence("flags_off", ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"])
                        .reason(format!("Account {account} has no account-level S3 Block Public Access configuration."))
                        .build(),
                    Some(pab) => {
                        let off = flags_off(pab);
                        let reason = if off.is_empty() {
                            format!("All four account-level S3 Block Public Access settings are on for account {account}.")
                        } else {
                            format!("Account-level S3 Block Public Access settings off for account {account}: {}.", off.join(", "))
                        };
                        ctx.verdict(off.is_empty(), &a.resource)
                            .evidence("account", account)
                            .evidence("configured", true)
                            .evidence("block_public_acls", pab.block_public_acls)
                            .evidence("ignore_public_acls", pab.ignore_public_acls)
                            .evidence("block_public_policy", pab.block_public_policy)
                            .evidence("restrict_public_buckets", pab.restrict_public_buckets)
                            .evidence("flags_off", off)
                            .reason(reason)
                            .build()
                    }
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::s3_account_public_access_block;
    use crate::testing::run;
    use phiscan_core::model::aws::PublicAccessBlock;
    use phiscan_core::{Inventory, Status};

    fn account(id: &str, config: Option<PublicAccessBlock>) -> S3AccountPublicAccessBlock {
        S3AccountPublicAccessBlock {
            config,
            ..s3_account_public_access_block(id)
        }
    }

    #[test]
    fn per_account_verdicts() {
        let all = PublicAccessBlock {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: true,
        };
        let mut inv = Inventory::new();
        inv.aws_s3_account_public_access_blocks = vec![
            account("111", Some(all)),
            account(
                "222",
                Some(PublicAccessBlock {
                    restrict_public_buckets: false,
                    ..all
                }),
            ),
            account("333", None),
        ];
        let f = run(&S3AccountPublicAccessBlockCheck, &inv);
        assert_eq!(f.status_of("111"), Status::Pass);
        assert_eq!(f.status_of("222"), Status::Fail);
        assert!(f.of("222").reason.contains("RestrictPublicBuckets"));
        assert_eq!(f.status_of("333"), Status::Fail);
    }
}
