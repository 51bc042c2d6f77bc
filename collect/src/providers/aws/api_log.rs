//! The API-call log, filled by an SDK interceptor registered on every client, and the
//! S3 Control host fix for loopback emulators.
//!
//! One [`ApiCall`] per HTTP attempt (so retries are visible): service and operation from the
//! SDK's operation metadata, the client's region, the request id from the
//! `x-amzn-requestid` / `x-amz-request-id` headers, the HTTP status, the duration, and the
//! error code. Nothing else leaves the request: no URL (S3 presigned URLs carry
//! signatures), no header but the request id, no body.
//!
//! With raw evidence on ([`crate::raw::capturing`]), a successful attempt's body also goes
//! to the scan's [`crate::raw::Store`] as JSON ([`super::raw_body`]), with the strings its
//! request named (to link answers that do not name their resource); off, nothing is copied.
//!
//! The error code comes from the response itself, because the interceptor sees a
//! type-erased error: the `x-amzn-errortype` header (JSON protocols), else `<Code>` in an
//! XML body or `__type` in a JSON body. The orchestrator has buffered the body by the time
//! an attempt ends, so reading it costs nothing.

use std::net::IpAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextMut, BeforeTransmitInterceptorContextRef,
    FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use chrono::{DateTime, Utc};

use crate::model::{ApiCall, Provider};

/// The calls (and raw responses) of one scan, shared by every client's interceptor, and
/// the account they are made in once STS has named it.
#[derive(Debug, Clone, Default)]
pub(crate) struct ApiLog(
    Arc<Mutex<Vec<ApiCall>>>,
    Arc<crate::raw::Store>,
    Arc<OnceLock<String>>,
);

impl ApiLog {
    fn push(&self, mut call: ApiCall) {
        // So that the live log (`-v`) names the account of every call after the first.
        if call.account.is_none() {
            call.account = self.2.get().cloned();
        }
        crate::progress::api_call(&call);
        self.0.lock().expect("api log lock").push(call);
    }

    /// The account the calls are made in, once known (the first value sticks).
    pub(crate) fn set_account(&self, account: &str) {
        let _ = self.2.set(account.to_string());
    }

    /// The raw responses kept so far.
    pub(crate) fn take_raw(&self) -> Vec<crate::raw::Captured> {
        self.1.take()
    }

    /// The calls so far, in the order they started; those made before the account was
    /// known (STS's own) get it now.
    pub(crate) fn take(&self) -> Vec<ApiCall> {
        let mut calls = std::mem::take(&mut *self.0.lock().expect("api log lock"));
        calls.sort_by(|a, b| (a.started_at, &a.operation).cmp(&(b.started_at, &b.operation)));
        if let Some(account) = self.2.get() {
            for c in calls.iter_mut().filter(|c| c.account.is_none()) {
                c.account = Some(account.clone());
            }
        }
        calls
    }
}

/// When the current attempt started.
#[derive(Debug, Clone)]
struct AttemptStart(Instant, DateTime<Utc>);

impl Storable for AttemptStart {
    type Storer = StoreReplace<Self>;
}

#[derive(Debug)]
pub(crate) struct ApiLogInterceptor {
    log: ApiLog,
    region: String,
}

impl ApiLogInterceptor {
    pub(crate) fn new(log: &ApiLog, region: &str) -> Self {
        ApiLogInterceptor {
            log: log.clone(),
            region: region.to_string(),
        }
    }
}

