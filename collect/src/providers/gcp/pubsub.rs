//! Pub/Sub topics with their IAM policies (`topics.list`, then `topics.getIamPolicy`, a
//! GET in Pub/Sub's REST API) and subscriptions (`subscriptions.list`), from the
//! documented REST API.
//!
//! Why not google-cloud-pubsub: its admin clients speak gRPC only, which the REST replay
//! server and HTTP proxies cannot serve (as for Cloud Logging, see [`super::logging`]).

use std::collections::BTreeMap;

use futures::future::join_all;
use serde::Deserialize;

use super::api::{Gcp, Service};
use super::failure::Failure;
use super::resource;
use super::rest::{get, get_all, Policy};
use crate::model::gcp::{PubsubSubscription, PubsubTopic};
use crate::model::{CollectionError, ResourceKind};

const TOPIC: ResourceKind = ResourceKind::GcpPubsubTopic;
const SUBSCRIPTION: ResourceKind = ResourceKind::GcpPubsubSubscription;
const TOPICS: &str = "topics.list";
const IAM: &str = "topics.getIamPolicy";
const SUBSCRIPTIONS: &str = "subscriptions.list";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Topics {
    #[serde(default)]
    topics: Vec<Topic>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Topic {
    name: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    kms_key_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Subscriptions {
    #[serde(default)]
    subscriptions: Vec<Subscription>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Subscription {
    name: String,
    #[serde(default)]
    topic: Option<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    push_config: Option<PushConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PushConfig {
    #[serde(default)]
    push_endpoint: Option<String>,
}

/// The last segment of a resource name (`projects/p/topics/t` -> `t`).
fn short(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

pub(super) async fn topics(gcp: &Gcp, project: &str) {
    let base = gcp.endpoint(Service::PubSub);
    let url = format!("{base}/v1/projects/{project}/topics");
    let listed = get_all(
        gcp,
        Service::PubSub,
        TOPICS,
        project,
        None,
        &url,
        &[],
        |p: Topics| (p.topics, p.next_page_token),
    )
    .await;
    match listed {
        Ok(all) => {
            join_all(all.into_iter().map(|t| topic(gcp, project, &base, t))).await;
        }
        Err(f) => gcp.failed(&[TOPIC], project, None, Service::PubSub, TOPICS, &f),
    }
}

/// One topic with its IAM policy; an unread policy is an error for that topic only.
async fn topic(gcp: &Gcp, project: &str, base: &str, t: Topic) {
    let url = format!("{base}/v1/{}:getIamPolicy", t.name);
    let query = [("options.requestedPolicyVersion", "3".to_string())];
    let policy: Result<Policy, Failure> = gcp
        .call(Service::PubSub, IAM, project, Some("global"), || {
            get(gcp, &url, &query)
        })
        .await;
    let (bindings, unread) = match policy {
        Ok(p) => (p.into_bindings(), None),
        Err(f) => (Vec::new(), Some(f.reason(Service::PubSub, IAM, project))),
    };
    let out = PubsubTopic {
        resource: resource(
            TOPIC,
            project,
            "global",
            format!("//pubsub.googleapis.com/{}", t.name),
            short(&t.name),
            t.labels,
        ),
        kms_key_name: t.kms_key_name.filter(|k| !k.is_empty()),
        iam_bindings: bindings,
    };
    let error = unread.map(|why| CollectionError::of_resource(&out.resource, IAM, why));
    gcp.add(|inv| {
        inv.errors.extend(error);
        inv.gcp_pubsub_topics.push(out);
    });
}

pub(super) async fn subscriptions(gcp: &Gcp, project: &str) {
    let url = format!(
        "{}/v1/projects/{project}/subscriptions",
        gcp.endpoint(Service::PubSub)
    );
    let listed = get_all(
        gcp,
        Service::PubSub,
        SUBSCRIPTIONS,
        project,
        None,
        &url,
        &[],
        |p: Subscriptions| (p.subscriptions, p.next_page_token),
    )
    .await;
    let all = match listed {
        Ok(all) => all,
        Err(f) => {
            gcp.failed(
                &[SUBSCRIPTION],
                project,
                None,
                Service::PubSub,
                SUBSCRIPTIONS,
                &f,
            );
            return;
        }
    };
    let out: Vec<PubsubSubscription> = all
        .into_iter()
        .map(|s| PubsubSubscription {
            resource: resource(
                SUBSCRIPTION,
                project,
                "global",
                format!("//pubsub.googleapis.com/{}", s.name),
                short(&s.name),
                s.labels,
            ),
            topic: s.topic,
            push_endpoint: s
                .push_config
                .and_then(|p| p.push_endpoint)
                .filter(|e| !e.is_empty()),
        })
        .collect();
    gcp.add(|inv| inv.gcp_pubsub_subscriptions.extend(out));
}
