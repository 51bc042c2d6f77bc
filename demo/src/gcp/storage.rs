//! Cloud Storage buckets.

use super::{binding, kms_key_name, P, REGION};
use crate::model::gcp::{IamBinding, StorageBucket};
use crate::model::{Inventory, ResourceKind, ResourceRef};

pub(super) fn add(inv: &mut Inventory) {
    let uploader = "serviceAccount:ehr-api@janus-hcp-prod.iam.gserviceaccount.com";
    let mut buckets = vec![
        bucket(
            "phi-uploads",
            "protected",
            true,
            vec![binding("roles/storage.objectAdmin", &[uploader])],
        ),
        bucket(
            "janus-hcp-backups",
            "protected",
            true,
            vec![binding("roles/storage.objectCreator", &[uploader])],
        ),
        bucket(
            "patient-exports-tmp",
            "protected",
            false,
            vec![binding(
                "roles/storage.objectViewer",
                &[uploader, "allAuthenticatedUsers"],
            )],
        ),
    ];
    // The temporary export bucket was never given usage logs.
    buckets[2].logging_bucket = None;
    inv.gcp_storage_buckets = buckets;
}

fn bucket(name: &str, class: &str, uniform: bool, bindings: Vec<IamBinding>) -> StorageBucket {
    StorageBucket {
        resource: ResourceRef::new(
            ResourceKind::GcpStorageBucket,
            P,
            REGION,
            format!("//storage.googleapis.com/{name}"),
            name,
        )
        .with_tag("data-classification", class),
        iam_bindings: bindings,
        uniform_bucket_level_access: uniform,
        public_access_prevention: Some(if uniform { "enforced" } else { "inherited" }.into()),
        default_kms_key_name: uniform.then(|| kms_key_name("storage-key")),
        versioning_enabled: uniform,
        retention_period_seconds: None,
        logging_bucket: Some("janus-hcp-access-logs".into()),
    }
}
