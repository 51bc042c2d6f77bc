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
//! - Raw evidence ([`crate::raw`]): with it on, every successful body (an object, or a list
//!   page) is kept with its operation, request id and the URL's path segments; off, nothing is
//!   copied. Linking splits pages into their `value[]` items afterwards.
//! - Retries: at most [`MAX_RETRIES`] for 408/429/5xx and transport errors; the wait is the
//!   server's `Retry-After` (`x-ms-retry-after-ms`, `retry-after-ms` or `Retry-After`) when it
//!   sent one, capped at `max_retry_after`, else an exponential backoff. A 429 still there
//!   after the last retry becomes a collection error ("throttled"), never an empty list.

mod error;
mod policies;
#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use azure_core::http::headers::{RETRY_AFTER, RETRY_AFTER_MS, X_MS_RETRY_AFTER_MS};
use azure_core::http::policies::{Policy, RetryHeaders};
use azure_core::http::{
    ClientOptions, Context, Method, Pipeline, PipelineSendOptions, Request, RetryOptions, Url,
};
use azure_core::time::Duration;
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;

use crate::wire::arm::{error_detail, next_url, redact_urls, Page};
use error::default_code;
pub use error::ArmError;
use policies::{ArmRetry, CallLog};

use crate::model::ApiCall;

/// Retries after the first attempt, for throttling, server errors and transport errors.
pub const MAX_RETRIES: u32 = 3;
/// Pages of one list before phiscan gives up (a `nextLink` loop would otherwise never end).
const MAX_PAGES: usize = 1000;

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

/// The ARM client for one scan.
pub struct Arm {
    pipeline: Pipeline,
    /// The endpoint, without a trailing slash: `https://management.azure.com`.
    base: Url,
    overridden: bool,
    limit: Arc<Semaphore>,
    log: Arc<Mutex<Vec<ApiCall>>>,
    raw: crate::raw::Store,
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
            raw: crate::raw::Store::default(),
        }
    }

    /// The calls made so far, in the order they started.
    pub fn calls(&self) -> Vec<ApiCall> {
        let mut calls = self.log.lock().map(|l| l.clone()).unwrap_or_default();
        calls.sort_by_key(|c| c.started_at);
        calls
    }

    /// The raw responses kept so far.
    pub fn take_raw(&self) -> Vec<crate::raw::Captured> {
        self.raw.take()
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

    /// GET the first page of an ARM list and nothing more (`phiscan doctor`'s probes).
    pub async fn first_page(
        &self,
        path: &str,
        api_version: &str,
        query: &[(&str, &str)],
        op: &Op,
    ) -> Result<(), ArmError> {
        self.send(self.url(path, api_version, query), op)
            .await
            .map(|_| ())
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
        next_url(&self.base, self.overridden, next, api_version)
            .map_err(|e| ArmError::unexpected(op.operation, e))
    }

    async fn send(&self, url: Url, op: &Op) -> Result<azure_core::Bytes, ArmError> {
        let _permit =
            self.limit.acquire().await.map_err(|_| {
                ArmError::unexpected(op.operation, "the request limiter was closed")
            })?;
        let started_at = chrono::Utc::now();
        // An ARM path is the id of what it reads: a settings list (`.../pricings`) names
        // nothing else.
        let asked = crate::raw::capturing().then(|| {
            let mut names = crate::raw::url_names(url.as_str(), &["api-version", "$skiptoken"]);
            names.push(url.path().to_string());
            names
        });
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
        let request_id = response
            .headers()
            .get_optional_str(&azure_core::http::headers::HeaderName::from_static(
                "x-ms-request-id",
            ))
            .map(str::to_string);
        let body = response.into_body();
        if (200..300).contains(&status) {
            if let Some(asked) = asked {
                if let Ok(v) = serde_json::from_slice(body.as_ref()) {
                    self.raw.push(crate::raw::Captured {
                        provider: crate::model::Provider::Azure,
                        account: op.subscription.clone(),
                        region: op.region.clone(),
                        service: op.service.to_string(),
                        operation: op.operation.to_string(),
                        request_id,
                        time: started_at,
                        asked,
                        body: v,
                    });
                }
            }
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
