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

/// The error codes with which the clouds say "slow down": AWS (the codes aws-runtime's
/// retry classifier treats as throttling), and Google's `ErrorInfo` reasons and status.
/// ARM says it with HTTP 429 alone (`TooManyRequests`, `SubscriptionRequestsThrottled`, ...).
const THROTTLING: &[&str] = &[
    // AWS
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "EC2ThrottledException",
    // Google
    "RATE_LIMIT_EXCEEDED",
    "RESOURCE_EXHAUSTED",
    "rateLimitExceeded",
    "userRateLimitExceeded",
];

impl ApiCall {
    /// The API answered "too many requests": HTTP 429, or a throttling error code (EC2 and
    /// S3 throttle with 503, other AWS query and JSON services with 400).
    pub fn is_throttling(&self) -> bool {
        self.http_status == Some(429)
            || self
                .error_code
                .as_deref()
                .is_some_and(|c| THROTTLING.contains(&c))
    }

    /// Throttling answers by service, for the scan metadata (`scan.throttled`); empty when
    /// nothing was throttled.
    pub fn throttled_by_service(calls: &[ApiCall]) -> std::collections::BTreeMap<String, u64> {
        let mut out = std::collections::BTreeMap::new();
        for c in calls.iter().filter(|c| c.is_throttling()) {
            *out.entry(c.service.clone()).or_default() += 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(service: &str, status: Option<u16>, code: Option<&str>) -> ApiCall {
        ApiCall {
            provider: Provider::Aws,
            service: service.into(),
            operation: "Op".into(),
            account: None,
            region: None,
            started_at: DateTime::UNIX_EPOCH,
            duration_ms: 1,
            http_status: status,
            request_id: None,
            error_code: code.map(str::to_string),
        }
    }

    #[test]
    fn throttling_answers_are_counted_by_service() {
        let calls = [
            call("EC2", Some(503), Some("RequestLimitExceeded")),
            call("EC2", Some(200), None),
            call("EC2", Some(503), Some("RequestLimitExceeded")),
            call("S3", Some(503), Some("SlowDown")),
            call("KMS", Some(400), Some("ThrottlingException")),
            call("Microsoft.Compute", Some(429), Some("TooManyRequests")),
            call(
                "compute.googleapis.com",
                Some(429),
                Some("RATE_LIMIT_EXCEEDED"),
            ),
            // Not throttling: a denial, a server error, a transport failure.
            call("IAM", Some(403), Some("AccessDenied")),
            call("RDS", Some(500), Some("InternalFailure")),
            call("SNS", None, Some("Timeout")),
        ];
        let by = ApiCall::throttled_by_service(&calls);
        let want: Vec<(&str, u64)> = vec![
            ("EC2", 2),
            ("KMS", 1),
            ("Microsoft.Compute", 1),
            ("S3", 1),
            ("compute.googleapis.com", 1),
        ];
        assert_eq!(
            by.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>(),
            want
        );
    }
}
