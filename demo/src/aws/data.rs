//! HealthTensor's data protection and backups (RDS clusters, parameter groups and
//! snapshots, AWS Backup, EFS, DynamoDB), in the same story as the rest of the AWS demo:
//!
//! - The EHR platform is compliant: `ehr-db-prod` runs on the `ehr-postgres-tls` parameter
//!   group (`rds.force_ssl = 1`) and has this morning's automated snapshot; the
//!   `ehr-analytics` Aurora cluster is encrypted and forces TLS; `ehr-backup-vault` uses the
//!   customer key `ehr-data-key` and holds last night's recovery point of `ehr-app-1` (which
//!   covers its root volume); the `ehr-documents` file system is encrypted; the
//!   `ehr-sessions` table uses the customer key and has point-in-time recovery.
//! - The legacy reporting stack is not: `legacy-reporting-db` sits on the default MySQL
//!   parameter group (`require_secure_transport = OFF`), its only snapshot is the
//!   unencrypted copy made public for the vendor six weeks ago; the `legacy-bi` Aurora MySQL
//!   cluster is unencrypted on its default cluster parameter group; the account's `Default`
//!   vault uses the AWS managed key; `legacy-scans` is an unencrypted file system and
//!   `legacy-report-cache` a table with the AWS owned key and no PITR.

use chrono::{DateTime, Duration, Utc};

use super::{arn_ref, protected, E1, EHR_APP, EHR_KEY, PROD};
use crate::model::aws::{
    BackupRecoveryPoint, BackupVault, DynamoDbTable, EfsFileSystem, RdsCluster, RdsParameterGroup,
    RdsSnapshot,
};
use crate::model::{Inventory, ResourceKind as K};

const AWS_BACKUP_KEY: &str =
    "arn:aws:kms:us-east-1:111122223333:key/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    rds(inv, now);
    backup(inv, now);
    efs(inv);
    dynamodb(inv);
}

fn parameter_group(
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

fn cluster(name: &str, engine: &str, key: Option<&str>, group: &str) -> RdsCluster {
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

fn rds(inv: &mut Inventory, now: DateTime<Utc>) {
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
}

fn backup(inv: &mut Inventory, now: DateTime<Utc>) {
    let vault = |name: &str, key: &str, manager: &str, points: i64| BackupVault {
        resource: arn_ref(
            K::AwsBackupVault,
            PROD,
            E1,
            format!("arn:aws:backup:{E1}:{PROD}:backup-vault:{name}"),
            name,
        ),
        encryption_key_arn: Some(key.into()),
        encryption_key_manager: Some(manager.into()),
        recovery_points: Some(points),
        locked: Some(false),
    };
    inv.aws_backup_vaults = vec![
        vault("ehr-backup-vault", EHR_KEY, "CUSTOMER", 1),
        vault("Default", AWS_BACKUP_KEY, "AWS", 0),
    ];
    let arn = format!("arn:aws:ec2:{E1}:{PROD}:image/ami-0ehrapp1nightly00");
    inv.aws_backup_recovery_points = vec![BackupRecoveryPoint {
        resource: arn_ref(
            K::AwsBackupRecoveryPoint,
            PROD,
            E1,
            arn,
            "ehr-backup-vault/ehr-app-1-nightly",
        ),
        vault_name: "ehr-backup-vault".into(),
        resource_arn: Some(format!("arn:aws:ec2:{E1}:{PROD}:instance/{EHR_APP}")),
        resource_type: Some("EC2".into()),
        status: Some("COMPLETED".into()),
        creation_date: Some(now - Duration::hours(9)),
        completion_date: Some(now - Duration::hours(8)),
        encrypted: Some(true),
    }];
}

fn efs(inv: &mut Inventory) {
    let fs = |id: &str, name: &str, key: Option<&str>| EfsFileSystem {
        resource: protected(arn_ref(
            K::AwsEfsFileSystem,
            PROD,
            E1,
            format!("arn:aws:elasticfilesystem:{E1}:{PROD}:file-system/{id}"),
            name,
        )),
        encrypted: key.is_some(),
        kms_key_id: key.map(Into::into),
        life_cycle_state: Some("available".into()),
    };
    inv.aws_efs_file_systems = vec![
        fs("fs-0e1d2c3b4a5f60718", "ehr-documents", Some(EHR_KEY)),
        fs("fs-0f9e8d7c6b5a40392", "legacy-scans", None),
    ];
}

fn dynamodb(inv: &mut Inventory) {
    let table = |name: &str| DynamoDbTable {
        resource: protected(arn_ref(
            K::AwsDynamoDbTable,
            PROD,
            E1,
            format!("arn:aws:dynamodb:{E1}:{PROD}:table/{name}"),
            name,
        )),
        table_status: Some("ACTIVE".into()),
        sse_status: None,
        sse_type: None,
        kms_key_arn: None,
        kms_key_manager: None,
        pitr_status: Some("DISABLED".into()),
    };
    let mut sessions = table("ehr-sessions");
    sessions.sse_status = Some("ENABLED".into());
    sessions.sse_type = Some("KMS".into());
    sessions.kms_key_arn = Some(EHR_KEY.into());
    sessions.kms_key_manager = Some("CUSTOMER".into());
    sessions.pitr_status = Some("ENABLED".into());
    inv.aws_dynamodb_tables = vec![sessions, table("legacy-report-cache")];
}
