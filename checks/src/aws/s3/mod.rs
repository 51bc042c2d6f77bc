phiscan_core::checks! {
    default_encryption::S3BucketDefaultEncryption,
    tls_only::S3BucketTlsOnly,
    bucket_public_access_block::S3BucketPublicAccessBlock,
    account_public_access_block::S3AccountPublicAccessBlockCheck,
    versioning::S3BucketVersioning,
    access_logging::S3BucketAccessLogging,
    bucket_policy_external_access::S3BucketPolicyExternalAccess,
}
