use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::SpannerDatabase;

declare_check! {
    /// ## What it checks
    /// Every Cloud Spanner database has deletion protection on (`enableDropProtection`).
    /// A database where it is off FAILs; one whose setting is not in the inventory (saved by
    /// an older phiscan) is ERROR, since the setting cannot be shown.
    ///
    /// ## Why it matters
    /// Without it, one `DROP DATABASE` or `gcloud spanner databases delete` removes every
    /// table at once, and backups of a dropped database expire on their own schedule. It
    /// guards ePHI against improper destruction (integrity, 45 CFR 164.312(c)(1)) and keeps
    /// the data available to the contingency plan (164.308(a)(7)(ii)(B)). It complements
    /// `gcp-spanner-backup-recent`: one keeps the database from disappearing, the other
    /// keeps a copy when it does.
    ///
    /// ## Evidence
    /// `drop_protection` and `state`.
    ///
    /// ## Remediation
    /// `gcloud spanner databases update <db> --instance=<i> --enable-drop-protection`.
    pub struct SpannerDatabaseDropProtection {
        id: "gcp-spanner-database-drop-protection",
        title: "Spanner databases have deletion protection on",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpSpannerDatabase],
        controls: [Integrity, DisasterRecoveryPlan],
    }
}

impl Check for SpannerDatabaseDropProtection {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SpannerDatabase>()
            .iter()
            .map(|d| {
                let builder = match d.drop_protection {
                    Some(true) => ctx.pass(&d.resource).reason("Deletion protection is on: the database cannot be dropped until it is turned off."),
                    Some(false) => ctx.fail(&d.resource).reason("Deletion protection is off: one call drops the database and every table in it."),
                    None => ctx.error(&d.resource).reason("The inventory does not say whether deletion protection is on (saved by an older phiscan); scan again."),
                };
                builder
                    .evidence("drop_protection", d.drop_protection)
                    .evidence("state", &d.state)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp_stores::spanner_database;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn protection_must_be_on() {
        let mut off = spanner_database("off");
        off.drop_protection = Some(false);
        let mut unknown = spanner_database("unknown");
        unknown.drop_protection = None;
        let mut inv = Inventory::new();
        inv.gcp_spanner_databases = vec![spanner_database("on"), off, unknown];
        let f = run(&SpannerDatabaseDropProtection, &inv);
        assert_eq!(f.status_of("on"), Status::Pass);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert_eq!(f.evidence_of("off", "drop_protection"), false);
        assert_eq!(f.status_of("unknown"), Status::Error);
    }
}
