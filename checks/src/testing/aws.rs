//! AWS resources for check tests (issue 17's kinds: `aws_edges.rs`): each builder returns a
//! resource passing every check of its kind unless its doc says otherwise, in `us-east-1`
//! (global kinds: `global`), named by its id; a test edits the fields it is about.

use super::{aws_ref, now};

pub use super::aws_network::*;
pub use super::aws_stores::*;
use chrono::Duration;
use phiscan_core::model::aws::*;
use phiscan_core::{ResourceKind, ResourceRef};

/// The customer-managed KMS key the defaults encrypt with.
pub const KEY_ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/k";

pub(super) fn regional(kind: ResourceKind, id: &str) -> ResourceRef {
    aws_ref(kind, "us-east-1", id)
}

/// An issued, imported certificate that is not in use and expires in a year.
pub fn acm_certificate(id: &str) -> AcmCertificate {
    AcmCertificate {
        resource: regional(ResourceKind::AwsAcmCertificate, id),
        domain_name: format!("{id}.example.com"),
        status: "ISSUED".into(),
        cert_type: Some("IMPORTED".into()),
        not_after: Some(now() + Duration::days(365)),
        in_use_by: vec![],
        renewal_eligibility: Some("INELIGIBLE".into()),
    }
}

/// A completed, encrypted recovery point of an EBS `resource_arn`, `hours_ago` old.
pub fn backup_recovery_point(id: &str, resource_arn: &str, hours_ago: i64) -> BackupRecoveryPoint {
    BackupRecoveryPoint {
        resource: regional(ResourceKind::AwsBackupRecoveryPoint, id),
        vault_name: "phi-vault".into(),
        resource_arn: Some(resource_arn.into()),
        resource_type: Some("EBS".into()),
        status: Some("COMPLETED".into()),
        creation_date: Some(now() - Duration::hours(hours_ago + 1)),
        completion_date: Some(now() - Duration::hours(hours_ago)),
        encrypted: Some(true),
    }
}

/// A vault encrypted with a customer-managed key.
pub fn backup_vault(id: &str) -> BackupVault {
    BackupVault {
        resource: regional(ResourceKind::AwsBackupVault, id),
        encryption_key_arn: Some(KEY_ARN.into()),
        encryption_key_manager: Some("CUSTOMER".into()),
        recovery_points: Some(3),
        locked: Some(false),
    }
}

/// A logging, validated, KMS-encrypted single-region trail homed in us-east-1.
pub fn cloud_trail(name: &str) -> CloudTrail {
    CloudTrail {
        resource: regional(ResourceKind::AwsCloudTrail, name),
        home_region: "us-east-1".into(),
        is_multi_region: false,
        is_organization_trail: false,
        is_logging: true,
        log_file_validation: true,
        kms_key_id: Some(KEY_ARN.into()),
        s3_bucket: Some("trail-logs".into()),
        cloudwatch_log_group_arn: None,
        s3_data_events: Some(vec![]),
    }
}

/// An active table with point-in-time recovery and the AWS-owned default encryption.
pub fn dynamodb_table(id: &str) -> DynamoDbTable {
    DynamoDbTable {
        resource: regional(ResourceKind::AwsDynamoDbTable, id),
        table_status: Some("ACTIVE".into()),
        sse_status: None,
        sse_type: None,
        kms_key_arn: None,
        kms_key_manager: None,
        pitr_status: Some("ENABLED".into()),
        pitr_latest_restorable: Some(now()),
    }
}

/// EBS encryption by default, on, in `region` (the record's id is the region).
pub fn ebs_encryption_default(region: &str) -> EbsEncryptionDefault {
    EbsEncryptionDefault {
        resource: aws_ref(ResourceKind::AwsEbsEncryptionDefault, region, region),
        enabled: true,
        kms_key_id: None,
    }
}

