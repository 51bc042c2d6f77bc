//! What AWS answers that the SDK leaves as text: IAM policy documents.

/// A policy document as IAM returns it: URL-encoded JSON (AWS) or plain JSON (moto's
/// GetPolicyVersion). Parsed when possible; otherwise the decoded text, so a FAIL or PASS
/// never rests on a document nobody could read (the checks treat a string as unreadable).
pub fn decode_document(raw: &str) -> serde_json::Value {
    if let Ok(v) = serde_json::from_str(raw) {
        return v;
    }
    let decoded = percent_decode(raw);
    serde_json::from_str(&decoded).unwrap_or(serde_json::Value::String(decoded))
}

/// RFC 3986 percent-decoding (`+` is not a space here: IAM encodes spaces as `%20`).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
