//! Cloud KMS keys.

use chrono::{DateTime, Duration, Utc};

use super::{binding, kms_key_name, P, REGION};
use crate::model::gcp::KmsKey;
use crate::model::{Inventory, ResourceKind, ResourceRef};

const DAY: i64 = 86_400;

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    let compute_agent =
        "serviceAccount:service-418802339120@compute-system.iam.gserviceaccount.com";
    let mut disk_key = key("ehr-disk-key", "ENCRYPT_DECRYPT", Some(90), "ENABLED", now);
    disk_key.iam_bindings = vec![binding(
        "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        &[compute_agent],
    )];
    // A partner was given the public key "to verify tokens", to every Google account.
    let mut signing = key("api-token-signing", "ASYMMETRIC_SIGN", None, "ENABLED", now);
    signing.iam_bindings = vec![binding(
        "roles/cloudkms.publicKeyViewer",
        &["allAuthenticatedUsers"],
    )];
    inv.gcp_kms_keys = vec![
        disk_key,
        key("cloudsql-key", "ENCRYPT_DECRYPT", Some(30), "ENABLED", now),
        key("storage-key", "ENCRYPT_DECRYPT", None, "ENABLED", now),
        key(
            "logstash-archive-key",
            "ENCRYPT_DECRYPT",
            Some(365),
            "ENABLED",
            now,
        ),
        signing,
        key("legacy-2019-key", "ENCRYPT_DECRYPT", None, "DESTROYED", now),
    ];
}

fn key(
    name: &str,
    purpose: &str,
    rotation_days: Option<i64>,
    state: &str,
    now: DateTime<Utc>,
) -> KmsKey {
    KmsKey {
        resource: ResourceRef::new(
            ResourceKind::GcpKmsKey,
            P,
            REGION,
            format!("//cloudkms.googleapis.com/{}", kms_key_name(name)),
            name,
        ),
        purpose: purpose.into(),
        rotation_period_seconds: rotation_days.map(|d| d * DAY),
        next_rotation_time: rotation_days.map(|d| now + Duration::days(d / 3)),
        primary_state: Some(state.into()),
        iam_bindings: vec![],
    }
}
