use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::FirestoreDatabase;


declare_check! {
    /// ## What it checks
    /// Every Firestore database (Native or Datastore mode) is encrypted at rest with a
    /// customer-managed Cloud KMS key (`cmekConfig.kmsKeyName`); one with Google-managed
    /// keys FAILs, whatever `params.require_customer_managed_keys` says. Unlike disks,
    /// buckets or Spanner instances, Firestore databases carry no labels, so no
    /// `data-classification` can tell a database of protected data from another one: a
    /// document database holds application records, and phiscan assumes they may be ePHI.
    /// Waive the finding for a database that holds none.
    ///
    /// ## Why it matters
    /// Janus HCP keeps ePHI in Datastore and promises encryption at rest (encryption and
    /// decryption, 45 CFR 164.312(a)(2)(iv)); a customer-managed key lets the covered entity
    /// audit, revoke and destroy access to the data.
    ///
    /// ## Evidence
    /// `key_type`, `kms_key_name` and `database_type`.
    ///
    /// ## Remediation
    /// CMEK is chosen when a database is created: `gcloud firestore databases create
    /// --database=<db> --location=<loc> --kms-key-name=projects/<p>/locations/<loc>/keyRings/<ring>/cryptoKeys/<key>`,
    /// then export the old database and import it into the new one.
    pub struct FirestoreCmek {
        id: "gcp-firestore-cmek",
        title: "Firestore databases use customer-managed keys",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpFirestoreDatabase],
        controls: [EncryptionDecryption],
    }
}

impl Check for FirestoreCmek {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<FirestoreDatabase>()
            .iter()
            .map(|d| {
                let key = d.kms_key_name.as_deref().map(str::trim).filter(|k| !k.is_empty());
                let reason = match key {
                    Some(k) => format!("The database is encrypted with customer-managed Cloud KMS key {k}."),
                    None => "The database is encrypted with Google-managed keys; Firestore databases carry no classification label, so every one must use a customer-managed key.".to_string(),
                };
                ctx.verdict(key.is_some(), &d.resource)
                    .evidence("key_type", if key.is_some() { "cmek" } else { "google-managed" })
                    .evidence("kms_key_name", key)
                    .evidence("database_type", &d.database_type)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp_stores::firestore_database;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn google_managed_keys_fail() {
        let mut google = firestore_database("google");
        google.kms_key_name = None;
        let mut blank = firestore_database("blank");
        blank.kms_key_name = Some(" ".into());
        let mut inv = Inventory::new();
        inv.gcp_firestore_databases = vec![firestore_database("cmek"), google, blank];
        let f = run(&FirestoreCmek, &inv);
        assert_eq!(f.status_of("cmek"), Status::Pass);
        assert_eq!(f.evidence_of("cmek", "key_type"), "cmek");
        assert_eq!(f.status_of("google"), Status::Fail);
        assert_eq!(f.evidence_of("google", "key_type"), "google-managed");
        assert_eq!(f.status_of("blank"), Status::Fail);
    }
}
