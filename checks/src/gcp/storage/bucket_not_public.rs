use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::StorageBucket;

use crate::gcp::shared::{describe_grants, grants_evidence, public_grants};

declare_check! {
    /// ## What it checks
    /// No IAM binding of a Cloud Storage bucket grants a role to `allUsers` (anyone on the
    /// internet) or `allAuthenticatedUsers` (anyone with a Google account). A bucket whose
    /// `publicAccessPrevention` is `enforced` PASSes even with such a binding, because
    /// Cloud Storage then refuses public access; the reason still names the binding so it
    /// can be removed before anyone relaxes the prevention. A value of `inherited` is not
    /// credited: whether an organization policy enforces prevention is not collected.
    ///
    /// Legacy object ACLs are not read: `gcp-storage-bucket-uniform-access` fails every
    /// bucket on which ACLs can still grant public access.
    ///
    /// ## Why it matters
    /// Buckets such as Janus HCP's upload buckets hold ePHI as files. A public binding lets
    /// anyone list or read them without authentication, a reportable breach (access
    /// control, 45 CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)). Janus's
    /// third-party policy limits external access "to the minimum necessary".
    ///
    /// ## Evidence
    /// `public_bindings` (role and public members of each binding that grants public
    /// access), `public_access_prevention` and `uniform_bucket_level_access`.
    ///
    /// ## Remediation
    /// Remove the members: `gcloud storage buckets remove-iam-policy-binding gs://<bucket>
    /// --member=allUsers --role=<role>` (and the same for `allAuthenticatedUsers`), then
    /// enforce prevention: `gcloud storage buckets update gs://<bucket>
    /// --public-access-prevention`, or set the organization policy
    /// `constraints/storage.publicAccessPrevention`. Share single objects with signed URLs.
    pub struct StorageBucketNotPublic {
        id: "gcp-storage-bucket-not-public",
        title: "Cloud Storage buckets are not public",
        severity: Critical,
        provider: Gcp,
        kinds: [GcpStorageBucket],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for StorageBucketNotPublic {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<StorageBucket>()
            .iter()
            .map(|b| {
                let public = public_grants(&b.iam_bindings);
                let grants = describe_grants(&public);
                let enforced = b.public_access_prevention.as_deref().is_some_and(|p| p.eq_ignore_ascii_case("enforced"));
                let (ok, reason) = match (public.is_empty(), enforced) {
                    (true, true) => (true, "No IAM binding grants access to allUsers or allAuthenticatedUsers, and public access prevention is enforced.".to_string()),
                    (true, false) => (true, "No IAM binding grants access to allUsers or allAuthenticatedUsers.".to_string()),
                    (false, true) => (true, format!(
                        "Public access prevention is enforced, so the bucket's public grant(s) ({}) have no effect; remove them.",
                        grants
                    )),
                    (false, false) => (false, format!("The bucket's IAM policy grants {grants}.")),
                };
                ctx.verdict(ok, &b.resource)
                    .evidence("public_bindings", grants_evidence(&public))
                    .evidence("public_access_prevention", &b.public_access_prevention)
                    .evidence("uniform_bucket_level_access", b.uniform_bucket_level_access)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::{iam_binding, storage_bucket};
    use crate::testing::run;
    use phiscan_core::model::gcp::IamBinding;
    use phiscan_core::{Inventory, Status};

    fn bucket(id: &str, bindings: Vec<IamBinding>) -> StorageBucket {
        StorageBucket {
            iam_bindings: bindings,
            ..storage_bucket(id)
        }
    }

    #[test]
    fn verdicts() {
        let sa = "serviceAccount:uploader@proj-1.iam.gserviceaccount.com";
        let mut prevented = bucket(
            "prevented",
            vec![iam_binding("roles/storage.objectViewer", &["allUsers"])],
        );
        prevented.public_access_prevention = Some("enforced".into());
        let mut inherited = bucket(
            "inherited",
            vec![iam_binding("roles/storage.objectViewer", &["allUsers"])],
        );
        inherited.public_access_prevention = Some("inherited".into());
        let mut inv = Inventory::new();
        inv.gcp_storage_buckets = vec![
            bucket(
                "private",
                vec![iam_binding("roles/storage.objectAdmin", &[sa])],
            ),
            bucket(
                "all-users",
                vec![iam_binding("roles/storage.objectViewer", &[sa, "allUsers"])],
            ),
            bucket(
                "all-auth",
                vec![iam_binding(
                    "roles/storage.legacyBucketReader",
                    &["allAuthenticatedUsers"],
                )],
            ),
            prevented,
            inherited,
        ];
        let f = run(&StorageBucketNotPublic, &inv);
        assert_eq!(f.status_of("private"), Status::Pass);
        assert_eq!(f.status_of("all-users"), Status::Fail);
        assert_eq!(
            f.evidence_of("all-users", "public_bindings")[0]["members"],
            serde_json::json!(["allUsers"])
        );
        assert_eq!(f.status_of("all-auth"), Status::Fail);
        assert!(f.of("all-auth").reason.contains("allAuthenticatedUsers"));
        assert_eq!(f.status_of("prevented"), Status::Pass);
        assert!(f.of("prevented").reason.contains("remove"));
        assert_eq!(f.status_of("inherited"), Status::Fail);
    }
}
