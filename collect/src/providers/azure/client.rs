//! The ARM client: azure_core's HTTP pipeline (user agent, client request ids, retries that
//! honour `Retry-After`) with phiscan's own per-attempt ApiCall log, bounded concurrency, and
//! `nextLink` pagination.
//!
//! Decisions a newcomer may question:
//! - One `GET` helper, no generated clients: the official SDK has no management-plane crates
//!   for these resource types, so each service file declares small serde models of exactly
//!   the ARM fields phiscan reads, and this client only knows URLs, pages and errors.
//! - Every HTTP attempt is one [`ApiCall`] (the log policy sits after the retry policy), so a
//!   429 followed by a 200 shows as two calls. The log holds the service, the ARM operation
//!   id, the subscription, `x-ms-request-id`, the status, the duration and the ARM error
//!   code: never a URL (query strings), a header other than the request id, or a body.
//! - `nextLink` is followed as ARM returns it, with one exception: when the endpoint is
//!   overridden (`--azure-endpoint`), its scheme, host and port are replaced by the override's.
//!   ARM writes absolute links to the host it thinks it serves (`https://management.azure.com`);
//!   behind a proxy, a private ARM endpoint or the test replay server, following them verbatim
//!   would send the bearer token, and the scan, to another host than the one the user chose.
//!   Without an override, a `nextLink` to any other origin than the endpoint is refused for
//!   the same reason.
//! - Retries: at most [`MAX_RETRIES`] for 408/429/5xx and transport errors; the wait is the
//!   server's `Retry-After` (`x-ms-retry-after-ms`, `retry-after-ms` or `Retry-After`) when it
//!   sent one, capped at `max_retry_after`, else an exponential backoff. A 429 still there
//!   after the last retry becomes a collection error ("throttled"), never an empty list.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use azure_core::http::headers::{HeaderName, RETRY_AFTER, RETRY_AFTER_MS, X_MS_RETRY_AFTER_MS};
use azure_core::http::policies::{Policy, PolicyResult, RetryHeaders, RetryPolicy};
use azure_core::http::{
    AsyncRawResponse, ClientOptions, Context, Method, Pipeline, PipelineSendOptions, Request,
    RetryOptions, StatusCode, Url,
};
use azure_core::time::Duration;
use chrono::Utc;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use tokio::sync::Semaphore;

use crate::model::{ApiCall, Provider};

/// Retries after the first attempt, for throttling, server errors and transport errors.
pub const MAX_RETRIES: u32 = 3;
/// Pages of one list before phiscan gives up (a `nextLink` loop would otherwise never end).
const MAX_PAGES: usize = 1000;
const REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-request-id");

/// What a request is, for the ApiCall log and error messages.
#[derive(Debug, Clone)]
pub struct Op {
    /// The resource provider namespace (`Microsoft.Compute`).
    pub service: &'static str,
    /// The ARM operation id (`Disks_List`).
    pub operation: &'static str,
    pub subscription: Option<String>,
    pub region: Option<String>,
}

impl Op {
    pub fn new(service: &'static str, operation: &'static str, subscription: &str) -> Op {
        Op {
            service,
            operation,
            subscription: Some(subscription.to_string()),
            region: None,
        }
    }

    pub fn in_region(mut self, region: &str) -> Op {
        self.region = Some(region.to_string());
        self
    }
}

/// A request that did not produce the data: an ARM error response, or no response at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmError {
    /// `None` when no response came back.
    pub status: Option<u16>,
    /// ARM's `error.code` (`AuthorizationFailed`), or phiscan's name for what went wrong.
    pub code: String,
    pub message: String,
    pub operation: &'static str,
}

impl ArmError {
    /// The sentence a CollectionError carries: what failed, ARM's own words, what to do.
    pub fn reason(&self) -> String {
        let status = self
            .status
            .map_or(String::new(), |s| format!(" (HTTP {s})"));
        let hint = match (self.status, self.code.as_str()) {
            (Some(429), _) => format!(
                " ARM was still throttling after {MAX_RETRIES} retries that honoured Retry-After; scan again later or with fewer subscriptions at once."
            ),
            (_, "AuthorizationFailed") => " Grant the scanning identity the Reader role (see README, \"Scanning real Azure subscriptions\").".to_string(),
            (_, "MissingSubscriptionRegistration") => format!(
                " The resource provider is not registered in this subscription, so phiscan cannot show what it holds; register it (`az provider register --namespace {}`) or confirm the subscription does not use it.",
                provider_in(&self.message).unwrap_or("<namespace>")
            ),
            _ => String::new(),
        };
        format!(
            "{}{status} on {}: {}.{hint}",
            self.code,
            self.operation,
            self.message.trim_end_matches('.')
        )
    }

