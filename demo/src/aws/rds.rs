//! RDS: instances, Aurora clusters, parameter groups and snapshots. The data protection
//! and backup resources (here and in `backup.rs`, `efs.rs`, `dynamodb.rs`) follow the same
//! story as the rest of the AWS demo:
//!
//! - The EHR platform is compliant: `ehr-db-prod` runs on the `ehr-postgres-tls` parameter
//!   group (`rds.force_ssl = 1`) and has this morning's automated snapshot; the
//!   `ehr-analytics` Aurora cluster is encrypted, forces TLS and has last night's cluster
//!   snapshot; `ehr-backup-vault` uses the customer key `ehr-data-key` and holds last
//!   night's recovery points of `ehr-app-1` (which covers its root volume) and of the
//!   encrypted `ehr-documents` file system; the `ehr-sessions` table uses the customer key
//!   and has point-in-time recovery.
//! - The legacy reporting stack is not: `legacy-reporting-db` sits on the default MySQL
//!   parameter group (`require_secure_transport = OFF`), its only snapshot is the
//!   unencrypted copy made public for the vendor six weeks ago; the `legacy-bi` Aurora MySQL
//!   cluster is unencrypted on its default cluster parameter group and never snapshotted;
//!   the account's `Default` vault uses the AWS managed key; `legacy-scans` is an
//!   unencrypted file system nobody backs up and `legacy-report-cache` a table with the AWS
//!   owned key, no PITR and no recovery point.

use chrono::{DateTime, Duration, Utc};

use super::{
    arn_ref, protected, strings, DB_SG, E1, EHR_KEY, LEGACY_SG, PRIVATE_A, PRIVATE_B, PROD,
    PUBLIC_A, PUBLIC_B,
};
use super::{EHR_CUSTOMER, LEGACY_CUSTOMER};
use crate::config::CUSTOMER_TAG;
use crate::model::aws::{
    RdsCluster, RdsClusterSnapshot, RdsInstance, RdsParameterGroup, RdsSnapshot,
};
use crate::model::{Inventory, ResourceKind as K};

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    instances(inv);
    // After the instances: it assigns their parameter groups.
    groups_clusters_and_snapshots(inv, now);
}

fn database(name: &str, engine: &str, port: i32, sg: &str, subnets: [&str; 2]) -> RdsInstance {
    let arn = format!("arn:aws:rds:{E1}:{PROD}:db:{name}");
    RdsInstance {
        resource: protected(arn_ref(K::AwsRdsInstance, PROD, E1, arn, name)),
        engine: engine.into(),
        storage_encrypted: true,
        kms_key_id: Some(EHR_KEY.into()),
        publicly_accessible: false,
        backup_retention_days: 14,
        vpc_security_groups: strings(&[sg]),
        subnet_ids: strings(&subnets),
        endpoint_port: Some(port),
        db_cluster_identifier: None,
        parameter_groups: vec![],
    }
}

fn instances(inv: &mut Inventory) {
    let ehr = database(
        "ehr-db-prod",
        "postgres",
        5432,
        DB_SG,
        [PRIVATE_A, PRIVATE_B],
    );
    // Created from an old Percona dump in public subnets "temporarily", never hardened.
    let mut legacy = database(
        "legacy-reporting-db",
        "mysql",
        3306,
        LEGACY_SG,
        [PUBLIC_A, PUBLIC_B],
    );
    legacy.resource = legacy.resource.with_tag(CUSTOMER_TAG, LEGACY_CUSTOMER);
    legacy.storage_encrypted = false;
    legacy.kms_key_id = None;
    legacy.publicly_accessible = true;
    legacy.backup_retention_days = 0;
    let ehr = RdsInstance {
        resource: ehr.resource.clone().with_tag(CUSTOMER_TAG, EHR_CUSTOMER),
        ..ehr
    };
    inv.aws_rds_instances = vec![ehr, legacy];
}

