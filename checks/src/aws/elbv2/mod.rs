phiscan_core::checks! {
    listener_tls::Elbv2ListenerTls,
    tls_policy::Elbv2TlsPolicy,
    backend_tls::Elbv2BackendTls,
}
