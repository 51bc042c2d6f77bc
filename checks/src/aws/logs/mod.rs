phiscan_core::checks! {
    group_kms::LogsGroupKms,
    group_retention::LogsGroupRetention,
}
