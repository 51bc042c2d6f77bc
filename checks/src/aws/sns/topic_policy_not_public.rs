use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::SnsTopic;

declare_check! {
    /// ## What it checks
    /// No SNS topic policy has an `Allow` for everyone without a condition (`Principal`
    /// `"*"`, `{"AWS": "*"}`, or `NotPrincipal`). The default policy SNS writes names
    /// `{"AWS": "*"}` under `AWS:SourceOwner = <account>` and passes, with its condition in
    /// the evidence. The reading of "everyone" is shared with the KMS, SQS and OpenSearch
    /// policy checks.
    ///
    /// ## Why it matters
    /// Anyone allowed to `Subscribe` receives every message published to the topic, and
    /// anyone allowed to `Publish` can push forged notifications to patients and staff. The
    /// policies limit access to the minimum necessary (access control, 45 CFR 164.312(a)(1);
    /// access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `policy_present`, `public_statements` and `conditioned_wildcard_statements`.
    ///
    /// ## Remediation
    /// `aws sns get-topic-attributes --topic-arn <arn>`, replace the wildcard principal by
    /// named principals or add `aws:SourceOwner` / `aws:SourceArn` conditions, then
    /// `aws sns set-topic-attributes --topic-arn <arn> --attribute-name Policy
    /// --attribute-value file://policy.json`.
    pub struct SnsTopicPolicyNotPublic {
        id: "aws-sns-topic-policy-not-public",
        title: "SNS topic policies do not allow everyone",
        severity: Critical,
        provider: Aws,
        kinds: [AwsSnsTopic],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for SnsTopicPolicyNotPublic {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SnsTopic>()
            .iter()
            .map(|t| {
                crate::aws::resource_policy::not_public(ctx, &t.resource, t.policy.as_ref(), "topic policy")
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::sns_topic;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};
    use serde_json::json;

    #[test]
    fn the_default_policy_passes_an_open_subscribe_fails() {
        let mut open = sns_topic("open");
        open.policy = Some(json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]},
            "Action": ["SNS:Subscribe", "SNS:Receive"], "Resource": "*"}]}));
        let mut inv = Inventory::new();
        inv.aws_sns_topics = vec![sns_topic("default"), open];
        let f = run(&SnsTopicPolicyNotPublic, &inv);
        assert_eq!(f.status_of("default"), Status::Pass);
        assert_eq!(
            f.evidence_of("default", "conditioned_wildcard_statements")[0]["condition"]["StringEquals"]["AWS:SourceOwner"],
            "111122223333"
        );
        assert_eq!(f.status_of("open"), Status::Fail);
        assert!(f.of("open").reason.contains("without a condition"));
    }
}