pub(super) fn parameter_group(
    name: &str,
    family: &str,
    cluster: bool,
    param: &str,
    value: &str,
) -> RdsParameterGroup {
    let what = if cluster { "cluster-pg" } else { "pg" };
    let arn = format!("arn:aws:rds:{E1}:{PROD}:{what}:{name}");
    RdsParameterGroup {
        resource: arn_ref(K::AwsRdsParameterGroup, PROD, E1, arn, name),
        name: name.into(),
        family: Some(family.into()),
        cluster,
        tls_parameters: [(param.to_string(), Some(value.to_string()))].into(),
    }
}

pub(super) fn cluster(name: &str, engine: &str, key: Option<&str>, group: &str) -> RdsCluster {
    let arn = format!("arn:aws:rds:{E1}:{PROD}:cluster:{name}");
    RdsCluster {
        resource: protected(arn_ref(K::AwsRdsCluster, PROD, E1, arn, name)),
        engine: engine.into(),
        storage_encrypted: key.is_some(),
        kms_key_id: key.map(Into::into),
        parameter_group: Some(group.into()),
        members: vec![],
        backup_retention_days: Some(7),
    }
}

fn db_snapshot(
    name: &str,
    db: &str,
    kind: &str,
    key: Option<&str>,
    at: DateTime<Utc>,
) -> RdsSnapshot {
    let arn = format!("arn:aws:rds:{E1}:{PROD}:snapshot:{name}");
    RdsSnapshot {
        resource: protected(arn_ref(K::AwsRdsSnapshot, PROD, E1, arn, name)),
        db_instance_identifier: Some(db.into()),
        snapshot_type: Some(kind.into()),
        status: Some("available".into()),
        encrypted: key.is_some(),
        kms_key_id: key.map(Into::into),
        create_time: Some(at),
        public: false,
        shared_with_accounts: vec![],
    }
}

fn groups_clusters_and_snapshots(inv: &mut Inventory, now: DateTime<Utc>) {
    for db in &mut inv.aws_rds_instances {
        db.parameter_groups = vec![match db.engine.as_str() {
            "postgres" => "ehr-postgres-tls".into(),
            _ => "default.mysql8.0".into(),
        }];
    }
    inv.aws_rds_parameter_groups = vec![
        parameter_group(
            "ehr-postgres-tls",
            "postgres16",
            false,
            "rds.force_ssl",
            "1",
        ),
        parameter_group(
            "default.mysql8.0",
            "mysql8.0",
            false,
            "require_secure_transport",
            "OFF",
        ),
        parameter_group(
            "ehr-aurora-tls",
            "aurora-postgresql16",
            true,
            "rds.force_ssl",
            "1",
        ),
        parameter_group(
            "default.aurora-mysql8.0",
            "aurora-mysql8.0",
            true,
            "require_secure_transport",
            "OFF",
        ),
    ];
    inv.aws_rds_clusters = vec![
        cluster(
            "ehr-analytics",
            "aurora-postgresql",
            Some(EHR_KEY),
            "ehr-aurora-tls",
        ),
        cluster("legacy-bi", "aurora-mysql", None, "default.aurora-mysql8.0"),
    ];
    let daily = db_snapshot(
        "rds:ehr-db-prod-daily",
        "ehr-db-prod",
        "automated",
        Some(EHR_KEY),
        now - Duration::hours(4),
    );
    let mut vendor = db_snapshot(
        "legacy-reporting-vendor-copy",
        "legacy-reporting-db",
        "manual",
        None,
        now - Duration::days(41),
    );
    vendor.public = true;
    inv.aws_rds_snapshots = vec![daily, vendor];
    // ehr-analytics has last night's automated cluster snapshot; legacy-bi none at all.
    let arn = format!("arn:aws:rds:{E1}:{PROD}:cluster-snapshot:rds:ehr-analytics-nightly");
    inv.aws_rds_cluster_snapshots = vec![RdsClusterSnapshot {
        resource: protected(arn_ref(
            K::AwsRdsClusterSnapshot,
            PROD,
            E1,
            arn,
            "rds:ehr-analytics-nightly",
        )),
        db_cluster_identifier: Some("ehr-analytics".into()),
        snapshot_type: Some("automated".into()),
        status: Some("available".into()),
        storage_encrypted: Some(true),
        create_time: Some(now - Duration::hours(7)),
    }];
}
