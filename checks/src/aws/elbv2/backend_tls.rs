use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::Elbv2TargetGroup;

declare_check! {
    /// ## What it checks
    /// Every ELBv2 target group forwards to its targets over HTTPS or TLS: its protocol,
    /// the one the load balancer speaks to the application servers. HTTP, TCP, UDP and
    /// TCP_UDP fail. Gateway Load Balancer groups (GENEVE, which carries packets to
    /// appliances unchanged) and Lambda targets (invoked through the AWS API, which is TLS)
    /// are NOT_APPLICABLE; a group whose protocol was not reported is ERROR.
    ///
    /// ## Why it matters
    /// The policies promise that "data is transmitted from the load balancers to the
    /// application servers over an SSL encrypted session". A listener's TLS ends at the load
    /// balancer; with an HTTP target group the ePHI crosses the VPC in clear text
    /// (transmission security, 45 CFR 164.312(e)(1); encryption, 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `protocol`, `port`, `target_type`, `vpc_id`, `load_balancers`.
    ///
    /// ## Remediation
    /// Serve TLS on the targets and create an HTTPS (or TLS) target group for them
    /// (`aws elbv2 create-target-group --protocol HTTPS --port 443 ...`), then point the
    /// listener rules at it; a target group's protocol cannot be changed in place.
    pub struct Elbv2BackendTls {
        id: "aws-elbv2-backend-tls",
        title: "Load balancers forward to their targets over HTTPS or TLS",
        severity: High,
        provider: Aws,
        kinds: [AwsElbv2TargetGroup],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

impl Check for Elbv2BackendTls {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<Elbv2TargetGroup>()
            .iter()
            .map(|g| {
                let proto = g.protocol.as_deref().map(str::to_ascii_uppercase);
                let lambda = g.target_type.as_deref() == Some("lambda");
                let b = match proto.as_deref() {
                    Some("HTTPS" | "TLS") => ctx.pass(&g.resource).reason(format!(
                        "The target group forwards over {}: traffic to the targets is encrypted.",
                        proto.as_deref().unwrap_or_default()
                    )),
                    Some("GENEVE") => ctx.not_applicable(&g.resource).reason(
                        "A Gateway Load Balancer group (GENEVE) hands packets to appliances unchanged: the application's own TLS is what protects them.",
                    ),
                    None if lambda => ctx.not_applicable(&g.resource).reason(
                        "Lambda targets are invoked through the AWS API, over TLS.",
                    ),
                    None => ctx.error(&g.resource).reason(
                        "The target group's protocol was not reported: how it reaches its targets is unknown.",
                    ),
                    Some(p) => ctx.fail(&g.resource).reason(format!(
                        "The target group forwards over {p}: data leaves the load balancer unencrypted on its way to the targets."
                    )),
                };
                b.evidence("protocol", &g.protocol)
                    .evidence("port", g.port)
                    .evidence("target_type", &g.target_type)
                    .evidence("vpc_id", &g.vpc_id)
                    .evidence("load_balancers", &g.load_balancer_arns)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::elbv2_target_group;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        let tg = |id: &str, proto: Option<&str>, ttype: &str| Elbv2TargetGroup {
            protocol: proto.map(str::to_string),
            target_type: Some(ttype.into()),
            ..elbv2_target_group(id)
        };
        inv.aws_elbv2_target_groups = vec![
            elbv2_target_group("tg-https"),
            tg("tg-tls", Some("TLS"), "ip"),
            tg("tg-http", Some("HTTP"), "instance"),
            tg("tg-tcp", Some("TCP"), "instance"),
            tg("tg-geneve", Some("GENEVE"), "instance"),
            tg("tg-lambda", None, "lambda"),
            tg("tg-unknown", None, "instance"),
        ];
        run(&Elbv2BackendTls, &inv).assert_statuses(&[
            ("tg-https", Status::Pass),
            ("tg-tls", Status::Pass),
            ("tg-http", Status::Fail),
            ("tg-tcp", Status::Fail),
            ("tg-geneve", Status::NotApplicable),
            ("tg-lambda", Status::NotApplicable),
            ("tg-unknown", Status::Error),
        ]);
    }
}
