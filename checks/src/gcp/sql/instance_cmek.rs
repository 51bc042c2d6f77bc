use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::SqlInstance;

declare_check! {
    /// ## What it checks
    /// Reports whether each Cloud SQL instance's data is encrypted with a customer-managed
    /// Cloud KMS key (`diskEncryptionConfiguration.kmsKeyName`) or with Google-managed keys.
    /// Every instance is encrypted at rest by Google; the question is who controls the key.
    ///
    /// A customer-managed key is demanded when `params.require_customer_managed_keys` is
    /// true **or** the instance carries the label `data-classification=protected` (value
    /// compared case-insensitively). Such an instance FAILs with Google-managed keys. Every
    /// other instance PASSes, with its key as evidence. Cloud SQL sets the key at creation
    /// only, so an instance without one reports none.
    ///
    /// ## Why it matters
    /// The Security Rule's encryption specification (45 CFR 164.312(a)(2)(iv)) asks for a
    /// mechanism to encrypt and decrypt ePHI, and Janus HCP's data classification puts PHI
    /// in its most restricted class. A key the customer controls lets access to the
    /// database's data be audited and revoked, and the data be crypto-shredded by destroying
    /// the key; backups made from the instance use the same key.
    ///
    /// ## Evidence
    /// `kms_key_name` (or null), `data_classification` (the label, or null),
    /// `require_customer_managed_keys`, `customer_key_demanded` and `database_version`.
    ///
    /// ## Remediation
    /// The key cannot be added to an existing instance: create a CMEK instance with
    /// `gcloud sql instances create <new> --disk-encryption-key=projects/<p>/locations/<loc>/keyRings/<ring>/cryptoKeys/<key>`
    /// after granting the Cloud SQL service agent `roles/cloudkms.cryptoKeyEncrypterDecrypter`
    /// on the key, migrate the data (export/import or Database Migration Service), switch
    /// clients over and delete the old instance.
    pub struct SqlInstanceCmek {
        id: "gcp-sql-instance-cmek",
        title: "Cloud SQL instances holding protected data use customer-managed keys",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpSqlInstance],
        controls: [EncryptionDecryption],
    }
}

const CLASSIFICATION_LABEL: &str = "data-classification";

impl Check for SqlInstanceCmek {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let required = ctx.config.params.require_customer_managed_keys;
        ctx.resources::<SqlInstance>()
            .iter()
            .map(|i| {
                let class = i.resource.tags.get(CLASSIFICATION_LABEL);
                let protected = class.is_some_and(|c| c.trim().eq_ignore_ascii_case("protected"));
                let demanded_by = match (required, protected) {
                    (true, _) => Some("params.require_customer_managed_keys is true"),
                    (false, true) => Some("the instance is labelled data-classification=protected"),
                    (false, false) => None,
                };
                let key = i.kms_key_name.as_deref().map(str::trim).filter(|k| !k.is_empty());
                let (ok, reason) = match (key, demanded_by) {
                    (Some(k), _) => (true, format!("The instance is encrypted with customer-managed Cloud KMS key {k}.")),
                    (None, Some(why)) => (
                        false,
                        format!("The instance is encrypted with Google-managed keys, but a customer-managed key is required because {why}."),
                    ),
                    (None, None) => (
                        true,
                        "The instance is encrypted with Google-managed keys, and neither the config nor a data-classification=protected label demands a customer-managed key.".to_string(),
                    ),
                };
                ctx.verdict(ok, &i.resource)
                    .evidence("kms_key_name", key)
                    .evidence("data_classification", class)
                    .evidence("require_customer_managed_keys", required)
                    .evidence("customer_key_demanded", demanded_by.is_some())
                    .evidence("database_version", &i.database_version)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::sql_instance;
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};

    fn with(id: &str, class: Option<&str>, key: Option<&str>) -> SqlInstance {
        let mut i = sql_instance(id);
        if let Some(c) = class {
            i.resource = i.resource.with_tag("data-classification", c);
        }
        i.kms_key_name = key.map(str::to_string);
        i
    }

    #[test]
    fn protected_instances_need_a_customer_key() {
        let key = "projects/p/locations/us-central1/keyRings/r/cryptoKeys/sql";
        let mut inv = Inventory::new();
        inv.gcp_sql_instances = vec![
            with("cmek", Some("protected"), Some(key)),
            with("google-protected", Some("PROTECTED"), None),
            with("google-internal", Some("internal"), None),
            with("google-unlabelled", None, None),
            with("blank-key", Some("protected"), Some(" ")),
        ];
        let f = run(&SqlInstanceCmek, &inv);
        assert_eq!(f.status_of("cmek"), Status::Pass);
        assert_eq!(f.evidence_of("cmek", "kms_key_name"), key);
        assert_eq!(f.status_of("google-protected"), Status::Fail);
        assert!(f
            .of("google-protected")
            .reason
            .contains("labelled data-classification=protected"));
        assert_eq!(f.status_of("google-internal"), Status::Pass);
        assert_eq!(f.status_of("google-unlabelled"), Status::Pass);
        assert_eq!(f.status_of("blank-key"), Status::Fail);

        let mut config = Config::default();
        config.params.require_customer_managed_keys = true;
        let f = run_with(&SqlInstanceCmek, &inv, &config);
        assert_eq!(f.status_of("google-internal"), Status::Fail);
        assert_eq!(f.status_of("cmek"), Status::Pass);
    }
}
