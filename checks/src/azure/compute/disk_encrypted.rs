use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::Disk;
use phiscan_core::model::Tags;

declare_check! {
    /// ## What it checks
    /// Every managed disk is encrypted at rest by Azure server-side encryption (SSE), and
    /// with a customer-managed key where one is demanded. `encryption.type` decides:
    /// `EncryptionAtRestWithPlatformKey` is a platform (Microsoft-managed) key;
    /// `EncryptionAtRestWithCustomerKey` and `EncryptionAtRestWithPlatformAndCustomerKeys`
    /// involve a customer-managed key held in a disk encryption set.
    ///
    /// A customer-managed key is demanded when `params.require_customer_managed_keys` is
    /// set, or when the disk is tagged `data-classification = protected` (tag name and value
    /// compared case-insensitively, as Azure compares tag names). That tag rule is
    /// phiscan's reading of the data classification taxonomy (Protected = PHI, PII, EMR):
    /// Protected data must be encrypted under keys the customer controls, so Qolty can
    /// revoke or rotate them; it is stricter than the hosting policies' wording, which only
    /// promise that drives are encrypted. A disk that needs a customer key but has a
    /// platform key only FAILs; otherwise an SSE-encrypted disk PASSes.
    ///
    /// A disk whose `encryption.type` ARM did not report FAILs: phiscan cannot show the
    /// disk is encrypted from nothing (even when a disk encryption set id is present, the
    /// type is what says how it is used). An unrecognised type string counts as "no
    /// customer key proven". Azure Disk Encryption (guest BitLocker/dm-crypt) is reported as
    /// evidence only: it is encryption inside the VM, not the at-rest encryption checked here.
    ///
    /// ## Why it matters
    /// Disks hold the ePHI that VMs write. The encryption specification (45 CFR
    /// 164.312(a)(2)(iv)) and Qolty's promise that "all hard drives are encrypted so data at
    /// rest is also encrypted" need evidence per disk, and the key type says who can decrypt.
    ///
    /// ## Evidence
    /// `encryption_type`, `key_type` (`platform`, `customer`, `platform+customer`, `unknown`
    /// or null), `disk_encryption_set_id`, `ade_enabled`, `data_classification`,
    /// `customer_key_required_by` (which rule demands a customer key, empty when none),
    /// `disk_state` and `managed_by`.
    ///
    /// ## Remediation
    /// Create a disk encryption set over a Key Vault key
    /// (`az disk-encryption-set create --key-url ... --source-vault ...`), grant it access
    /// to the vault, then move the disk to it: deallocate the VM and run
    /// `az disk update -n <disk> -g <rg> --encryption-type EncryptionAtRestWithCustomerKey
    /// --disk-encryption-set <des-id>`. Assign an Azure Policy that audits or denies disks
    /// without a customer-managed key on resource groups holding Protected data.
    pub struct DiskEncrypted {
        id: "azure-disk-encrypted",
        title: "Managed disks are encrypted at rest (customer key where demanded)",
        severity: High,
        provider: Azure,
        kinds: [AzureDisk],
        controls: [EncryptionDecryption],
    }
}

/// The key behind a disk's SSE, from `encryption.type` (compared case-insensitively).
fn key_type(encryption_type: &str) -> &'static str {
    match encryption_type.to_ascii_lowercase().as_str() {
        "encryptionatrestwithplatformkey" => "platform",
        "encryptionatrestwithcustomerkey" => "customer",
        "encryptionatrestwithplatformandcustomerkeys" => "platform+customer",
        _ => "unknown",
    }
}

/// The `data-classification` tag value; Azure tag names are case-insensitive.
fn classification(tags: &Tags) -> Option<&str> {
    tags.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("data-classification"))
        .map(|(_, v)| v.as_str())
}

