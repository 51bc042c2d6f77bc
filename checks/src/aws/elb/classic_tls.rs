use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::ElbClassicLoadBalancer;

declare_check! {
    /// ## What it checks
    /// Every listener of every Classic Load Balancer is `HTTPS` or `SSL`, and its SSL
    /// negotiation policy (DescribeLoadBalancerPolicies) enables TLS 1.2 and nothing older:
    /// no `Protocol-SSLv3`, `Protocol-TLSv1` or `Protocol-TLSv1.1`. One finding per load
    /// balancer: an `HTTP` or `TCP` listener FAILs it (plaintext to the balancer), as does a
    /// secure listener whose policy allows an old protocol. A secure listener whose policy's
    /// protocols were not reported is ERROR.
    ///
    /// ## Why it matters
    /// Classic Load Balancers front older EHR and billing stacks; a plaintext or TLS 1.0
    /// listener exposes the ePHI they serve on the network (transmission security, 45 CFR
    /// 164.312(e)(1); integrity controls, 164.312(e)(2)(i); encryption, 164.312(e)(2)(ii)).
    ///
    /// ## Evidence
    /// `listeners` (protocol, port, policy, reference policy, protocols), `plaintext` and
    /// `weak_tls` (the failing listeners' ports) and `scheme`.
    ///
    /// ## Remediation
    /// Replace plaintext listeners by HTTPS/SSL ones with an ACM certificate, and set a TLS
    /// 1.2 policy: `aws elb create-load-balancer-policy --load-balancer-name <lb>
    /// --policy-name tls12 --policy-type-name SSLNegotiationPolicyType --policy-attributes
    /// AttributeName=Reference-Security-Policy,AttributeValue=ELBSecurityPolicy-TLS-1-2-2017-01`,
    /// then `aws elb set-load-balancer-policies-of-listener --load-balancer-port 443
    /// --policy-names tls12`. Better, migrate to an Application Load Balancer.
    pub struct ElbClassicTls {
        id: "aws-elb-classic-tls",
        title: "Classic Load Balancers listen only with TLS 1.2 or newer",
        severity: High,
        provider: Aws,
        kinds: [AwsElbClassicLoadBalancer],
        controls: [TransmissionSecurity, TransmissionIntegrityControls, TransmissionEncryption],
    }
}

const OLD: [&str; 4] = ["SSLv2", "SSLv3", "TLSv1", "TLSv1.1"];

impl Check for ElbClassicTls {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<ElbClassicLoadBalancer>()
            .iter()
            .map(|lb| {
                let r = &lb.resource;
                let secure = |l: &&phiscan_core::model::aws::ClassicListener| {
                    matches!(l.protocol.to_ascii_uppercase().as_str(), "HTTPS" | "SSL")
                };
                let plaintext: Vec<i32> = lb
                    .listeners
                    .iter()
                    .filter(|l| !secure(l))
                    .map(|l| l.port)
                    .collect();
                let tls: Vec<_> = lb.listeners.iter().filter(secure).collect();
                let weak: Vec<i32> = tls
                    .iter()
                    .filter(|l| {
                        l.ssl_protocols.as_ref().is_some_and(|p| {
                            !p.iter().any(|x| x == "TLSv1.2")
                                || p.iter().any(|x| OLD.contains(&x.as_str()))
                        })
                    })
                    .map(|l| l.port)
                    .collect();
                let unknown: Vec<i32> = tls
                    .iter()
                    .filter(|l| l.ssl_protocols.is_none())
                    .map(|l| l.port)
                    .collect();
                let b = if lb.listeners.is_empty() {
                    ctx.not_applicable(r).reason("The load balancer has no listener.")
                } else if !plaintext.is_empty() || !weak.is_empty() {
                    let mut why = Vec::new();
                    if !plaintext.is_empty() {
                        why.push(format!("plaintext listener(s) on port {plaintext:?}"));
                    }
                    if !weak.is_empty() {
                        why.push(format!("TLS listener(s) on port {weak:?} allow a protocol older than TLS 1.2 (or lack TLS 1.2)"));
                    }
                    ctx.fail(r).reason(format!("The load balancer has {}.", why.join(" and ")))
                } else if !unknown.is_empty() {
                    ctx.error(r).reason(format!(
                        "The SSL policy protocols of the listener(s) on port {unknown:?} were not reported."
                    ))
                } else {
                    ctx.pass(r)
                        .reason("Every listener is HTTPS/SSL with a policy enabling TLS 1.2 and nothing older.")
                };
                b.evidence("listeners", &lb.listeners)
                    .evidence("plaintext", plaintext)
                    .evidence("weak_tls", weak)
                    .evidence("scheme", &lb.scheme)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::aws_edges::{classic_listener, elb_classic};
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    fn lb(id: &str, listeners: Vec<phiscan_core::model::aws::ClassicListener>) -> ElbClassicLoadBalancer {
        let mut l = elb_classic(id);
        l.listeners = listeners;
        l
    }

    #[test]
    fn every_listener_secure_with_tls12_only() {
        let tls12 = Some(&["TLSv1.2"][..]);
        let mut inv = Inventory::new();
        inv.aws_elb_classic_load_balancers = vec![
            elb_classic("modern"),
            lb("ssl", vec![classic_listener("SSL", 8443, tls12)]),
            lb("http", vec![classic_listener("HTTPS", 443, tls12), classic_listener("HTTP", 80, None)]),
            lb("tcp", vec![classic_listener("TCP", 5432, None)]),
            lb("legacy", vec![classic_listener("HTTPS", 443, Some(&["TLSv1", "TLSv1.1", "TLSv1.2"]))]),
            lb("no-tls12", vec![classic_listener("HTTPS", 443, Some(&[]))]),
            lb("unknown", vec![classic_listener("HTTPS", 443, None)]),
            lb("empty", vec![]),
        ];
        let f = run(&ElbClassicTls, &inv);
        assert_eq!(f.status_of("modern"), Status::Pass);
        assert_eq!(f.status_of("ssl"), Status::Pass);
        assert_eq!(f.status_of("http"), Status::Fail);
        assert_eq!(f.evidence_of("http", "plaintext"), serde_json::json!([80]));
        assert_eq!(f.status_of("tcp"), Status::Fail);
        assert_eq!(f.status_of("legacy"), Status::Fail);
        assert_eq!(f.evidence_of("legacy", "weak_tls"), serde_json::json!([443]));
        assert_eq!(f.status_of("no-tls12"), Status::Fail);
        assert_eq!(f.status_of("unknown"), Status::Error);
        assert_eq!(f.status_of("empty"), Status::NotApplicable);
    }
}
