phiscan_core::checks! {
    https_only::AppServiceHttpsOnly,
    min_tls12::AppServiceMinTls12,
    ftps_only_or_disabled::AppServiceFtpsOnlyOrDisabled,
}
