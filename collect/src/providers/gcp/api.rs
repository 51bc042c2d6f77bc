//! The scan's shared state and the one way every GCP request is made: [`Gcp::call`].
//!
//! `call` runs one logical request (a page of a list, one getIamPolicy) under the
//! service's concurrency limit, logs every HTTP attempt as an [`ApiCall`], retries
//! throttling (429, and 403 `rateLimitExceeded` from older APIs), server errors (5xx) and
//! broken connections with backoff, and turns the final failure into a [`Failure`] whose
//! [`Failure::reason`] an operator can act on (which API to enable, which permission is
//! missing).
//!
//! Why phiscan retries and the clients do not: google-cloud-rust's own retry loop hides
//! the attempts, and the call log must show each one. The official clients are built with
//! `NeverRetry`, so one `send()` is one HTTP attempt, and this module owns the loop. The
//! delay honours `Retry-After` and `google.rpc.RetryInfo`, capped at [`MAX_DELAY`].
//! Raw evidence (bodies kept for the bundle): [`capture`].

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use google_cloud_auth::credentials::Credentials;
use tokio::sync::Semaphore;

mod capture;

use super::failure::Failure;
use super::Clients;
use crate::model::{ApiCall, CollectionError, Inventory, Provider, ResourceKind};
use capture::{CallInfo, CALL};

/// Attempts per request (the first one and three retries).
pub const MAX_ATTEMPTS: u32 = 4;
/// Attempts per request while the API throttles it: a quota refills over seconds, and a
/// request given up is an ERROR of what it collects.
pub const MAX_THROTTLED_ATTEMPTS: u32 = 10;
/// Longest wait between attempts, whatever the server asks for.
pub const MAX_DELAY: Duration = Duration::from_secs(30);
/// First backoff when the server gives no delay; doubles per attempt.
const BASE_DELAY: Duration = Duration::from_millis(500);
/// Requests in flight per service.
pub const PER_SERVICE: usize = 8;

/// The Google APIs phiscan calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Service {
    ResourceManager,
    Compute,
    SqlAdmin,
    Storage,
    Kms,
    Logging,
    Spanner,
    Firestore,
    PubSub,
    BigQuery,
    Redis,
    Iam,
}

impl Service {
    pub const ALL: [Service; 12] = [
        Service::ResourceManager,
        Service::Compute,
        Service::SqlAdmin,
        Service::Storage,
        Service::Kms,
        Service::Logging,
        Service::Spanner,
        Service::Firestore,
        Service::PubSub,
        Service::BigQuery,
        Service::Redis,
        Service::Iam,
    ];

