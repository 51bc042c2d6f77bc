// Detection and audit (issue 17).
phiscan_core::checks! {
    recorder_enabled::ConfigRecorderEnabled,
}
