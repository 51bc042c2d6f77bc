pub mod backup_retention;
pub mod instance_encrypted;
pub mod instance_not_public;
// Data protection and backup.
pub mod cluster_encrypted;
pub mod instance_recent_backup;
pub mod snapshot_encrypted;
pub mod snapshot_not_public;
pub mod tls_enforced;

/// A private, encrypted PostgreSQL instance with 7-day backups, for unit tests.
#[cfg(test)]
pub(crate) fn instance(id: &str) -> phiscan_scanner::model::aws::RdsInstance {
    phiscan_scanner::model::aws::RdsInstance {
        resource: crate::testing::aws_ref(
            phiscan_scanner::ResourceKind::AwsRdsInstance,
            "us-east-1",
            id,
        ),
        engine: "postgres".into(),
        storage_encrypted: true,
        kms_key_id: Some("arn:aws:kms:us-east-1:111122223333:key/k".into()),
        publicly_accessible: false,
        backup_retention_days: 7,
        vpc_security_groups: vec![],
        subnet_ids: vec![],
        endpoint_port: Some(5432),
        db_cluster_identifier: None,
        parameter_groups: vec!["phi-postgres-tls".into()],
    }
}

/// An encrypted Aurora PostgreSQL cluster on the parameter group `phi-aurora-tls`.
#[cfg(test)]
pub(crate) fn cluster(id: &str) -> phiscan_scanner::model::aws::RdsCluster {
    phiscan_scanner::model::aws::RdsCluster {
        resource: crate::testing::aws_ref(
            phiscan_scanner::ResourceKind::AwsRdsCluster,
            "us-east-1",
            id,
        ),
        engine: "aurora-postgresql".into(),
        storage_encrypted: true,
        kms_key_id: Some("arn:aws:kms:us-east-1:111122223333:key/k".into()),
        parameter_group: Some("phi-aurora-tls".into()),
        members: vec![],
        backup_retention_days: Some(7),
    }
}

/// An encrypted, private, available manual snapshot of `db`, `hours_ago` old.
#[cfg(test)]
pub(crate) fn snapshot(
    id: &str,
    db: &str,
    hours_ago: i64,
) -> phiscan_scanner::model::aws::RdsSnapshot {
    phiscan_scanner::model::aws::RdsSnapshot {
        resource: crate::testing::aws_ref(
            phiscan_scanner::ResourceKind::AwsRdsSnapshot,
            "us-east-1",
            id,
        ),
        db_instance_identifier: Some(db.into()),
        snapshot_type: Some("manual".into()),
        status: Some("available".into()),
        encrypted: true,
        kms_key_id: Some("arn:aws:kms:us-east-1:111122223333:key/k".into()),
        create_time: Some(crate::testing::now() - chrono::Duration::hours(hours_ago)),
        public: false,
        shared_with_accounts: vec![],
    }
}
