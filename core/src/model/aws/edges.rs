//! Where ePHI reaches users: CloudFront distributions, API Gateway custom domains and
//! Classic Load Balancers.

use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

/// A CloudFront distribution, from ListDistributions (the summary holds every field kept).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudFrontDistribution {
    pub resource: ResourceRef,
    /// `*.cloudfront.net` name of the distribution.
    #[serde(default)]
    pub domain_name: Option<String>,
    #[serde(default)]
    pub enabled: Option<bool>,
    /// `ViewerProtocolPolicy` of every cache behavior: the default behavior first (path
    /// pattern `*`), then the ordered ones.
    #[serde(default)]
    pub viewer_protocol_policies: Vec<CacheBehaviorPolicy>,
    /// `ViewerCertificate.MinimumProtocolVersion` (`TLSv1.2_2021`, `TLSv1`, ...).
    #[serde(default)]
    pub minimum_protocol_version: Option<String>,
    /// `ViewerCertificate.CloudFrontDefaultCertificate`: the `*.cloudfront.net`
    /// certificate, with which CloudFront accepts TLS 1.0 whatever the minimum says.
    #[serde(default)]
    pub default_certificate: Option<bool>,
    /// `ViewerCertificate.SSLSupportMethod` (`sni-only`, `vip`, `static-ip`).
    #[serde(default)]
    pub ssl_support_method: Option<String>,
}

/// One cache behavior's viewer protocol policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheBehaviorPolicy {
    pub path_pattern: String,
    /// `allow-all`, `redirect-to-https` or `https-only`.
    pub viewer_protocol_policy: String,
}

/// An API Gateway (REST) custom domain name, from GetDomainNames.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiGatewayDomainName {
    pub resource: ResourceRef,
    /// `TLS_1_0`, `TLS_1_2` or a newer `SecurityPolicy_*` name; `None`: not reported.
    #[serde(default)]
    pub security_policy: Option<String>,
    /// `EDGE`, `REGIONAL` or `PRIVATE`.
    #[serde(default)]
    pub endpoint_types: Vec<String>,
}

/// A Classic Load Balancer, from DescribeLoadBalancers, with the SSL negotiation policy
/// of each secure listener from DescribeLoadBalancerPolicies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElbClassicLoadBalancer {
    pub resource: ResourceRef,
    /// `internet-facing` or `internal`.
    #[serde(default)]
    pub scheme: Option<String>,
    #[serde(default)]
    pub listeners: Vec<ClassicListener>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassicListener {
    /// `HTTP`, `HTTPS`, `TCP` or `SSL`.
    pub protocol: String,
    pub port: i32,
    /// The listener's SSL negotiation policy (HTTPS and SSL only).
    #[serde(default)]
    pub policy_name: Option<String>,
    /// The predefined policy it copies (`Reference-Security-Policy`), when it says.
    #[serde(default)]
    pub reference_policy: Option<String>,
    /// The protocols the policy enables (`Protocol-TLSv1.2 = true`, ...); `None` for
    /// listeners without a policy, or when the policy's attributes were not reported.
    #[serde(default)]
    pub ssl_protocols: Option<Vec<String>>,
}
