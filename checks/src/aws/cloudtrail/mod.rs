pub mod kms_encrypted;
pub mod log_validation;
pub mod region_covered;

/// A logging single-region trail in us-east-1 with validation and KMS, for unit tests.
#[cfg(test)]
pub(crate) fn trail(name: &str) -> phiscan_scanner::model::aws::CloudTrail {
    phiscan_scanner::model::aws::CloudTrail {
        resource: crate::testing::aws_ref(
            phiscan_scanner::ResourceKind::AwsCloudTrail,
            "us-east-1",
            name,
        ),
        home_region: "us-east-1".into(),
        is_multi_region: false,
        is_organization_trail: false,
        is_logging: true,
        log_file_validation: true,
        kms_key_id: Some("arn:aws:kms:us-east-1:111122223333:key/k".into()),
        s3_bucket: Some("trail-logs".into()),
        cloudwatch_log_group_arn: None,
    }
}
