use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::SpannerDatabase;

use crate::gcp::shared::cmek;

declare_check! {
    /// ## What it checks
    /// Reports how every Cloud Spanner database is encrypted at rest: `cmek` (with the
    /// Cloud KMS key of `encryptionConfig`) or `google-managed`. A database must use a
    /// customer-managed key when `params.require_customer_managed_keys` is true or its
    /// instance is labelled `data-classification=protected`; such a database FAILs with
    /// Google-managed keys. Every other database PASSes with its key type as evidence, as
    /// `gcp-compute-disk-cmek` does for disks.
    ///
    /// ## Why it matters
    /// Janus HCP keeps ePHI in Cloud Spanner and promises encryption at rest (encryption
    /// and decryption, 45 CFR 164.312(a)(2)(iv)). Google encrypts every database; a key the
    /// customer holds is what lets access to the data be audited, revoked and
    /// crypto-shredded for the Protected class.
    ///
    /// ## Evidence
    /// `key_type`, `kms_key_name`, `data_classification`, `require_customer_managed_keys`,
    /// `customer_key_demanded` and `state`.
    ///
    /// ## Remediation
    /// A database's key is set when it is created: create a new database with
    /// `gcloud spanner databases create <db> --instance=<i> --kms-key=projects/<p>/locations/<loc>/keyRings/<ring>/cryptoKeys/<key>`
    /// and copy the data (or restore a backup into it with `--encryption-type=customer-managed-encryption`).
    pub struct SpannerDatabaseCmek {
        id: "gcp-spanner-database-cmek",
        title: "Spanner databases holding protected data use customer-managed keys",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpSpannerDatabase],
        controls: [EncryptionDecryption],
    }
}

impl Check for SpannerDatabaseCmek {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SpannerDatabase>()
            .iter()
            .map(|d| {
                cmek(ctx, &d.resource, d.kms_key_name.as_deref(), "The database")
                    .evidence("state", &d.state)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gcp::shared::CLASSIFICATION_LABEL;
    use crate::testing::gcp_stores::spanner_database;
    use crate::testing::{run, run_with};
    use phiscan_core::{Config, Inventory, Status};

    #[test]
    fn google_keys_fail_only_where_a_customer_key_is_demanded() {
        let mut google_protected = spanner_database("google-protected");
        google_protected.kms_key_name = None;
        google_protected.resource = google_protected
            .resource
            .with_tag(CLASSIFICATION_LABEL, "Protected");
        let mut google_plain = spanner_database("google-plain");
        google_plain.kms_key_name = None;
        let mut inv = Inventory::new();
        inv.gcp_spanner_databases = vec![spanner_database("cmek"), google_protected, google_plain];
        let f = run(&SpannerDatabaseCmek, &inv);
        assert_eq!(f.status_of("cmek"), Status::Pass);
        assert_eq!(f.evidence_of("cmek", "key_type"), "cmek");
        assert_eq!(f.status_of("google-protected"), Status::Fail);
        assert!(f.of("google-protected").reason.contains("protected"));
        assert_eq!(f.status_of("google-plain"), Status::Pass);
        assert_eq!(f.evidence_of("google-plain", "key_type"), "google-managed");

        let mut config = Config::default();
        config.params.require_customer_managed_keys = true;
        let f = run_with(&SpannerDatabaseCmek, &inv, &config);
        assert_eq!(f.status_of("google-plain"), Status::Fail);
        assert_eq!(f.status_of("cmek"), Status::Pass);
    }
}