    /// The API's service name, as `gcloud services enable` wants it.
    pub fn api(self) -> &'static str {
        match self {
            Service::ResourceManager => "cloudresourcemanager.googleapis.com",
            Service::Compute => "compute.googleapis.com",
            Service::SqlAdmin => "sqladmin.googleapis.com",
            Service::Storage => "storage.googleapis.com",
            Service::Kms => "cloudkms.googleapis.com",
            Service::Logging => "logging.googleapis.com",
            Service::Spanner => "spanner.googleapis.com",
            Service::Firestore => "firestore.googleapis.com",
            Service::PubSub => "pubsub.googleapis.com",
            Service::BigQuery => "bigquery.googleapis.com",
            Service::Redis => "redis.googleapis.com",
            Service::Iam => "iam.googleapis.com",
        }
    }

    /// The API's product name, for messages.
    pub fn title(self) -> &'static str {
        match self {
            Service::ResourceManager => "Cloud Resource Manager API",
            Service::Compute => "Compute Engine API",
            Service::SqlAdmin => "Cloud SQL Admin API",
            Service::Storage => "Cloud Storage JSON API",
            Service::Kms => "Cloud Key Management Service (KMS) API",
            Service::Logging => "Cloud Logging API",
            Service::Spanner => "Cloud Spanner API",
            Service::Firestore => "Cloud Firestore API",
            Service::PubSub => "Cloud Pub/Sub API",
            Service::BigQuery => "BigQuery API",
            Service::Redis => "Google Cloud Memorystore for Redis API",
            Service::Iam => "Identity and Access Management (IAM) API",
        }
    }

    /// The default endpoint, replaced as a whole by `--gcp-endpoint`.
    pub fn default_endpoint(self) -> String {
        format!("https://{}", self.api())
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The scan's shared state: credentials, endpoints, limits, the call log and the
/// inventory being filled.
pub(crate) struct Gcp {
    pub(crate) creds: Credentials,
    pub(crate) clients: Clients,
    /// `--gcp-endpoint`: one base URL for every service.
    pub(crate) endpoint: Option<String>,
    /// For the Storage JSON API; the official clients have their own pools.
    pub(crate) http: reqwest::Client,
    limits: Vec<Arc<Semaphore>>,
    log: Mutex<Vec<ApiCall>>,
    raw: crate::raw::Store,
    out: Mutex<Inventory>,
}

impl Gcp {
    pub fn new(
        creds: Credentials,
        endpoint: Option<String>,
        clients: Clients,
    ) -> Result<Gcp, String> {
        let http = reqwest::Client::builder()
            .timeout(super::super::call_timeout())
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Gcp {
            creds,
            clients,
            endpoint: endpoint.map(|e| e.trim_end_matches('/').to_string()),
            http,
            limits: Service::ALL
                .iter()
                .map(|_| Arc::new(Semaphore::new(PER_SERVICE)))
                .collect(),
            log: Mutex::new(Vec::new()),
            raw: crate::raw::Store::default(),
            out: Mutex::new(Inventory::new()),
        })
    }

    /// The base URL of `service`: the override, or `https://<service>.googleapis.com`.
    pub fn endpoint(&self, service: Service) -> String {
        self.endpoint
            .clone()
            .unwrap_or_else(|| service.default_endpoint())
    }

    /// Run one logical request: `attempt` is called once per HTTP attempt.
    pub async fn call<T, F, Fut>(
        &self,
        service: Service,
        operation: &'static str,
        project: &str,
        region: Option<&str>,
        mut attempt: F,
    ) -> Result<T, Failure>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Failure>>,
    {
        let mut n = 0;
        loop {
            n += 1;
            let started_at = Utc::now();
            let clock = Instant::now();
            let result = {
                let _permit = self.limits[service.index()]
                    .acquire()
                    .await
                    .expect("semaphores are never closed");
                let info = CallInfo::new(service, operation, project, region, started_at);
                CALL.scope(info, attempt()).await
            };
            // The official clients hand back the decoded body only, so a success is logged
            // as 200: every method called here answers 200 OK on success.
            let mut call = ApiCall {
                provider: Provider::Gcp,
                service: service.api().to_string(),
                operation: operation.to_string(),
                account: Some(project.to_string()),
                region: region.map(str::to_string),
                started_at,
                duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
                http_status: Some(200),
                request_id: None,
                error_code: None,
            };
            match result {
                Ok(v) => {
                    self.record(call);
                    return Ok(v);
                }
                Err(mut f) => {
                    f.attempts = n;
                    call.http_status = f.http_status;
                    call.request_id = f.request_id.clone();
                    call.error_code = Some(f.code());
                    self.record(call);
                    let limit = if f.throttled() {
                        MAX_THROTTLED_ATTEMPTS
                    } else {
                        MAX_ATTEMPTS
                    };
                    if !f.retryable() || n >= limit {
                        return Err(f);
                    }
                    let backoff = jittered(BASE_DELAY * 2u32.pow((n - 1).min(6)));
                    tokio::time::sleep(f.retry_after.unwrap_or(backoff).min(MAX_DELAY)).await;
                }
            }
        }
    }

    /// [`Gcp::call`] for an official client's `send()`.
    pub async fn send<T, F, Fut>(
        &self,
        service: Service,
        operation: &'static str,
        project: &str,
        region: Option<&str>,
        mut attempt: F,
    ) -> Result<T, Failure>
    where
        T: serde::Serialize,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, google_cloud_gax::error::Error>>,
    {
        let started_at = Utc::now();
        let v = self
            .call(service, operation, project, region, || {
                let fut = attempt();
                async move { fut.await.map_err(|e| Failure::from(&e)) }
            })
            .await?;
        if crate::raw::capturing() {
            if let Ok(body) = serde_json::to_value(&v) {
                let info = CallInfo::new(service, operation, project, region, started_at);
                self.keep(&info, Vec::new(), body);
            }
        }
        Ok(v)
    }

    fn record(&self, call: ApiCall) {
        crate::progress::api_call(&call);
        self.log.lock().expect("api log lock").push(call);
    }

    /// Record that `kind` could not be collected in `project` (`region: None`: anywhere).
    pub fn error(&self, project: &str, region: Option<&str>, kind: ResourceKind, reason: String) {
        self.out
            .lock()
            .expect("inventory lock")
            .errors
            .push(CollectionError {
                provider: Provider::Gcp,
                account: project.to_string(),
                region: region.map(str::to_string),
                kind,
                resource: None,
                operation: None,
                reason,
            });
    }

    /// [`Gcp::error`] for a failed request.
    pub fn failed(
        &self,
        kinds: &[ResourceKind],
        project: &str,
        region: Option<&str>,
        service: Service,
        operation: &str,
        f: &Failure,
    ) {
        for &kind in kinds {
            self.error(project, region, kind, f.reason(service, operation, project));
        }
    }

    /// Add collected resources to the inventory.
    pub fn add(&self, f: impl FnOnce(&mut Inventory)) {
        f(&mut self.out.lock().expect("inventory lock"));
    }

    /// The inventory and call log, once every task has finished.
    pub fn finish(&self) -> Inventory {
        let mut inv = std::mem::take(&mut *self.out.lock().expect("inventory lock"));
        let mut calls = std::mem::take(&mut *self.log.lock().expect("api log lock"));
        calls.sort_by(|a, b| {
            (a.started_at, &a.service, &a.operation).cmp(&(b.started_at, &b.service, &b.operation))
        });
        inv.api_calls = calls;
        inv.errors = dedupe(std::mem::take(&mut inv.errors));
        inv
    }

    /// The raw responses kept, once every task has finished.
    pub fn take_raw(&self) -> Vec<crate::raw::Captured> {
        self.raw.take()
    }
}

