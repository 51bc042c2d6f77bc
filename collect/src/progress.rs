//! What a live scan is doing, as it happens: every API call a collector makes is reported
//! here once (the three providers' call logs call [`api_call`]) and handed to the observer
//! the CLI installs (its progress display and its `-v` log lines).
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
    if let Some(o) = OBSERVER.get() {
        o.api_call(call);
    }
}
