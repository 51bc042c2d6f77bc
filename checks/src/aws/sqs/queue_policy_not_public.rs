use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::SqsQueue;

declare_check! {
    /// ## What it checks
    /// No SQS queue policy has an `Allow` for everyone without a condition (`Principal`
    /// `"*"`, `{"AWS": "*"}`, or `NotPrincipal`). A wildcard Allow with a `Condition`
    /// (`aws:SourceArn` of an SNS topic or S3 bucket, `aws:SourceAccount`) passes, with its
    /// conditions in the evidence. A queue without a policy passes: only its own account
    /// can be granted access. The reading of "everyone" is shared with the KMS, SNS and
    /// OpenSearch policy checks.
    ///
    /// ## Why it matters
    /// A queue anyone can receive from leaks every message it holds, and one anyone can send
    /// to accepts forged input into a clinical workflow. The policies limit access to the
    /// minimum necessary (access control, 45 CFR 164.312(a)(1); access authorization,
    /// 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `policy_present`, `public_statements` (Sid and actions of each unconditioned wildcard
    /// Allow), `conditioned_wildcard_statements` (with their conditions) and `url`.
    ///
    /// ## Remediation
    /// Name the principals, or pin the wildcard with `aws:SourceArn` / `aws:SourceAccount`:
    /// `aws sqs get-queue-attributes --queue-url <url> --attribute-names Policy`, edit, then
    /// `aws sqs set-queue-attributes --queue-url <url> --attributes file://attributes.json`.
    pub struct SqsQueuePolicyNotPublic {
        id: "aws-sqs-queue-policy-not-public",
        title: "SQS queue policies do not allow everyone",
        severity: Critical,
        provider: Aws,
        kinds: [AwsSqsQueue],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for SqsQueuePolicyNotPublic {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SqsQueue>()
            .iter()
            .map(|q| {
                crate::aws::resource_policy::not_public(ctx, &q.resource, q.policy.as_ref(), "queue policy")
                    .evidence("url", &q.url)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::sqs_queue;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};
    use serde_json::json;

    fn with_policy(id: &str, policy: serde_json::Value) -> SqsQueue {
        let mut q = sqs_queue(id);
        q.policy = Some(policy);
        q
    }

    #[test]
    fn wildcard_allow_without_condition_fails() {
        let mut inv = Inventory::new();
        inv.aws_sqs_queues = vec![
            sqs_queue("no-policy"),
            with_policy("open", json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:ReceiveMessage", "Resource": "*"}]})),
            with_policy("from-topic", json!({"Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sqs:SendMessage",
                "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:t"}}}})),
            with_policy("named", json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}, "Action": "sqs:*"}]})),
        ];
        let f = run(&SqsQueuePolicyNotPublic, &inv);
        assert_eq!(f.status_of("no-policy"), Status::Pass);
        assert_eq!(f.evidence_of("no-policy", "policy_present"), false);
        assert_eq!(f.status_of("open"), Status::Fail);
        assert_eq!(f.evidence_of("open", "public_statements")[0]["actions"], json!(["sqs:ReceiveMessage"]));
        assert_eq!(f.status_of("from-topic"), Status::Pass);
        assert!(f.of("from-topic").reason.contains("only under conditions"));
        assert_eq!(f.status_of("named"), Status::Pass);
    }
}