    fn unexpected(operation: &'static str, message: impl Into<String>) -> ArmError {
        ArmError {
            status: None,
            code: "UnexpectedResponse".into(),
            message: message.into(),
            operation,
        }
    }
}

/// `Microsoft.DBforMySQL` out of ARM's MissingSubscriptionRegistration message.
fn provider_in(message: &str) -> Option<&str> {
    message
        .split(|c: char| c == '\'' || c == '"' || c.is_whitespace())
        .find(|w| w.starts_with("Microsoft.") && w.len() > "Microsoft.".len())
        .map(|w| w.trim_end_matches(['.', ',']))
}

/// ARM's error body: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    error: Option<ErrorDetail>,
}

#[derive(Debug, Default, Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

fn error_detail(body: &[u8]) -> (Option<String>, Option<String>) {
    let parsed: ErrorBody = serde_json::from_slice(body).unwrap_or_default();
    match parsed.error {
        Some(e) => (e.code, e.message),
        None => (None, None),
    }
}

/// One page of an ARM list.
#[derive(Debug, Deserialize)]
struct Page<T> {
    #[serde(default = "Vec::new")]
    value: Vec<T>,
    #[serde(default, rename = "nextLink")]
    next_link: Option<String>,
}

/// The ARM client for one scan.
pub struct Arm {
    pipeline: Pipeline,
    /// The endpoint, without a trailing slash: `https://management.azure.com`.
    base: Url,
    overridden: bool,
    limit: Arc<Semaphore>,
    log: Arc<Mutex<Vec<ApiCall>>>,
}

/// How the client is built; see `auth.rs` for the authorization policy.
pub struct ArmConfig {
    pub base: Url,
    pub overridden: bool,
    pub auth: Arc<dyn Policy>,
    pub max_concurrency: usize,
    pub max_retry_after: std::time::Duration,
}

impl Arm {
    pub fn new(config: ArmConfig) -> Arm {
        let log = Arc::new(Mutex::new(Vec::new()));
        let options = ClientOptions {
            // Per try: authorize each attempt (a refreshed token on retry), then log it.
            per_try_policies: vec![config.auth, Arc::new(CallLog { log: log.clone() })],
            retry: RetryOptions::custom(Arc::new(ArmRetry {
                max_wait: Duration::try_from(config.max_retry_after)
                    .unwrap_or(Duration::seconds(60)),
                headers: RetryHeaders {
                    retry_headers: vec![X_MS_RETRY_AFTER_MS, RETRY_AFTER_MS, RETRY_AFTER],
                },
            })),
            ..Default::default()
        };
        let pipeline = Pipeline::new(
            Some("phiscan"),
            Some(env!("CARGO_PKG_VERSION")),
            options,
            Vec::new(),
            Vec::new(),
            None,
        );
        Arm {
            pipeline,
            base: config.base,
            overridden: config.overridden,
            limit: Arc::new(Semaphore::new(config.max_concurrency.max(1))),
            log,
        }
    }

    /// The calls made so far, in the order they started.
    pub fn calls(&self) -> Vec<ApiCall> {
        let mut calls = self.log.lock().map(|l| l.clone()).unwrap_or_default();
        calls.sort_by_key(|c| c.started_at);
        calls
    }

    /// `{base}{path}?api-version={version}` plus `query`. `path` is an ARM path or id.
    pub fn url(&self, path: &str, api_version: &str, query: &[(&str, &str)]) -> Url {
        let mut url = self.base.clone();
        let base_path = url.path().trim_end_matches('/').to_string();
        url.set_path(&format!("{base_path}{path}"));
        // Percent-encoding with %20 for spaces (OData `$filter`), not form encoding's `+`.
        let mut q = format!("api-version={}", encode(api_version));
        for (k, v) in query {
            q.push_str(&format!("&{}={}", encode(k), encode(v)));
        }
        url.set_query(Some(&q));
        url
    }

