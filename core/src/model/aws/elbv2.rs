//! ELBv2 (ALB/NLB) listeners.

use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

/// One action of a listener (or of its default rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListenerAction {
    /// `forward`, `redirect`, `fixed-response`, `authenticate-oidc`, ...
    pub action_type: String,
    /// For `redirect`: the protocol it redirects to (`HTTPS`, `#{protocol}`).
    #[serde(default)]
    pub redirect_protocol: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Elbv2Listener {
    pub resource: ResourceRef,
    pub load_balancer_arn: String,
    pub load_balancer_name: String,
    /// `internet-facing` or `internal`.
    pub scheme: String,
    /// `HTTP`, `HTTPS`, `TLS`, `TCP`, `UDP`, `TCP_UDP`, `GENEVE`.
    pub protocol: String,
    pub port: i32,
    #[serde(default)]
    pub ssl_policy: Option<String>,
    /// Protocols the SSL policy allows (`TLSv1`, `TLSv1.1`, `TLSv1.2`, `TLSv1.3`), from
    /// DescribeSSLPolicies; `None` when not collected.
    #[serde(default)]
    pub ssl_protocols: Option<Vec<String>>,
    #[serde(default)]
    pub default_actions: Vec<ListenerAction>,
}

/// An ELBv2 target group (DescribeTargetGroups): how its load balancers talk to the
/// targets behind them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Elbv2TargetGroup {
    pub resource: ResourceRef,
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP`, `GENEVE`; `None` for Lambda targets.
    #[serde(default)]
    pub protocol: Option<String>,
    #[serde(default)]
    pub port: Option<i32>,
    /// `instance`, `ip`, `lambda` or `alb`.
    #[serde(default)]
    pub target_type: Option<String>,
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// The load balancers forwarding to it.
    #[serde(default)]
    pub load_balancer_arns: Vec<String>,
}
