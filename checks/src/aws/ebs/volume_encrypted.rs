use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::EbsVolume;

declare_check! {
    /// ## What it checks
    /// Every EBS volume in scope has `Encrypted = true`, whatever its state or attachment.
    ///
    /// ## Why it matters
    /// ePHI written by instances lands on their volumes. The Security Rule's encryption
    /// specification (45 CFR 164.312(a)(2)(iv)) and the policies' promise that "all hard
    /// drives are encrypted so data at rest is also encrypted" both fail on one plaintext
    /// volume, and its snapshots and copies inherit the plaintext.
    ///
    /// ## Evidence
    /// `encrypted`, `kms_key_id` (the key that protects the volume), `state` and
    /// `attached_instances`, as DescribeVolumes reported them.
    ///
    /// ## Remediation
    /// EBS cannot encrypt a volume in place: snapshot it, copy the snapshot with
    /// `--encrypted --kms-key-id <key>`, create a volume from the copy, swap it in, then
    /// delete the plaintext volume and snapshots. Turn on EBS encryption by default in every
    /// region so new volumes cannot be plaintext.
    pub struct EbsVolumeEncrypted {
        id: "aws-ebs-volume-encrypted",
        title: "EBS volumes are encrypted at rest",
        severity: High,
        provider: Aws,
        kinds: [AwsEbsVolume],
        controls: [EncryptionDecryption],
    }
}

impl Check for EbsVolumeEncrypted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<EbsVolume>()
            .iter()
            .map(|v| {
                let reason = if v.encrypted {
                    match &v.kms_key_id {
                        Some(k) => format!("The volume is encrypted with KMS key {k}."),
                        None => "The volume is encrypted.".to_string(),
                    }
                } else {
                    "The volume is not encrypted: its data is stored in plaintext.".to_string()
                };
                ctx.verdict(v.encrypted, &v.resource)
                    .evidence("encrypted", v.encrypted)
                    .evidence("kms_key_id", &v.kms_key_id)
                    .evidence("state", &v.state)
                    .evidence("attached_instances", &v.attached_instances)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{ebs_volume, KEY_ARN};
    use crate::testing::run;
    use phiscan_core::Status;

    fn volume(id: &str, encrypted: bool) -> EbsVolume {
        let mut v = ebs_volume(id);
        v.encrypted = encrypted;
        v.kms_key_id = encrypted.then(|| KEY_ARN.into());
        v
    }

    #[test]
    fn encrypted_passes_plaintext_fails() {
        let mut inv = phiscan_core::Inventory::new();
        inv.aws_ebs_volumes = vec![volume("vol-enc", true), volume("vol-plain", false)];
        let f = run(&EbsVolumeEncrypted, &inv);
        assert_eq!(f.status_of("vol-enc"), Status::Pass);
        assert_eq!(f.status_of("vol-plain"), Status::Fail);
        assert_eq!(
            f.evidence_of("vol-plain", "encrypted"),
            serde_json::json!(false)
        );
    }

    #[test]
    fn no_volumes_no_findings() {
        let f = run(&EbsVolumeEncrypted, &phiscan_core::Inventory::new());
        assert!(f.0.is_empty());
    }
}
