//! S3: buckets and the account-level Block Public Access settings.

use serde_json::{json, Value};

use super::{arn_ref, BACKUP, E1, EHR_KEY, LOG_BUCKET, PROD, TRAIL_BUCKET, TRAIL_KEY};
use crate::model::aws::{
    PublicAccessBlock, S3AccountPublicAccessBlock, S3Bucket, S3DefaultEncryption,
};
use crate::model::{Inventory, ResourceKind as K};

const ALL_BLOCKED: PublicAccessBlock = PublicAccessBlock {
    block_public_acls: true,
    ignore_public_acls: true,
    block_public_policy: true,
    restrict_public_buckets: true,
};

/// A bucket with nothing configured.
fn bucket(name: &str, class: &str) -> S3Bucket {
    let arn = format!("arn:aws:s3:::{name}");
    S3Bucket {
        resource: arn_ref(K::AwsS3Bucket, PROD, E1, arn, name)
            .with_tag("data-classification", class),
        default_encryption: None,
        policy: None,
        public_access_block: None,
        versioning: None,
        mfa_delete: None,
        logging_target_bucket: None,
    }
}

/// A bucket with everything the S3 checks ask for: encryption with `alg`/`key`, a policy that
/// denies plain HTTP (plus `grant`), all four public-access blocks, versioning, access logs.
fn locked_down(name: &str, class: &str, alg: &str, key: Option<&str>, grant: Value) -> S3Bucket {
    let deny_http = json!({
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [format!("arn:aws:s3:::{name}"), format!("arn:aws:s3:::{name}/*")],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}
    });
    S3Bucket {
        default_encryption: Some(S3DefaultEncryption {
            sse_algorithm: alg.into(),
            kms_master_key_id: key.map(Into::into),
            bucket_key_enabled: Some(key.is_some()),
        }),
        policy: Some(json!({"Version": "2012-10-17", "Statement": [deny_http, grant]})),
        public_access_block: Some(ALL_BLOCKED),
        versioning: Some("Enabled".into()),
        mfa_delete: Some("Disabled".into()),
        logging_target_bucket: Some(LOG_BUCKET.into()),
        ..bucket(name, class)
    }
}

pub(super) fn add(inv: &mut Inventory) {
    let app_rw = json!({
        "Sid": "EhrAppReadWrite",
        "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{PROD}:role/ehr-app")},
        "Action": ["s3:GetObject", "s3:PutObject"],
        "Resource": "arn:aws:s3:::healthtensor-phi-uploads/*"
    });
    let trail_write = json!({
        "Sid": "CloudTrailWrite",
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": format!("arn:aws:s3:::{TRAIL_BUCKET}/AWSLogs/{PROD}/*"),
        "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}
    });
    let log_delivery = json!({
        "Sid": "S3ServerAccessLogs",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": format!("arn:aws:s3:::{LOG_BUCKET}/*"),
        "Condition": {"StringEquals": {"aws:SourceAccount": PROD}}
    });
    let mut access_logs = locked_down(LOG_BUCKET, "confidential", "AES256", None, log_delivery);
    // A log bucket that logged into itself would log its own deliveries forever.
    access_logs.logging_target_bucket = None;
    // Block Public Access switched off to publish the website's images; nothing else set.
    let mut marketing = bucket("healthtensor-marketing-assets", "public");
    marketing.policy = Some(json!({
        "Version": "2012-10-17",
        "Statement": {
            "Sid": "PublicRead",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::healthtensor-marketing-assets/*"
        }
    }));
    marketing.public_access_block = Some(PublicAccessBlock {
        block_public_acls: false,
        ignore_public_acls: false,
        block_public_policy: false,
        restrict_public_buckets: false,
    });
    marketing.versioning = Some("Suspended".into());
    inv.aws_s3_buckets = vec![
        locked_down(
            "healthtensor-phi-uploads",
            "protected",
            "aws:kms",
            Some(EHR_KEY),
            app_rw,
        ),
        locked_down(
            TRAIL_BUCKET,
            "confidential",
            "aws:kms",
            Some(TRAIL_KEY),
            trail_write,
        ),
        access_logs,
        marketing,
    ];
    let account_block = |account: &str, config| {
        let id = format!("arn:aws:s3::{account}:account-public-access-block");
        let name = format!("S3 account public access block ({account})");
        S3AccountPublicAccessBlock {
            resource: arn_ref(
                K::AwsS3AccountPublicAccessBlock,
                account,
                "global",
                id,
                &name,
            ),
            config,
        }
    };
    inv.aws_s3_account_public_access_blocks = vec![
        account_block(PROD, Some(ALL_BLOCKED)),
        account_block(BACKUP, None),
    ];
}
