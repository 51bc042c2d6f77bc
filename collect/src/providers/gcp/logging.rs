//! Cloud Logging: the log sinks of each project (`GET /v2/projects/<p>/sinks`) and its log
//! buckets (`GET /v2/projects/<p>/locations/-/buckets`), from the documented REST API,
//! paginated with `pageToken`.
//!
//! Why not google-cloud-logging-v2: in practice the crate is gRPC-only (it pulls in tonic
//! and its generated gRPC stubs), a second HTTP/2 stack in the binary that the REST replay
//! server and HTTP proxies in front of private Google endpoints cannot serve. The REST
//! API returns the same `LogSink` fields, and goes through the same reqwest stack, the same
//! google-cloud-auth headers and the same `--gcp-endpoint` as the Storage JSON API
//! (`/v2/...` collides with no other service's path).

use serde::Deserialize;

use super::api::{Gcp, Service};
use super::resource;
use super::rest::get_all;
use crate::model::gcp::{LogBucket, LogSink, ProjectLogSinks};
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
    // No pageSize: the API documents no maximum, so the server's default page is used and
    // every page followed.
    let listed = get_all(
        gcp,
        Service::Logging,
        LIST,
        project,
        None,
        &url,
        &[],
        |p: Sinks| (p.sinks, p.next_page_token),
    )
    .await;
    let all: Vec<LogSink> = match listed {
        Ok(all) => all
            .into_iter()
            .map(|s| LogSink {
                name: s.name,
                destination: s.destination,
                filter: s.filter,
                disabled: s.disabled,
            })
            .collect(),
        Err(f) => {
            // A partial list could hide the one exporting sink: nothing is recorded.
            gcp.failed(&[KIND], project, None, Service::Logging, LIST, &f);
            return;
        }
    };
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

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Buckets {
    #[serde(default)]
    buckets: Vec<Bucket>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Bucket {
    /// `projects/<p>/locations/<l>/buckets/<id>`.
    name: String,
    /// Absent means the API's default, 30 days.
    #[serde(default)]
    retention_days: Option<i32>,
    #[serde(default)]
    locked: bool,
    #[serde(default)]
    lifecycle_state: Option<String>,
}

/// Every log bucket of the project, in every location (`locations/-/buckets`).
pub(super) async fn buckets(gcp: &Gcp, project: &str) {
    const OP: &str = "buckets.list";
    let kind = ResourceKind::GcpLogBucket;
    let url = format!(
        "{}/v2/projects/{project}/locations/-/buckets",
        gcp.endpoint(Service::Logging)
    );
    let listed = get_all(
        gcp,
        Service::Logging,
        OP,
        project,
        None,
        &url,
        &[],
        |p: Buckets| (p.buckets, p.next_page_token),
    )
    .await;
    let all = match listed {
        Ok(all) => all,
        Err(f) => {
            gcp.failed(&[kind], project, None, Service::Logging, OP, &f);
            return;
        }
    };
    let out: Vec<LogBucket> = all
        .into_iter()
        .map(|b| {
            let location = b
                .name
                .split('/')
                .skip_while(|s| *s != "locations")
                .nth(1)
                .unwrap_or("global");
            LogBucket {
                resource: resource(
                    kind,
                    project,
                    location,
                    format!("//logging.googleapis.com/{}", b.name),
                    b.name.rsplit('/').next().unwrap_or(&b.name),
                    std::iter::empty(),
                ),
                retention_days: b.retention_days.unwrap_or(30),
                locked: b.locked,
                lifecycle_state: b.lifecycle_state,
            }
        })
        .collect();
    gcp.add(|inv| inv.gcp_log_buckets.extend(out));
}
