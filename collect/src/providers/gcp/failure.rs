//! What a failed request means: the status, the `google.rpc.ErrorInfo` reason (which API is
//! disabled, which permission is missing), how long to wait, and a reason an operator can
//! act on. Built from google-cloud-gax errors (official clients) or from raw JSON error
//! bodies (the Storage JSON API), so both paths report alike.

use std::time::Duration;

use crate::wire::gcp::parse_error;
pub use crate::wire::gcp::without_urls;
use google_cloud_gax::error::rpc::StatusDetails;

use super::api::{Service, MAX_THROTTLED_ATTEMPTS};

/// Why a request failed, after retries.
#[derive(Debug, Clone, Default)]
pub struct Failure {
    pub http_status: Option<u16>,
    /// The canonical status (`PERMISSION_DENIED`, `RESOURCE_EXHAUSTED`, ...).
    pub status: Option<String>,
    /// `google.rpc.ErrorInfo.reason` (`SERVICE_DISABLED`, `IAM_PERMISSION_DENIED`, ...) or
    /// the legacy `errors[0].reason` (`forbidden`, `rateLimitExceeded`).
    pub error_reason: Option<String>,
    /// `ErrorInfo.metadata.service` of a SERVICE_DISABLED error: the API to enable.
    pub disabled_service: Option<String>,
    /// `ErrorInfo.metadata.permission`: the IAM permission that was missing.
    pub permission: Option<String>,
    pub message: String,
    pub request_id: Option<String>,
    /// What the server asked us to wait (`Retry-After`, `RetryInfo.retryDelay`).
    pub retry_after: Option<Duration>,
    /// No HTTP response at all (connection refused, timeout, DNS).
    pub transport: Option<String>,
    pub attempts: u32,
}

impl Failure {
    pub fn retryable(&self) -> bool {
        if self.transport.is_some() {
            return true;
        }
        let throttled_403 = self.http_status == Some(403)
            && self.error_reason.as_deref().is_some_and(|r| {
                matches!(
                    r,
                    "rateLimitExceeded" | "userRateLimitExceeded" | "RATE_LIMIT_EXCEEDED"
                )
            });
        throttled_403 || matches!(self.http_status, Some(429 | 500 | 502 | 503 | 504))
    }

    /// The API said "too many requests" (429, `RESOURCE_EXHAUSTED`, a rate-limit reason).
    pub fn throttled(&self) -> bool {
        self.http_status == Some(429)
            || self.status.as_deref() == Some("RESOURCE_EXHAUSTED")
            || self.error_reason.as_deref().is_some_and(|r| {
                r.eq_ignore_ascii_case("rateLimitExceeded")
                    || r.eq_ignore_ascii_case("userRateLimitExceeded")
                    || r == "RATE_LIMIT_EXCEEDED"
            })
    }

    /// The short code logged in [`ApiCall::error_code`].
    pub fn code(&self) -> String {
        if let Some(t) = &self.transport {
            return t.clone();
        }
        self.error_reason
            .clone()
            .or_else(|| self.status.clone())
            .unwrap_or_else(|| match self.http_status {
                Some(s) => format!("HTTP_{s}"),
                None => "UNKNOWN".into(),
            })
    }

    /// What went wrong for `project`, in words an operator can act on.
    pub fn reason(&self, service: Service, operation: &str, project: &str) -> String {
        let what = format!("{}.{operation}", service_short(service));
        let message = one_line(&self.message);
        if self.error_reason.as_deref() == Some("SERVICE_DISABLED") {
            let api = self
                .disabled_service
                .clone()
                .unwrap_or_else(|| service.api().to_string());
            let title = Service::ALL
                .iter()
                .find(|s| s.api() == api)
                .map(|s| s.title())
                .unwrap_or("API");
            return format!(
                "SERVICE_DISABLED: the {title} ({api}) is not enabled in project {project}, so {what} failed; \
                 enable it with `gcloud services enable {api} --project {project}`"
            );
        }
        if self.throttled() && self.attempts >= MAX_THROTTLED_ATTEMPTS {
            return format!(
                "RESOURCE_EXHAUSTED: {what} was still throttled after {} attempts: {message}",
                self.attempts
            );
        }
        if let Some(t) = &self.transport {
            return format!(
                "{t}: {what} got no response after {} attempts: {message}",
                self.attempts
            );
        }
        let status = self
            .status
            .clone()
            .or_else(|| self.http_status.and_then(canonical).map(str::to_string))
            .or_else(|| self.http_status.map(|s| format!("HTTP {s}")))
            .unwrap_or_else(|| "error".into());
        let missing = match &self.permission {
            Some(p) => format!(" (missing permission {p})"),
            None => String::new(),
        };
        format!("{status}: {what} was refused{missing}: {message}")
    }
}

