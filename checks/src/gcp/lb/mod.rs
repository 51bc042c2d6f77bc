phiscan_core::checks! {
    ssl_policy_tls12::LbSslPolicyTls12,
    backend_service_encrypted::BackendServiceEncrypted,
}
