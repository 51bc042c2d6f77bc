use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::BackupVault;

declare_check! {
    /// ## What it checks
    /// Every AWS Backup vault encrypts its recovery points with a customer-managed KMS key.
    /// The collector asks KMS who manages the vault's `EncryptionKeyArn` (DescribeKey's
    /// `KeyManager`; a key with an `alias/aws/...` alias, such as AWS Backup's default
    /// `aws/backup`, is AWS managed whatever DescribeKey says). `CUSTOMER` passes; an AWS
    /// managed key fails, and so does a vault that names no key. Unlike the `*-cmk` checks
    /// that follow `params.require_customer_managed_keys`, this one always demands a
    /// customer key: the vault is where every backup of ePHI ends up, and the key is what
    /// keeps a copied or shared recovery point unreadable.
    ///
    /// ## Why it matters
    /// The policies promise to "securely encrypt stored backups". With the AWS managed key,
    /// anyone in the account allowed to use AWS Backup can restore (and so read) every
    /// recovery point; a customer key adds a separate, logged permission for each restore,
    /// can be restricted to the backup team, and lets the backups be crypto-shredded
    /// (encryption and decryption, 45 CFR 164.312(a)(2)(iv); data backup plan,
    /// 164.308(a)(7)(ii)(A)).
    ///
    /// ## Evidence
    /// `encryption_key_arn`, `encryption_key_manager`, `recovery_points` and `locked`.
    ///
    /// ## Remediation
    /// A vault's key cannot be changed. Create a new vault with a customer key
    /// (`aws backup create-backup-vault --backup-vault-name <name> --encryption-key-arn
    /// <cmk-arn>`), point the backup plans' rules at it, copy the recovery points that must
    /// be kept (`aws backup start-copy-job`), and delete the old vault once they expire.
    pub struct BackupVaultCmk {
        id: "aws-backup-vault-cmk",
        title: "AWS Backup vaults are encrypted with a customer-managed KMS key",
        severity: Medium,
        provider: Aws,
        kinds: [AwsBackupVault],
        controls: [EncryptionDecryption, DataBackupPlan],
    }
}

impl Check for BackupVaultCmk {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<BackupVault>()
            .iter()
            .map(|v| {
                let key = v.encryption_key_arn.as_deref().unwrap_or("(none)");
                let (ok, reason) = match v.encryption_key_manager.as_deref() {
                    Some("CUSTOMER") => (true, format!("The vault is encrypted with customer-managed KMS key {key}.")),
                    Some("AWS") => (false, format!("The vault is encrypted with the AWS managed KMS key {key}, not a customer-managed key.")),
                    Some(other) => (false, format!("The vault's key {key} is managed by {other:?}, not by the customer.")),
                    None => (false, "The vault names no encryption key, so no customer-managed key protects its recovery points (AWS Backup's default is the AWS managed key aws/backup).".to_string()),
                };
                ctx.verdict(ok, &v.resource)
                    .evidence("encryption_key_arn", &v.encryption_key_arn)
                    .evidence("encryption_key_manager", &v.encryption_key_manager)
                    .evidence("recovery_points", v.recovery_points)
                    .evidence("locked", v.locked)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::backup_vault;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn vault(id: &str, key: Option<&str>, manager: Option<&str>) -> BackupVault {
        let mut v = backup_vault(id);
        v.encryption_key_arn = key.map(str::to_string);
        v.encryption_key_manager = manager.map(str::to_string);
        v
    }

    #[test]
    fn only_customer_keys_pass() {
        let key = "arn:aws:kms:us-east-1:111122223333:key/k";
        let mut inv = Inventory::new();
        inv.aws_backup_vaults = vec![
            vault("cmk", Some(key), Some("CUSTOMER")),
            vault("aws-managed", Some(key), Some("AWS")),
            vault("no-key", None, None),
        ];
        let f = run(&BackupVaultCmk, &inv);
        assert_eq!(f.status_of("cmk"), Status::Pass);
        assert!(f.of("cmk").reason.contains(key));
        assert_eq!(f.status_of("aws-managed"), Status::Fail);
        assert!(f.of("aws-managed").reason.contains("AWS managed"));
        assert_eq!(f.status_of("no-key"), Status::Fail);
        assert_eq!(
            f.evidence_of("no-key", "encryption_key_arn"),
            serde_json::Value::Null
        );
    }
}
