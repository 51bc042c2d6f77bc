//! Cloud Storage buckets and their IAM policies, from the documented Storage JSON API
//! (`GET /storage/v1/b?project=P`, `GET /storage/v1/b/<bucket>/iam`).
//!
//! Why not google-cloud-storage: its `StorageControl` client reads bucket metadata over
//! the Storage v2 gRPC API only. The JSON API is what `gsutil`/`gcloud storage` use, it
//! returns every field the checks read, and it travels over the same reqwest/rustls stack
//! with the `Authorization` header from the same google-cloud-auth credentials, so
//! `--gcp-endpoint` and the replay tests cover it like every other service.

use std::collections::BTreeMap;

use futures::future::join_all;
use serde::Deserialize;

use super::api::{Gcp, Service};
use super::failure::Failure;
use super::resource;
use super::rest::get;
use crate::model::gcp::{IamBinding, StorageBucket};
use crate::model::{CollectionError, ResourceKind};

const KIND: ResourceKind = ResourceKind::GcpStorageBucket;
const LIST: &str = "buckets.list";
const IAM: &str = "buckets.getIamPolicy";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Buckets {
    #[serde(default)]
    items: Vec<Bucket>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Bucket {
    name: String,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    iam_configuration: Option<IamConfiguration>,
    #[serde(default)]
    encryption: Option<Encryption>,
    #[serde(default)]
    versioning: Option<Enabled>,
    #[serde(default)]
    retention_policy: Option<RetentionPolicy>,
    #[serde(default)]
    logging: Option<Logging>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct IamConfiguration {
    #[serde(default)]
    uniform_bucket_level_access: Option<Enabled>,
    #[serde(default)]
    public_access_prevention: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Enabled {
    #[serde(default)]
    enabled: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Encryption {
    #[serde(default)]
    default_kms_key_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RetentionPolicy {
    /// int64 fields travel as JSON strings in this API.
    #[serde(default)]
    retention_period: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Logging {
    #[serde(default)]
    log_bucket: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Policy {
    #[serde(default)]
    bindings: Vec<Binding>,
}

#[derive(Debug, Deserialize)]
struct Binding {
    role: String,
    #[serde(default)]
    members: Vec<String>,
}

/// `buckets.list`, then `buckets.getIamPolicy` for each bucket.
pub(super) async fn buckets(gcp: &Gcp, project: &str) {
    let base = gcp.endpoint(Service::Storage);
    let list_url = format!("{base}/storage/v1/b");
    let mut all: Vec<Bucket> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut query = vec![("project", project.to_string())];
        if let Some(t) = &token {
            query.push(("pageToken", t.clone()));
        }
        let page: Result<Buckets, Failure> = gcp
            .call(Service::Storage, LIST, project, None, || {
                get(gcp, &list_url, &query)
            })
            .await;
        match page {
            Ok(p) => {
                all.extend(p.items);
                match p.next_page_token.filter(|t| !t.is_empty()) {
                    Some(t) => token = Some(t),
                    None => break,
                }
            }
            Err(f) => {
                gcp.failed(&[KIND], project, None, Service::Storage, LIST, &f);
                break;
            }
        }
    }
    join_all(all.into_iter().map(|b| bucket(gcp, project, &base, b))).await;
}

/// One bucket with its IAM policy; a bucket whose policy cannot be read is an error for
/// that bucket only.
async fn bucket(gcp: &Gcp, project: &str, base: &str, b: Bucket) {
    // Multi- and dual-regions (`US`, `NAM4`) are locations too; lower case like regions.
    let region = b
        .location
        .as_deref()
        .unwrap_or("unknown")
        .to_ascii_lowercase();
    let url = format!("{base}/storage/v1/b/{}/iam", b.name);
    // Version 3 returns conditional bindings instead of refusing the request.
    let query = [("optionsRequestedPolicyVersion", "3".to_string())];
    let policy: Result<Policy, Failure> = gcp
        .call(Service::Storage, IAM, project, Some(&region), || {
            get(gcp, &url, &query)
        })
        .await;
    let (bindings, unread) = match policy {
        Ok(p) => (p.bindings, None),
        // The bucket stays, its bindings unknown (empty): the engine reports ERROR for it.
        Err(f) => (Vec::new(), Some(f.reason(Service::Storage, IAM, project))),
    };
    let iam = b.iam_configuration.unwrap_or_default();
    let retention = b
        .retention_policy
        .and_then(|r| r.retention_period)
        .and_then(|v| match v {
            serde_json::Value::String(s) => s.parse::<i64>().ok(),
            serde_json::Value::Number(n) => n.as_i64(),
            _ => None,
        });
    let out = StorageBucket {
        resource: resource(
            KIND,
            project,
            &region,
            format!("//storage.googleapis.com/{}", b.name),
            &b.name,
            b.labels,
        ),
        iam_bindings: bindings
            .into_iter()
            .map(|b| IamBinding {
                role: b.role,
                members: b.members,
                condition: None,
            })
            .collect(),
        // Unreported is not evidence of uniform access.
        uniform_bucket_level_access: iam
            .uniform_bucket_level_access
            .and_then(|u| u.enabled)
            .unwrap_or(false),
        public_access_prevention: iam.public_access_prevention,
        default_kms_key_name: b
            .encryption
            .and_then(|e| e.default_kms_key_name)
            .filter(|k| !k.is_empty()),
        versioning_enabled: b.versioning.and_then(|v| v.enabled).unwrap_or(false),
        retention_period_seconds: retention,
        logging_bucket: b.logging.and_then(|l| l.log_bucket),
    };
    let error = unread.map(|why| CollectionError::of_resource(&out.resource, IAM, why));
    gcp.add(|inv| {
        inv.errors.extend(error);
        inv.gcp_storage_buckets.push(out);
    });
}
