use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::S3Bucket;

use crate::aws::external_access::policy_verdict;

/// S3 actions that only read (`s3:GetObject`, `s3:ListBucket`, `s3:HeadObject`).
pub(crate) const S3_READ_VERBS: [&str; 3] = ["get", "list", "head"];

declare_check! {
    /// ## What it checks
    /// A bucket policy grants nothing to principals outside the bucket's account except
    /// partners on the `[[third_parties]]` list, within what the list allows: their AWS
    /// account, `access` (a `read` partner may only Get/List/Head) and `expires`. Everyone
    /// (`"*"`, `NotPrincipal`) fails unless a condition pins the caller's account
    /// (`aws:PrincipalAccount`, `aws:SourceAccount`, `aws:PrincipalArn`, ...) to the account
    /// or listed partners, or to the organization (`aws:PrincipalOrgID`). AWS service
    /// principals are AWS itself. Without `[[third_parties]]` every external principal is a
    /// finding. A bucket without a policy passes (it grants nothing).
    ///
    /// ## Why it matters
    /// The Janus policy limits access granted to external parties "to the minimum necessary"
    /// and "only for the duration required", and keeps "a list of all current Partners and
    /// Subcontractors". A bucket readable by an account on no list is ePHI disclosed outside
    /// any agreement (access control, 45 CFR 164.312(a)(1); access authorization,
    /// 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `policy_present`, `partners_listed` and `external_grants` (Sid, principal, account,
    /// actions, `writes`, `allowed` and `why` for each external principal granted).
    ///
    /// ## Remediation
    /// Remove the statement naming the stranger, narrow a partner's actions to what the list
    /// allows, or extend the partner's entry after review: `aws s3api put-bucket-policy
    /// --bucket <bucket> --policy file://policy.json`.
    pub struct S3BucketPolicyExternalAccess {
        id: "aws-s3-bucket-policy-external-access",
        title: "Bucket policies grant nothing outside the account and the partner list",
        severity: High,
        provider: Aws,
        kinds: [AwsS3Bucket],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for S3BucketPolicyExternalAccess {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<S3Bucket>()
            .iter()
            .map(|b| match &b.policy {
                None => ctx
                    .pass(&b.resource)
                    .evidence("policy_present", false)
                    .reason("The bucket has no policy: it grants nothing beyond its own account.")
                    .build(),
                Some(doc) => policy_verdict(ctx, &b.resource, doc, "bucket policy", &S3_READ_VERBS)
                    .evidence("policy_present", true)
                    .build(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::s3_bucket;
    use crate::testing::{run, run_with, segmented};
    use phiscan_core::{Inventory, Status};
    use serde_json::json;

    fn with_policy(name: &str, principal: serde_json::Value, action: &str) -> S3Bucket {
        let mut b = s3_bucket(name);
        b.policy = Some(json!({"Statement": [{"Effect": "Allow", "Principal": principal,
            "Action": action, "Resource": format!("arn:aws:s3:::{name}/*")}]}));
        b
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let mut none = s3_bucket("no-policy");
        none.policy = None;
        inv.aws_s3_buckets = vec![
            none,
            with_policy("partner-reads", json!({"AWS": "arn:aws:iam::210987654321:root"}), "s3:GetObject"),
            with_policy("partner-writes", json!({"AWS": "210987654321"}), "s3:PutObject"),
            with_policy("stranger", json!({"AWS": "arn:aws:iam::999988887777:root"}), "s3:GetObject"),
            with_policy("everyone", json!("*"), "s3:GetObject"),
            with_policy("own-role", json!({"AWS": "arn:aws:iam::111122223333:role/app"}), "s3:*"),
        ];
        let f = run_with(&S3BucketPolicyExternalAccess, &inv, &segmented());
        let arn = |n: &str| format!("arn:aws:s3:::{n}");
        for (name, want) in [
            ("no-policy", Status::Pass),
            ("partner-reads", Status::Pass),
            ("partner-writes", Status::Fail),
            ("stranger", Status::Fail),
            ("everyone", Status::Fail),
            ("own-role", Status::Pass),
        ] {
            assert_eq!(f.status_of(&arn(name)), want, "{name}");
        }
        assert_eq!(
            f.evidence_of(&arn("stranger"), "external_grants")[0]["account"],
            "999988887777"
        );
        // Without a partner list the partner is a stranger too.
        let f = run(&S3BucketPolicyExternalAccess, &inv);
        assert_eq!(f.status_of(&arn("partner-reads")), Status::Fail);
    }
}
