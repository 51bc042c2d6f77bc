phiscan_core::checks! {
    plans::DefenderPlansStandard,
}
