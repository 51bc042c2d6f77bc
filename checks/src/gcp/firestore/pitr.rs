use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use crate::gcp::shared::setting_is;
use phiscan_core::model::gcp::FirestoreDatabase;

declare_check! {
    /// ## What it checks
    /// Every Firestore database has point-in-time recovery on
    /// (`pointInTimeRecoveryEnablement` is `POINT_IN_TIME_RECOVERY_ENABLED`). Any other
    /// value, or none reported, FAILs.
    ///
    /// ## Why it matters
    /// With PITR, any version of the data from the last 7 days can be read back to the
    /// minute; without it, only the last hour. A bad write or an application bug that
    /// corrupts patient records is then recoverable (data backup plan, 45 CFR
    /// 164.308(a)(7)(ii)(A); integrity, 164.312(c)(1)).
    ///
    /// ## Evidence
    /// `point_in_time_recovery` and `database_type`.
    ///
    /// ## Remediation
    /// `gcloud firestore databases update --database=<db> --enable-pitr`.
    pub struct FirestorePitr {
        id: "gcp-firestore-pitr",
        title: "Firestore databases have point-in-time recovery on",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpFirestoreDatabase],
        controls: [DataBackupPlan, Integrity],
    }
}

impl Check for FirestorePitr {
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
                    "point_in_time_recovery",
                    d.point_in_time_recovery.as_deref(),
                    "POINT_IN_TIME_RECOVERY_ENABLED",
                    "Point-in-time recovery is enabled: the last 7 days can be read back.",
                    "Point-in-time recovery is not enabled",
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
        off.point_in_time_recovery = Some("POINT_IN_TIME_RECOVERY_DISABLED".into());
        let mut unknown = firestore_database("unknown");
        unknown.point_in_time_recovery = None;
        let mut inv = Inventory::new();
        inv.gcp_firestore_databases = vec![firestore_database("on"), off, unknown];
        let f = run(&FirestorePitr, &inv);
        assert_eq!(f.status_of("on"), Status::Pass);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert!(f.of("off").reason.contains("DISABLED"));
        assert_eq!(f.status_of("unknown"), Status::Fail);
    }
}
