//! Pub/Sub: the HL7 feed topic (CMEK, private) pushed over https to the EHR, and the
//! analytics export topic (Google-managed keys on protected data, publishable by anyone)
//! pushed over plain http to a partner; plus a pull subscription.

use super::{binding, kms_key_name, store_ref, P};
use crate::model::gcp::{PubsubSubscription, PubsubTopic};
use crate::model::{Inventory, ResourceKind};

pub(super) fn add(inv: &mut Inventory) {
    let topic = |name: &str| {
        store_ref(
            ResourceKind::GcpPubsubTopic,
            "global",
            format!("//pubsub.googleapis.com/projects/{P}/topics/{name}"),
        )
        .with_tag("data-classification", "protected")
    };
    inv.gcp_pubsub_topics = vec![
        PubsubTopic {
            resource: topic("hl7-feed"),
            kms_key_name: Some(kms_key_name("pubsub-key")),
            iam_bindings: vec![binding(
                "roles/pubsub.publisher",
                &["serviceAccount:hl7-gateway@janus-hcp-prod.iam.gserviceaccount.com"],
            )],
        },
        PubsubTopic {
            resource: topic("analytics-export"),
            kms_key_name: None,
            iam_bindings: vec![binding("roles/pubsub.publisher", &["allUsers"])],
        },
    ];
    let sub = |name: &str, topic: &str, push: Option<&str>| PubsubSubscription {
        resource: store_ref(
            ResourceKind::GcpPubsubSubscription,
            "global",
            format!("//pubsub.googleapis.com/projects/{P}/subscriptions/{name}"),
        ),
        topic: Some(format!("projects/{P}/topics/{topic}")),
        push_endpoint: push.map(str::to_string),
    };
    inv.gcp_pubsub_subscriptions = vec![
        sub(
            "hl7-to-ehr",
            "hl7-feed",
            Some("https://ehr-api.janus-hcp.example/hl7"),
        ),
        sub(
            "analytics-partner-push",
            "analytics-export",
            Some("http://partner.example.net/ingest"),
        ),
        sub("hl7-archive-pull", "hl7-feed", None),
    ];
}
