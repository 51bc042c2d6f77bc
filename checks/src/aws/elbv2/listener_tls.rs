use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{Elbv2Listener, ListenerAction};

declare_check! {
    /// ## What it checks
    /// Every ALB/NLB listener speaks TLS to clients. `HTTPS` and `TLS` listeners pass. An
    /// `HTTP` listener passes only when every default action is a redirect to `HTTPS` (the
    /// usual port-80 redirect); any `forward`, `fixed-response` or redirect that keeps the
    /// protocol fails. `TCP`, `UDP`, `TCP_UDP` and `GENEVE` listeners are NOT_APPLICABLE:
    /// at layer 4 the load balancer passes bytes through, and whether they are TLS cannot be
    /// judged from its configuration. Internal load balancers are held to the same rule: the
    /// policies promise encryption of all transmissions, not only internet-facing ones.
    ///
    /// ## Why it matters
    /// ePHI in requests and responses crosses the network between clients and the load
    /// balancer. The policies promise that "all data transmission is encrypted"
    /// (transmission security, 45 CFR 164.312(e)(1); encryption, 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `load_balancer`, `scheme`, `protocol`, `port` and `default_actions` (type and
    /// redirect protocol of each).
    ///
    /// ## Remediation
    /// Add an HTTPS listener with an ACM certificate, then turn the HTTP listener into a
    /// redirect: `aws elbv2 modify-listener --listener-arn <arn> --default-actions
    /// 'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}'`. Check
    /// the listener's rules too: a rule that forwards plain HTTP bypasses the default
    /// action.
    pub struct Elbv2ListenerTls {
        id: "aws-elbv2-listener-tls",
        title: "Load balancer listeners use TLS (or redirect HTTP to HTTPS)",
        severity: High,
        provider: Aws,
        kinds: [AwsElbv2Listener],
        controls: [TransmissionSecurity, TransmissionEncryption],
    }
}

fn redirects_to_https(a: &ListenerAction) -> bool {
    a.action_type.eq_ignore_ascii_case("redirect")
        && a.redirect_protocol
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case("HTTPS"))
}

impl Check for Elbv2ListenerTls {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<Elbv2Listener>()
            .iter()
            .map(|l| {
                let proto = l.protocol.to_ascii_uppercase();
                let actions: Vec<serde_json::Value> = l
                    .default_actions
                    .iter()
                    .map(|a| serde_json::json!({"type": a.action_type, "redirect_protocol": a.redirect_protocol}))
                    .collect();
                let builder = match proto.as_str() {
                    "HTTPS" | "TLS" => ctx
                        .pass(&l.resource)
                        .reason(format!("The listener on port {} uses {proto}.", l.port)),
                    "HTTP" => {
                        let ok = !l.default_actions.is_empty()
                            && l.default_actions.iter().all(redirects_to_https);
                        let reason = if ok {
                            format!("The HTTP listener on port {} only redirects to HTTPS.", l.port)
                        } else {
                            format!(
                                "The listener on port {} serves plain HTTP (default action(s): {}).",
                                l.port,
                                l.default_actions.iter().map(|a| a.action_type.as_str()).collect::<Vec<_>>().join(", ")
                            )
                        };
                        ctx.verdict(ok, &l.resource).reason(reason)
                    }
                    "TCP" | "UDP" | "TCP_UDP" | "GENEVE" => ctx.not_applicable(&l.resource).reason(format!(
                        "The listener on port {} uses {proto}: at layer 4 the payload passes through, so whether it is TLS cannot be judged from the listener.",
                        l.port
                    )),
                    _ => ctx.fail(&l.resource).reason(format!(
                        "The listener on port {} uses an unrecognized protocol {:?}, which is not known to be TLS.",
                        l.port, l.protocol
                    )),
                };
                builder
                    .evidence("load_balancer", &l.load_balancer_name)
                    .evidence("scheme", &l.scheme)
                    .evidence("protocol", &l.protocol)
                    .evidence("port", l.port)
                    .evidence("default_actions", actions)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws::elbv2_listener;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn action(kind: &str, redirect: Option<&str>) -> ListenerAction {
        ListenerAction {
            action_type: kind.into(),
            redirect_protocol: redirect.map(Into::into),
        }
    }

    fn http(id: &str, actions: Vec<ListenerAction>) -> Elbv2Listener {
        let mut l = elbv2_listener(id, "HTTP", 80);
        l.default_actions = actions;
        l
    }

    #[test]
    fn verdicts_by_protocol_and_action() {
        let mut inv = Inventory::new();
        inv.aws_elbv2_listeners = vec![
            elbv2_listener("https", "HTTPS", 443),
            elbv2_listener("tls", "TLS", 443),
            http("redirect", vec![action("redirect", Some("HTTPS"))]),
            http("forward", vec![action("forward", None)]),
            http(
                "keeps-protocol",
                vec![action("redirect", Some("#{protocol}"))],
            ),
            http("no-actions", vec![]),
            elbv2_listener("tcp", "TCP", 2575),
            elbv2_listener("udp", "UDP", 53),
            elbv2_listener("odd", "SCTP", 1),
        ];
        let f = run(&Elbv2ListenerTls, &inv);
        assert_eq!(f.status_of("https"), Status::Pass);
        assert_eq!(f.status_of("tls"), Status::Pass);
        assert_eq!(f.status_of("redirect"), Status::Pass);
        assert_eq!(f.status_of("forward"), Status::Fail);
        assert_eq!(f.status_of("keeps-protocol"), Status::Fail);
        assert_eq!(f.status_of("no-actions"), Status::Fail);
        assert_eq!(f.status_of("tcp"), Status::NotApplicable);
        assert!(f.of("tcp").reason.contains("layer 4"));
        assert_eq!(f.status_of("udp"), Status::NotApplicable);
        assert_eq!(f.status_of("odd"), Status::Fail);
    }
}
