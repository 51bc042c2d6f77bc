phiscan_core::checks! {
    restricted::BastionRestricted,
}
