use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::StorageBucket;

declare_check! {
    /// ## What it checks
    /// Every Cloud Storage bucket labelled `data-classification=protected` (value compared
    /// case-insensitively) writes usage logs (`logging.logBucket` names a log bucket): a
    /// record of every request made to its objects. Buckets without the label are
    /// NOT_APPLICABLE.
    ///
    /// Usage logs are judged rather than Data Access audit logs because they are a property
    /// of the bucket: the project-wide Data Access logs are judged by
    /// `gcp-project-data-access-audit-logs`, and either record object reads.
    ///
    /// ## Why it matters
    /// Every download of an ePHI object should leave a record of who read what and when, so
    /// that activity on the bucket can be reviewed and a breach scoped (audit controls,
    /// 45 CFR 164.312(b); information system activity review, 164.308(a)(1)(ii)(D)).
    ///
    /// ## Evidence
    /// `data_classification` (the label, or null) and `logging_bucket` (or null).
    ///
    /// ## Remediation
    /// `gcloud storage buckets update gs://<bucket> --log-bucket=gs://<log-bucket>
    /// --log-object-prefix=<bucket>`, with a log bucket whose access is limited to auditors;
    /// or enable Data Access audit logs for `storage.googleapis.com`.
    pub struct StorageBucketLogging {
        id: "gcp-storage-bucket-logging",
        title: "Cloud Storage buckets holding protected data log requests",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpStorageBucket],
        controls: [AuditControls, InformationSystemActivityReview],
    }
}

const CLASSIFICATION_LABEL: &str = "data-classification";

impl Check for StorageBucketLogging {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<StorageBucket>()
            .iter()
            .map(|b| {
                let class = b.resource.tags.get(CLASSIFICATION_LABEL);
                let protected = class.is_some_and(|c| c.trim().eq_ignore_ascii_case("protected"));
                let log = b.logging_bucket.as_deref().map(str::trim).filter(|l| !l.is_empty());
                let builder = match (protected, log) {
                    (false, _) => ctx.not_applicable(&b.resource).reason(match class {
                        Some(c) => format!("The bucket is labelled data-classification={c}, not protected."),
                        None => "The bucket has no data-classification label, so it is not declared to hold protected data.".to_string(),
                    }),
                    (true, Some(l)) => ctx
                        .pass(&b.resource)
                        .reason(format!("Usage logs of the bucket are written to gs://{l}.")),
                    (true, None) => ctx.fail(&b.resource).reason(
                        "The bucket holds protected data and writes no usage logs (no logging.logBucket).",
                    ),
                };
                builder
                    .evidence("data_classification", class)
                    .evidence("logging_bucket", log)
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

    fn with(id: &str, class: Option<&str>, log: Option<&str>) -> StorageBucket {
        let mut b = storage_bucket(id);
        if let Some(c) = class {
            b.resource = b.resource.with_tag(CLASSIFICATION_LABEL, c);
        }
        b.logging_bucket = log.map(str::to_string);
        b
    }

    #[test]
    fn protected_buckets_write_usage_logs() {
        let mut inv = Inventory::new();
        inv.gcp_storage_buckets = vec![
            with("logged", Some("Protected"), Some("janus-access-logs")),
            with("unlogged", Some("protected"), None),
            with("blank-log-bucket", Some("protected"), Some(" ")),
            with("public", Some("public"), None),
            with("unlabelled", None, None),
        ];
        let f = run(&StorageBucketLogging, &inv);
        assert_eq!(f.status_of("logged"), Status::Pass);
        assert_eq!(
            f.evidence_of("logged", "logging_bucket"),
            "janus-access-logs"
        );
        assert_eq!(f.status_of("unlogged"), Status::Fail);
        assert_eq!(f.status_of("blank-log-bucket"), Status::Fail);
        assert_eq!(f.status_of("public"), Status::NotApplicable);
        assert_eq!(f.status_of("unlabelled"), Status::NotApplicable);
    }
}
