phiscan_core::checks! {
    bucket_not_public::StorageBucketNotPublic,
    bucket_uniform_access::StorageBucketUniformAccess,
    bucket_public_access_prevention::StorageBucketPublicAccessPrevention,
    bucket_versioning::StorageBucketVersioning,
    bucket_cmek::StorageBucketCmek,
    bucket_logging::StorageBucketLogging,
}
