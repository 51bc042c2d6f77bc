use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;

declare_check! {
    /// ## What it checks
    /// Every Amazon Neptune cluster (engine `neptune`, listed by the RDS API's
    /// DescribeDBClusters) has `StorageEncrypted = true`. Clusters of other engines are not
    /// judged here (`aws-rds-cluster-encrypted` judges every cluster).
    ///
    /// ## Why it matters
    /// Neptune holds graphs (patients, providers, encounters and their links) on a shared
    /// storage volume with its backups and snapshots. The policies promise that data at rest
    /// is encrypted (encryption and decryption, 45 CFR 164.312(a)(2)(iv)); an unencrypted
    /// cluster also produces unencrypted snapshots.
    ///
    /// ## Evidence
    /// `storage_encrypted`, `kms_key_id` and `engine`.
    ///
    /// ## Remediation
    /// Encryption is chosen at creation. Snapshot the cluster
    /// (`aws neptune create-db-cluster-snapshot`), restore it encrypted
    /// (`aws neptune restore-db-cluster-from-snapshot --kms-key-id <key-arn>`), add instances,
    /// move the applications to the new endpoint and delete the old cluster.
    pub struct NeptuneClusterEncrypted {
        id: "aws-neptune-cluster-encrypted",
        title: "Neptune clusters are encrypted at rest",
        severity: High,
        provider: Aws,
        kinds: [AwsRdsCluster],
        controls: [EncryptionDecryption],
    }
}

impl Check for NeptuneClusterEncrypted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        crate::aws::engine_cluster::encrypted(ctx, Some("neptune"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::rds_cluster;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn neptune_clusters_only_encrypted_passes() {
        let neptune = |id: &str, encrypted: bool| {
            let mut c = rds_cluster(id);
            c.engine = "neptune".into();
            c.storage_encrypted = encrypted;
            c
        };
        let mut aurora_plain = rds_cluster("aurora-plain");
        aurora_plain.storage_encrypted = false;
        let mut inv = Inventory::new();
        inv.aws_rds_clusters = vec![neptune("nep-enc", true), neptune("nep-plain", false), aurora_plain];
        let f = run(&NeptuneClusterEncrypted, &inv);
        assert_eq!(f.status_of("nep-enc"), Status::Pass);
        assert_eq!(f.status_of("nep-plain"), Status::Fail);
        assert_eq!(f.evidence_of("nep-plain", "engine"), "neptune");
        assert_eq!(f.0.len(), 2, "other engines are not judged: {:?}", f.0);
    }
}
