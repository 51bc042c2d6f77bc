//! An attested file (`--attested FILE`, docs/attested.md): TOML parsing and validation
//! (fields per kind, dates against a fixed day, ports, CIDR sources), then the attested
//! rules over what passed, as a scan judges it.
#![no_main]
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use phiscan_core::attested::AttestedFile;
use phiscan_core::config::Params;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).expect("a valid day");
    if let Ok(file) = AttestedFile::parse(text, "fuzz.toml", today) {
        let now = today
            .and_hms_opt(12, 0, 0)
            .expect("a valid time")
            .and_utc();
        let _ = phiscan_checks::attested::evaluate(&file, &Params::default(), now);
    }
});
