use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{CloudTrail, S3Bucket};

use crate::index::all_by;

declare_check! {
    /// ## What it checks
    /// Object-level operations on every S3 bucket are logged: a logging CloudTrail trail
    /// of the bucket's account that covers its region (multi-region, or homed there) has an
    /// S3 data-event selection (GetEventSelectors, basic or advanced selectors) for all of
    /// the bucket's objects, and together the covering trails log both reads (`GetObject`)
    /// and writes (`PutObject`, `DeleteObject`). A selection of every bucket
    /// (`arn:aws:s3:::`) counts; one of a prefix inside the bucket does not cover the rest.
    ///
    /// Which buckets hold Protected data is the data-classification scope's job: with
    /// `[scope]` set (README, "Data classification"), only the buckets tagged Protected are
    /// reported. A trail whose selectors could not be read makes the bucket ERROR.
    ///
    /// ## Why it matters
    /// Management events record who changed a bucket's policy, not who downloaded a
    /// patient's file. Without data events there is no record of which ePHI objects were
    /// read or deleted, by whom, and the breach assessment of 164.402 cannot be done
    /// (audit controls, 45 CFR 164.312(b); information system activity review,
    /// 164.308(a)(1)(ii)(D)).
    ///
    /// ## Evidence
    /// `covering_trails`, `selections` (trail, prefix, read, write of each selection that
    /// covers the bucket), `reads_logged` and `writes_logged`.
    ///
    /// ## Remediation
    /// `aws cloudtrail put-event-selectors --trail-name <trail> --event-selectors
    /// '[{"ReadWriteType":"All","IncludeManagementEvents":true,"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::<bucket>/"]}]}]'`
    /// on a multi-region trail (data events are billed per event: select the Protected
    /// buckets rather than all).
    pub struct CloudTrailS3DataEvents {
        id: "aws-cloudtrail-s3-data-events",
        title: "S3 object-level operations are logged by CloudTrail",
        severity: Medium,
        provider: Aws,
        kinds: [AwsS3Bucket, AwsCloudTrail],
        controls: [AuditControls, InformationSystemActivityReview],
    }
}

/// Whether a data-event `prefix` selects every object of `bucket`: every bucket of the
/// partition (`arn:<partition>:s3`, with or without `:::`), or the bucket itself.
fn selects_bucket(prefix: &str, bucket: &str) -> bool {
    let Some(rest) = prefix
        .strip_prefix("arn:")
        .and_then(|p| p.split_once(':'))
        .and_then(|(_, p)| p.strip_prefix("s3"))
    else {
        return false;
    };
    match rest.strip_prefix(":::") {
        None => rest.is_empty(),
        Some(path) => path.is_empty() || path == bucket || path == format!("{bucket}/"),
    }
}

