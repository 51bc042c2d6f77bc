use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;

declare_check! {
    /// ## What it checks
    /// Every Amazon DocumentDB cluster (engine `docdb`, listed by the RDS API's
    /// DescribeDBClusters) has `StorageEncrypted = true`. Clusters of other engines are not
    /// judged here (`aws-rds-cluster-encrypted` judges every cluster).
    ///
    /// ## Why it matters
    /// DocumentDB holds documents (patient records, claims, FHIR resources) on a shared
    /// storage volume with its backups and snapshots. The policies promise that data at rest
    /// is encrypted (encryption and decryption, 45 CFR 164.312(a)(2)(iv)); an unencrypted
    /// cluster also produces unencrypted snapshots.
    ///
    /// ## Evidence
    /// `storage_encrypted`, `kms_key_id` and `engine`.
    ///
    /// ## Remediation
    /// Encryption is chosen at creation. Snapshot the cluster
    /// (`aws docdb create-db-cluster-snapshot`), restore it encrypted
    /// (`aws docdb restore-db-cluster-from-snapshot --kms-key-id <key-arn>`), add instances,
    /// move the applications to the new endpoint and delete the old cluster.
    pub struct DocDbClusterEncrypted {
        id: "aws-docdb-cluster-encrypted",
        title: "DocumentDB clusters are encrypted at rest",
        severity: High,
        provider: Aws,
        kinds: [AwsRdsCluster],
        controls: [EncryptionDecryption],
    }
}

impl Check for DocDbClusterEncrypted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        crate::aws::engine_cluster::encrypted(ctx, Some("docdb"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::rds_cluster;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn docdb_clusters_only_encrypted_passes() {
        let docdb = |id: &str, encrypted: bool| {
            let mut c = rds_cluster(id);
            c.engine = "docdb".into();
            c.storage_encrypted = encrypted;
            c
        };
        let mut aurora_plain = rds_cluster("aurora-plain");
        aurora_plain.storage_encrypted = false;
        let mut inv = Inventory::new();
        inv.aws_rds_clusters = vec![docdb("doc-enc", true), docdb("doc-plain", false), aurora_plain];
        let f = run(&DocDbClusterEncrypted, &inv);
        assert_eq!(f.status_of("doc-enc"), Status::Pass);
        assert_eq!(f.status_of("doc-plain"), Status::Fail);
        assert_eq!(f.evidence_of("doc-plain", "engine"), "docdb");
        assert_eq!(f.0.len(), 2, "other engines are not judged: {:?}", f.0);
    }
}
