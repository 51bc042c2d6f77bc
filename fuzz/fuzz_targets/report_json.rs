//! A JSON v1 report, as `report`, `diff` and `merge` read it: parsed, compared with itself
//! and merged with a copy of itself (shard bookkeeping included).
#![no_main]
use libfuzzer_sys::fuzz_target;
use phiscan_output::report::{diff, json, merge};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = json::parse(text) else {
        return;
    };
    let d = diff::diff(&doc, "old.json", &doc, "new.json", None);
    let _ = diff::render_json(&d);
    let inputs = (0..2)
        .map(|i| merge::Input {
            name: format!("part-{i}.json"),
            doc: doc.clone(),
        })
        .collect();
    let _ = merge::merge(inputs, &[]);
});
