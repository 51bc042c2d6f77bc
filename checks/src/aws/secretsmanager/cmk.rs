use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::Secret;

declare_check! {
    /// ## What it checks
    /// Every Secrets Manager secret is encrypted with a customer managed KMS key. A secret
    /// without `KmsKeyId` uses the AWS managed key `aws/secretsmanager` and fails, as does a
    /// named key that is AWS managed (DescribeKey's `KeyManager`, or an `alias/aws/...`
    /// alias). Secrets are always encrypted; this check is about who controls the key.
    ///
    /// ## Why it matters
    /// The AWS managed key can be used by any principal of the account that may read the
    /// secret; a customer key adds a key policy of its own, so reading a database password
    /// that opens ePHI takes two grants, each use is logged by CloudTrail against that key,
    /// and the key can be disabled in an incident (encryption and decryption,
    /// 45 CFR 164.312(a)(2)(iv); access control, 164.312(a)(1)).
    ///
    /// ## Evidence
    /// `kms_key_id` and `kms_key_manager`.
    ///
    /// ## Remediation
    /// `aws secretsmanager update-secret --secret-id <id> --kms-key-id <cmk-arn>` (the next
    /// version is encrypted with it), after granting the readers `kms:Decrypt` in the key
    /// policy.
    pub struct SecretCmk {
        id: "aws-secretsmanager-cmk",
        title: "Secrets Manager secrets use a customer managed KMS key",
        severity: Medium,
        provider: Aws,
        kinds: [AwsSecretsManagerSecret],
        controls: [EncryptionDecryption, AccessControl],
    }
}

impl Check for SecretCmk {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<Secret>()
            .iter()
            .map(|s| {
                let b = match (&s.kms_key_id, s.kms_key_manager.as_deref()) {
                    (None, _) => ctx.fail(&s.resource).reason("No KMS key is named: the secret uses the AWS managed key aws/secretsmanager."),
                    (Some(k), Some("CUSTOMER")) => ctx.pass(&s.resource).reason(format!("The secret is encrypted with customer managed key {k}.")),
                    (Some(k), Some(m)) => ctx.fail(&s.resource).reason(format!("The secret's key {k} is managed by {m}, not by the customer.")),
                    (Some(k), None) => ctx.error(&s.resource).reason(format!("Who manages key {k} is unknown.")),
                };
                b.evidence("kms_key_id", &s.kms_key_id)
                    .evidence("kms_key_manager", &s.kms_key_manager)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::secret;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn only_a_customer_managed_key_passes() {
        let mut default = secret("default");
        default.kms_key_id = None;
        default.kms_key_manager = None;
        let mut aws_managed = secret("aws-managed");
        aws_managed.kms_key_manager = Some("AWS".into());
        let mut unknown = secret("unknown");
        unknown.kms_key_manager = None;
        let mut inv = Inventory::new();
        inv.aws_secretsmanager_entries = vec![secret("cmk"), default, aws_managed, unknown];
        let f = run(&SecretCmk, &inv);
        assert_eq!(f.status_of("cmk"), Status::Pass);
        assert_eq!(f.status_of("default"), Status::Fail);
        assert!(f.of("default").reason.contains("aws/secretsmanager"));
        assert_eq!(f.status_of("aws-managed"), Status::Fail);
        assert_eq!(f.status_of("unknown"), Status::Error);
    }
}
