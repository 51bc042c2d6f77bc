use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::StorageBucket;

declare_check! {
    /// ## What it checks
    /// Reports whether each Cloud Storage bucket encrypts new objects with a default
    /// customer-managed Cloud KMS key (`encryption.defaultKmsKeyName`) or with
    /// Google-managed keys. Every object is encrypted at rest by Google; the question is who
    /// controls the key.
    ///
    /// A customer-managed default key is demanded when `params.require_customer_managed_keys`
    /// is true **or** the bucket is labelled `data-classification=protected` (value compared
    /// case-insensitively). Such a bucket FAILs without one. Every other bucket PASSes, with
    /// its key as evidence. The default key applies to objects written without a key of
    /// their own; objects written earlier, or with their own key, are not read.
    ///
    /// ## Why it matters
    /// The Security Rule's encryption specification (45 CFR 164.312(a)(2)(iv)) asks for a
    /// mechanism to encrypt and decrypt ePHI, and Janus HCP's data classification puts PHI
    /// in its most restricted class. A key the customer controls lets access to the bucket's
    /// objects be audited and revoked, and the data be crypto-shredded by destroying the key.
    ///
    /// ## Evidence
    /// `default_kms_key_name` (or null), `data_classification` (the label, or null),
    /// `require_customer_managed_keys` and `customer_key_demanded`.
    ///
    /// ## Remediation
    /// Grant the Cloud Storage service agent `roles/cloudkms.cryptoKeyEncrypterDecrypter` on
    /// the key, then `gcloud storage buckets update gs://<bucket>
    /// --default-encryption-key=projects/<p>/locations/<loc>/keyRings/<ring>/cryptoKeys/<key>`;
    /// rewrite existing objects with `gcloud storage objects update gs://<bucket>/**
    /// --encryption-key=<key>` so they use it too.
    pub struct StorageBucketCmek {
        id: "gcp-storage-bucket-cmek",
        title: "Cloud Storage buckets holding protected data use customer-managed keys",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpStorageBucket],
        controls: [EncryptionDecryption],
    }
}

const CLASSIFICATION_LABEL: &str = "data-classification";

impl Check for StorageBucketCmek {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let required = ctx.config.params.require_customer_managed_keys;
        ctx.resources::<StorageBucket>()
            .iter()
            .map(|b| {
                let class = b.resource.tags.get(CLASSIFICATION_LABEL);
                let protected = class.is_some_and(|c| c.trim().eq_ignore_ascii_case("protected"));
                let demanded_by = match (required, protected) {
                    (true, _) => Some("params.require_customer_managed_keys is true"),
                    (false, true) => Some("the bucket is labelled data-classification=protected"),
                    (false, false) => None,
                };
                let key = b.default_kms_key_name.as_deref().map(str::trim).filter(|k| !k.is_empty());
                let (ok, reason) = match (key, demanded_by) {
                    (Some(k), _) => (true, format!("New objects are encrypted with customer-managed Cloud KMS key {k}.")),
                    (None, Some(why)) => (
                        false,
                        format!("The bucket has no default customer-managed key (Google-managed encryption), but one is required because {why}."),
                    ),
                    (None, None) => (
                        true,
                        "The bucket uses Google-managed keys, and neither the config nor a data-classification=protected label demands a customer-managed key.".to_string(),
                    ),
                };
                ctx.verdict(ok, &b.resource)
                    .evidence("default_kms_key_name", key)
                    .evidence("data_classification", class)
                    .evidence("require_customer_managed_keys", required)
                    .evidence("customer_key_demanded", demanded_by.is_some())
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::storage_bucket;
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};

    fn with(id: &str, class: Option<&str>, key: Option<&str>) -> StorageBucket {
        let mut b = storage_bucket(id);
        if let Some(c) = class {
            b.resource = b.resource.with_tag(CLASSIFICATION_LABEL, c);
        }
        b.default_kms_key_name = key.map(str::to_string);
        b
    }

    #[test]
    fn protected_buckets_need_a_customer_key() {
        let key = "projects/p/locations/us/keyRings/r/cryptoKeys/storage";
        let mut inv = Inventory::new();
        inv.gcp_storage_buckets = vec![
            with("cmek", Some("protected"), Some(key)),
            with("google-protected", Some("PROTECTED"), None),
            with("google-internal", Some("internal"), None),
            with("google-unlabelled", None, None),
        ];
        let f = run(&StorageBucketCmek, &inv);
        assert_eq!(f.status_of("cmek"), Status::Pass);
        assert_eq!(f.evidence_of("cmek", "default_kms_key_name"), key);
        assert_eq!(f.status_of("google-protected"), Status::Fail);
        assert_eq!(f.status_of("google-internal"), Status::Pass);
        assert_eq!(f.status_of("google-unlabelled"), Status::Pass);

        let mut config = Config::default();
        config.params.require_customer_managed_keys = true;
        let f = run_with(&StorageBucketCmek, &inv, &config);
        assert_eq!(f.status_of("google-unlabelled"), Status::Fail);
        assert!(f
            .of("google-unlabelled")
            .reason
            .contains("require_customer_managed_keys"));
        assert_eq!(f.status_of("cmek"), Status::Pass);
    }
}
