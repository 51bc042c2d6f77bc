pub mod group_kms;
pub mod group_retention;

/// A KMS-encrypted log group kept for a year, for unit tests.
#[cfg(test)]
pub(crate) fn group(id: &str) -> phiscan_scanner::model::aws::LogGroup {
    phiscan_scanner::model::aws::LogGroup {
        resource: crate::testing::aws_ref(
            phiscan_scanner::ResourceKind::AwsLogGroup,
            "us-east-1",
            id,
        ),
        kms_key_id: Some("arn:aws:kms:us-east-1:111122223333:key/k".into()),
        retention_in_days: Some(365),
    }
}
