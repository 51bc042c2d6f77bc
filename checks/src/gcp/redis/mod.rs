phiscan_core::checks! {
    transit_encryption::RedisTransitEncryption,
    auth_enabled::RedisAuthEnabled,
}