/// Every item of a list that pages by token (the official clients' `page_token` and
/// `next_page_token`): `page(token)` fetches one page and returns its items and the next
/// token, empty on the last page. The first failure ends the list: `Err` holds the items
/// read before it and the failure.
pub(super) async fn all_pages<T, F, Fut>(mut page: F) -> Result<Vec<T>, (Vec<T>, Failure)>
where
    F: FnMut(String) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, String), Failure>>,
{
    let mut items = Vec::new();
    let mut token = String::new();
    loop {
        match page(token).await {
            Ok((found, next)) => {
                items.extend(found);
                if next.is_empty() {
                    return Ok(items);
                }
                token = next;
            }
            Err(f) => return Err((items, f)),
        }
    }
}

/// One error per (project, region, kind): many keys of one location failing the same way
/// would otherwise make one ERROR finding each. A failed read of one resource stays its own
/// error: folded into the scope's, it would blind every other resource of the kind there.
fn dedupe(errors: Vec<CollectionError>) -> Vec<CollectionError> {
    let (mut out, errors): (Vec<_>, Vec<_>) =
        errors.into_iter().partition(|e| e.resource.is_some());
    let mut by_scope: BTreeMap<(String, Option<String>, ResourceKind), Vec<String>> =
        BTreeMap::new();
    for e in errors {
        let reasons = by_scope.entry((e.account, e.region, e.kind)).or_default();
        if !reasons.contains(&e.reason) {
            reasons.push(e.reason);
        }
    }
    out.extend(
        by_scope
            .into_iter()
            .map(|((account, region, kind), reasons)| {
                let reason = match reasons.len() {
                    0 | 1 => reasons.into_iter().next().unwrap_or_default(),
                    n => format!("{} (and {} other error(s))", reasons[0], n - 1),
                };
                CollectionError {
                    provider: Provider::Gcp,
                    account,
                    region,
                    kind,
                    resource: None,
                    operation: None,
                    reason,
                }
            }),
    );
    out
}

/// Between half and all of `d`, at random: requests throttled together must not all come back
/// at the same instant and empty the quota again.
fn jittered(d: Duration) -> Duration {
    let mut b = [0u8; 2];
    let r = getrandom::getrandom(&mut b).map_or(0, |_| u16::from_le_bytes(b));
    d / 2 + d.mul_f64(f64::from(r) / f64::from(u16::MAX) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_deduplicated_per_scope() {
        let e = |r: &str, reason: &str| CollectionError {
            provider: Provider::Gcp,
            account: "p".into(),
            region: Some(r.into()),
            kind: ResourceKind::GcpKmsKey,
            resource: None,
            operation: None,
            reason: reason.into(),
        };
        let out = dedupe(vec![e("us", "a"), e("us", "a"), e("us", "b"), e("eu", "a")]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].reason, "a (and 1 other error(s))");
    }
}
