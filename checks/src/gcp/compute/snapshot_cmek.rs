use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::{ComputeDisk, ComputeSnapshot, DiskEncryption};

use super::disk_snapshots::{disks_by_path, resource_path};

declare_check! {
    /// ## What it checks
    /// Reports how every Compute Engine snapshot is encrypted (`snapshotEncryptionKey`):
    /// `google-managed`, `cmek` (with the Cloud KMS key name) or `csek`. Every snapshot is
    /// encrypted at rest by Google; the question is who controls the key.
    ///
    /// A customer-controlled key (CMEK, or CSEK as for disks) is demanded when
    /// `params.require_customer_managed_keys` is true, **or** the snapshot is labelled
    /// `data-classification=protected`, **or** its source disk (matched by URL among the
    /// collected disks) is labelled so: a snapshot is a copy of the disk's data whatever
    /// labels it was given. Such a snapshot FAILs with Google-managed keys. Every other
    /// snapshot PASSes (the default config demands nothing of unlabelled snapshots of
    /// unlabelled disks), with its key type as evidence. A source disk that was deleted
    /// cannot lend its label.
    ///
    /// ## Why it matters
    /// Janus HCP promises "daily snapshot backups" that are "securely encrypted"; a snapshot
    /// holds the same ePHI as its disk. The Security Rule's encryption specification
    /// (45 CFR 164.312(a)(2)(iv)) asks for a mechanism to encrypt and decrypt ePHI, and the
    /// data backup plan (164.308(a)(7)(ii)(A)) covers backup copies. A key the customer
    /// controls lets access to every copy be audited and revoked, and the copies be
    /// crypto-shredded by destroying the key.
    ///
    /// ## Evidence
    /// `key_type`, `kms_key_name`, `data_classification` (the snapshot's label, or null),
    /// `source_disk`, `source_disk_classification`, `require_customer_managed_keys`,
    /// `customer_key_demanded`, `storage_locations` and `status`.
    ///
    /// ## Remediation
    /// A snapshot's key cannot be changed: create a new disk from it, snapshot that disk with
    /// `gcloud compute snapshots create <name> --source-disk=<disk> --source-disk-zone=<zone>
    /// --kms-key=projects/<p>/locations/<loc>/keyRings/<ring>/cryptoKeys/<key>`, then delete
    /// the Google-managed snapshot. Set `--kms-key` on snapshot schedules so future
    /// snapshots use the key.
    pub struct SnapshotCmek {
        id: "gcp-compute-snapshot-cmek",
        title: "Snapshots of protected data use customer-managed keys",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpComputeSnapshot, GcpComputeDisk],
        controls: [EncryptionDecryption, DataBackupPlan],
    }
}

const CLASSIFICATION_LABEL: &str = "data-classification";


fn is_protected(label: Option<&String>) -> bool {
    label.is_some_and(|c| c.trim().eq_ignore_ascii_case("protected"))
}

