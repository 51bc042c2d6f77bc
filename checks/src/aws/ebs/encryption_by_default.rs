use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::EbsEncryptionDefault;

declare_check! {
    /// ## What it checks
    /// EBS encryption by default is enabled in every region in scope: one finding per
    /// region's `GetEbsEncryptionByDefault` answer. A region in scope without an answer is
    /// not judged here: the collector records a collection error for it, and the engine
    /// reports that region as ERROR, never as PASS.
    ///
    /// ## Why it matters
    /// With the setting on, every new volume and snapshot copy in the region is encrypted,
    /// whoever creates it and however. Without it, one `run-instances` without
    /// `Encrypted=true` breaks the policies' promise that "all hard drives are encrypted so
    /// data at rest is also encrypted" (encryption and decryption, 45 CFR 164.312(a)(2)(iv)).
    /// Existing plaintext volumes are reported by `aws-ebs-volume-encrypted`.
    ///
    /// ## Evidence
    /// `region`, `enabled` and `kms_key_id` (the default key for new volumes, when reported).
    ///
    /// ## Remediation
    /// In each region: EC2 console > Settings > Data protection and security > EBS
    /// encryption > Always encrypt new EBS volumes, or
    /// `aws ec2 enable-ebs-encryption-by-default --region <region>`; optionally choose a
    /// customer-managed key with `aws ec2 modify-ebs-default-kms-key-id --kms-key-id <key>`.
    pub struct EbsEncryptionByDefault {
        id: "aws-ebs-encryption-by-default",
        title: "EBS encryption by default is enabled in every region",
        severity: Medium,
        provider: Aws,
        kinds: [AwsEbsEncryptionDefault],
        controls: [EncryptionDecryption],
    }
}

impl Check for EbsEncryptionByDefault {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<EbsEncryptionDefault>()
            .iter()
            .map(|d| {
                let region = &d.resource.region;
                let reason = match (d.enabled, &d.kms_key_id) {
                    (true, Some(k)) => format!(
                        "EBS encryption by default is enabled in {region}, with default key {k}."
                    ),
                    (true, None) => format!("EBS encryption by default is enabled in {region}."),
                    (false, _) => format!(
                        "EBS encryption by default is disabled in {region}: new volumes are plaintext unless their creator asks for encryption."
                    ),
                };
                ctx.verdict(d.enabled, &d.resource)
                    .evidence("region", region)
                    .evidence("enabled", d.enabled)
                    .evidence("kms_key_id", &d.kms_key_id)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::ebs_encryption_default;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn setting(region: &str, enabled: bool) -> EbsEncryptionDefault {
        EbsEncryptionDefault {
            enabled,
            ..ebs_encryption_default(region)
        }
    }

    #[test]
    fn enabled_passes_disabled_fails() {
        let mut inv = Inventory::new();
        inv.aws_ebs_encryption_defaults =
            vec![setting("us-east-1", true), setting("us-west-2", false)];
        let f = run(&EbsEncryptionByDefault, &inv);
        assert_eq!(f.status_of("us-east-1"), Status::Pass);
        assert_eq!(f.status_of("us-west-2"), Status::Fail);
        assert!(f.of("us-west-2").reason.contains("disabled in us-west-2"));
    }

    #[test]
    fn a_region_without_an_answer_is_never_a_pass() {
        // us-west-2 is in scope but its setting was not collected: no finding from the
        // check; the collector's error makes the engine report ERROR there.
        let mut inv = Inventory::new();
        inv.scopes.push(phiscan_core::model::Scope {
            provider: phiscan_core::Provider::Aws,
            account: crate::testing::AWS_ACCOUNT.into(),
            name: None,
            regions: vec!["us-east-1".into(), "us-west-2".into()],
            identity: None,
        });
        inv.aws_ebs_encryption_defaults = vec![setting("us-east-1", true)];
        let f = run(&EbsEncryptionByDefault, &inv);
        assert_eq!(f.0.len(), 1);
        assert!(f.0.iter().all(|x| x.resource.region == "us-east-1"));
    }
}
