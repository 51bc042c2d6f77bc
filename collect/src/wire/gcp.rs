//! What Google APIs answer when a request fails, apart from the clients: the JSON error body
//! (AIP-193 `details`, or the legacy `errors[]` of Cloud Storage), and URLs in messages.

use serde::Deserialize;

/// `s` with every URL replaced by `<url>`: request URLs carry query strings (page tokens,
/// and in other APIs signatures) that must not reach a report.
pub fn without_urls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let next = |s: &str| {
        [s.find("http://"), s.find("https://")]
            .into_iter()
            .flatten()
            .min()
    };
    while let Some(i) = next(rest) {
        out.push_str(&rest[..i]);
        out.push_str("<url>");
        let tail = &rest[i..];
        let end = tail
            .find(|c: char| c.is_whitespace() || c == ')' || c == '"' || c == '\'')
            .unwrap_or(tail.len());
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// The JSON error body every Google API returns: AIP-193 `details`, or the legacy
/// `errors[]` items (Cloud Storage).
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    error: ErrorStatus,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ErrorStatus {
    message: String,
    status: Option<String>,
    details: Vec<serde_json::Value>,
    errors: Vec<LegacyItem>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LegacyItem {
    reason: Option<String>,
}

/// The facts of an error body that decide how phiscan reports a failure.
#[derive(Debug, Default, PartialEq)]
pub struct GoogleError {
    pub message: String,
    /// The canonical status (`PERMISSION_DENIED`, ...).
    pub status: Option<String>,
    /// The first `google.rpc.ErrorInfo.reason` (`SERVICE_DISABLED`, ...).
    pub error_info_reason: Option<String>,
    /// The first ErrorInfo's `metadata.service`: the API to enable.
    pub disabled_service: Option<String>,
    /// The first ErrorInfo's `metadata.permission`: the permission that was missing.
    pub permission: Option<String>,
    /// The last `google.rpc.RequestInfo.requestId`.
    pub request_id: Option<String>,
    /// The first legacy `errors[].reason` (`forbidden`, `rateLimitExceeded`).
    pub legacy_reason: Option<String>,
}

/// Parse a Google error body; `None` when it is not one.
pub fn parse_error(body: &[u8]) -> Option<GoogleError> {
    let parsed = serde_json::from_slice::<ErrorBody>(body).ok()?;
    let e = parsed.error;
    let mut out = GoogleError {
        message: e.message,
        status: e.status,
        ..Default::default()
    };
    for d in &e.details {
        let ty = d.get("@type").and_then(|t| t.as_str()).unwrap_or("");
        let text = |k: &str| d.get(k).and_then(|v| v.as_str()).map(str::to_string);
        if ty.ends_with("google.rpc.ErrorInfo") {
            let meta = |k: &str| {
                d.get("metadata")
                    .and_then(|m| m.get(k))
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            if let Some(r) = text("reason") {
                out.error_info_reason.get_or_insert(r);
            }
            if let Some(s) = meta("service") {
                out.disabled_service.get_or_insert(s);
            }
            if let Some(p) = meta("permission") {
                out.permission.get_or_insert(p);
            }
        } else if ty.ends_with("google.rpc.RequestInfo") {
            if let Some(r) = text("requestId") {
                out.request_id = Some(r);
            }
        }
    }
    out.legacy_reason = e.errors.into_iter().find_map(|i| i.reason);
    Some(out)
}
