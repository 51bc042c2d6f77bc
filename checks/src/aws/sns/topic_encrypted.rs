use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::SnsTopic;

declare_check! {
    /// ## What it checks
    /// Every SNS topic has server-side encryption on: `KmsMasterKeyId` is set (the AWS
    /// managed `alias/aws/sns` or a customer managed key). SNS has no encryption without a
    /// KMS key, so a topic without one fails.
    ///
    /// ## Why it matters
    /// SNS stores each message until it is delivered to every subscriber, and retries for
    /// hours; appointment reminders and alerts that name patients are ePHI at rest
    /// (encryption and decryption, 45 CFR 164.312(a)(2)(iv)).
    ///
    /// ## Evidence
    /// `kms_master_key_id`.
    ///
    /// ## Remediation
    /// `aws sns set-topic-attributes --topic-arn <arn> --attribute-name KmsMasterKeyId
    /// --attribute-value <key-arn>`; publishers and subscribers (SQS, Lambda) need
    /// `kms:GenerateDataKey` / `kms:Decrypt` on a customer managed key.
    pub struct SnsTopicEncrypted {
        id: "aws-sns-topic-encrypted",
        title: "SNS topics encrypt messages at rest",
        severity: High,
        provider: Aws,
        kinds: [AwsSnsTopic],
        controls: [EncryptionDecryption],
    }
}

impl Check for SnsTopicEncrypted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SnsTopic>()
            .iter()
            .map(|t| {
                let reason = match &t.kms_master_key_id {
                    Some(k) => format!("Messages are encrypted with KMS key {k}."),
                    None => "No KMS key is set: messages are stored unencrypted until delivered.".to_string(),
                };
                ctx.verdict(t.kms_master_key_id.is_some(), &t.resource)
                    .evidence("kms_master_key_id", &t.kms_master_key_id)
                    .reason(reason)
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

    #[test]
    fn a_kms_key_passes_none_fails() {
        let mut plain = sns_topic("plain");
        plain.kms_master_key_id = None;
        let mut inv = Inventory::new();
        inv.aws_sns_topics = vec![sns_topic("kms"), plain];
        let f = run(&SnsTopicEncrypted, &inv);
        assert_eq!(f.status_of("kms"), Status::Pass);
        assert_eq!(f.status_of("plain"), Status::Fail);
        assert!(f.of("plain").reason.contains("unencrypted"));
    }
}