impl Check for CloudTrailS3DataEvents {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let trails = all_by(ctx.resources::<CloudTrail>(), |t| {
            Some(t.resource.account.as_str())
        });
        ctx.resources::<S3Bucket>()
            .iter()
            .map(|b| {
                let r = &b.resource;
                // arn:<partition>:s3:::<bucket>
                let bucket = r.id.rsplit(":::").next().unwrap_or(&r.name);
                let covering: Vec<&CloudTrail> = trails
                    .get(r.account.as_str())
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|t| t.is_logging)
                    .filter(|t| t.is_multi_region || t.home_region == r.region)
                    .collect();
                let unread: Vec<&str> = covering
                    .iter()
                    .filter(|t| t.s3_data_events.is_none())
                    .map(|t| t.resource.name.as_str())
                    .collect();
                let selections: Vec<(&str, &phiscan_core::model::aws::S3DataEvents)> = covering
                    .iter()
                    .flat_map(|t| {
                        t.s3_data_events
                            .iter()
                            .flatten()
                            .filter(|s| selects_bucket(&s.prefix, bucket))
                            .map(|s| (t.resource.name.as_str(), s))
                    })
                    .collect();
                let reads = selections.iter().any(|(_, s)| s.read);
                let writes = selections.iter().any(|(_, s)| s.write);
                let b = if reads && writes {
                    ctx.pass(r).reason(format!(
                        "Reads and writes of the bucket's objects are logged by {}.",
                        selections.iter().map(|(t, _)| *t).collect::<Vec<_>>().join(", ")
                    ))
                } else if !unread.is_empty() {
                    ctx.error(r).reason(format!(
                        "The event selectors of trail(s) {} were not read, so the bucket's data-event logging is unknown.",
                        unread.join(", ")
                    ))
                } else if covering.is_empty() {
                    ctx.fail(r).reason(format!(
                        "No logging trail covers {}, so no operation on the bucket is recorded.",
                        r.region
                    ))
                } else if selections.is_empty() {
                    ctx.fail(r).reason("No trail selects the bucket's objects for data events: reads and writes of its objects are not recorded.")
                } else {
                    let missing = if reads { "writes" } else { "reads" };
                    ctx.fail(r).reason(format!(
                        "The bucket's object {missing} are not logged by any covering trail."
                    ))
                };
                let listed: Vec<serde_json::Value> = selections
                    .iter()
                    .map(|(t, s)| serde_json::json!({"trail": t, "prefix": s.prefix, "read": s.read, "write": s.write}))
                    .collect();
                let names: Vec<&str> = covering.iter().map(|t| t.resource.name.as_str()).collect();
                b.evidence("covering_trails", names)
                    .evidence("selections", listed)
                    .evidence("reads_logged", reads)
                    .evidence("writes_logged", writes)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::{cloud_trail, s3_bucket};
    use crate::testing::run;
    use phiscan_core::model::aws::S3DataEvents;
    use phiscan_core::{Inventory, Status};

    fn sel(prefix: &str, read: bool, write: bool) -> S3DataEvents {
        S3DataEvents {
            prefix: prefix.into(),
            read,
            write,
        }
    }

    #[test]
    fn prefixes_select_whole_buckets_only() {
        assert!(selects_bucket("arn:aws:s3", "b"));
        assert!(selects_bucket("arn:aws:s3:::", "b"));
        assert!(selects_bucket("arn:aws:s3:::b/", "b"));
        assert!(selects_bucket("arn:aws-us-gov:s3:::b", "b"));
        assert!(!selects_bucket("arn:aws:s3:::b/phi/", "b"));
        assert!(!selects_bucket("arn:aws:s3:::bb/", "b"));
        assert!(!selects_bucket("arn:aws:s3:::other/", "b"));
        assert!(!selects_bucket("arn:aws:lambda", "b"));
    }

    #[test]
    fn a_covering_trail_must_log_reads_and_writes() {
        let mut trail = cloud_trail("main");
        trail.is_multi_region = true;
        trail.s3_data_events = Some(vec![
            sel("arn:aws:s3:::records/", true, true),
            sel("arn:aws:s3:::uploads/", false, true),
            sel("arn:aws:s3:::scans/phi/", true, true),
        ]);
        let mut stopped = cloud_trail("stopped");
        stopped.is_logging = false;
        stopped.s3_data_events = Some(vec![sel("arn:aws:s3", true, true)]);
        let mut inv = Inventory::new();
        inv.aws_cloudtrails = vec![trail, stopped];
        inv.aws_s3_buckets = ["records", "uploads", "scans", "plain"]
            .iter()
            .map(|b| s3_bucket(b))
            .collect();
        let id = |b: &str| format!("arn:aws:s3:::{b}");
        let f = run(&CloudTrailS3DataEvents, &inv);
        assert_eq!(f.status_of(&id("records")), Status::Pass);
        assert_eq!(f.status_of(&id("uploads")), Status::Fail);
        assert!(f.of(&id("uploads")).reason.contains("reads are not logged"));
        assert_eq!(f.status_of(&id("scans")), Status::Fail);
        assert_eq!(f.status_of(&id("plain")), Status::Fail);
        assert!(f.of(&id("plain")).reason.contains("No trail selects"));

        // A trail whose selectors were not read cannot show the gap.
        inv.aws_cloudtrails[0].s3_data_events = None;
        let f = run(&CloudTrailS3DataEvents, &inv);
        assert_eq!(f.status_of(&id("plain")), Status::Error);

        // No logging trail in the region at all.
        inv.aws_cloudtrails.remove(0);
        let f = run(&CloudTrailS3DataEvents, &inv);
        assert!(f.of(&id("records")).reason.contains("No logging trail covers"));

        // Another account's trail, however it selects, logs nothing of this account's buckets.
        let mut foreign = cloud_trail("foreign");
        foreign.resource.account = "999999999999".into();
        foreign.is_multi_region = true;
        foreign.s3_data_events = Some(vec![sel("arn:aws:s3", true, true)]);
        inv.aws_cloudtrails = vec![foreign];
        let f = run(&CloudTrailS3DataEvents, &inv);
        assert!(f.of(&id("records")).reason.contains("No logging trail covers"));
    }
}