/// A completed, encrypted, private snapshot of `vol-1`, three hours old.
pub fn ebs_snapshot(id: &str) -> EbsSnapshot {
    EbsSnapshot {
        resource: regional(ResourceKind::AwsEbsSnapshot, id),
        encrypted: true,
        kms_key_id: Some(KEY_ARN.into()),
        volume_id: Some("vol-1".into()),
        start_time: now() - Duration::hours(3),
        state: "completed".into(),
        public: false,
        shared_with_accounts: vec![],
    }
}

/// An encrypted volume attached to `i-1`.
pub fn ebs_volume(id: &str) -> EbsVolume {
    EbsVolume {
        resource: regional(ResourceKind::AwsEbsVolume, id),
        encrypted: true,
        kms_key_id: Some(KEY_ARN.into()),
        state: "in-use".into(),
        size_gib: 8,
        attached_instances: vec!["i-1".into()],
    }
}

/// An available file system encrypted with the customer-managed key.
pub fn efs_file_system(id: &str) -> EfsFileSystem {
    EfsFileSystem {
        resource: regional(ResourceKind::AwsEfsFileSystem, id),
        encrypted: true,
        kms_key_id: Some(KEY_ARN.into()),
        life_cycle_state: Some("available".into()),
    }
}

/// A listener of the internet-facing `web` load balancer, without TLS settings or actions.
pub fn elbv2_listener(id: &str, protocol: &str, port: i32) -> Elbv2Listener {
    Elbv2Listener {
        resource: regional(ResourceKind::AwsElbv2Listener, id),
        load_balancer_arn:
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/1".into(),
        load_balancer_name: "web".into(),
        scheme: "internet-facing".into(),
        protocol: protocol.into(),
        port,
        ssl_policy: None,
        ssl_protocols: None,
        default_actions: vec![],
    }
}

/// The account's password policy, `strong_password_policy()`.
pub fn iam_password_policy(id: &str) -> IamPasswordPolicy {
    IamPasswordPolicy {
        resource: aws_ref(ResourceKind::AwsIamPasswordPolicy, "global", id),
        policy: Some(strong_password_policy()),
    }
}

/// A password policy meeting every requirement of the check's defaults.
pub fn strong_password_policy() -> PasswordPolicy {
    PasswordPolicy {
        minimum_password_length: Some(14),
        require_symbols: true,
        require_numbers: true,
        require_uppercase: true,
        require_lowercase: true,
        max_password_age: None,
        password_reuse_prevention: Some(24),
    }
}

