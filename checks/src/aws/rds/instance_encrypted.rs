use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::RdsInstance;

declare_check! {
    /// ## What it checks
    /// Every RDS DB instance has `StorageEncrypted = true` (storage, automated backups,
    /// read replicas and snapshots are then encrypted with the instance's KMS key).
    ///
    /// ## Why it matters
    /// The databases are where the ePHI resides. The policies promise that "all hard drives
    /// are encrypted so data at rest is also encrypted", databases explicitly included
    /// (encryption and decryption, 45 CFR 164.312(a)(2)(iv)).
    ///
    /// ## Evidence
    /// `storage_encrypted`, `kms_key_id` and `engine`.
    ///
    /// ## Remediation
    /// RDS cannot encrypt an instance in place: take a snapshot, copy it with
    /// `aws rds copy-db-snapshot --kms-key-id <key>`, restore a new instance from the
    /// encrypted copy (`aws rds restore-db-instance-from-db-snapshot`), switch the
    /// application over, then delete the plaintext instance and its snapshots.
    pub struct RdsInstanceEncrypted {
        id: "aws-rds-instance-encrypted",
        title: "RDS instances are encrypted at rest",
        severity: High,
        provider: Aws,
        kinds: [AwsRdsInstance],
        controls: [EncryptionDecryption],
    }
}

impl Check for RdsInstanceEncrypted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<RdsInstance>()
            .iter()
            .map(|db| {
                let reason = match (db.storage_encrypted, &db.kms_key_id) {
                    (true, Some(k)) => format!("The instance's storage is encrypted with KMS key {k}."),
                    (true, None) => "The instance's storage is encrypted.".to_string(),
                    (false, _) => format!(
                        "The {} instance's storage is not encrypted: its data, backups and snapshots are plaintext.",
                        db.engine
                    ),
                };
                ctx.verdict(db.storage_encrypted, &db.resource)
                    .evidence("storage_encrypted", db.storage_encrypted)
                    .evidence("kms_key_id", &db.kms_key_id)
                    .evidence("engine", &db.engine)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::rds_instance;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn encrypted_passes_plaintext_fails() {
        let mut plain = rds_instance("db-plain");
        plain.storage_encrypted = false;
        plain.kms_key_id = None;
        let mut inv = Inventory::new();
        inv.aws_rds_instances = vec![rds_instance("db-enc"), plain];
        let f = run(&RdsInstanceEncrypted, &inv);
        assert_eq!(f.status_of("db-enc"), Status::Pass);
        assert_eq!(f.status_of("db-plain"), Status::Fail);
        assert_eq!(
            f.evidence_of("db-plain", "storage_encrypted"),
            serde_json::json!(false)
        );
    }
}
