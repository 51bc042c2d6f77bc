use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::EfsFileSystem;

declare_check! {
    /// ## What it checks
    /// Every EFS file system has `Encrypted = true` (encryption at rest with a KMS key).
    /// The key id is evidence; whether it is customer managed is not judged here.
    ///
    /// ## Why it matters
    /// File systems shared by application servers hold documents, exports and images with
    /// ePHI. The policies promise that data at rest is encrypted (encryption and
    /// decryption, 45 CFR 164.312(a)(2)(iv)), and EFS can only be encrypted at creation.
    ///
    /// ## Evidence
    /// `encrypted`, `kms_key_id` and `life_cycle_state`.
    ///
    /// ## Remediation
    /// Encryption cannot be turned on for an existing file system. Create an encrypted one
    /// (`aws efs create-file-system --encrypted --kms-key-id <key-arn>`), copy the data
    /// (AWS DataSync or an AWS Backup restore into the new file system), move the mount
    /// targets' clients over and delete the old file system. Enforce it for the future with
    /// the IAM condition key `elasticfilesystem:Encrypted`.
    pub struct EfsEncrypted {
        id: "aws-efs-encrypted",
        title: "EFS file systems are encrypted at rest",
        severity: High,
        provider: Aws,
        kinds: [AwsEfsFileSystem],
        controls: [EncryptionDecryption],
    }
}

impl Check for EfsEncrypted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<EfsFileSystem>()
            .iter()
            .map(|fs| {
                let reason = match (fs.encrypted, &fs.kms_key_id) {
                    (true, Some(k)) => {
                        format!("The file system is encrypted at rest with KMS key {k}.")
                    }
                    (true, None) => "The file system is encrypted at rest.".to_string(),
                    (false, _) => "The file system is not encrypted at rest.".to_string(),
                };
                ctx.verdict(fs.encrypted, &fs.resource)
                    .evidence("encrypted", fs.encrypted)
                    .evidence("kms_key_id", &fs.kms_key_id)
                    .evidence("life_cycle_state", &fs.life_cycle_state)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::efs_file_system;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn fs(id: &str, key: Option<&str>) -> EfsFileSystem {
        let mut f = efs_file_system(id);
        f.encrypted = key.is_some();
        f.kms_key_id = key.map(str::to_string);
        f
    }

    #[test]
    fn encrypted_passes_plaintext_fails() {
        let mut inv = Inventory::new();
        inv.aws_efs_file_systems = vec![
            fs("enc", Some("arn:aws:kms:us-east-1:1:key/k")),
            fs("plain", None),
        ];
        let f = run(&EfsEncrypted, &inv);
        assert_eq!(f.status_of("enc"), Status::Pass);
        assert!(f.of("enc").reason.contains("key/k"));
        assert_eq!(f.status_of("plain"), Status::Fail);
        assert_eq!(f.evidence_of("plain", "encrypted"), false);
    }
}
