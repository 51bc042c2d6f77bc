//! KMS: customer-managed and AWS-managed keys with their policies.

use serde_json::{json, Value};

use super::{arn_ref, E1, EHR_KEY, LEGACY_KEY, PROD, TRAIL_KEY};
use crate::model::aws::KmsKey;
use crate::model::{Inventory, ResourceKind as K};

/// An enabled customer-managed symmetric key with rotation on; its policy gives the account
/// root full control, plus `grant`.
fn key(arn: &str, alias: &str, grant: Value) -> KmsKey {
    let root = json!({
        "Sid": "EnableIAMUserPermissions",
        "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{PROD}:root")},
        "Action": "kms:*",
        "Resource": "*"
    });
    KmsKey {
        resource: arn_ref(K::AwsKmsKey, PROD, E1, arn.to_string(), alias),
        key_id: arn.rsplit('/').next().unwrap_or(arn).into(),
        key_manager: "CUSTOMER".into(),
        key_spec: "SYMMETRIC_DEFAULT".into(),
        key_state: "Enabled".into(),
        origin: Some("AWS_KMS".into()),
        rotation_enabled: Some(true),
        policy: Some(json!({"Version": "2012-10-17", "Statement": [root, grant]})),
    }
}

pub(super) fn add(inv: &mut Inventory) {
    let ehr = key(
        EHR_KEY,
        "alias/ehr-data-key",
        json!({
            "Sid": "EhrAppUse",
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{PROD}:role/ehr-app")},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*"
        }),
    );
    let trail = key(
        TRAIL_KEY,
        "alias/cloudtrail-logs",
        json!({
            "Sid": "CloudTrailEncrypt",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {"StringLike": {
                "kms:EncryptionContext:aws:cloudtrail:arn": format!("arn:aws:cloudtrail:*:{PROD}:trail/*")
            }}
        }),
    );
    // "Temporarily" opened to the reporting vendor; never rotated.
    let mut legacy = key(
        LEGACY_KEY,
        "alias/legacy-reports-key",
        json!({
            "Sid": "VendorDecrypt",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "kms:Decrypt",
            "Resource": "*"
        }),
    );
    legacy.rotation_enabled = Some(false);
    let mut signing = key(
        "arn:aws:kms:us-east-1:111122223333:key/7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
        "alias/hl7-message-signing",
        json!({
            "Sid": "Hl7GatewaySign",
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{PROD}:role/hl7-gateway")},
            "Action": ["kms:Sign", "kms:Verify"],
            "Resource": "*"
        }),
    );
    signing.key_spec = "RSA_2048".into();
    signing.rotation_enabled = None;
    // The AWS-managed EBS key: a wildcard principal pinned by conditions, as AWS writes it.
    let mut aws_ebs = key(
        "arn:aws:kms:us-east-1:111122223333:key/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
        "alias/aws/ebs",
        Value::Null,
    );
    aws_ebs.key_manager = "AWS".into();
    aws_ebs.policy = Some(json!({
        "Version": "2012-10-17",
        "Id": "auto-ebs-2",
        "Statement": [{
            "Sid": "Allow access through EBS for all principals in the account that are authorized to use EBS",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                       "kms:CreateGrant", "kms:DescribeKey"],
            "Resource": "*",
            "Condition": {"StringEquals": {
                "kms:CallerAccount": PROD,
                "kms:ViaService": "ec2.us-east-1.amazonaws.com"
            }}
        }]
    }));
    inv.aws_kms_keys = vec![ehr, trail, legacy, signing, aws_ebs];
}
