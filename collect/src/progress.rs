//! What a live scan is doing, as it happens: every API call a collector makes is reported
//! here once (the three providers' call logs call [`api_call`]), logged with `tracing` and
//! handed to the observer the CLI installs (its progress display).
//!
//! Only what [`ApiCall`] holds is reported: provider, service, operation, scope, region,
//! status, error code and duration. Never URLs (presigned URLs carry signatures), headers
//! or tokens.

use std::sync::OnceLock;

use crate::model::ApiCall;

/// Told about every API call, from any collector task.
pub trait Observer: Send + Sync {
    fn api_call(&self, call: &ApiCall);
}

static OBSERVER: OnceLock<Box<dyn Observer>> = OnceLock::new();

/// Install the process's observer; `false` when one is installed already.
pub fn set_observer(observer: Box<dyn Observer>) -> bool {
    OBSERVER.set(observer).is_ok()
}

/// Report one API call (one HTTP attempt).
pub fn api_call(call: &ApiCall) {
    let region = call.region.as_deref().unwrap_or("-");
    let account = call.account.as_deref().unwrap_or("-");
    match &call.error_code {
        None => tracing::info!(
            target: "phiscan::api",
            "{} {} {} account={account} region={region} status={} {}ms",
            call.provider,
            call.service,
            call.operation,
            call.http_status.map_or("-".to_string(), |s| s.to_string()),
            call.duration_ms
        ),
        Some(code) => tracing::warn!(
            target: "phiscan::api",
            "{} {} {} account={account} region={region} status={} error={code} {}ms",
            call.provider,
            call.service,
            call.operation,
            call.http_status.map_or("-".to_string(), |s| s.to_string()),
            call.duration_ms
        ),
    }
    if let Some(o) = OBSERVER.get() {
        o.api_call(call);
    }
}
