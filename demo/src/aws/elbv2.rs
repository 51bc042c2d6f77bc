//! ELBv2: the listeners of the application and network load balancers, and the target
//! groups behind them (the portal re-encrypts to the app servers; the legacy reports load
//! balancer still forwards plain HTTP).

use super::{arn_ref, strings, E1, PROD, PROD_VPC};
use crate::model::aws::{Elbv2Listener, Elbv2TargetGroup, ListenerAction};
use crate::model::{Inventory, ResourceKind as K};

const MODERN_TLS: (&str, &[&str]) = (
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    &["TLSv1.2", "TLSv1.3"],
);
const OLD_TLS: (&str, &[&str]) = (
    "ELBSecurityPolicy-2016-08",
    &["TLSv1", "TLSv1.1", "TLSv1.2"],
);

/// One listener of the load balancer `lb` (`app/<name>/<id>` or `net/<name>/<id>`), forwarding
/// to a target group unless changed.
fn listener(
    lb: &str,
    id: &str,
    protocol: &str,
    port: i32,
    policy: Option<(&str, &[&str])>,
) -> Elbv2Listener {
    let prefix = format!("arn:aws:elasticloadbalancing:{E1}:{PROD}");
    let name = lb.split('/').nth(1).unwrap_or(lb);
    let arn = format!("{prefix}:listener/{lb}/{id}");
    Elbv2Listener {
        resource: arn_ref(
            K::AwsElbv2Listener,
            PROD,
            E1,
            arn,
            &format!("{name}:{port}"),
        ),
        load_balancer_arn: format!("{prefix}:loadbalancer/{lb}"),
        load_balancer_name: name.into(),
        scheme: "internet-facing".into(),
        protocol: protocol.into(),
        port,
        ssl_policy: policy.map(|(name, _)| name.into()),
        ssl_protocols: policy.map(|(_, protocols)| strings(protocols)),
        default_actions: vec![ListenerAction {
            action_type: "forward".into(),
            redirect_protocol: None,
        }],
    }
}

pub(super) fn add(inv: &mut Inventory) {
    let portal = "app/ehr-portal-alb/50dc6c495c0c9188";
    let legacy = "app/legacy-reports-alb/7e1f3a9b2c4d6e80";
    let mut redirect = listener(portal, "a1c3e5f7b9d0e2f4", "HTTP", 80, None);
    redirect.default_actions = vec![ListenerAction {
        action_type: "redirect".into(),
        redirect_protocol: Some("HTTPS".into()),
    }];
    // HL7 v2 (MLLP) from partner labs: TCP pass-through, TLS is terminated by the app.
    let mut hl7 = listener(
        "net/hl7-feed-nlb/3b5d7f9a1c2e4f60",
        "6c5d4e3f2a1b0c9d",
        "TCP",
        2575,
        None,
    );
    hl7.scheme = "internal".into();
    inv.aws_elbv2_listeners = vec![
        listener(portal, "f2f7dc8efc522ab2", "HTTPS", 443, Some(MODERN_TLS)),
        redirect,
        listener(legacy, "0d2e4f6a8b1c3e5f", "HTTP", 8080, None),
        listener(legacy, "9a8b7c6d5e4f3a2b", "HTTPS", 443, Some(OLD_TLS)),
        hl7,
    ];
    target_groups(inv);
}

fn target_groups(inv: &mut Inventory) {
    let prefix = format!("arn:aws:elasticloadbalancing:{E1}:{PROD}");
    let group = |name: &str, id: &str, protocol: &str, port: i32, lb: &str| Elbv2TargetGroup {
        resource: arn_ref(
            K::AwsElbv2TargetGroup,
            PROD,
            E1,
            format!("{prefix}:targetgroup/{name}/{id}"),
            name,
        ),
        protocol: Some(protocol.into()),
        port: Some(port),
        target_type: Some("instance".into()),
        vpc_id: Some(PROD_VPC.into()),
        load_balancer_arns: vec![format!("{prefix}:loadbalancer/{lb}")],
    };
    inv.aws_elbv2_target_groups = vec![
        // The PASS of aws-elbv2-backend-tls: TLS from the load balancer to the app servers.
        group(
            "ehr-app-https",
            "1a2b3c4d5e6f7a8b",
            "HTTPS",
            8443,
            "app/ehr-portal-alb/50dc6c495c0c9188",
        ),
        // Its FAIL: the reports travel in clear text inside the VPC.
        group(
            "legacy-reports-http",
            "8b7a6f5e4d3c2b1a",
            "HTTP",
            8080,
            "app/legacy-reports-alb/7e1f3a9b2c4d6e80",
        ),
    ];
}
