phiscan_core::checks! {
    dataset_cmek::BigqueryDatasetCmek,
    dataset_not_public::BigqueryDatasetNotPublic,
}
