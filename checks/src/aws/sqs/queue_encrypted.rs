use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::SqsQueue;

declare_check! {
    /// ## What it checks
    /// Every SQS queue encrypts its messages at rest: SSE-KMS (`KmsMasterKeyId` set, an AWS
    /// managed `alias/aws/sqs` or a customer managed key) or SSE-SQS
    /// (`SqsManagedSseEnabled = true`, SQS-owned keys). A queue with neither fails.
    ///
    /// ## Why it matters
    /// Messages wait in a queue for up to 14 days; when they carry ePHI (HL7 feeds, claims,
    /// notifications) the policies' promise that data at rest is encrypted covers them too
    /// (encryption and decryption, 45 CFR 164.312(a)(2)(iv)).
    ///
    /// ## Evidence
    /// `sqs_managed_sse` and `kms_master_key_id`.
    ///
    /// ## Remediation
    /// `aws sqs set-queue-attributes --queue-url <url> --attributes
    /// KmsMasterKeyId=<key-arn>` (or `SqsManagedSseEnabled=true`). Messages already in the
    /// queue stay as they were; new ones are encrypted.
    pub struct SqsQueueEncrypted {
        id: "aws-sqs-queue-encrypted",
        title: "SQS queues encrypt messages at rest",
        severity: High,
        provider: Aws,
        kinds: [AwsSqsQueue],
        controls: [EncryptionDecryption],
    }
}

impl Check for SqsQueueEncrypted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SqsQueue>()
            .iter()
            .map(|q| {
                let (ok, reason) = match (&q.kms_master_key_id, q.sqs_managed_sse) {
                    (Some(k), _) => (true, format!("Messages are encrypted with KMS key {k} (SSE-KMS).")),
                    (None, Some(true)) => (true, "Messages are encrypted with SQS-owned keys (SSE-SQS).".to_string()),
                    (None, _) => (false, "Neither SSE-KMS nor SSE-SQS is on: messages are stored unencrypted.".to_string()),
                };
                ctx.verdict(ok, &q.resource)
                    .evidence("sqs_managed_sse", q.sqs_managed_sse)
                    .evidence("kms_master_key_id", &q.kms_master_key_id)
                    .reason(reason)
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

    #[test]
    fn kms_or_sqs_managed_passes_neither_fails() {
        let mut sse = sqs_queue("sse-sqs");
        sse.kms_master_key_id = None;
        sse.sqs_managed_sse = Some(true);
        let mut off = sqs_queue("off");
        off.kms_master_key_id = None;
        off.sqs_managed_sse = Some(false);
        let mut unsaid = sqs_queue("unsaid");
        unsaid.kms_master_key_id = None;
        unsaid.sqs_managed_sse = None;
        let mut inv = Inventory::new();
        inv.aws_sqs_queues = vec![sqs_queue("kms"), sse, off, unsaid];
        let f = run(&SqsQueueEncrypted, &inv);
        assert_eq!(f.status_of("kms"), Status::Pass);
        assert!(f.of("kms").reason.contains("SSE-KMS"));
        assert_eq!(f.status_of("sse-sqs"), Status::Pass);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert_eq!(f.status_of("unsaid"), Status::Fail);
    }
}