impl Intercept for ApiLogInterceptor {
    fn name(&self) -> &'static str {
        "PhiscanApiLog"
    }

    fn read_before_attempt(
        &self,
        _ctx: &BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state()
            .store_put(AttemptStart(Instant::now(), Utc::now()));
        Ok(())
    }

    fn read_after_attempt(
        &self,
        ctx: &FinalizerInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let (service, operation) = cfg
            .load::<Metadata>()
            .map(|m| (m.service().to_string(), m.name().to_string()))
            .unwrap_or_else(|| ("unknown".into(), "unknown".into()));
        let (elapsed, started_at) = match cfg.load::<AttemptStart>() {
            Some(AttemptStart(i, t)) => (i.elapsed(), *t),
            None => (std::time::Duration::ZERO, Utc::now()),
        };
        let mut call = ApiCall {
            provider: Provider::Aws,
            service,
            operation,
            account: None,
            region: Some(self.region.clone()),
            started_at,
            duration_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            http_status: None,
            request_id: None,
            error_code: None,
        };
        match ctx.response() {
            Some(resp) => {
                let status = resp.status().as_u16();
                let headers = resp.headers();
                call.http_status = Some(status);
                call.request_id = ["x-amzn-requestid", "x-amz-request-id"]
                    .iter()
                    .find_map(|h| headers.get(*h))
                    .map(str::to_string);
                if (200..300).contains(&status) && crate::raw::capturing() {
                    self.capture(&call, ctx, resp.body().bytes());
                }
                if status >= 300 {
                    call.error_code = Some(
                        headers
                            .get("x-amzn-errortype")
                            .map(|t| t.split(':').next().unwrap_or(t).to_string())
                            .or_else(|| resp.body().bytes().and_then(error_code_in_body))
                            .unwrap_or_else(|| format!("HTTP{status}")),
                    );
                    if let Some(wait) = headers.get("x-amz-retry-after") {
                        super::retry::server_asks_to_wait(cfg, wait);
                    }
                }
            }
            None => {
                call.error_code = Some(match ctx.output_or_error() {
                    Some(Err(e)) if e.is_timeout_error() => "TimeoutError".into(),
                    Some(Err(e)) if e.is_connector_error() => "ConnectorError".into(),
                    _ => "NoResponse".into(),
                });
            }
        }
        if call.error_code.is_some() && !call.is_throttling() {
            super::retry::not_throttled(cfg);
        }
        self.log.push(call);
        Ok(())
    }
}

impl ApiLogInterceptor {
    /// Keep a successful body and what its request named.
    fn capture(
        &self,
        call: &ApiCall,
        ctx: &FinalizerInterceptorContextRef<'_>,
        body: Option<&[u8]>,
    ) {
        let Some(body) = body.and_then(super::raw_body::to_json) else {
            return;
        };
        let mut asked = Vec::new();
        if let Some(req) = ctx.request() {
            let uri = req.uri();
            asked = crate::raw::url_names(uri, &["continuation-token", "marker", "NextToken"]);
            // A virtual-hosted S3 request names its bucket in the host.
            if let Some(host) = url::Url::parse(uri)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
            {
                asked.extend(host.split('.').next().map(str::to_string));
            }
            asked.extend(
                req.body()
                    .bytes()
                    .map(crate::raw::body_names)
                    .unwrap_or_default(),
            );
        }
        self.log.1.push(crate::raw::Captured {
            provider: Provider::Aws,
            account: None,
            region: call.region.clone(),
            service: call.service.clone(),
            operation: call.operation.clone(),
            request_id: call.request_id.clone(),
            time: call.started_at,
            asked,
            body,
        });
    }
}

/// `<Code>X</Code>` (XML: EC2, query protocols, S3) or `"__type": "ns#X"` (JSON protocols).
pub(super) fn error_code_in_body(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    if let Some(start) = text.find("<Code>") {
        let rest = &text[start + "<Code>".len()..];
        let end = rest.find("</Code>")?;
        return Some(rest[..end].trim().to_string());
    }
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let t = v.get("__type").or_else(|| v.get("code"))?.as_str()?;
    Some(t.rsplit('#').next().unwrap_or(t).to_string())
}

/// `http://127.0.0.1:5000` and friends: an emulator on this machine.
pub(crate) fn is_loopback_url(url: &str) -> bool {
    host_of(url).is_some_and(|h| {
        h.trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
    })
}

/// The host part of `scheme://host[:port]/...`.
fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let authority = authority.rsplit('@').next()?;
    if authority.starts_with('[') {
        return authority.split_inclusive(']').next();
    }
    Some(authority.split(':').next().unwrap_or(authority))
}

