phiscan_core::checks! {
    ssl_only::RedisSslOnly,
    min_tls12::RedisMinTls12,
    no_public_access::RedisNoPublicAccess,
}
