//! An evidence bundle: the bytes as a `.tar.gz` archive (gzip, tar, entry names, the
//! decompression cap), and the same bytes as a bundle's `manifest.json`; each then verified.
#![no_main]
use libfuzzer_sys::fuzz_target;
use phiscan_output::evidence::{archive, verify, Files};

/// Small enough that a gzip bomb costs no more than a few milliseconds per input.
const CAP: u64 = 4 * 1024 * 1024;

fuzz_target!(|data: &[u8]| {
    if let Ok(files) = archive::unpack(data, "fuzz.tar.gz", CAP) {
        let _ = verify(&files, "fuzz.tar.gz", None);
    }
    let files: Files = [("manifest.json".to_string(), data.to_vec())].into();
    let _ = verify(&files, "fuzz", None);
});
