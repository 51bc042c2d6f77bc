//! Classic Load Balancers: `ehr-hl7-gateway` (the HL7 interface engine) accepts SSL on 2575
//! with a TLS 1.2 policy only; `legacy-billing` still listens on HTTP 80 and serves HTTPS
//! with the 2015 default policy (TLS 1.0 and 1.1 enabled).

use super::{arn_ref, E1, PROD};
use crate::model::aws::{ClassicListener, ElbClassicLoadBalancer};
use crate::model::{Inventory, ResourceKind as K};

fn listener(protocol: &str, port: i32, policy: Option<(&str, &[&str])>) -> ClassicListener {
    ClassicListener {
        protocol: protocol.into(),
        port,
        policy_name: policy.map(|(name, _)| name.to_string()),
        reference_policy: policy.map(|(name, _)| name.to_string()),
        ssl_protocols: policy.map(|(_, p)| p.iter().map(|s| s.to_string()).collect()),
    }
}

pub(super) fn add(inv: &mut Inventory) {
    let lb = |name: &str, scheme: &str, listeners| ElbClassicLoadBalancer {
        resource: arn_ref(
            K::AwsElbClassicLoadBalancer,
            PROD,
            E1,
            format!("arn:aws:elasticloadbalancing:{E1}:{PROD}:loadbalancer/{name}"),
            name,
        ),
        scheme: Some(scheme.into()),
        listeners,
    };
    let tls12 = ("ELBSecurityPolicy-TLS-1-2-2017-01", &["TLSv1.2"][..]);
    let old = (
        "ELBSecurityPolicy-2015-05",
        &["TLSv1", "TLSv1.1", "TLSv1.2"][..],
    );
    inv.aws_elb_classic_load_balancers = vec![
        lb(
            "ehr-hl7-gateway",
            "internal",
            vec![listener("SSL", 2575, Some(tls12))],
        ),
        lb(
            "legacy-billing",
            "internet-facing",
            vec![
                listener("HTTP", 80, None),
                listener("HTTPS", 443, Some(old)),
            ],
        ),
    ];
}
