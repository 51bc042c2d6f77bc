//! Cloud KMS: every crypto key of every key ring in every location, with its IAM policy
//! (google-cloud-kms-v1). KMS has no aggregated list, so the locations come first.
//!
//! A key whose IAM policy cannot be read stays in the inventory without bindings, with an
//! error for that key only: every check of the kind reports ERROR for it, the other keys of
//! the location are judged.

use chrono::{DateTime, Utc};
use futures::future::join_all;
use google_cloud_kms_v1::model::CryptoKey;

use super::api::{all_pages, Gcp, Service};
use super::resource;
use crate::model::gcp::{IamBinding, KmsKey};
use crate::model::{CollectionError, ResourceKind};

const KIND: ResourceKind = ResourceKind::GcpKmsKey;
const LOCATIONS: &str = "projects.locations.list";
const RINGS: &str = "projects.locations.keyRings.list";
const KEYS: &str = "projects.locations.keyRings.cryptoKeys.list";
const IAM: &str = "projects.locations.keyRings.cryptoKeys.getIamPolicy";
/// `pageSize` of every KMS list (the API's maximum).
const PAGE: i32 = 1000;

/// Locations, then key rings per location and keys per ring, concurrently within the
/// service's limit.
pub(super) async fn keys(gcp: &Gcp, project: &str) {
    let mut locations: Vec<String> = Vec::new();
    let mut token = String::new();
    loop {
        let page = gcp
            .send(Service::Kms, LOCATIONS, project, None, || {
                gcp.clients
                    .kms
                    .list_locations()
                    .set_name(format!("projects/{project}"))
                    .set_page_size(PAGE)
                    .set_page_token(token.clone())
                    .send()
            })
            .await;
        match page {
            Ok(p) => {
                locations.extend(p.locations.into_iter().map(|l| l.location_id));
                if p.next_page_token.is_empty() {
                    break;
                }
                token = p.next_page_token;
            }
            Err(f) => {
                gcp.failed(&[KIND], project, None, Service::Kms, LOCATIONS, &f);
                return;
            }
        }
    }
    join_all(locations.iter().map(|l| location(gcp, project, l))).await;
}

async fn location(gcp: &Gcp, project: &str, location: &str) {
    let parent = &format!("projects/{project}/locations/{location}");
    let rings = all_pages(|token| async move {
        let p = gcp
            .send(Service::Kms, RINGS, project, Some(location), || {
                gcp.clients
                    .kms
                    .list_key_rings()
                    .set_parent(parent)
                    .set_page_size(PAGE)
                    .set_page_token(token.clone())
                    .send()
            })
            .await?;
        Ok((p.key_rings, p.next_page_token))
    })
    .await;
    // Without the complete list of rings, no key of the location is reported.
    let rings = match rings {
        Ok(r) => r,
        Err((_, f)) => {
            return gcp.failed(&[KIND], project, Some(location), Service::Kms, RINGS, &f);
        }
    };
    join_all(rings.iter().map(|r| ring(gcp, project, location, &r.name))).await;
}

async fn ring(gcp: &Gcp, project: &str, location: &str, ring: &str) {
    let keys = all_pages(|token| async move {
        let p = gcp
            .send(Service::Kms, KEYS, project, Some(location), || {
                gcp.clients
                    .kms
                    .list_crypto_keys()
                    .set_parent(ring)
                    .set_page_size(PAGE)
                    .set_page_token(token.clone())
                    .send()
            })
            .await?;
        Ok((p.crypto_keys, p.next_page_token))
    })
    .await;
    let keys = match keys {
        Ok(k) => k,
        // The keys read before a failed page are still reported.
        Err((read, f)) => {
            gcp.failed(&[KIND], project, Some(location), Service::Kms, KEYS, &f);
            read
        }
    };
    join_all(keys.into_iter().map(|k| key(gcp, project, location, k))).await;
}

/// One key with its IAM policy; an unread policy is an error for that key only.
async fn key(gcp: &Gcp, project: &str, location: &str, k: CryptoKey) {
    let policy = gcp
        .send(Service::Kms, IAM, project, Some(location), || {
            gcp.clients
                .kms
                .get_iam_policy()
                .set_resource(&k.name)
                .send()
        })
        .await;
    let (bindings, unread) = match policy {
        Ok(p) => (p.bindings, None),
        Err(f) => (Vec::new(), Some(f.reason(Service::Kms, IAM, project))),
    };
    let name = k.name.rsplit('/').next().unwrap_or(&k.name).to_string();
    let rotation = k.rotation_period().map(|d| d.seconds());
    let out = KmsKey {
        resource: resource(
            KIND,
            project,
            location,
            format!("//cloudkms.googleapis.com/{}", k.name),
            &name,
            k.labels,
        ),
        purpose: k.purpose.name().unwrap_or("UNKNOWN").to_string(),
        rotation_period_seconds: rotation,
        next_rotation_time: k
            .next_rotation_time
            .as_ref()
            .and_then(|t| DateTime::<Utc>::from_timestamp(t.seconds(), 0)),
        primary_state: k
            .primary
            .as_ref()
            .and_then(|v| v.state.name().map(str::to_string)),
        iam_bindings: bindings
            .into_iter()
            .map(|b| IamBinding {
                role: b.role,
                members: b.members,
                condition: None,
            })
            .collect(),
    };
    let error = unread.map(|why| CollectionError::of_resource(&out.resource, IAM, why));
    gcp.add(|inv| {
        inv.errors.extend(error);
        inv.gcp_kms_keys.push(out);
    });
}
