use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::CloudTrail;

declare_check! {
    /// ## What it checks
    /// Every CloudTrail trail encrypts its log files with a KMS key (SSE-KMS, `KmsKeyId`
    /// set) rather than the S3-managed default.
    ///
    /// ## Why it matters
    /// Trail logs name the resources, identities and request parameters of every API call
    /// around ePHI. With SSE-KMS, reading them needs `kms:Decrypt` on a key whose use is
    /// itself logged, so a reader of the log bucket alone cannot read the audit trail
    /// (encryption and decryption, 45 CFR 164.312(a)(2)(iv); audit controls, 164.312(b)).
    ///
    /// ## Evidence
    /// `kms_key_id`, `is_logging`, `home_region` and `s3_bucket`.
    ///
    /// ## Remediation
    /// Create a customer-managed key whose policy lets `cloudtrail.amazonaws.com` encrypt
    /// (`kms:GenerateDataKey*` with an `aws:SourceArn` condition) and your auditors decrypt,
    /// then `aws cloudtrail update-trail --name <trail> --kms-key-id <key-arn>`.
    pub struct CloudTrailKmsEncrypted {
        id: "aws-cloudtrail-kms-encrypted",
        title: "CloudTrail logs are encrypted with KMS",
        severity: Medium,
        provider: Aws,
        kinds: [AwsCloudTrail],
        controls: [EncryptionDecryption, AuditControls],
    }
}

impl Check for CloudTrailKmsEncrypted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<CloudTrail>()
            .iter()
            .map(|t| {
                let key = t.kms_key_id.as_deref().filter(|k| !k.is_empty());
                let reason = match key {
                    Some(k) => format!("The trail's log files are encrypted with KMS key {k}."),
                    None => "The trail's log files are not encrypted with a KMS key (S3-managed encryption only).".to_string(),
                };
                ctx.verdict(key.is_some(), &t.resource)
                    .evidence("kms_key_id", key)
                    .evidence("is_logging", t.is_logging)
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
    fn kms_key_decides() {
        let mut plain = cloud_trail("plain");
        plain.kms_key_id = None;
        let mut inv = Inventory::new();
        inv.aws_cloudtrails = vec![cloud_trail("kms"), plain];
        let f = run(&CloudTrailKmsEncrypted, &inv);
        assert_eq!(f.status_of("kms"), Status::Pass);
        assert_eq!(f.status_of("plain"), Status::Fail);
    }
}
