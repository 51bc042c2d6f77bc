phiscan_core::checks! {
    activity_log_exported::ActivityLogExported,
}
