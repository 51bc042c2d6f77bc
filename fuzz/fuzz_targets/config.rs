//! `phiscan.toml`: TOML parsing, then validation against the registry (check ids, numeric
//! ranges, globs of waivers and selections).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let registry = phiscan_checks::registry();
    let _ = phiscan_core::config_file::parse(text, "phiscan.toml", &registry);
});
