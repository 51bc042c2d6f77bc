use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::RdsSnapshot;

declare_check! {
    /// ## What it checks
    /// Every DB snapshot the account owns (manual, automated, AWS Backup) has
    /// `Encrypted = true`.
    ///
    /// ## Why it matters
    /// Snapshots are the database's backups: the policies promise to "securely encrypt
    /// stored backups", and a plaintext snapshot is a full copy of the ePHI that can be
    /// copied, shared or restored anywhere (encryption and decryption,
    /// 45 CFR 164.312(a)(2)(iv)).
    ///
    /// ## Evidence
    /// `encrypted`, `kms_key_id`, `snapshot_type`, `db_instance_identifier` and
    /// `create_time`.
    ///
    /// ## Remediation
    /// Copy the snapshot encrypted (`aws rds copy-db-snapshot
    /// --source-db-snapshot-identifier <snap> --target-db-snapshot-identifier <new>
    /// --kms-key-id <key-arn>`), delete the plaintext one, and encrypt the source instance
    /// (see `aws-rds-instance-encrypted`) so later snapshots are encrypted too.
    pub struct RdsSnapshotEncrypted {
        id: "aws-rds-snapshot-encrypted",
        title: "RDS DB snapshots are encrypted",
        severity: High,
        provider: Aws,
        kinds: [AwsRdsSnapshot],
        controls: [EncryptionDecryption],
    }
}

impl Check for RdsSnapshotEncrypted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<RdsSnapshot>()
            .iter()
            .map(|s| {
                let db = s.db_instance_identifier.as_deref().unwrap_or("(unknown)");
                let reason = match (s.encrypted, &s.kms_key_id) {
                    (true, Some(k)) => format!("The snapshot is encrypted with KMS key {k}."),
                    (true, None) => "The snapshot is encrypted.".to_string(),
                    (false, _) => format!("The snapshot is not encrypted: the data of DB instance {db} is stored in plaintext."),
                };
                ctx.verdict(s.encrypted, &s.resource)
                    .evidence("encrypted", s.encrypted)
                    .evidence("kms_key_id", &s.kms_key_id)
                    .evidence("snapshot_type", &s.snapshot_type)
                    .evidence("db_instance_identifier", &s.db_instance_identifier)
                    .evidence("create_time", s.create_time)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::rds_snapshot;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn encrypted_passes_plaintext_fails() {
        let mut plain = rds_snapshot("plain", "legacy", 3);
        plain.encrypted = false;
        plain.kms_key_id = None;
        let mut inv = Inventory::new();
        inv.aws_rds_snapshots = vec![rds_snapshot("enc", "ehr", 3), plain];
        let f = run(&RdsSnapshotEncrypted, &inv);
        assert_eq!(f.status_of("enc"), Status::Pass);
        assert_eq!(f.status_of("plain"), Status::Fail);
        assert!(f.of("plain").reason.contains("legacy"));
    }
}