    /// GET one ARM object.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        api_version: &str,
        op: &Op,
    ) -> Result<T, ArmError> {
        let body = self.send(self.url(path, api_version, &[]), op).await?;
        serde_json::from_slice(&body).map_err(|e| {
            ArmError::unexpected(
                op.operation,
                format!("the response is not the expected JSON ({e})"),
            )
        })
    }

    /// GET every item of an ARM list, following `nextLink`.
    pub async fn list<T: DeserializeOwned>(
        &self,
        path: &str,
        api_version: &str,
        query: &[(&str, &str)],
        op: &Op,
    ) -> Result<Vec<T>, ArmError> {
        let mut url = self.url(path, api_version, query);
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for _ in 0..MAX_PAGES {
            let body = self.send(url.clone(), op).await?;
            let page: Page<T> = serde_json::from_slice(&body).map_err(|e| {
                ArmError::unexpected(
                    op.operation,
                    format!("a page is not the expected JSON ({e})"),
                )
            })?;
            out.extend(page.value);
            match page.next_link.filter(|l| !l.trim().is_empty()) {
                None => return Ok(out),
                Some(next) => {
                    url = self.follow(&next, api_version, op)?;
                    if !seen.insert(url.to_string()) {
                        return Err(ArmError::unexpected(
                            op.operation,
                            "nextLink repeats a page already read",
                        ));
                    }
                }
            }
        }
        Err(ArmError::unexpected(
            op.operation,
            format!("the list has more than {MAX_PAGES} pages"),
        ))
    }

    /// The URL to fetch for a `nextLink` (see the module doc for the override rewrite).
    fn follow(&self, next: &str, api_version: &str, op: &Op) -> Result<Url, ArmError> {
        let mut url = Url::parse(next).map_err(|e| {
            ArmError::unexpected(op.operation, format!("nextLink is not a URL ({e})"))
        })?;
        if self.overridden {
            let _ = url.set_scheme(self.base.scheme());
            let _ = url.set_host(self.base.host_str());
            let _ = url.set_port(self.base.port());
        } else if url.origin() != self.base.origin() {
            return Err(ArmError::unexpected(
                op.operation,
                format!(
                    "nextLink points to another host ({}) than the ARM endpoint; phiscan does not send credentials there",
                    url.host_str().unwrap_or("none")
                ),
            ));
        }
        if !url.query_pairs().any(|(k, _)| k == "api-version") {
            url.query_pairs_mut()
                .append_pair("api-version", api_version);
        }
        Ok(url)
    }

    async fn send(&self, url: Url, op: &Op) -> Result<azure_core::Bytes, ArmError> {
        let _permit =
            self.limit.acquire().await.map_err(|_| {
                ArmError::unexpected(op.operation, "the request limiter was closed")
            })?;
        let mut request = Request::new(url, Method::Get);
        request.insert_header("accept", "application/json");
        let ctx = Context::new().with_value(op.clone());
        let options = PipelineSendOptions {
            skip_checks: true,
            ..Default::default()
        };
        let response = self
            .pipeline
            .send(&ctx, &mut request, Some(options))
            .await
            .map_err(|e| ArmError {
                status: None,
                // No request was sent when the credential could not give a token.
                code: match e.kind() {
                    azure_core::error::ErrorKind::Credential => "CredentialUnavailable",
                    _ => "TransportError",
                }
                .into(),
                message: redact_urls(&e.to_string()),
                operation: op.operation,
            })?;
        let status = u16::from(response.status());
        let body = response.into_body();
        if (200..300).contains(&status) {
            return Ok(azure_core::Bytes::copy_from_slice(body.as_ref()));
        }
        let (code, message) = error_detail(body.as_ref());
        Err(ArmError {
            status: Some(status),
            code: code.unwrap_or_else(|| default_code(status)),
            message: message.unwrap_or_else(|| "ARM gave no error message".to_string()),
            operation: op.operation,
        })
    }
}

/// Query component encoding: unreserved characters and `$` as they are, the rest `%XX`.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'$' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn default_code(status: u16) -> String {
    match status {
        429 => "TooManyRequests".into(),
        403 => "Forbidden".into(),
        404 => "NotFound".into(),
        s => format!("HTTP{s}"),
    }
}

