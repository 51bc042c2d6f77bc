use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::RedshiftCluster;

declare_check! {
    /// ## What it checks
    /// Every Redshift provisioned cluster has `Encrypted = true` (with KMS or an HSM).
    ///
    /// ## Why it matters
    /// A warehouse holds the largest copy of ePHI an organization has (claims, encounters,
    /// years of history), and its snapshots inherit its encryption. The policies promise
    /// that data at rest is encrypted (encryption and decryption, 45 CFR 164.312(a)(2)(iv)).
    ///
    /// ## Evidence
    /// `encrypted` and `kms_key_id`.
    ///
    /// ## Remediation
    /// `aws redshift modify-cluster --cluster-identifier <id> --encrypted --kms-key-id
    /// <key-arn>`: Redshift migrates the data to an encrypted cluster (the cluster is
    /// read-only while it does).
    pub struct RedshiftEncrypted {
        id: "aws-redshift-encrypted",
        title: "Redshift clusters are encrypted at rest",
        severity: High,
        provider: Aws,
        kinds: [AwsRedshiftCluster],
        controls: [EncryptionDecryption],
    }
}

impl Check for RedshiftEncrypted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<RedshiftCluster>()
            .iter()
            .map(|c| {
                let reason = match (c.encrypted, &c.kms_key_id) {
                    (true, Some(k)) => format!("The cluster is encrypted with KMS key {k}."),
                    (true, None) => "The cluster is encrypted.".to_string(),
                    (false, _) => "The cluster is not encrypted: its data and snapshots are stored in plaintext.".to_string(),
                };
                ctx.verdict(c.encrypted, &c.resource)
                    .evidence("encrypted", c.encrypted)
                    .evidence("kms_key_id", &c.kms_key_id)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::redshift_cluster;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn encrypted_passes_plaintext_fails() {
        let mut plain = redshift_cluster("plain");
        plain.encrypted = false;
        plain.kms_key_id = None;
        let mut inv = Inventory::new();
        inv.aws_redshift_clusters = vec![redshift_cluster("enc"), plain];
        let f = run(&RedshiftEncrypted, &inv);
        assert_eq!(f.status_of("enc"), Status::Pass);
        assert_eq!(f.status_of("plain"), Status::Fail);
    }
}
