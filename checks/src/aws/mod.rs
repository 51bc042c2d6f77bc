//! AWS checks, one file each under `aws/<service>/`. This list is the AWS registry.

pub mod acm;
pub mod cloudtrail;
pub mod ebs;
pub mod ec2;
pub mod elbv2;
pub mod iam;
pub mod kms;
pub mod logs;
mod policy_doc;
pub mod rds;
pub mod s3;
mod snapshot_sharing;
pub mod vpc;
// Data protection and backup.
pub mod backup;
pub mod dynamodb;
pub mod efs;

use phiscan_core::Check;

pub static CHECKS: &[&dyn Check] = &[
    &ebs::volume_encrypted::EbsVolumeEncrypted,
    &ebs::encryption_by_default::EbsEncryptionByDefault,
    &ebs::snapshot_encrypted::EbsSnapshotEncrypted,
    &ebs::snapshot_not_public::EbsSnapshotNotPublic,
    &ec2::sg_no_public_admin_ports::SgNoPublicAdminPorts,
    &ec2::sg_no_public_db_ports::SgNoPublicDbPorts,
    &ec2::instance_imdsv2::Ec2InstanceImdsv2,
    &ec2::instance_no_public_ip::Ec2InstanceNoPublicIp,
    &s3::default_encryption::S3BucketDefaultEncryption,
    &s3::tls_only::S3BucketTlsOnly,
    &s3::bucket_public_access_block::S3BucketPublicAccessBlock,
    &s3::account_public_access_block::S3AccountPublicAccessBlockCheck,
    &s3::versioning::S3BucketVersioning,
    &s3::access_logging::S3BucketAccessLogging,
    &rds::instance_encrypted::RdsInstanceEncrypted,
    &rds::instance_not_public::RdsInstanceNotPublic,
    &rds::backup_retention::RdsInstanceBackupRetention,
    &elbv2::listener_tls::Elbv2ListenerTls,
    &elbv2::tls_policy::Elbv2TlsPolicy,
    &vpc::flow_logs::VpcFlowLogs,
    &kms::key_rotation::KmsKeyRotation,
    &kms::key_not_public::KmsKeyNotPublic,
    &cloudtrail::region_covered::CloudTrailRegionCovered,
    &cloudtrail::log_validation::CloudTrailLogValidation,
    &cloudtrail::kms_encrypted::CloudTrailKmsEncrypted,
    // IAM, CloudWatch Logs, ACM, network ACLs (issue 4, part B).
    &iam::no_admin_star_policy::IamNoAdminStarPolicy,
    &iam::root_no_access_keys::IamRootNoAccessKeys,
    &iam::root_mfa::IamRootMfa,
    &iam::password_policy::IamPasswordPolicyCheck,
    &logs::group_kms::LogsGroupKms,
    &logs::group_retention::LogsGroupRetention,
    &acm::cert_not_expiring::AcmCertNotExpiring,
    &vpc::nacl_no_public_admin_ports::NaclNoPublicAdminPorts,
    // Data protection and backup.
    &rds::cluster_encrypted::RdsClusterEncrypted,
    &rds::tls_enforced::RdsTlsEnforced,
    &rds::snapshot_encrypted::RdsSnapshotEncrypted,
    &rds::snapshot_not_public::RdsSnapshotNotPublic,
    &ebs::volume_recent_backup::EbsVolumeRecentBackup,
    &rds::instance_recent_backup::RdsInstanceRecentBackup,
    &backup::vault_cmk::BackupVaultCmk,
    &efs::encrypted::EfsEncrypted,
    &dynamodb::pitr::DynamoDbPitr,
    &dynamodb::encrypted_cmk::DynamoDbEncryptedCmk,
];
