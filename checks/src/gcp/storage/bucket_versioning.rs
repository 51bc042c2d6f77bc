use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::StorageBucket;

declare_check! {
    /// ## What it checks
    /// Every Cloud Storage bucket labelled `data-classification=protected` (value compared
    /// case-insensitively) keeps deleted and overwritten objects recoverable: object
    /// versioning is on (`versioning.enabled`) **or** a retention policy holds objects for a
    /// period (`retentionPolicy.retentionPeriod` above zero). Either PASSes; a protected
    /// bucket with neither FAILs. Buckets without the label are NOT_APPLICABLE: their
    /// contents are not declared to be ePHI.
    ///
    /// ## Why it matters
    /// Janus HCP's data management policy promises "retrievable exact copies of stored
    /// electronic protected health information". Without versioning or retention, one
    /// deletion or overwrite (a bug, an attacker, ransomware) destroys the only copy of a
    /// record (data backup plan, 45 CFR 164.308(a)(7)(ii)(A); disaster recovery plan,
    /// 164.308(a)(7)(ii)(B)).
    ///
    /// ## Evidence
    /// `data_classification` (the label, or null), `versioning_enabled`,
    /// `retention_period_seconds` and `retention_period_days`.
    ///
    /// ## Remediation
    /// `gcloud storage buckets update gs://<bucket> --versioning`, with a lifecycle rule that
    /// deletes noncurrent versions after the retention the policy asks for; or set a retention
    /// policy with `gcloud storage buckets update gs://<bucket> --retention-period=30d` (lock
    /// it with `--lock-retention-period` once it is right: a locked policy cannot be shortened).
    pub struct StorageBucketVersioning {
        id: "gcp-storage-bucket-versioning",
        title: "Cloud Storage buckets holding protected data keep deleted objects recoverable",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpStorageBucket],
        controls: [DataBackupPlan, DisasterRecoveryPlan],
    }
}

const CLASSIFICATION_LABEL: &str = "data-classification";
const SECONDS_PER_DAY: f64 = 86_400.0;

impl Check for StorageBucketVersioning {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<StorageBucket>()
            .iter()
            .map(|b| {
                let class = b.resource.tags.get(CLASSIFICATION_LABEL);
                let protected = class.is_some_and(|c| c.trim().eq_ignore_ascii_case("protected"));
                let retention = b.retention_period_seconds.filter(|s| *s > 0);
                let days = retention.map(|s| s as f64 / SECONDS_PER_DAY);
                let builder = if !protected {
                    ctx.not_applicable(&b.resource).reason(match class {
                        Some(c) => format!("The bucket is labelled data-classification={c}, not protected."),
                        None => "The bucket has no data-classification label, so it is not declared to hold protected data.".to_string(),
                    })
                } else {
                    match (b.versioning_enabled, days) {
                        (true, Some(d)) => ctx.pass(&b.resource).reason(format!(
                            "Object versioning is on and a {d:.1}-day retention policy holds objects."
                        )),
                        (true, None) => ctx
                            .pass(&b.resource)
                            .reason("Object versioning is on: deleted and overwritten objects stay recoverable."),
                        (false, Some(d)) => ctx.pass(&b.resource).reason(format!(
                            "Versioning is off, but a {d:.1}-day retention policy keeps objects from deletion."
                        )),
                        (false, None) => ctx.fail(&b.resource).reason(
                            "The bucket holds protected data with neither object versioning nor a retention policy: a deletion is final.",
                        ),
                    }
                };
                builder
                    .evidence("data_classification", class)
                    .evidence("versioning_enabled", b.versioning_enabled)
                    .evidence("retention_period_seconds", b.retention_period_seconds)
                    .evidence("retention_period_days", days)
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

    fn protected(id: &str, versioning: bool, retention: Option<i64>) -> StorageBucket {
        let mut b = storage_bucket(id);
        b.resource = b.resource.with_tag("data-classification", "Protected");
        b.versioning_enabled = versioning;
        b.retention_period_seconds = retention;
        b
    }

    #[test]
    fn protected_buckets_need_versioning_or_retention() {
        let mut public = storage_bucket("public-assets");
        public.resource = public.resource.with_tag("data-classification", "public");
        let mut inv = Inventory::new();
        inv.gcp_storage_buckets = vec![
            protected("versioned", true, None),
            protected("retained", false, Some(30 * 86_400)),
            protected("both", true, Some(86_400)),
            protected("neither", false, None),
            protected("zero-retention", false, Some(0)),
            public,
            storage_bucket("unlabelled"),
        ];
        let f = run(&StorageBucketVersioning, &inv);
        assert_eq!(f.status_of("versioned"), Status::Pass);
        assert_eq!(f.status_of("retained"), Status::Pass);
        assert_eq!(f.evidence_of("retained", "retention_period_days"), 30.0);
        assert_eq!(f.status_of("both"), Status::Pass);
        assert_eq!(f.status_of("neither"), Status::Fail);
        assert_eq!(f.status_of("zero-retention"), Status::Fail);
        assert_eq!(f.status_of("public-assets"), Status::NotApplicable);
        assert!(f
            .of("public-assets")
            .reason
            .contains("data-classification=public"));
        assert_eq!(f.status_of("unlabelled"), Status::NotApplicable);
    }
}