/// Transport errors name the URL; keep scheme, host and path, drop the query.
fn redact_urls(text: &str) -> String {
    text.split(' ')
        .map(|w| match w.find("http") {
            Some(i) if w[i..].starts_with("http://") || w[i..].starts_with("https://") => {
                match w.find('?') {
                    Some(q) => format!("{}{}", &w[..q], if w.ends_with(')') { ")" } else { "" }),
                    None => w.to_string(),
                }
            }
            _ => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Per-attempt ApiCall log (a per-try policy, so retries show).
#[derive(Debug)]
struct CallLog {
    log: Arc<Mutex<Vec<ApiCall>>>,
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
            super::super::call_timeout(),
            next[0].send(ctx, request, &next[1..]),
        )
        .await
        {
            Ok(r) => r,
            Err(_) => Err(azure_core::Error::with_message(
                azure_core::error::ErrorKind::Io,
                format!(
                    "no answer within {} s (--call-timeout)",
                    super::super::call_timeout().as_secs()
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
struct ArmRetry {
    max_wait: Duration,
    headers: RetryHeaders,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_name_the_code_and_what_to_do() {
        let e = ArmError {
            status: Some(409),
            code: "MissingSubscriptionRegistration".into(),
            message: "The subscription is not registered to use namespace 'Microsoft.DBforMySQL'. See https://aka.ms/rps-not-found for how to register subscriptions.".into(),
            operation: "Servers_List",
        };
        let r = e.reason();
        assert!(
            r.starts_with("MissingSubscriptionRegistration (HTTP 409) on Servers_List"),
            "{r}"
        );
        assert!(
            r.contains("az provider register --namespace Microsoft.DBforMySQL"),
            "{r}"
        );
        let throttled = ArmError {
            status: Some(429),
            code: "TooManyRequests".into(),
            message: "slow down".into(),
            operation: "Vaults_List",
        };
        assert!(throttled
            .reason()
            .contains("still throttling after 3 retries"));
    }

    #[derive(Debug)]
    struct NoAuth;

    #[async_trait::async_trait]
    impl Policy for NoAuth {
        async fn send(
            &self,
            ctx: &Context,
            req: &mut Request,
            next: &[Arc<dyn Policy>],
        ) -> PolicyResult {
            next[0].send(ctx, req, &next[1..]).await
        }
    }

    fn arm(base: &str, overridden: bool) -> Arm {
        Arm::new(ArmConfig {
            base: Url::parse(base).unwrap(),
            overridden,
            auth: Arc::new(NoAuth),
            max_concurrency: 1,
            max_retry_after: std::time::Duration::from_secs(1),
        })
    }

    #[test]
    fn next_links_stay_on_the_chosen_endpoint() {
        let op = Op::new("Microsoft.Compute", "Disks_List", "s");
        let next = "https://management.azure.com/subscriptions/s/providers/Microsoft.Compute/disks?api-version=2025-01-02&$skiptoken=abc";
        let over = arm("http://127.0.0.1:8080", true);
        assert_eq!(
            over.follow(next, "2025-01-02", &op).unwrap().as_str(),
            "http://127.0.0.1:8080/subscriptions/s/providers/Microsoft.Compute/disks?api-version=2025-01-02&$skiptoken=abc"
        );
        let public = arm("https://management.azure.com", false);
        assert!(public.follow(next, "2025-01-02", &op).is_ok());
        let e = public
            .follow("https://elsewhere.example/x?api-version=1", "1", &op)
            .unwrap_err();
        assert!(e.message.contains("another host"), "{e:?}");
        // A link without api-version gets the pinned one.
        let url = public
            .follow(
                "https://management.azure.com/x?$skiptoken=1",
                "2025-01-02",
                &op,
            )
            .unwrap();
        assert!(url.as_str().ends_with("api-version=2025-01-02"), "{url}");
        assert_eq!(
            public.url("/v/items", "2025-02-01", &[("$filter", "type eq 'VM'")]).as_str(),
            "https://management.azure.com/v/items?api-version=2025-02-01&$filter=type%20eq%20%27VM%27"
        );
    }

    #[test]
    fn transport_errors_lose_their_query_strings() {
        let s = redact_urls("error sending request for url (http://127.0.0.1:1/subscriptions?api-version=2022-12-01&$skiptoken=abc)");
        assert_eq!(
            s,
            "error sending request for url (http://127.0.0.1:1/subscriptions)"
        );
    }
}
