use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::SpannerDatabase;

use crate::gcp::shared::not_public;

declare_check! {
    /// ## What it checks
    /// No binding of a Cloud Spanner database's IAM policy grants a role to `allUsers` or
    /// `allAuthenticatedUsers`. Bindings inherited from the instance or the project are
    /// not part of the database's policy and are not read here.
    ///
    /// ## Why it matters
    /// A public binding on a database holding ePHI lets anyone with a Google account (or
    /// anyone at all) read or change it: access control (45 CFR 164.312(a)(1)) and access
    /// authorization (164.308(a)(4)(ii)(B)). Janus HCP promises minimum necessary access.
    ///
    /// ## Evidence
    /// `public_bindings` (role and public members of each offending binding).
    ///
    /// ## Remediation
    /// `gcloud spanner databases remove-iam-policy-binding <db> --instance=<i>
    /// --member=allAuthenticatedUsers --role=<role>` (and the same for `allUsers`); grant
    /// roles to named groups or service accounts instead.
    pub struct SpannerDatabaseNotPublic {
        id: "gcp-spanner-database-not-public",
        title: "Spanner databases are not public",
        severity: Critical,
        provider: Gcp,
        kinds: [GcpSpannerDatabase],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for SpannerDatabaseNotPublic {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<SpannerDatabase>()
            .iter()
            .map(|d| not_public(ctx, &d.resource, &d.iam_bindings, "The database's IAM policy").build())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::iam_binding;
    use crate::testing::gcp_stores::spanner_database;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn public_members_fail() {
        let mut public = spanner_database("public");
        public.iam_bindings = vec![
            iam_binding("roles/spanner.databaseUser", &["group:ehr@janus.example"]),
            iam_binding("roles/spanner.databaseReader", &["allAuthenticatedUsers"]),
        ];
        let mut private = spanner_database("private");
        private.iam_bindings = vec![iam_binding(
            "roles/spanner.databaseUser",
            &["serviceAccount:app@proj-1.iam.gserviceaccount.com"],
        )];
        let mut inv = Inventory::new();
        inv.gcp_spanner_databases = vec![public, private];
        let f = run(&SpannerDatabaseNotPublic, &inv);
        assert_eq!(f.status_of("public"), Status::Fail);
        assert!(f.of("public").reason.contains("roles/spanner.databaseReader to allAuthenticatedUsers"));
        assert_eq!(
            f.evidence_of("public", "public_bindings")[0]["members"],
            serde_json::json!(["allAuthenticatedUsers"])
        );
        assert_eq!(f.status_of("private"), Status::Pass);
    }
}
