use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::LogGroup;

declare_check! {
    /// ## What it checks
    /// Every CloudWatch Logs log group is encrypted with a KMS key (`kmsKeyId` is set).
    /// Without one, CloudWatch Logs still encrypts the data with keys it owns, but nobody
    /// in the account can audit or revoke access to the key.
    ///
    /// ## Why it matters
    /// Application and audit logs routinely capture ePHI (request bodies, patient ids,
    /// query strings). A customer-managed key puts every read of those logs under a key
    /// policy and in CloudTrail, and lets the key be disabled in an incident (encryption and
    /// decryption, 45 CFR 164.312(a)(2)(iv); audit controls, 164.312(b)).
    ///
    /// ## Evidence
    /// `kms_key_id`.
    ///
    /// ## Remediation
    /// Allow the `logs.<region>.amazonaws.com` principal to use the key in its key policy,
    /// then `aws logs associate-kms-key --log-group-name <group> --kms-key-id <key-arn>`
    /// (new events are encrypted with it from then on).
    pub struct LogsGroupKms {
        id: "aws-logs-group-kms",
        title: "CloudWatch log groups are encrypted with a KMS key",
        severity: Medium,
        provider: Aws,
        kinds: [AwsLogGroup],
        controls: [EncryptionDecryption, AuditControls],
    }
}

impl Check for LogsGroupKms {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<LogGroup>()
            .iter()
            .map(|g| {
                let reason = match &g.kms_key_id {
                    Some(k) => format!("The log group is encrypted with KMS key {k}."),
                    None => "The log group has no KMS key: only keys owned by CloudWatch Logs protect it.".to_string(),
                };
                ctx.verdict(g.kms_key_id.is_some(), &g.resource)
                    .evidence("kms_key_id", &g.kms_key_id)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::log_group;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let mut plain = log_group("plain");
        plain.kms_key_id = None;
        inv.aws_log_groups = vec![log_group("kms"), plain];
        let f = run(&LogsGroupKms, &inv);
        assert_eq!(f.status_of("kms"), Status::Pass);
        assert_eq!(f.status_of("plain"), Status::Fail);
        assert_eq!(
            f.evidence_of("plain", "kms_key_id"),
            serde_json::Value::Null
        );
    }
}
