use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{FlowLog, Vpc};
use serde_json::json;

declare_check! {
    /// ## What it checks
    /// Every VPC has at least one flow log that is delivering: status `ACTIVE`. A flow log
    /// whose status was not reported (the moto emulator omits it) counts as present, and the
    /// evidence and reason say its status is unknown; a flow log in any other status (e.g.
    /// delivery failed) does not count. The reason also says when no flow log captures
    /// `ALL` traffic (only `ACCEPT` or only `REJECT`). Default VPCs are checked too: a
    /// resource launched into one is logged no better.
    ///
    /// ## Why it matters
    /// Flow logs record which addresses talked to which ports, the evidence needed to
    /// reconstruct access to ePHI systems and to spot exfiltration. HIPAA requires
    /// mechanisms that record and examine activity (audit controls, 45 CFR 164.312(b)) and
    /// regular review of those records (information system activity review,
    /// 164.308(a)(1)(ii)(D)).
    ///
    /// ## Evidence
    /// `vpc_id`, `is_default` and `flow_logs` (id, status, traffic type and destination of
    /// each), `counted_flow_logs` and `captures_all_traffic`.
    ///
    /// ## Remediation
    /// `aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc> --traffic-type ALL
    /// --log-destination-type s3 --log-destination arn:aws:s3:::<log-bucket>` (or to
    /// CloudWatch Logs with `--deliver-logs-permission-arn`), and fix the delivery
    /// permissions of flow logs that are not ACTIVE.
    pub struct VpcFlowLogs {
        id: "aws-vpc-flow-logs",
        title: "VPCs have flow logs enabled",
        severity: Medium,
        provider: Aws,
        kinds: [AwsVpc],
        controls: [AuditControls, InformationSystemActivityReview],
    }
}

/// A flow log counts when it is ACTIVE, or when its status was not reported.
fn counts(f: &FlowLog) -> bool {
    f.status
        .as_deref()
        .is_none_or(|s| s.eq_ignore_ascii_case("ACTIVE"))
}

impl Check for VpcFlowLogs {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<Vpc>()
            .iter()
            .map(|v| {
                let counted: Vec<&FlowLog> = v.flow_logs.iter().filter(|f| counts(f)).collect();
                let all_traffic = counted.iter().any(|f| {
                    f.traffic_type
                        .as_deref()
                        .is_some_and(|t| t.eq_ignore_ascii_case("ALL"))
                });
                let unknown = counted.iter().filter(|f| f.status.is_none()).count();
                let reason = if counted.is_empty() && v.flow_logs.is_empty() {
                    format!("VPC {} has no flow log.", v.vpc_id)
                } else if counted.is_empty() {
                    format!("VPC {} has flow logs, but none is ACTIVE.", v.vpc_id)
                } else {
                    let mut r = format!(
                        "VPC {} has {} delivering flow log(s)",
                        v.vpc_id,
                        counted.len()
                    );
                    if unknown > 0 {
                        r.push_str(&format!(
                            " ({unknown} with unreported status, counted as present)"
                        ));
                    }
                    if !all_traffic {
                        r.push_str(", but none captures ALL traffic");
                    }
                    r + "."
                };
                let logs: Vec<serde_json::Value> = v
                    .flow_logs
                    .iter()
                    .map(|f| {
                        json!({
                            "flow_log_id": f.flow_log_id,
                            "status": f.status.as_deref().unwrap_or("unknown (not reported)"),
                            "traffic_type": f.traffic_type,
                            "destination": f.destination,
                        })
                    })
                    .collect();
                ctx.verdict(!counted.is_empty(), &v.resource)
                    .evidence("vpc_id", &v.vpc_id)
                    .evidence("is_default", v.is_default)
                    .evidence("flow_logs", logs)
                    .evidence(
                        "counted_flow_logs",
                        counted.iter().map(|f| &f.flow_log_id).collect::<Vec<_>>(),
                    )
                    .evidence("captures_all_traffic", all_traffic)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run;
    use crate::testing::{self, aws::flow_log};
    use phiscan_core::{Inventory, Status};

    fn log(id: &str, status: Option<&str>, traffic: &str) -> FlowLog {
        FlowLog {
            status: status.map(Into::into),
            traffic_type: Some(traffic.into()),
            ..flow_log(id)
        }
    }

    fn vpc(id: &str, flow_logs: Vec<FlowLog>) -> Vpc {
        Vpc {
            flow_logs,
            ..testing::aws::vpc(id)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.aws_vpcs = vec![
            vpc("active", vec![log("fl-1", Some("ACTIVE"), "ALL")]),
            vpc("unreported", vec![log("fl-2", None, "REJECT")]),
            vpc("failed", vec![log("fl-3", Some("FAILED"), "ALL")]),
            vpc("none", vec![]),
        ];
        let f = run(&VpcFlowLogs, &inv);
        assert_eq!(f.status_of("active"), Status::Pass);
        assert_eq!(f.evidence_of("active", "captures_all_traffic"), json!(true));
        assert_eq!(f.status_of("unreported"), Status::Pass);
        assert!(f.of("unreported").reason.contains("unreported status"));
        assert!(f.of("unreported").reason.contains("none captures ALL"));
        assert_eq!(
            f.evidence_of("unreported", "flow_logs")[0]["status"],
            json!("unknown (not reported)")
        );
        assert_eq!(f.status_of("failed"), Status::Fail);
        assert_eq!(f.status_of("none"), Status::Fail);
    }
}
