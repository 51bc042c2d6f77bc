use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::Subnetwork;

use super::subnet::special_purpose;

declare_check! {
    /// ## What it checks
    /// Every VPC subnetwork that carries VM traffic has VPC Flow Logs on
    /// (`logConfig.enable`, or the older `enableFlowLogs`). A subnet whose response reports
    /// neither is not shown to log, and FAILs with that reason. Special-purpose subnets
    /// (proxy-only, Private Service Connect, Private NAT: any `purpose` other than
    /// `PRIVATE`) are NOT_APPLICABLE: they cannot have flow logs. The sampling rate is
    /// evidence, not judged.
    ///
    /// ## Why it matters
    /// Flow logs record which hosts talked to the ePHI servers, on which ports, and how much
    /// data moved: the network half of the audit trail that Janus HCP's OSSEC and Logstash
    /// keep for hosts. Without them an exfiltration or a lateral move cannot be
    /// reconstructed (audit controls, 45 CFR 164.312(b); information system activity
    /// review, 164.308(a)(1)(ii)(D)).
    ///
    /// ## Evidence
    /// `flow_logs` (true, false or null), `flow_sampling`, `purpose`, `network`,
    /// `ip_cidr_range`.
    ///
    /// ## Remediation
    /// `gcloud compute networks subnets update <subnet> --region=<region>
    /// --enable-flow-logs --logging-flow-sampling=0.5 --logging-metadata=include-all`,
    /// and keep the flow logs (a log sink) for the retention the policy asks for.
    pub struct SubnetFlowLogs {
        id: "gcp-compute-subnet-flow-logs",
        title: "VPC subnetworks have flow logs enabled",
        severity: Medium,
        provider: Gcp,
        kinds: [GcpSubnetwork],
        controls: [AuditControls, InformationSystemActivityReview],
    }
}

impl Check for SubnetFlowLogs {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<Subnetwork>()
            .iter()
            .map(|s| {
                let builder = match (special_purpose(s), s.flow_logs) {
                    (Some(p), _) => ctx.not_applicable(&s.resource).reason(format!(
                        "The subnet's purpose is {p}: it holds no VM interfaces and cannot have flow logs."
                    )),
                    (None, Some(true)) => ctx
                        .pass(&s.resource)
                        .reason("VPC Flow Logs are on for the subnet."),
                    (None, Some(false)) => ctx
                        .fail(&s.resource)
                        .reason("VPC Flow Logs are off for the subnet: its traffic leaves no record."),
                    (None, None) => ctx.fail(&s.resource).reason(
                        "The subnet reports no flow log setting (neither logConfig.enable nor enableFlowLogs), so flow logs are not shown to be on.",
                    ),
                };
                builder
                    .evidence("flow_logs", s.flow_logs)
                    .evidence("flow_sampling", s.flow_sampling)
                    .evidence("purpose", &s.purpose)
                    .evidence("network", &s.network)
                    .evidence("ip_cidr_range", &s.ip_cidr_range)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::subnetwork;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn vm_subnets_need_flow_logs() {
        let mut proxy = subnetwork("proxy-only", None, None);
        proxy.purpose = Some("REGIONAL_MANAGED_PROXY".into());
        let mut private = subnetwork("explicit-private", Some(true), None);
        private.purpose = Some("PRIVATE".into());
        let mut inv = Inventory::new();
        inv.gcp_subnetworks = vec![
            subnetwork("on", Some(true), None),
            subnetwork("off", Some(false), None),
            subnetwork("unreported", None, None),
            proxy,
            private,
        ];
        let f = run(&SubnetFlowLogs, &inv);
        assert_eq!(f.status_of("on"), Status::Pass);
        assert_eq!(f.evidence_of("on", "flow_sampling"), 0.5);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert_eq!(f.status_of("unreported"), Status::Fail);
        assert!(f.of("unreported").reason.contains("no flow log setting"));
        assert_eq!(f.status_of("proxy-only"), Status::NotApplicable);
        assert_eq!(f.status_of("explicit-private"), Status::Pass);
    }
}
