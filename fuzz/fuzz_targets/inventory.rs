//! A saved inventory (`scan --inventory FILE`): parsed, validated, then judged by every check,
//! as `scan --inventory` does with a file a user hands it.
#![no_main]
use libfuzzer_sys::fuzz_target;
use phiscan_core::model::Inventory;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(mut inv) = Inventory::from_json(text, "fuzz.json") {
        inv.sort();
        let registry = phiscan_checks::registry();
        let config = phiscan_core::config::Config::default();
        let now = chrono::DateTime::UNIX_EPOCH + chrono::Duration::days(20_000);
        let _ = phiscan_core::engine::evaluate(&registry, &inv, &config, now);
    }
});