impl Check for SnapshotCmek {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let required = ctx.config.params.require_customer_managed_keys;
        let disks = disks_by_path(ctx.resources::<ComputeDisk>());
        ctx.resources::<ComputeSnapshot>()
            .iter()
            .map(|s| {
                let class = s.resource.tags.get(CLASSIFICATION_LABEL);
                let source = s.source_disk.as_deref().and_then(resource_path);
                let disk_class = source
                    .and_then(|p| disks.get(p))
                    .and_then(|d| d.resource.tags.get(CLASSIFICATION_LABEL));
                let demanded_by = if required {
                    Some("params.require_customer_managed_keys is true")
                } else if is_protected(class) {
                    Some("the snapshot is labelled data-classification=protected")
                } else if is_protected(disk_class) {
                    Some("its source disk is labelled data-classification=protected")
                } else {
                    None
                };
                let kms_key_name = match &s.encryption {
                    DiskEncryption::Cmek { kms_key_name } => Some(kms_key_name.as_str()),
                    _ => None,
                };
                let (ok, reason) = match (&s.encryption, demanded_by) {
                    (DiskEncryption::Cmek { kms_key_name }, _) => (
                        true,
                        format!("The snapshot is encrypted with customer-managed Cloud KMS key {kms_key_name}."),
                    ),
                    (DiskEncryption::Csek, _) => (
                        true,
                        "The snapshot is encrypted with a customer-supplied key (CSEK), which the customer controls.".to_string(),
                    ),
                    (DiskEncryption::GoogleManaged, Some(why)) => (
                        false,
                        format!("The snapshot is encrypted with Google-managed keys, but a customer-managed key is required because {why}."),
                    ),
                    (DiskEncryption::GoogleManaged, None) => (
                        true,
                        "The snapshot is encrypted with Google-managed keys, and neither the config nor a data-classification=protected label (on it or its source disk) demands a customer-managed key.".to_string(),
                    ),
                };
                ctx.verdict(ok, &s.resource)
                    .evidence("key_type", s.encryption.label())
                    .evidence("kms_key_name", kms_key_name)
                    .evidence("data_classification", class)
                    .evidence("source_disk", &s.source_disk)
                    .evidence("source_disk_classification", disk_class)
                    .evidence("require_customer_managed_keys", required)
                    .evidence("customer_key_demanded", demanded_by.is_some())
                    .evidence("storage_locations", &s.storage_locations)
                    .evidence("status", &s.status)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::{compute_disk, compute_snapshot};
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};

    const DISK_URL: &str =
        "https://www.googleapis.com/compute/v1/projects/proj-1/zones/us-central1-a/disks/ehr-data";

    fn snapshot(id: &str, encryption: DiskEncryption, class: Option<&str>) -> ComputeSnapshot {
        let mut s = compute_snapshot(id);
        if let Some(c) = class {
            s.resource = s.resource.with_tag(CLASSIFICATION_LABEL, c);
        }
        s.encryption = encryption;
        s
    }

    fn estate() -> Inventory {
        let mut inv = Inventory::new();
        let mut disk = compute_disk(
            "//compute.googleapis.com/projects/proj-1/zones/us-central1-a/disks/ehr-data",
        );
        disk.resource = disk.resource.with_tag(CLASSIFICATION_LABEL, "protected");
        disk.status = None;
        inv.gcp_compute_disks = vec![disk];
        let mut of_protected_disk =
            snapshot("of-protected-disk", DiskEncryption::GoogleManaged, None);
        of_protected_disk.source_disk = Some(DISK_URL.into());
        let mut of_deleted_disk = snapshot("of-deleted-disk", DiskEncryption::GoogleManaged, None);
        of_deleted_disk.source_disk = Some(
            "https://www.googleapis.com/compute/v1/projects/proj-1/zones/us-central1-a/disks/gone"
                .into(),
        );
        inv.gcp_compute_snapshots = vec![
            snapshot("gm-plain", DiskEncryption::GoogleManaged, None),
            snapshot(
                "gm-protected",
                DiskEncryption::GoogleManaged,
                Some("Protected"),
            ),
            snapshot(
                "cmek-protected",
                DiskEncryption::Cmek {
                    kms_key_name: "projects/proj-1/locations/us/keyRings/r/cryptoKeys/k".into(),
                },
                Some("protected"),
            ),
            snapshot("csek-protected", DiskEncryption::Csek, Some("protected")),
            of_protected_disk,
            of_deleted_disk,
        ];
        inv
    }

    #[test]
    fn protected_snapshots_and_snapshots_of_protected_disks_need_customer_keys() {
        let f = run(&SnapshotCmek, &estate());
        assert_eq!(f.status_of("gm-plain"), Status::Pass);
        assert_eq!(f.status_of("gm-protected"), Status::Fail);
        assert_eq!(f.status_of("cmek-protected"), Status::Pass);
        assert_eq!(f.evidence_of("cmek-protected", "key_type"), "cmek");
        assert_eq!(f.status_of("csek-protected"), Status::Pass);
        assert_eq!(f.status_of("of-protected-disk"), Status::Fail);
        assert!(f.of("of-protected-disk").reason.contains("source disk"));
        assert_eq!(
            f.evidence_of("of-protected-disk", "source_disk_classification"),
            "protected"
        );
        assert_eq!(f.status_of("of-deleted-disk"), Status::Pass);
        // The disk is judged by its own check, not this one.
        assert_eq!(f.0.len(), 6);
    }

    #[test]
    fn config_demand_applies_to_every_snapshot() {
        let mut config = Config::default();
        config.params.require_customer_managed_keys = true;
        let f = run_with(&SnapshotCmek, &estate(), &config);
        assert_eq!(f.status_of("gm-plain"), Status::Fail);
        assert_eq!(f.status_of("of-deleted-disk"), Status::Fail);
        assert_eq!(f.status_of("cmek-protected"), Status::Pass);
    }
}
