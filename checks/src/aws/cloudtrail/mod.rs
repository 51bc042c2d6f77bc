phiscan_core::checks! {
    region_covered::CloudTrailRegionCovered,
    log_validation::CloudTrailLogValidation,
    kms_encrypted::CloudTrailKmsEncrypted,
    s3_data_events::CloudTrailS3DataEvents,
}