/// S3 Control sends to `<account>.<endpoint host>`. Against a loopback IP that name does
/// not resolve, so the prefix is stripped before signing (the signature then covers the
/// host actually used). Only registered when the configured endpoint is a loopback IP.
#[derive(Debug)]
pub(crate) struct LoopbackAccountHost {
    prefix: String,
}

impl LoopbackAccountHost {
    pub(crate) fn new(account: &str) -> Self {
        LoopbackAccountHost {
            prefix: format!("{account}."),
        }
    }
}

impl Intercept for LoopbackAccountHost {
    fn name(&self) -> &'static str {
        "PhiscanLoopbackAccountHost"
    }

    fn modify_before_signing(
        &self,
        ctx: &mut BeforeTransmitInterceptorContextMut<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let uri = ctx.request().uri().to_string();
        if let Some(fixed) = strip_account_host(&uri, &self.prefix) {
            ctx.request_mut().set_uri(fixed)?;
        }
        Ok(())
    }
}

/// `http://<prefix>127.0.0.1:5000/x` -> `http://127.0.0.1:5000/x`, only for loopback IPs.
fn strip_account_host(uri: &str, prefix: &str) -> Option<String> {
    let (scheme, rest) = uri.split_once("://")?;
    let stripped = rest.strip_prefix(prefix)?;
    let candidate = format!("{scheme}://{stripped}");
    is_loopback_url(&candidate).then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(operation: &str) -> ApiCall {
        ApiCall {
            provider: Provider::Aws,
            service: "STS".into(),
            operation: operation.into(),
            account: None,
            region: Some("us-east-1".into()),
            started_at: Utc::now(),
            duration_ms: 1,
            http_status: Some(200),
            request_id: None,
            error_code: None,
        }
    }

    #[test]
    fn calls_carry_the_account_once_it_is_known() {
        let log = ApiLog::default();
        log.push(call("GetCallerIdentity"));
        log.set_account("123456789012");
        log.set_account("210987654321");
        log.push(call("DescribeRegions"));
        let live: Vec<Option<String>> = log
            .0
            .lock()
            .unwrap()
            .iter()
            .map(|c| c.account.clone())
            .collect();
        assert_eq!(live, [None, Some("123456789012".to_string())]);
        // The report's calls all carry it.
        assert!(log
            .take()
            .iter()
            .all(|c| c.account.as_deref() == Some("123456789012")));
    }

    #[test]
    fn loopback_detection() {
        assert!(is_loopback_url("http://127.0.0.1:5000"));
        assert!(is_loopback_url("http://127.0.0.1:5000/"));
        assert!(is_loopback_url("http://[::1]:5000/x"));
        assert!(!is_loopback_url("https://s3.amazonaws.com"));
        assert!(!is_loopback_url("http://localhost.evil.com:5000"));
        assert!(!is_loopback_url("http://10.0.0.1:5000"));
    }

    #[test]
    fn account_prefix_is_stripped_only_before_a_loopback_ip() {
        let p = "123456789012.";
        assert_eq!(
            strip_account_host(
                "http://123456789012.127.0.0.1:5000/v20180820/configuration/publicAccessBlock",
                p
            )
            .as_deref(),
            Some("http://127.0.0.1:5000/v20180820/configuration/publicAccessBlock")
        );
        assert_eq!(
            strip_account_host(
                "https://123456789012.s3-control.us-east-1.amazonaws.com/x",
                p
            ),
            None
        );
        assert_eq!(strip_account_host("http://127.0.0.1:5000/x", p), None);
    }

    #[test]
    fn error_codes_from_bodies() {
        let ec2 = br#"<?xml version="1.0"?><Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>no</Message></Error></Errors></Response>"#;
        assert_eq!(
            error_code_in_body(ec2).as_deref(),
            Some("UnauthorizedOperation")
        );
        let json = br#"{"__type": "com.amazonaws.kms#NotFoundException", "message": "x"}"#;
        assert_eq!(
            error_code_in_body(json).as_deref(),
            Some("NotFoundException")
        );
        assert_eq!(error_code_in_body(b"oops"), None);
    }
}