impl Check for DiskEncrypted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<Disk>()
            .iter()
            .map(|d| {
                let class = classification(&d.resource.tags);
                let mut required_by = Vec::new();
                if ctx.config.params.require_customer_managed_keys {
                    required_by.push("params.require_customer_managed_keys");
                }
                if class.is_some_and(|c| c.trim().eq_ignore_ascii_case("protected")) {
                    required_by.push("data-classification=protected");
                }
                let key = d.encryption_type.as_deref().map(key_type);
                let customer = matches!(key, Some("customer" | "platform+customer"));
                let (ok, reason) = match (&d.encryption_type, key) {
                    (None, _) => (
                        false,
                        match &d.disk_encryption_set_id {
                            Some(des) => format!("ARM did not report the disk's encryption.type (disk encryption set {des} is referenced), so how the disk is encrypted at rest cannot be shown."),
                            None => "ARM did not report the disk's encryption.type, so its encryption at rest cannot be shown.".to_string(),
                        },
                    ),
                    (Some(t), _) if !required_by.is_empty() && !customer => (
                        false,
                        format!(
                            "The disk is encrypted with {t}, but a customer-managed key is required ({}).",
                            required_by.join(", ")
                        ),
                    ),
                    (Some(t), Some(k)) => (
                        true,
                        match &d.disk_encryption_set_id {
                            Some(des) if customer => format!(
                                "The disk is encrypted at rest with {t} ({k} key) through disk encryption set {des}."
                            ),
                            _ => format!("The disk is encrypted at rest with {t} ({k} key)."),
                        },
                    ),
                    (Some(t), None) => (true, format!("The disk is encrypted at rest with {t}.")),
                };
                ctx.verdict(ok, &d.resource)
                    .evidence("encryption_type", &d.encryption_type)
                    .evidence("key_type", key)
                    .evidence("disk_encryption_set_id", &d.disk_encryption_set_id)
                    .evidence("ade_enabled", d.ade_enabled)
                    .evidence("data_classification", class)
                    .evidence("customer_key_required_by", &required_by)
                    .evidence("disk_state", &d.disk_state)
                    .evidence("managed_by", &d.managed_by)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};
    use serde_json::json;

    const PLATFORM: &str = "EncryptionAtRestWithPlatformKey";
    const CUSTOMER: &str = "EncryptionAtRestWithCustomerKey";

    fn disk(id: &str, enc: Option<&str>, class: Option<&str>) -> Disk {
        let mut d = testing::azure::disk(id);
        if let Some(c) = class {
            d.resource = d.resource.with_tag("data-classification", c);
        }
        d.encryption_type = enc.map(Into::into);
        d.disk_encryption_set_id = (enc == Some(CUSTOMER)).then(|| "des-1".into());
        d
    }

    fn inventory() -> Inventory {
        let mut inv = Inventory::new();
        inv.azure_disks = vec![
            disk("platform-untagged", Some(PLATFORM), None),
            disk("platform-internal", Some(PLATFORM), Some("internal")),
            disk("platform-protected", Some(PLATFORM), Some("Protected")),
            disk("customer-protected", Some(CUSTOMER), Some("protected")),
            disk(
                "double-protected",
                Some("EncryptionAtRestWithPlatformAndCustomerKeys"),
                Some("PROTECTED"),
            ),
            disk("unknown-protected", Some("SomethingNew"), Some("protected")),
            disk("not-reported", None, None),
            Disk {
                disk_encryption_set_id: Some("des-2".into()),
                ..disk("des-only", None, Some("protected"))
            },
        ];
        inv
    }

    #[test]
    fn protected_tag_demands_customer_key() {
        let f = run(&DiskEncrypted, &inventory());
        assert_eq!(f.status_of("platform-untagged"), Status::Pass);
        assert_eq!(f.status_of("platform-internal"), Status::Pass);
        assert_eq!(f.status_of("platform-protected"), Status::Fail);
        assert_eq!(f.status_of("customer-protected"), Status::Pass);
        assert_eq!(f.status_of("double-protected"), Status::Pass);
        assert_eq!(f.status_of("unknown-protected"), Status::Fail);
        assert_eq!(
            f.evidence_of("platform-protected", "key_type"),
            json!("platform")
        );
        assert_eq!(
            f.evidence_of("platform-protected", "customer_key_required_by"),
            json!(["data-classification=protected"])
        );
        assert_eq!(
            f.evidence_of("customer-protected", "disk_encryption_set_id"),
            json!("des-1")
        );
    }

    #[test]
    fn unreported_encryption_type_fails() {
        let f = run(&DiskEncrypted, &inventory());
        assert_eq!(f.status_of("not-reported"), Status::Fail);
        assert!(f.of("not-reported").reason.contains("did not report"));
        assert_eq!(
            f.evidence_of("not-reported", "encryption_type"),
            json!(null)
        );
        assert_eq!(f.status_of("des-only"), Status::Fail);
        assert!(f.of("des-only").reason.contains("des-2 is referenced"));
    }

    #[test]
    fn parameter_demands_customer_key_everywhere() {
        let mut config = Config::default();
        config.params.require_customer_managed_keys = true;
        let f = run_with(&DiskEncrypted, &inventory(), &config);
        assert_eq!(f.status_of("platform-untagged"), Status::Fail);
        assert_eq!(f.status_of("customer-protected"), Status::Pass);
        assert_eq!(
            f.evidence_of("platform-protected", "customer_key_required_by"),
            json!([
                "params.require_customer_managed_keys",
                "data-classification=protected"
            ])
        );
    }
}
