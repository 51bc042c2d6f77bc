use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::CloudTrail;
use phiscan_core::{Provider, ResourceKind, ResourceRef};

use crate::index::all_by;

declare_check! {
    /// ## What it checks
    /// Every region in scope of every AWS account is covered by a CloudTrail trail that is
    /// logging (`GetTrailStatus.IsLogging`) and is either multi-region or has that region as
    /// its home region. One finding per (account, region in the account's scope); when an
    /// account declares no regions, the home regions of its trails are evaluated. A trail
    /// that exists but is stopped covers nothing and is named in the evidence.
    ///
    /// The finding's resource is synthetic (kind `AwsCloudTrail`, id
    /// `arn:aws:cloudtrail:<region>:<account>:region-coverage`): the subject is the region,
    /// and a region without a trail has no trail to attach the FAIL to. Giving it the
    /// region's (account, region) also lets the engine replace the PASS with ERROR when the
    /// trails of that region could not be collected.
    ///
    /// ## Why it matters
    /// CloudTrail is the record of every API call and console sign-in: who changed a
    /// security group, read a key, or deleted a backup. A region without a logging trail is
    /// a blind spot where an intruder can work unrecorded. HIPAA requires mechanisms that
    /// record activity in systems containing ePHI (audit controls, 45 CFR 164.312(b)),
    /// regular review of those records (164.308(a)(1)(ii)(D)) and monitoring of log-in
    /// attempts (164.308(a)(5)(ii)(C)).
    ///
    /// ## Evidence
    /// `account`, `region`, `covering_trails` (ARNs of logging trails that cover the
    /// region) and `stopped_trails` (trails that would cover it but are not logging).
    ///
    /// ## Remediation
    /// Create one multi-region trail (or an organization trail) that logs to a dedicated,
    /// locked-down bucket: `aws cloudtrail create-trail --name <name> --s3-bucket-name
    /// <bucket> --is-multi-region-trail --enable-log-file-validation --kms-key-id <key>`,
    /// then `aws cloudtrail start-logging --name <name>`. Restart a stopped trail with
    /// `start-logging` and alarm on `StopLogging` events.
    pub struct CloudTrailRegionCovered {
        id: "aws-cloudtrail-region-covered",
        title: "Every region in scope is covered by a logging CloudTrail trail",
        severity: High,
        provider: Aws,
        kinds: [AwsCloudTrail],
        controls: [AuditControls, InformationSystemActivityReview, LoginMonitoring],
    }
}

fn covers(t: &CloudTrail, region: &str) -> bool {
    t.is_multi_region || t.home_region == region
}

impl Check for CloudTrailRegionCovered {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let trails = all_by(ctx.resources::<CloudTrail>(), |t| {
            Some(t.resource.account.as_str())
        });
        let mut out = Vec::new();
        for scope in ctx
            .inventory
            .scopes
            .iter()
            .filter(|s| s.provider == Provider::Aws)
        {
            let account = scope.account.as_str();
            let mine: &[&CloudTrail] = trails.get(account).map_or(&[], Vec::as_slice);
            let mut regions: Vec<&str> = scope.regions.iter().map(String::as_str).collect();
            if regions.is_empty() {
                regions = mine.iter().map(|t| t.home_region.as_str()).collect();
                regions.sort_unstable();
                regions.dedup();
            }
            for region in regions {
                let covering: Vec<&str> = mine
                    .iter()
                    .filter(|t| t.is_logging && covers(t, region))
                    .map(|t| t.resource.id.as_str())
                    .collect();
                let stopped: Vec<&str> = mine
                    .iter()
                    .filter(|t| !t.is_logging && covers(t, region))
                    .map(|t| t.resource.id.as_str())
                    .collect();
                let resource = ResourceRef::new(
                    ResourceKind::AwsCloudTrail,
                    account,
                    region,
                    format!("arn:aws:cloudtrail:{region}:{account}:region-coverage"),
                    format!("CloudTrail coverage of {account}/{region}"),
                );
                let reason = match (covering.is_empty(), stopped.is_empty()) {
                    (false, _) => format!("{region} is covered by logging trail(s) {}.", covering.join(", ")),
                    (true, true) => format!("No CloudTrail trail covers {region}: API activity there is not recorded."),
                    (true, false) => format!(
                        "No logging trail covers {region}: trail(s) {} would cover it but are not logging.",
                        stopped.join(", ")
                    ),
                };
                out.push(
                    ctx.verdict(!covering.is_empty(), &resource)
                        .evidence("account", account)
                        .evidence("region", region)
                        .evidence("covering_trails", &covering)
                        .evidence("stopped_trails", &stopped)
                        .reason(reason)
                        .build()?,
                );
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::cloud_trail;
    use crate::testing::{run, AWS_ACCOUNT};
    use phiscan_core::model::Scope;
    use phiscan_core::{Inventory, Status};

    fn scoped(regions: &[&str], trails: Vec<CloudTrail>) -> Inventory {
        let mut inv = Inventory::new();
        inv.scopes.push(Scope {
            provider: Provider::Aws,
            account: AWS_ACCOUNT.into(),
            name: None,
            regions: regions.iter().map(|r| r.to_string()).collect(),
            identity: None,
        });
        inv.aws_cloudtrails = trails;
        inv
    }

    fn id(region: &str) -> String {
        format!("arn:aws:cloudtrail:{region}:{AWS_ACCOUNT}:region-coverage")
    }

    #[test]
    fn stopped_multi_region_trail_covers_nothing() {
        let mut org = cloud_trail("org");
        org.is_multi_region = true;
        org.is_logging = false;
        let inv = scoped(&["us-east-1", "us-west-2"], vec![org, cloud_trail("local")]);
        let f = run(&CloudTrailRegionCovered, &inv);
        assert_eq!(f.0.len(), 2);
        assert_eq!(f.status_of(&id("us-east-1")), Status::Pass);
        assert_eq!(
            f.evidence_of(&id("us-east-1"), "covering_trails"),
            serde_json::json!(["local"])
        );
        assert_eq!(f.status_of(&id("us-west-2")), Status::Fail);
        assert_eq!(
            f.evidence_of(&id("us-west-2"), "stopped_trails"),
            serde_json::json!(["org"])
        );
    }

    #[test]
    fn logging_multi_region_trail_covers_every_region() {
        let mut org = cloud_trail("org");
        org.is_multi_region = true;
        let f = run(
            &CloudTrailRegionCovered,
            &scoped(&["us-east-1", "eu-west-1"], vec![org]),
        );
        assert_eq!(f.status_of(&id("eu-west-1")), Status::Pass);
    }

    #[test]
    fn no_trail_fails_and_other_accounts_trails_do_not_count() {
        let mut foreign = cloud_trail("foreign");
        foreign.is_multi_region = true;
        foreign.resource.account = "999999999999".into();
        let f = run(
            &CloudTrailRegionCovered,
            &scoped(&["us-east-1"], vec![foreign]),
        );
        assert_eq!(f.status_of(&id("us-east-1")), Status::Fail);
    }
}
