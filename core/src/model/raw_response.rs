use serde::{Deserialize, Serialize};

use super::Provider;

/// One raw API response a collector kept as evidence, so an auditor can trace a verdict past
/// the typed record to what the provider answered.
///
/// The evidence bundle writes each one, through the same redaction as everything else, to
/// `raw/<provider>/<account>/<region|global>/_responses/<service>-<operation>-<n>.json`, and
/// every resource record in `raw/` lists the responses that name it in `resource_ids`.
/// Collectors should still drop secrets before they get here; redaction is the second line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResponse {
    pub provider: Provider,
    pub account: String,
    /// `None` for global APIs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The service as the SDK names it (`EC2`, `compute`, `Microsoft.Storage`).
    pub service: String,
    pub operation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// When the call that returned it started (older inventories do not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<chrono::DateTime<chrono::Utc>>,
    /// Where `body` sits in the whole response (a JSON pointer into it, `/value/3` of an ARM
    /// page), when it is one resource's part of a list page; `None`: the whole response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Canonical ids (ARN, full resource name, ARM id) of the resources this response describes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_ids: Vec<String>,
    /// The response body as JSON (collectors of XML APIs convert it: elements become keys,
    /// repeated elements and `item`/`member` lists arrays, text strings; attributes dropped).
    pub body: serde_json::Value,
}
