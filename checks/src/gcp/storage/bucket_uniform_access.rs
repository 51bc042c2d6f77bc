use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::StorageBucket;

declare_check! {
    /// ## What it checks
    /// Every Cloud Storage bucket has uniform bucket-level access enabled
    /// (`iamConfiguration.uniformBucketLevelAccess.enabled`), so access is decided by IAM
    /// alone and per-object ACLs are ignored.
    ///
    /// ## Why it matters
    /// With fine-grained ACLs, any object can be made readable by anyone, one object at a
    /// time, and no bucket-level review shows it. Uniform access makes the bucket's IAM
    /// policy the single, reviewable statement of who can read ePHI, which is what
    /// `gcp-storage-bucket-not-public` verifies (access control, 45 CFR 164.312(a)(1); access
    /// authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `uniform_bucket_level_access` and `public_access_prevention`.
    ///
    /// ## Remediation
    /// Move any grants held in ACLs into IAM, then run `gcloud storage buckets update
    /// gs://<bucket> --uniform-bucket-level-access`. Set the organization policy
    /// `constraints/storage.uniformBucketLevelAccess` so new buckets get it too.
    pub struct StorageBucketUniformAccess {
        id: "gcp-storage-bucket-uniform-access",
        title: "Cloud Storage buckets use uniform bucket-level access",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpStorageBucket],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for StorageBucketUniformAccess {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<StorageBucket>()
            .iter()
            .map(|b| {
                let reason = if b.uniform_bucket_level_access {
                    "Uniform bucket-level access is enabled: IAM alone decides access and object ACLs are ignored."
                } else {
                    "Uniform bucket-level access is disabled: object ACLs can grant access that the bucket's IAM policy does not show."
                };
                ctx.verdict(b.uniform_bucket_level_access, &b.resource)
                    .evidence("uniform_bucket_level_access", b.uniform_bucket_level_access)
                    .evidence("public_access_prevention", &b.public_access_prevention)
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
    fn verdicts() {
        let mut acl = storage_bucket("fine-grained");
        acl.uniform_bucket_level_access = false;
        let mut inv = Inventory::new();
        inv.gcp_storage_buckets = vec![storage_bucket("uniform"), acl];
        let f = run(&StorageBucketUniformAccess, &inv);
        assert_eq!(f.status_of("uniform"), Status::Pass);
        assert_eq!(f.status_of("fine-grained"), Status::Fail);
        assert_eq!(
            f.evidence_of("fine-grained", "uniform_bucket_level_access"),
            false
        );
    }
}
