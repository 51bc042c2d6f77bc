use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::EbsSnapshot;

declare_check! {
    /// ## What it checks
    /// Every EBS snapshot the account owns has `Encrypted = true`.
    ///
    /// ## Why it matters
    /// Snapshots are the backups of ePHI volumes: the policies promise to "securely encrypt
    /// stored backups", and a plaintext snapshot holds the same ePHI as its volume, ready to
    /// be copied or shared (encryption and decryption, 45 CFR 164.312(a)(2)(iv)).
    ///
    /// ## Evidence
    /// `encrypted`, `kms_key_id`, `volume_id` (the source volume), `state` and `start_time`.
    ///
    /// ## Remediation
    /// Copy the snapshot encrypted (`aws ec2 copy-snapshot --source-snapshot-id <snap>
    /// --source-region <region> --encrypted --kms-key-id <key>`), point backup plans at the
    /// copy, delete the plaintext snapshot, and encrypt the source volume (see
    /// `aws-ebs-volume-encrypted`) so later snapshots are encrypted too.
    pub struct EbsSnapshotEncrypted {
        id: "aws-ebs-snapshot-encrypted",
        title: "EBS snapshots are encrypted",
        severity: High,
        provider: Aws,
        kinds: [AwsEbsSnapshot],
        controls: [EncryptionDecryption],
    }
}

impl Check for EbsSnapshotEncrypted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<EbsSnapshot>()
            .iter()
            .map(|s| {
                let reason = match (s.encrypted, &s.kms_key_id) {
                    (true, Some(k)) => format!("The snapshot is encrypted with KMS key {k}."),
                    (true, None) => "The snapshot is encrypted.".to_string(),
                    (false, _) => format!(
                        "The snapshot is not encrypted: the data of volume {} is stored in plaintext.",
                        s.volume_id.as_deref().unwrap_or("(unknown)")
                    ),
                };
                ctx.verdict(s.encrypted, &s.resource)
                    .evidence("encrypted", s.encrypted)
                    .evidence("kms_key_id", &s.kms_key_id)
                    .evidence("volume_id", &s.volume_id)
                    .evidence("state", &s.state)
                    .evidence("start_time", s.start_time)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{ebs_snapshot, KEY_ARN};
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn snapshot(id: &str, encrypted: bool) -> EbsSnapshot {
        let mut s = ebs_snapshot(id);
        s.encrypted = encrypted;
        s.kms_key_id = encrypted.then(|| KEY_ARN.into());
        s
    }

    #[test]
    fn encrypted_passes_plaintext_fails() {
        let mut inv = Inventory::new();
        inv.aws_ebs_snapshots = vec![snapshot("snap-enc", true), snapshot("snap-plain", false)];
        let f = run(&EbsSnapshotEncrypted, &inv);
        assert_eq!(f.status_of("snap-enc"), Status::Pass);
        assert_eq!(f.status_of("snap-plain"), Status::Fail);
        assert!(f.of("snap-plain").reason.contains("vol-1"));
    }
}