/// An attached customer-managed policy that only reads one bucket's objects.
pub fn iam_policy(id: &str) -> IamPolicy {
    IamPolicy {
        resource: aws_ref(ResourceKind::AwsIamPolicy, "global", id),
        policy_type: "managed".into(),
        owner_arn: None,
        attachment_count: Some(1),
        default_version_id: Some("v1".into()),
        document: serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::phi/*"}]}),
    }
}

/// The root user, with MFA and without access keys.
pub fn iam_root_account(id: &str) -> IamRootAccount {
    IamRootAccount {
        resource: aws_ref(ResourceKind::AwsIamRootAccount, "global", id),
        access_keys_present: Some(0),
        mfa_enabled: Some(1),
    }
}

/// An enabled, rotated, customer-managed symmetric key without a policy on record.
pub fn kms_key(id: &str) -> KmsKey {
    KmsKey {
        resource: regional(ResourceKind::AwsKmsKey, id),
        key_id: id.into(),
        key_manager: "CUSTOMER".into(),
        key_spec: "SYMMETRIC_DEFAULT".into(),
        key_state: "Enabled".into(),
        origin: Some("AWS_KMS".into()),
        rotation_enabled: Some(true),
        policy: None,
    }
}

/// A KMS-encrypted log group kept for a year.
pub fn log_group(id: &str) -> LogGroup {
    LogGroup {
        resource: regional(ResourceKind::AwsLogGroup, id),
        kms_key_id: Some(KEY_ARN.into()),
        retention_in_days: Some(365),
    }
}

/// An encrypted Aurora PostgreSQL cluster on the parameter group `phi-aurora-tls`.
pub fn rds_cluster(id: &str) -> RdsCluster {
    RdsCluster {
        resource: regional(ResourceKind::AwsRdsCluster, id),
        engine: "aurora-postgresql".into(),
        storage_encrypted: true,
        kms_key_id: Some(KEY_ARN.into()),
        parameter_group: Some("phi-aurora-tls".into()),
        members: vec![],
        backup_retention_days: Some(7),
    }
}

/// An encrypted, private PostgreSQL instance kept for 7 days, on `phi-postgres-tls`.
pub fn rds_instance(id: &str) -> RdsInstance {
    RdsInstance {
        resource: regional(ResourceKind::AwsRdsInstance, id),
        engine: "postgres".into(),
        storage_encrypted: true,
        kms_key_id: Some(KEY_ARN.into()),
        publicly_accessible: false,
        backup_retention_days: 7,
        vpc_security_groups: vec![],
        subnet_ids: vec![],
        endpoint_port: Some(5432),
        db_cluster_identifier: None,
        parameter_groups: vec!["phi-postgres-tls".into()],
    }
}

/// An instance parameter group forcing TLS (`rds.force_ssl = 1`).
pub fn rds_parameter_group(name: &str) -> RdsParameterGroup {
    RdsParameterGroup {
        resource: regional(ResourceKind::AwsRdsParameterGroup, name),
        name: name.into(),
        family: None,
        cluster: false,
        tls_parameters: [("rds.force_ssl".to_string(), Some("1".to_string()))].into(),
    }
}

/// An encrypted, private, available manual snapshot of `db`, `hours_ago` old.
pub fn rds_snapshot(id: &str, db: &str, hours_ago: i64) -> RdsSnapshot {
    RdsSnapshot {
        resource: regional(ResourceKind::AwsRdsSnapshot, id),
        db_instance_identifier: Some(db.into()),
        snapshot_type: Some("manual".into()),
        status: Some("available".into()),
        encrypted: true,
        kms_key_id: Some(KEY_ARN.into()),
        create_time: Some(now() - Duration::hours(hours_ago)),
        public: false,
        shared_with_accounts: vec![],
    }
}

/// The account-level S3 Block Public Access of `account`, every setting on.
pub fn s3_account_public_access_block(account: &str) -> S3AccountPublicAccessBlock {
    S3AccountPublicAccessBlock {
        resource: ResourceRef::new(
            ResourceKind::AwsS3AccountPublicAccessBlock,
            account,
            "global",
            account,
            account,
        ),
        config: Some(PublicAccessBlock {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: true,
        }),
    }
}

/// A bucket with nothing configured (id `arn:aws:s3:::<name>`): tests set what they check.
pub fn s3_bucket(name: &str) -> S3Bucket {
    S3Bucket {
        resource: regional(ResourceKind::AwsS3Bucket, &format!("arn:aws:s3:::{name}")),
        default_encryption: None,
        policy: None,
        public_access_block: None,
        versioning: None,
        mfa_delete: None,
        logging_target_bucket: None,
    }
}

/// An HTTPS target group of `vpc-1` on port 443 behind one load balancer.
pub fn elbv2_target_group(id: &str) -> Elbv2TargetGroup {
    Elbv2TargetGroup {
        resource: regional(ResourceKind::AwsElbv2TargetGroup, id),
        protocol: Some("HTTPS".into()),
        port: Some(443),
        target_type: Some("instance".into()),
        vpc_id: Some("vpc-1".into()),
        load_balancer_arns: vec![
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/lb/1".into(),
        ],
    }
}

/// A role only an AWS service (EC2) may assume, with no permissions.
pub fn iam_role(id: &str) -> IamRole {
    IamRole {
        resource: aws_ref(ResourceKind::AwsIamRole, "global", id),
        role_name: id.into(),
        trust_policy: Some(
            serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
        ),
        aws_managed_policies: vec![],
        permission_documents: vec![],
        unresolved_policies: vec![],
    }
}
