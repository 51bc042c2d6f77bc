phiscan_core::checks! {
    key_rotation::KmsKeyRotation,
    key_not_public::KmsKeyNotPublic,
    key_external_access::KmsKeyExternalAccess,
}
