//! AWS Backup: vaults and recovery points (see the story in `rds.rs`).

use chrono::{DateTime, Duration, Utc};

use super::{arn_ref, E1, EHR_APP, EHR_DOCUMENTS_FS, EHR_KEY, PROD};
use crate::model::aws::{BackupRecoveryPoint, BackupVault};
use crate::model::{Inventory, ResourceKind as K};

const AWS_BACKUP_KEY: &str =
    "arn:aws:kms:us-east-1:111122223333:key/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
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
        vault("ehr-backup-vault", EHR_KEY, "CUSTOMER", 2),
        vault("Default", AWS_BACKUP_KEY, "AWS", 0),
    ];
    let point = |arn: String, name: &str, of: String, kind: &str| BackupRecoveryPoint {
        resource: arn_ref(K::AwsBackupRecoveryPoint, PROD, E1, arn, name),
        vault_name: "ehr-backup-vault".into(),
        resource_arn: Some(of),
        resource_type: Some(kind.into()),
        status: Some("COMPLETED".into()),
        creation_date: Some(now - Duration::hours(9)),
        completion_date: Some(now - Duration::hours(8)),
        encrypted: Some(true),
    };
    inv.aws_backup_recovery_points = vec![
        point(
            format!("arn:aws:ec2:{E1}:{PROD}:image/ami-0ehrapp1nightly00"),
            "ehr-backup-vault/ehr-app-1-nightly",
            format!("arn:aws:ec2:{E1}:{PROD}:instance/{EHR_APP}"),
            "EC2",
        ),
        point(
            format!("arn:aws:backup:{E1}:{PROD}:recovery-point:ehr-documents-nightly"),
            "ehr-backup-vault/ehr-documents-nightly",
            format!("arn:aws:elasticfilesystem:{E1}:{PROD}:file-system/{EHR_DOCUMENTS_FS}"),
            "EFS",
        ),
    ];
}
