phiscan_core::checks! {
    cert_not_expiring::AcmCertNotExpiring,
}
