phiscan_core::checks! {
    partners::LighthousePartners,
}
