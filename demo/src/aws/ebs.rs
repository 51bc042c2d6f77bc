//! EBS: volumes, snapshots and the per-region encryption-by-default setting.

use chrono::{DateTime, Duration, Utc};

use super::{
    arn_ref, ec2_ref, protected, strings, BACKUP, E1, EHR_APP, EHR_DATA_VOL, EHR_KEY, LEGACY_VOL,
    LEGACY_WORKER, PROD, W2,
};
use crate::model::aws::{EbsEncryptionDefault, EbsSnapshot, EbsVolume};
use crate::model::{Inventory, ResourceKind as K};

fn volume(id: &str, name: &str, key: Option<&str>, instance: &str) -> EbsVolume {
    EbsVolume {
        resource: protected(ec2_ref(K::AwsEbsVolume, E1, "volume", id, name)),
        encrypted: key.is_some(),
        kms_key_id: key.map(Into::into),
        state: "in-use".into(),
        size_gib: 200,
        attached_instances: strings(&[instance]),
    }
}

/// A private snapshot; snapshot ARNs carry no account id.
fn snapshot(region: &str, id: &str, name: &str, volume: &str, key: Option<&str>) -> EbsSnapshot {
    let arn = format!("arn:aws:ec2:{region}::snapshot/{id}");
    EbsSnapshot {
        resource: protected(arn_ref(K::AwsEbsSnapshot, PROD, region, arn, name)),
        encrypted: key.is_some(),
        kms_key_id: key.map(Into::into),
        volume_id: Some(volume.into()),
        start_time: DateTime::UNIX_EPOCH,
        state: "completed".into(),
        public: false,
        shared_with_accounts: vec![],
    }
}

fn encryption_default(account: &str, region: &str, key: Option<&str>) -> EbsEncryptionDefault {
    let arn = format!("arn:aws:ec2:{region}:{account}:ebs-encryption-by-default");
    let name = format!("EBS encryption by default ({account}/{region})");
    EbsEncryptionDefault {
        resource: arn_ref(K::AwsEbsEncryptionDefault, account, region, arn, &name),
        enabled: true,
        kms_key_id: key.map(Into::into),
    }
}

pub(super) fn add(inv: &mut Inventory, now: DateTime<Utc>) {
    // Turned on in the primary region only; the DR region was forgotten.
    let mut dr = encryption_default(PROD, W2, None);
    dr.enabled = false;
    inv.aws_ebs_encryption_defaults = vec![
        encryption_default(PROD, E1, Some(EHR_KEY)),
        dr,
        encryption_default(BACKUP, W2, None),
    ];
    inv.aws_ebs_volumes = vec![
        volume(
            "vol-0e1d2c3b4a5968778",
            "ehr-app-1-root",
            Some(EHR_KEY),
            EHR_APP,
        ),
        volume(EHR_DATA_VOL, "ehr-data", Some(EHR_KEY), EHR_APP),
        volume(LEGACY_VOL, "legacy-reporting-data", None, LEGACY_WORKER),
    ];
    // The nightly snapshot, shared with the backup account that copies it.
    let mut daily = snapshot(
        E1,
        "snap-0a1b2c3d4e5f67890",
        "ehr-data-daily",
        EHR_DATA_VOL,
        Some(EHR_KEY),
    );
    daily.start_time = now - Duration::hours(6);
    daily.shared_with_accounts = strings(&[BACKUP]);
    let mut dr_copy = snapshot(
        W2,
        "snap-0123456789abcdef0",
        "ehr-data-dr-copy",
        EHR_DATA_VOL,
        Some(EHR_KEY),
    );
    dr_copy.start_time = now - Duration::hours(5);
    // Made public "for a day" so a reporting vendor could copy it, six weeks ago.
    let mut export = snapshot(
        E1,
        "snap-0fedcba9876543210",
        "legacy-reporting-vendor-export",
        LEGACY_VOL,
        None,
    );
    export.start_time = now - Duration::days(41);
    export.public = true;
    inv.aws_ebs_snapshots = vec![daily, dr_copy, export];
}
