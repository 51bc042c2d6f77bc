pub mod access_logging;
pub mod account_public_access_block;
pub mod bucket_public_access_block;
pub mod default_encryption;
pub mod tls_only;
pub mod versioning;

/// A bucket with nothing configured, for the S3 checks' unit tests.
#[cfg(test)]
pub(crate) fn bucket(name: &str) -> phiscan_scanner::model::aws::S3Bucket {
    phiscan_scanner::model::aws::S3Bucket {
        resource: crate::testing::aws_ref(
            phiscan_scanner::ResourceKind::AwsS3Bucket,
            "us-east-1",
            &format!("arn:aws:s3:::{name}"),
        ),
        default_encryption: None,
        policy: None,
        public_access_block: None,
        versioning: None,
        mfa_delete: None,
        logging_target_bucket: None,
    }
}
