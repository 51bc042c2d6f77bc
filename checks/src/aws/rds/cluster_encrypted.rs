use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;

declare_check! {
    /// ## What it checks
    /// Every RDS DB cluster (Aurora, Multi-AZ DB clusters, and the Neptune and DocumentDB
    /// clusters the same API lists) has `StorageEncrypted = true`.
    ///
    /// ## Why it matters
    /// A cluster's shared storage volume holds the database, its automated backups and its
    /// snapshots. The policies promise that data at rest is encrypted (encryption and
    /// decryption, 45 CFR 164.312(a)(2)(iv)); an unencrypted cluster also produces
    /// unencrypted snapshots.
    ///
    /// ## Evidence
    /// `storage_encrypted`, `kms_key_id` and `engine`.
    ///
    /// ## Remediation
    /// Encryption is set at creation. Snapshot the cluster
    /// (`aws rds create-db-cluster-snapshot`), restore the snapshot into a new cluster with
    /// `--kms-key-id <key-arn>` (`aws rds restore-db-cluster-from-snapshot`), add instances,
    /// switch the applications to the new endpoints and delete the old cluster.
    pub struct RdsClusterEncrypted {
        id: "aws-rds-cluster-encrypted",
        title: "RDS DB clusters are encrypted at rest",
        severity: High,
        provider: Aws,
        kinds: [AwsRdsCluster],
        controls: [EncryptionDecryption],
    }
}

impl Check for RdsClusterEncrypted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        crate::aws::engine_cluster::encrypted(ctx, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::rds_cluster;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn encrypted_passes_plaintext_fails() {
        let mut plain = rds_cluster("plain");
        plain.storage_encrypted = false;
        plain.kms_key_id = None;
        let mut inv = Inventory::new();
        inv.aws_rds_clusters = vec![rds_cluster("enc"), plain];
        let f = run(&RdsClusterEncrypted, &inv);
        assert_eq!(f.status_of("enc"), Status::Pass);
        assert_eq!(f.status_of("plain"), Status::Fail);
        assert!(f.of("plain").reason.contains("not encrypted"));
    }
}
