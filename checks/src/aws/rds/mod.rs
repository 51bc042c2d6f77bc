pub mod backup_retention;
pub mod instance_encrypted;
pub mod instance_not_public;

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
    }
}
