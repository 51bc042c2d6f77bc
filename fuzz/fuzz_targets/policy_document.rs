//! AWS policy documents (bucket, key, role and identity policies as the checks read them):
//! statement extraction and every predicate, and IAM wildcard matching on the same bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use phiscan_checks::aws::policy_doc::{covers_prefix, statements, wildcard_match};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) {
        for s in statements(&doc) {
            let _ = (s.sid(), s.is_allow(), s.is_deny(), s.principal_is_everyone());
            let _ = (s.has_not_principal(), s.actions(), s.resources(), s.condition());
            let _ = (s.grants_all_actions(), s.covers_all_resources());
            let _ = s.covers_action("s3:GetObject");
        }
    }
    // The first line is a pattern, the rest a value.
    if let Some((pattern, value)) = text.split_once('\n') {
        let _ = wildcard_match(pattern, value);
        let _ = covers_prefix(pattern, value);
    }
});
