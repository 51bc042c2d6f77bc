//! Memorystore for Redis instances, from the documented REST API: one
//! `instances.list` over every location (`locations/-`), whose `unreachable` locations are
//! errors for their region.
//!
//! Why not google-cloud-redis-v1: one more generated crate for one read call; see
//! [`super`].

use std::collections::BTreeMap;

use serde::Deserialize;

use super::api::{Gcp, Service};
use super::resource;
use super::rest::get;
use crate::model::gcp::RedisInstance;
use crate::model::ResourceKind;

const KIND: ResourceKind = ResourceKind::GcpRedisInstance;
const LIST: &str = "instances.list";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Instances {
    #[serde(default)]
    instances: Vec<Instance>,
    #[serde(default)]
    next_page_token: Option<String>,
    /// `projects/<p>/locations/<l>` that did not answer.
    #[serde(default)]
    unreachable: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Instance {
    name: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    tier: Option<String>,
    #[serde(default)]
    auth_enabled: bool,
    #[serde(default)]
    transit_encryption_mode: Option<String>,
}

/// The region of `projects/p/locations/<region>/instances/i` (the instance's `locationId` is
/// its zone, not its region).
fn region(name: &str) -> &str {
    name.split('/')
        .skip_while(|s| *s != "locations")
        .nth(1)
        .unwrap_or("unknown")
}

pub(super) async fn instances(gcp: &Gcp, project: &str) {
    let url = format!(
        "{}/v1/projects/{project}/locations/-/instances",
        gcp.endpoint(Service::Redis)
    );
    let mut all: Vec<RedisInstance> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let query: Vec<(&str, String)> = token.iter().map(|t| ("pageToken", t.clone())).collect();
        let page: Result<Instances, _> = gcp
            .call(Service::Redis, LIST, project, None, || {
                get(gcp, &url, &query)
            })
            .await;
        let page = match page {
            Ok(p) => p,
            Err(f) => {
                gcp.failed(&[KIND], project, None, Service::Redis, LIST, &f);
                return;
            }
        };
        for location in &page.unreachable {
            let r = location.rsplit('/').next().unwrap_or(location);
            gcp.error(
                project,
                Some(r),
                KIND,
                format!("UNAVAILABLE: redis.{LIST} could not reach {location}"),
            );
        }
        all.extend(page.instances.into_iter().map(|i| RedisInstance {
            resource: resource(
                KIND,
                project,
                region(&i.name),
                format!("//redis.googleapis.com/{}", i.name),
                i.name.rsplit('/').next().unwrap_or(&i.name),
                i.labels,
            ),
            transit_encryption_mode: i.transit_encryption_mode,
            auth_enabled: i.auth_enabled,
            tier: i.tier,
        }));
        match page.next_page_token.filter(|t| !t.is_empty()) {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    gcp.add(|inv| inv.gcp_redis_instances.extend(all));
}
