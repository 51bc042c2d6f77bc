// Edges (issue 17): Classic Load Balancers (ELBv2 is `elbv2`).
phiscan_core::checks! {
    classic_tls::ElbClassicTls,
}
