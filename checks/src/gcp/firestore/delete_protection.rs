use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use crate::gcp::shared::setting_is;
use phiscan_core::model::gcp::FirestoreDatabase;

declare_check! {
    /// ## What it checks
    /// Every Firestore database has delete protection on (`deleteProtectionState` is
    /// `DELETE_PROTECTION_ENABLED`). Any other value, or none reported, FAILs.
    ///
    /// ## Why it matters
    /// Deleting a database deletes every document in it at once; delete protection makes
    /// that a two-step act. It guards ePHI against improper destruction (integrity, 45 CFR
    /// 164.312(c)(1)) and keeps the data available for the contingency plan
    /// (164.308(a)(7)(ii)(B)).
    ///
    /// ## Evidence
    /// `delete_protection` and `database_type`.
    ///
    /// ## Remediation
    /// `gcloud firestore databases update --database=<db> --delete-protection`.
    pub struct FirestoreDeleteProtection {
        id: "gcp-firestore-delete-protection",
        title: "Firestore databases have delete protection on",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpFirestoreDatabase],
        controls: [Integrity, DisasterRecoveryPlan],
    }
}

impl Check for FirestoreDeleteProtection {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<FirestoreDatabase>()
            .iter()
            .map(|d| {
                setting_is(
                    ctx,
                    &d.resource,
                    "delete_protection",
                    d.delete_protection.as_deref(),
                    "DELETE_PROTECTION_ENABLED",
                    "Delete protection is enabled.",
                    "Delete protection is not enabled: one call deletes the database and every document in it",
                )
                .evidence("database_type", &d.database_type)
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
    fn only_enabled_passes() {
        let mut off = firestore_database("off");
        off.delete_protection = Some("DELETE_PROTECTION_DISABLED".into());
        let mut unknown = firestore_database("unknown");
        unknown.delete_protection = None;
        let mut inv = Inventory::new();
        inv.gcp_firestore_databases = vec![firestore_database("on"), off, unknown];
        let f = run(&FirestoreDeleteProtection, &inv);
        assert_eq!(f.status_of("on"), Status::Pass);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert_eq!(f.status_of("unknown"), Status::Fail);
        assert!(f.of("unknown").reason.contains("not reported"));
    }
}
