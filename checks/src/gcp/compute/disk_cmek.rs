use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::{ComputeDisk, DiskEncryption};

declare_check! {
    /// ## What it checks
    /// Reports how every Compute Engine persistent disk is encrypted: `google-managed`,
    /// `cmek` (with the Cloud KMS key name) or `csek` (a customer-supplied key). Every disk
    /// is encrypted at rest by Google; the question is who controls the key.
    ///
    /// A disk must be encrypted with a key the customer controls when
    /// `params.require_customer_managed_keys` is true **or** the disk carries the label
    /// `data-classification=protected` (value compared case-insensitively). Such a disk
    /// FAILs when it uses Google-managed keys. Every other disk PASSes, with its key type as
    /// evidence.
    ///
    /// CSEK satisfies the demand. A customer-*supplied* key is not a Cloud KMS key, but the
    /// customer holds it and Google cannot decrypt the disk without it, which is at least as
    /// much control as CMEK gives; the reason names it as CSEK so an auditor sees the
    /// difference.
    ///
    /// ## Why it matters
    /// The Security Rule's encryption specification (45 CFR 164.312(a)(2)(iv)) asks for a
    /// mechanism to encrypt and decrypt ePHI. Janus HCP promises that "all hard drives are
    /// encrypted so data at rest is also encrypted", and its data classification puts PHI
    /// and medical records in the "Protected" class, the most restricted one. phiscan reads
    /// a `data-classification=protected` label as a demand that the disk's key be under the
    /// customer's control, so access to the key can be audited, revoked and rotated and the
    /// data crypto-shredded by destroying it.
    ///
    /// ## Evidence
    /// `key_type` (`google-managed`, `cmek`, `csek`), `kms_key_name`, `data_classification`
    /// (the label, or null), `require_customer_managed_keys`, `customer_key_demanded`,
    /// `status` and `users` (the instances using the disk).
    ///
    /// ## Remediation
    /// A disk's key cannot be changed in place: snapshot the disk, create a new disk from
    /// the snapshot with `gcloud compute disks create <name> --source-snapshot=<snap>
    /// --kms-key=projects/<p>/locations/<loc>/keyRings/<ring>/cryptoKeys/<key>`, swap it into
    /// the instance, then delete the old disk and snapshot. Grant the Compute Engine service
    /// agent `roles/cloudkms.cryptoKeyEncrypterDecrypter` on the key first.
    pub struct DiskCmek {
        id: "gcp-compute-disk-cmek",
        title: "Persistent disks holding protected data use customer-managed keys",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpComputeDisk],
        controls: [EncryptionDecryption],
    }
}

/// The label whose value `protected` demands a customer-controlled key.
const CLASSIFICATION_LABEL: &str = "data-classification";

impl Check for DiskCmek {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let required = ctx.config.params.require_customer_managed_keys;
        ctx.resources::<ComputeDisk>()
            .iter()
            .map(|d| {
                let classification = d.resource.tags.get(CLASSIFICATION_LABEL);
                let protected = classification.is_some_and(|c| c.trim().eq_ignore_ascii_case("protected"));
                let demanded_by = match (required, protected) {
                    (true, _) => Some("params.require_customer_managed_keys is true"),
                    (false, true) => Some("the disk is labelled data-classification=protected"),
                    (false, false) => None,
                };
                let kms_key_name = match &d.encryption {
                    DiskEncryption::Cmek { kms_key_name } => Some(kms_key_name.as_str()),
                    _ => None,
                };
                let (ok, reason) = match (&d.encryption, demanded_by) {
                    (DiskEncryption::Cmek { kms_key_name }, _) => {
                        (true, format!("The disk is encrypted with customer-managed Cloud KMS key {kms_key_name}."))
                    }
                    (DiskEncryption::Csek, _) => (
                        true,
                        "The disk is encrypted with a customer-supplied key (CSEK), which the customer controls.".to_string(),
                    ),
                    (DiskEncryption::GoogleManaged, Some(why)) => (
                        false,
                        format!("The disk is encrypted with Google-managed keys, but a customer-managed key is required because {why}."),
                    ),
                    (DiskEncryption::GoogleManaged, None) => (
                        true,
                        "The disk is encrypted with Google-managed keys, and neither the config nor a data-classification=protected label demands a customer-managed key.".to_string(),
                    ),
                };
                ctx.verdict(ok, &d.resource)
                    .evidence("key_type", d.encryption.label())
                    .evidence("kms_key_name", kms_key_name)
                    .evidence("data_classification", classification)
                    .evidence("require_customer_managed_keys", required)
                    .evidence("customer_key_demanded", demanded_by.is_some())
                    .evidence("status", &d.status)
                    .evidence("users", &d.users)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::compute_disk;
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};

    fn disk(id: &str, encryption: DiskEncryption, classification: Option<&str>) -> ComputeDisk {
        let mut d = compute_disk(id);
        if let Some(c) = classification {
            d.resource = d.resource.with_tag(CLASSIFICATION_LABEL, c);
        }
        d.encryption = encryption;
        d
    }

    fn cmek() -> DiskEncryption {
        DiskEncryption::Cmek {
            kms_key_name: "projects/proj-1/locations/us-central1/keyRings/r/cryptoKeys/k".into(),
        }
    }

    fn estate() -> Inventory {
        let mut inv = Inventory::new();
        inv.gcp_compute_disks = vec![
            disk("gm-plain", DiskEncryption::GoogleManaged, None),
            disk(
                "gm-internal",
                DiskEncryption::GoogleManaged,
                Some("internal"),
            ),
            disk(
                "gm-protected",
                DiskEncryption::GoogleManaged,
                Some("Protected"),
            ),
            disk("cmek-protected", cmek(), Some("protected")),
            disk("csek-protected", DiskEncryption::Csek, Some("protected")),
        ];
        inv
    }

    #[test]
    fn default_config_demands_customer_keys_only_for_protected_disks() {
        let f = run(&DiskCmek, &estate());
        assert_eq!(f.status_of("gm-plain"), Status::Pass);
        assert_eq!(f.evidence_of("gm-plain", "key_type"), "google-managed");
        assert_eq!(f.status_of("gm-internal"), Status::Pass);
        assert_eq!(f.status_of("gm-protected"), Status::Fail);
        assert!(f
            .of("gm-protected")
            .reason
            .contains("data-classification=protected"));
        assert_eq!(f.status_of("cmek-protected"), Status::Pass);
        assert_eq!(f.evidence_of("cmek-protected", "key_type"), "cmek");
        assert!(f
            .evidence_of("cmek-protected", "kms_key_name")
            .as_str()
            .is_some_and(|k| k.ends_with("/k")));
        assert_eq!(f.status_of("csek-protected"), Status::Pass);
        assert!(f.of("csek-protected").reason.contains("CSEK"));
    }

    #[test]
    fn config_demand_applies_to_every_disk() {
        let mut config = Config::default();
        config.params.require_customer_managed_keys = true;
        let f = run_with(&DiskCmek, &estate(), &config);
        assert_eq!(f.status_of("gm-plain"), Status::Fail);
        assert_eq!(f.status_of("gm-internal"), Status::Fail);
        assert!(f
            .of("gm-plain")
            .reason
            .contains("require_customer_managed_keys"));
        assert_eq!(f.status_of("cmek-protected"), Status::Pass);
        assert_eq!(f.status_of("csek-protected"), Status::Pass);
    }
}
