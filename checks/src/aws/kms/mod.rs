pub mod key_not_public;
pub mod key_rotation;

/// An enabled customer-managed symmetric key with rotation on and no policy, for unit tests.
#[cfg(test)]
pub(crate) fn key(id: &str) -> phiscan_scanner::model::aws::KmsKey {
    phiscan_scanner::model::aws::KmsKey {
        resource: crate::testing::aws_ref(
            phiscan_scanner::ResourceKind::AwsKmsKey,
            "us-east-1",
            id,
        ),
        key_id: id.into(),
        key_manager: "CUSTOMER".into(),
        key_spec: "SYMMETRIC_DEFAULT".into(),
        key_state: "Enabled".into(),
        origin: Some("AWS_KMS".into()),
        rotation_enabled: Some(true),
        policy: None,
    }
}
