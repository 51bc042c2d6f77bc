//! Cloud Logging: the log sinks of each project, from the documented REST API
//! (`GET /v2/projects/<p>/sinks`, paginated with `pageToken`).
//!
//! Why not google-cloud-logging-v2: in practice the crate is gRPC-only (it pulls in tonic
//! and its generated gRPC stubs), a second HTTP/2 stack in the binary that the REST replay
//! server and HTTP proxies in front of private Google endpoints cannot serve. The REST
//! API returns the same `LogSink` fields, and goes through the same reqwest stack, the same
//! google-cloud-auth headers and the same `--gcp-endpoint` as the Storage JSON API
//! (`/v2/...` collides with no other service's path).

use serde::Deserialize;

use super::api::{Gcp, Service};
use super::failure::Failure;
use super::resource;
use super::rest::get;
use crate::model::gcp::{LogSink, ProjectLogSinks};
use crate::model::ResourceKind;

const KIND: ResourceKind = ResourceKind::GcpProjectLogSinks;
const LIST: &str = "sinks.list";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sinks {
    #[serde(default)]
    sinks: Vec<Sink>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Sink {
    name: String,
    #[serde(default)]
    destination: String,
    #[serde(default)]
    filter: String,
    /// Absent means enabled (proto3 default).
    #[serde(default)]
    disabled: bool,
}

/// Every page of `sinks.list`; one record per project, so a project without sinks has one.
pub(super) async fn sinks(gcp: &Gcp, project: &str) {
    let url = format!(
        "{}/v2/projects/{project}/sinks",
        gcp.endpoint(Service::Logging)
    );
    let mut all: Vec<LogSink> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        // No pageSize: the API documents no maximum, so the server's default page is used
        // and every page followed.
        let query: Vec<(&str, String)> = token.iter().map(|t| ("pageToken", t.clone())).collect();
        let page: Result<Sinks, Failure> = gcp
            .call(Service::Logging, LIST, project, None, || {
                get(gcp, &url, &query)
            })
            .await;
        match page {
            Ok(p) => {
                all.extend(p.sinks.into_iter().map(|s| LogSink {
                    name: s.name,
                    destination: s.destination,
                    filter: s.filter,
                    disabled: s.disabled,
                }));
                match p.next_page_token.filter(|t| !t.is_empty()) {
                    Some(t) => token = Some(t),
                    None => break,
                }
            }
            Err(f) => {
                // A partial list could hide the one exporting sink: nothing is recorded.
                gcp.failed(&[KIND], project, None, Service::Logging, LIST, &f);
                return;
            }
        }
    }
    let out = ProjectLogSinks {
        resource: resource(
            KIND,
            project,
            "global",
            format!("//logging.googleapis.com/projects/{project}/sinks"),
            project,
            std::iter::empty(),
        ),
        sinks: all,
    };
    gcp.add(|inv| inv.gcp_project_log_sinks.push(out));
}
