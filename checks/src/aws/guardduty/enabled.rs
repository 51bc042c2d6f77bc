use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::GuardDutyRegion;

declare_check! {
    /// ## What it checks
    /// GuardDuty is on in every region in scope: each region's ListDetectors answer has a
    /// detector whose GetDetector `Status` is `ENABLED`. One finding per (account, region);
    /// a region without a detector, or with only suspended ones, FAILs. A region whose
    /// detectors could not be listed is ERROR.
    ///
    /// ## Why it matters
    /// GuardDuty reads CloudTrail, VPC flow and DNS logs for stolen credentials, crypto
    /// mining and data exfiltration. An attacker works in the region nobody watches, so
    /// every region counts, not only the ones holding ePHI today (information system
    /// activity review, 45 CFR 164.308(a)(1)(ii)(D); log-in monitoring,
    /// 164.308(a)(5)(ii)(C)).
    ///
    /// ## Evidence
    /// `detectors` (id and status of each).
    ///
    /// ## Remediation
    /// `aws guardduty create-detector --enable --region <region>` in each region (or enable
    /// it organization-wide from the delegated administrator with auto-enable), and route
    /// its findings to the security team.
    pub struct GuardDutyEnabled {
        id: "aws-guardduty-enabled",
        title: "GuardDuty is enabled in every region",
        severity: Medium,
        provider: Aws,
        kinds: [AwsGuardDutyRegion],
        controls: [InformationSystemActivityReview, LoginMonitoring],
    }
}

impl Check for GuardDutyEnabled {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<GuardDutyRegion>()
            .iter()
            .map(|g| {
                let r = &g.resource;
                let on: Vec<&str> = g
                    .detectors
                    .iter()
                    .filter(|d| d.status == "ENABLED")
                    .map(|d| d.id.as_str())
                    .collect();
                let b = if !on.is_empty() {
                    ctx.pass(r).reason(format!(
                        "GuardDuty detector {} is enabled in {}.",
                        on.join(", "),
                        r.region
                    ))
                } else if g.detectors.is_empty() {
                    ctx.fail(r)
                        .reason(format!("{} has no GuardDuty detector.", r.region))
                } else {
                    ctx.fail(r).reason(format!(
                        "Every GuardDuty detector of {} is suspended.",
                        r.region
                    ))
                };
                b.evidence("detectors", &g.detectors).build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws_edges::guardduty_region;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn an_enabled_detector_per_region() {
        let mut none = guardduty_region("eu-west-1");
        none.detectors.clear();
        let mut suspended = guardduty_region("us-west-2");
        suspended.detectors[0].status = "DISABLED".into();
        let mut inv = Inventory::new();
        inv.aws_guardduty_regions = vec![guardduty_region("us-east-1"), none, suspended];
        let f = run(&GuardDutyEnabled, &inv);
        assert_eq!(f.status_of("us-east-1"), Status::Pass);
        assert_eq!(f.status_of("eu-west-1"), Status::Fail);
        assert!(f.of("eu-west-1").reason.contains("no GuardDuty detector"));
        assert_eq!(f.status_of("us-west-2"), Status::Fail);
        assert!(f.of("us-west-2").reason.contains("suspended"));
    }
}
