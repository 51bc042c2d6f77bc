//! What the clouds answer, where phiscan parses it itself (`phiscan_collect::wire`): AWS IAM
//! policy documents (URL-encoded or plain JSON), ARM list pages, error bodies and nextLinks
//! (the bearer token must never leave the endpoint's origin), Google error bodies, and the
//! URL stripping of error messages. The first byte picks the parser.
#![no_main]
use libfuzzer_sys::fuzz_target;
use phiscan_collect::wire::{arm, aws, gcp};

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(body);
    match which % 5 {
        0 => {
            let _ = aws::decode_document(&text);
        }
        1 => {
            let _ = serde_json::from_slice::<arm::Page<serde_json::Value>>(body);
            let _ = arm::error_detail(body);
        }
        2 => {
            let base = url::Url::parse("https://management.azure.com/").unwrap();
            let local = url::Url::parse("http://127.0.0.1:8080/").unwrap();
            for (b, overridden) in [(&base, false), (&local, true)] {
                if let Ok(u) = arm::next_url(b, overridden, &text, "2024-01-01") {
                    assert_eq!(u.origin(), b.origin(), "a nextLink left the endpoint: {u}");
                }
            }
        }
        3 => {
            let _ = gcp::parse_error(body);
        }
        _ => {
            let _ = (arm::redact_urls(&text), gcp::without_urls(&text));
        }
    }
});
