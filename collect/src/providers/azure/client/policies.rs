//! The pipeline policies the client adds to azure_core's: the per-attempt ApiCall log and
//! the bounded retry that honours `Retry-After`.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use azure_core::http::headers::HeaderName;
use azure_core::http::policies::{Policy, PolicyResult, RetryHeaders, RetryPolicy};
use azure_core::http::{AsyncRawResponse, Context, Request, StatusCode};
use azure_core::time::Duration;
use chrono::Utc;

use super::error::default_code;
use super::{Op, MAX_RETRIES};
use crate::model::{ApiCall, Provider};
use crate::wire::arm::error_detail;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-request-id");

/// Per-attempt ApiCall log (a per-try policy, so retries show).
#[derive(Debug)]
pub(super) struct CallLog {
    pub(super) log: Arc<Mutex<Vec<ApiCall>>>,
}

#[async_trait::async_trait]
impl Policy for CallLog {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let op = ctx.value::<Op>().cloned();
        let started_at = Utc::now();
        let clock = Instant::now();
        // Per attempt, so a hung call is abandoned and retried like a transport error.
        let result = match tokio::time::timeout(
            crate::providers::call_timeout(),
            next[0].send(ctx, request, &next[1..]),
        )
        .await
        {
            Ok(r) => r,
            Err(_) => Err(azure_core::Error::with_message(
                azure_core::error::ErrorKind::Io,
                format!(
                    "no answer within {} s (--call-timeout)",
                    crate::providers::call_timeout().as_secs()
                ),
            )),
        };
        let record =
            |status: Option<u16>, request_id: Option<String>, error_code: Option<String>| {
                let call = ApiCall {
                    provider: Provider::Azure,
                    service: op.as_ref().map_or("ARM", |o| o.service).to_string(),
                    operation: op.as_ref().map_or("Unknown", |o| o.operation).to_string(),
                    account: op.as_ref().and_then(|o| o.subscription.clone()),
                    region: op.as_ref().and_then(|o| o.region.clone()),
                    started_at,
                    duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
                    http_status: status,
                    request_id,
                    error_code,
                };
                crate::progress::api_call(&call);
                if let Ok(mut log) = self.log.lock() {
                    log.push(call);
                }
            };
        match result {
            Err(e) => {
                record(None, None, Some("TransportError".into()));
                Err(e)
            }
            Ok(response) => {
                let status = response.status();
                let code = u16::from(status);
                let request_id = response
                    .headers()
                    .get_optional_str(&REQUEST_ID)
                    .map(str::to_string);
                if status.is_success() {
                    record(Some(code), request_id, None);
                    return Ok(response);
                }
                // Error bodies are small: read one to log ARM's error code, then hand on a copy.
                let (status, headers, body) = response.deconstruct();
                let bytes = match body.collect().await {
                    Ok(b) => b,
                    Err(e) => {
                        record(Some(code), request_id, Some("TransportError".into()));
                        return Err(e);
                    }
                };
                let error_code = error_detail(&bytes).0.unwrap_or_else(|| default_code(code));
                record(Some(code), request_id, Some(error_code));
                Ok(AsyncRawResponse::from_bytes(status, headers, bytes))
            }
        }
    }
}

/// A bounded retry policy that honours `Retry-After`, capped (see the module doc).
#[derive(Debug)]
pub(super) struct ArmRetry {
    pub(super) max_wait: Duration,
    pub(super) headers: RetryHeaders,
}

#[async_trait::async_trait]
impl RetryPolicy for ArmRetry {
    fn is_expired(&self, _since_start: Duration, retry_count: u32) -> bool {
        retry_count >= MAX_RETRIES
    }

    fn retry_headers(&self) -> Option<&RetryHeaders> {
        Some(&self.headers)
    }

    fn retry_status_codes(&self) -> &[StatusCode] {
        // Empty: the default set (408, 429, 500, 502, 503, 504).
        &[]
    }

    fn sleep_duration(&self, retry_count: u32) -> Duration {
        let ms = 500i64.saturating_mul(1 << retry_count.saturating_sub(1).min(4));
        Duration::milliseconds(ms).min(self.max_wait)
    }

    async fn wait(&self, retry_count: u32, retry_after: Option<Duration>) {
        let wait = retry_after
            .unwrap_or_else(|| self.sleep_duration(retry_count))
            .clamp(Duration::ZERO, self.max_wait);
        azure_core::sleep(wait).await;
    }
}
