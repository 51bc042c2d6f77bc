phiscan_core::checks! {
    rotation_enabled::SecretRotationEnabled,
    cmk::SecretCmk,
}
