// Edges (issue 17).
phiscan_core::checks! {
    tls12::ApiGatewayTls12,
}
