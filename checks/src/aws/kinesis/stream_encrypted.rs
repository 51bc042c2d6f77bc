use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::KinesisStream;

declare_check! {
    /// ## What it checks
    /// Every Kinesis data stream has server-side encryption on: DescribeStreamSummary reports
    /// `EncryptionType = KMS` (with the AWS managed `alias/aws/kinesis` or a customer managed
    /// key). `NONE` fails; a stream whose summary named no encryption type is an ERROR, since
    /// missing data is not a verdict.
    ///
    /// ## Why it matters
    /// A stream keeps every record for 24 hours to 365 days; device telemetry and clinical
    /// events streamed through it are ePHI at rest (encryption and decryption,
    /// 45 CFR 164.312(a)(2)(iv)).
    ///
    /// ## Evidence
    /// `encryption_type`, `key_id` and `stream_status`.
    ///
    /// ## Remediation
    /// `aws kinesis start-stream-encryption --stream-name <name> --encryption-type KMS
    /// --key-id <key-arn or alias/aws/kinesis>`; records written before stay unencrypted
    /// until they expire.
    pub struct KinesisStreamEncrypted {
        id: "aws-kinesis-stream-encrypted",
        title: "Kinesis data streams are encrypted at rest",
        severity: High,
        provider: Aws,
        kinds: [AwsKinesisStream],
        controls: [EncryptionDecryption],
    }
}

impl Check for KinesisStreamEncrypted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<KinesisStream>()
            .iter()
            .map(|s| {
                let b = match (s.encryption_type.as_deref(), &s.key_id) {
                    (Some("KMS"), Some(k)) => ctx.pass(&s.resource).reason(format!("Records are encrypted with KMS key {k}.")),
                    (Some("KMS"), None) => ctx.pass(&s.resource).reason("Records are encrypted with KMS."),
                    (Some(t), _) => ctx.fail(&s.resource).reason(format!("Encryption type is {t}: records are stored unencrypted.")),
                    (None, _) => ctx.error(&s.resource).reason("DescribeStreamSummary reported no encryption type."),
                };
                b.evidence("encryption_type", &s.encryption_type)
                    .evidence("key_id", &s.key_id)
                    .evidence("stream_status", &s.stream_status)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::kinesis_stream;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn kms_passes_none_fails_unknown_errors() {
        let mut none = kinesis_stream("none");
        none.encryption_type = Some("NONE".into());
        none.key_id = None;
        let mut unknown = kinesis_stream("unknown");
        unknown.encryption_type = None;
        let mut inv = Inventory::new();
        inv.aws_kinesis_streams = vec![kinesis_stream("kms"), none, unknown];
        let f = run(&KinesisStreamEncrypted, &inv);
        assert_eq!(f.status_of("kms"), Status::Pass);
        assert_eq!(f.status_of("none"), Status::Fail);
        assert_eq!(f.status_of("unknown"), Status::Error);
    }
}
