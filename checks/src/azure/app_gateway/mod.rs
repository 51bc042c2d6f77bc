phiscan_core::checks! {
    tls12_policy::AppGatewayTls12Policy,
    no_plain_http::AppGatewayNoPlainHttp,
    backend_tls::AppGatewayBackendTls,
}
