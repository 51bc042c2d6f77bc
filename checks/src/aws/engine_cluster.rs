//! What the RDS, DocumentDB and Neptune cluster checks share: DescribeDBClusters lists the
//! clusters of all three engines families, so the DocumentDB and Neptune checks are the RDS
//! verdicts narrowed to their engine (`docdb`, `neptune`), one evaluator each, no copy.

use phiscan_core::check::{Ctx, Finding, FindingError};
use phiscan_core::model::aws::RdsCluster;

use crate::aws::rds::tls_enforced::{groups, judge, Db};

/// The clusters of `engine` (`None`: every cluster).
fn clusters<'a>(ctx: &Ctx<'a>, engine: Option<&'a str>) -> impl Iterator<Item = &'a RdsCluster> {
    ctx.resources::<RdsCluster>()
        .iter()
        .filter(move |c| engine.is_none_or(|e| c.engine.eq_ignore_ascii_case(e)))
}

/// `StorageEncrypted` of every cluster of `engine`.
pub(crate) fn encrypted(ctx: &Ctx, engine: Option<&str>) -> Result<Vec<Finding>, FindingError> {
    clusters(ctx, engine)
        .map(|c| {
            let reason = match (c.storage_encrypted, &c.kms_key_id) {
                (true, Some(k)) => format!("The cluster's storage is encrypted with KMS key {k}."),
                (true, None) => "The cluster's storage is encrypted.".to_string(),
                (false, _) => "The cluster's storage is not encrypted: the data, its backups and snapshots are stored in plaintext.".to_string(),
            };
            ctx.verdict(c.storage_encrypted, &c.resource)
                .evidence("storage_encrypted", c.storage_encrypted)
                .evidence("kms_key_id", &c.kms_key_id)
                .evidence("engine", &c.engine)
                .reason(reason)
                .build()
        })
        .collect()
}

/// The TLS parameter of every cluster of `engine`, from its DB cluster parameter group.
pub(crate) fn tls(ctx: &Ctx, engine: &str) -> Result<Vec<Finding>, FindingError> {
    let groups = groups(ctx);
    clusters(ctx, Some(engine))
        .map(|c| {
            let db = Db {
                resource: &c.resource,
                engine: &c.engine,
                group: c.parameter_group.as_deref(),
                cluster_group: true,
            };
            judge(ctx, db, &groups).build()
        })
        .collect()
}
