//! A policy profile file (`--profile FILE`): parsed, then validated against the registry.
#![no_main]
use libfuzzer_sys::fuzz_target;
use phiscan_core::profiles::Profile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(profile) = Profile::parse(text, "fuzz.toml") {
        let metas: Vec<_> = phiscan_checks::registry().iter().map(|c| c.meta()).collect();
        let _ = profile.validate(&metas, "fuzz.toml");
    }
});
