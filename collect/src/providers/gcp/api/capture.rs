//! Raw evidence of GCP calls ([`crate::raw`]). An official client hands back the decoded
//! message only, so [`Gcp::send`] keeps its JSON form (google-cloud-rust messages serialize
//! as the REST JSON); the REST helper keeps the body itself, learning which logical call it
//! serves from [`CALL`], which [`Gcp::call`] sets around each attempt.

use chrono::Utc;

use super::{Gcp, Service};
use crate::model::Provider;

/// The logical call an attempt belongs to, for the REST helper's raw capture.
#[derive(Debug, Clone)]
pub(in crate::providers::gcp) struct CallInfo {
    service: Service,
    operation: &'static str,
    project: String,
    region: Option<String>,
    started_at: chrono::DateTime<Utc>,
}

impl CallInfo {
    pub(super) fn new(
        service: Service,
        operation: &'static str,
        project: &str,
        region: Option<&str>,
        started_at: chrono::DateTime<Utc>,
    ) -> CallInfo {
        CallInfo {
            service,
            operation,
            project: project.to_string(),
            region: region.map(str::to_string),
            started_at,
        }
    }
}

tokio::task_local! {
    pub(in crate::providers::gcp) static CALL: CallInfo;
}

impl Gcp {
    /// Keep a body the REST helper read, for the call [`CALL`] names (none: not kept).
    pub(in crate::providers::gcp) fn keep_raw(&self, asked: Vec<String>, body: serde_json::Value) {
        let Ok(info) = CALL.try_with(CallInfo::clone) else {
            return;
        };
        self.keep(&info, asked, body);
    }

    pub(super) fn keep(&self, info: &CallInfo, asked: Vec<String>, body: serde_json::Value) {
        self.raw.push(crate::raw::Captured {
            provider: Provider::Gcp,
            account: Some(info.project.clone()),
            region: info.region.clone(),
            service: info.service.api().to_string(),
            operation: info.operation.to_string(),
            request_id: None,
            time: info.started_at,
            asked,
            body,
        });
    }
}
