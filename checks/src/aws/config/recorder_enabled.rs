use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::ConfigRecorderRegion;

declare_check! {
    /// ## What it checks
    /// AWS Config records configuration changes in every region in scope: a configuration
    /// recorder (DescribeConfigurationRecorders) whose status
    /// (DescribeConfigurationRecorderStatus) says `recording = true`. One finding per
    /// (account, region); a region without a recorder, or whose recorders are stopped,
    /// FAILs. A recorder that records only some resource types passes, with
    /// `all_supported = false` in the evidence. A region whose recorders could not be read
    /// is ERROR.
    ///
    /// ## Why it matters
    /// Config keeps the history of every security group, bucket policy and key: who opened
    /// a database to the internet and when, and what was exposed meanwhile. Without it,
    /// an investigation has only the current state (audit controls, 45 CFR 164.312(b);
    /// information system activity review, 164.308(a)(1)(ii)(D)).
    ///
    /// ## Evidence
    /// `recorders` (name, recording, all_supported, last_status).
    ///
    /// ## Remediation
    /// `aws configservice put-configuration-recorder --configuration-recorder
    /// name=default,roleARN=<role> --recording-group allSupported=true`, a delivery channel
    /// (`put-delivery-channel`), then `aws configservice start-configuration-recorder
    /// --configuration-recorder-name default`, in each region.
    pub struct ConfigRecorderEnabled {
        id: "aws-config-recorder-enabled",
        title: "AWS Config is recording in every region",
        severity: Medium,
        provider: Aws,
        kinds: [AwsConfigRecorderRegion],
        controls: [AuditControls, InformationSystemActivityReview],
    }
}

impl Check for ConfigRecorderEnabled {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<ConfigRecorderRegion>()
            .iter()
            .map(|c| {
                let r = &c.resource;
                let recording: Vec<&str> = c
                    .recorders
                    .iter()
                    .filter(|x| x.recording)
                    .map(|x| x.name.as_str())
                    .collect();
                let b = if !recording.is_empty() {
                    ctx.pass(r).reason(format!(
                        "Configuration recorder {} is recording in {}.",
                        recording.join(", "),
                        r.region
                    ))
                } else if c.recorders.is_empty() {
                    ctx.fail(r)
                        .reason(format!("{} has no AWS Config configuration recorder.", r.region))
                } else {
                    ctx.fail(r).reason(format!(
                        "The configuration recorder of {} is not recording.",
                        r.region
                    ))
                };
                b.evidence("recorders", &c.recorders).build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws_edges::config_recorder_region;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn a_recording_recorder_per_region() {
        let mut none = config_recorder_region("eu-west-1");
        none.recorders.clear();
        let mut stopped = config_recorder_region("us-west-2");
        stopped.recorders[0].recording = false;
        let mut partial = config_recorder_region("ap-south-1");
        partial.recorders[0].all_supported = Some(false);
        let mut inv = Inventory::new();
        inv.aws_config_recorder_regions =
            vec![config_recorder_region("us-east-1"), none, stopped, partial];
        let f = run(&ConfigRecorderEnabled, &inv);
        assert_eq!(f.status_of("us-east-1"), Status::Pass);
        assert_eq!(f.status_of("eu-west-1"), Status::Fail);
        assert_eq!(f.status_of("us-west-2"), Status::Fail);
        assert!(f.of("us-west-2").reason.contains("not recording"));
        assert_eq!(f.status_of("ap-south-1"), Status::Pass);
    }
}
