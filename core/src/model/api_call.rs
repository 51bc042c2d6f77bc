use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Provider;

/// One request a collector sent to a cloud API: the audit trail of a live scan.
///
/// One entry per HTTP attempt, so SDK retries show. It never holds credentials, headers
/// other than the request id, or URLs (S3 presigned URLs carry signatures in the query).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiCall {
    pub provider: Provider,
    /// The service as the SDK names it (`EC2`, `S3`, `KMS`, ...).
    pub service: String,
    /// The API operation (`DescribeVolumes`, `GetBucketPolicy`, ...).
    pub operation: String,
    /// The scope (AWS account) the call was made in, once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The region the client was configured for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub started_at: DateTime<Utc>,
    pub duration_ms: u64,
    /// HTTP status; `None` when no response came back (connection refused, timeout).
    #[serde(default)]
    pub http_status: Option<u16>,
    /// The provider's request id, to match the call in the provider's own logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The service error code (`AccessDenied`, `NoSuchBucketPolicy`, ...) or the transport
    /// failure (`ConnectorError`, `TimeoutError`); `None` for a success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
}
