// Edges (issue 17).
phiscan_core::checks! {
    https_only::CloudFrontHttpsOnly,
    tls12::CloudFrontTls12,
}
