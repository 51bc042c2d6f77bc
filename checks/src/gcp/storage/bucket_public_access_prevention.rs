use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::StorageBucket;

declare_check! {
    /// ## What it checks
    /// Every Cloud Storage bucket has public access prevention enforced
    /// (`iamConfiguration.publicAccessPrevention` is `enforced`), so no IAM binding or ACL can
    /// ever make its objects public. `inherited` FAILs: the bucket then follows the
    /// organization policy `constraints/storage.publicAccessPrevention`, which phiscan does
    /// not collect, so prevention cannot be shown. A bucket whose setting was not reported
    /// FAILs for the same reason.
    ///
    /// `gcp-storage-bucket-not-public` reports buckets that are public today; this check
    /// reports buckets that one IAM edit could make public.
    ///
    /// ## Why it matters
    /// Janus HCP's third-party policy limits access granted to external parties "to the
    /// minimum necessary". A bucket holding ePHI that allows public grants is one mistaken
    /// `allUsers` binding away from a reportable breach; enforced prevention makes that grant
    /// ineffective (access control, 45 CFR 164.312(a)(1); access authorization,
    /// 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `public_access_prevention` (the reported value, or null) and
    /// `uniform_bucket_level_access`.
    ///
    /// ## Remediation
    /// `gcloud storage buckets update gs://<bucket> --public-access-prevention`, or enforce it
    /// for every bucket with the organization policy
    /// `constraints/storage.publicAccessPrevention`. Serve public content from a separate
    /// bucket outside the ePHI projects.
    pub struct StorageBucketPublicAccessPrevention {
        id: "gcp-storage-bucket-public-access-prevention",
        title: "Cloud Storage buckets enforce public access prevention",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpStorageBucket],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for StorageBucketPublicAccessPrevention {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<StorageBucket>()
            .iter()
            .map(|b| {
                let setting = b.public_access_prevention.as_deref().map(str::trim);
                let (ok, reason) = match setting {
                    Some(p) if p.eq_ignore_ascii_case("enforced") => (
                        true,
                        "Public access prevention is enforced: no grant can make the bucket public.".to_string(),
                    ),
                    Some(p) if p.eq_ignore_ascii_case("inherited") => (
                        false,
                        "Public access prevention is inherited from the organization policy, which phiscan does not read, so it is not shown to be enforced.".to_string(),
                    ),
                    Some(p) => (
                        false,
                        format!("Public access prevention is {p}, which phiscan does not recognise as enforced."),
                    ),
                    None => (
                        false,
                        "Public access prevention was not reported, so it is not shown to be enforced.".to_string(),
                    ),
                };
                ctx.verdict(ok, &b.resource)
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
    use crate::testing::gcp::storage_bucket;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn only_enforced_passes() {
        let with = |id: &str, p: Option<&str>| {
            let mut b = storage_bucket(id);
            b.public_access_prevention = p.map(str::to_string);
            b
        };
        let mut inv = Inventory::new();
        inv.gcp_storage_buckets = vec![
            with("enforced", Some("enforced")),
            with("inherited", Some("inherited")),
            with("odd", Some("unspecified")),
            with("unreported", None),
        ];
        let f = run(&StorageBucketPublicAccessPrevention, &inv);
        assert_eq!(f.status_of("enforced"), Status::Pass);
        assert_eq!(
            f.evidence_of("enforced", "public_access_prevention"),
            "enforced"
        );
        assert_eq!(f.status_of("inherited"), Status::Fail);
        assert!(f.of("inherited").reason.contains("organization policy"));
        assert_eq!(f.status_of("odd"), Status::Fail);
        assert_eq!(f.status_of("unreported"), Status::Fail);
        assert!(f.of("unreported").reason.contains("not reported"));
    }
}