/// The canonical status of an HTTP status, for error bodies that carry none (Cloud
/// Storage, older Compute errors).
fn canonical(http: u16) -> Option<&'static str> {
    Some(match http {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        429 => "RESOURCE_EXHAUSTED",
        500 => "INTERNAL",
        501 => "UNIMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => return None,
    })
}

fn service_short(service: Service) -> &'static str {
    match service {
        Service::ResourceManager => "cloudresourcemanager",
        Service::Compute => "compute",
        Service::SqlAdmin => "sql",
        Service::Storage => "storage",
        Service::Kms => "cloudkms",
        Service::Logging => "logging",
        Service::Spanner => "spanner",
        Service::Firestore => "firestore",
        Service::PubSub => "pubsub",
        Service::BigQuery => "bigquery",
        Service::Redis => "redis",
        Service::Iam => "iam",
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `Retry-After` header, in seconds (the HTTP-date form is not used by Google APIs).
fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

impl From<&google_cloud_gax::error::Error> for Failure {
    fn from(e: &google_cloud_gax::error::Error) -> Self {
        let mut f = Failure {
            http_status: e.http_status_code(),
            retry_after: e.http_headers().and_then(retry_after),
            ..Failure::default()
        };
        if let Some(status) = e.status() {
            f.status = status.code.name().to_string().into();
            f.message = status.message.clone();
            for d in &status.details {
                match d {
                    StatusDetails::ErrorInfo(info) => {
                        if f.error_reason.is_none() && !info.reason.is_empty() {
                            f.error_reason = Some(info.reason.clone());
                        }
                        if let Some(s) = info.metadata.get("service") {
                            f.disabled_service.get_or_insert_with(|| s.clone());
                        }
                        if let Some(p) = info.metadata.get("permission") {
                            f.permission.get_or_insert_with(|| p.clone());
                        }
                    }
                    StatusDetails::RetryInfo(r) => {
                        if let Some(d) = &r.retry_delay {
                            let secs = u64::try_from(d.seconds()).unwrap_or(0);
                            f.retry_after.get_or_insert(Duration::from_secs(secs));
                        }
                    }
                    StatusDetails::RequestInfo(r) if !r.request_id.is_empty() => {
                        f.request_id = Some(r.request_id.clone());
                    }
                    _ => {}
                }
            }
            // Legacy bodies (Cloud Storage) carry no status string and gax then says UNKNOWN,
            // which would hide the HTTP status in messages.
            if f.status.as_deref() == Some("UNKNOWN") && f.http_status.is_some() {
                f.status = None;
            }
        } else if let Some(payload) = e.http_payload() {
            f.merge_body(payload);
        }
        if f.http_status.is_none() && e.status().is_none() {
            f.transport = Some(
                if e.is_timeout() {
                    "Timeout"
                } else if e.is_connect() {
                    "ConnectError"
                } else if e.is_authentication() {
                    "CredentialsError"
                } else if e.is_deserialization() {
                    "MalformedResponse"
                } else {
                    "TransportError"
                }
                .to_string(),
            );
            // Credential and decoding problems do not get better by retrying.
            if e.is_authentication() || e.is_deserialization() || e.is_binding() {
                f.transport = None;
                f.status = Some(
                    if e.is_authentication() {
                        "CredentialsError"
                    } else {
                        "MalformedResponse"
                    }
                    .to_string(),
                );
            }
            // The transport's message names the request URL, query string included.
            f.message = without_urls(&e.to_string());
        }
        f
    }
}

impl Failure {
    /// Fill the fields from a raw error body (Storage JSON API, or a payload the client
    /// could not parse). Facts the client already found (from typed details) win.
    pub fn merge_body(&mut self, body: &[u8]) {
        let Some(e) = parse_error(body) else {
            self.message = String::from_utf8_lossy(body).chars().take(300).collect();
            return;
        };
        self.message = e.message;
        self.status = e.status.or(self.status.take());
        if let Some(r) = e.error_info_reason {
            self.error_reason.get_or_insert(r);
        }
        if let Some(s) = e.disabled_service {
            self.disabled_service.get_or_insert(s);
        }
        if let Some(p) = e.permission {
            self.permission.get_or_insert(p);
        }
        if e.request_id.is_some() {
            self.request_id = e.request_id;
        }
        if self.error_reason.is_none() {
            self.error_reason = e.legacy_reason;
        }
    }
}

#[cfg(test)]
mod tests;
