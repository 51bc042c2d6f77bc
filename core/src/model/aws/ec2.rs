//! EC2 instances and security groups (DescribeInstances, DescribeSecurityGroups).

use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

/// One ingress permission of a security group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SgRule {
    /// `tcp`, `udp`, `icmp`, `icmpv6`, or `-1` for all traffic.
    pub protocol: String,
    #[serde(default)]
    pub from_port: Option<i32>,
    #[serde(default)]
    pub to_port: Option<i32>,
    #[serde(default)]
    pub ipv4_ranges: Vec<String>,
    #[serde(default)]
    pub ipv6_ranges: Vec<String>,
    /// Referenced security groups / prefix lists: not public by themselves.
    #[serde(default)]
    pub source_groups: Vec<String>,
    #[serde(default)]
    pub prefix_lists: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub resource: ResourceRef,
    pub group_id: String,
    #[serde(default)]
    pub vpc_id: Option<String>,
    #[serde(default)]
    pub ingress: Vec<SgRule>,
    /// What the group is attached to: ENIs, instances, RDS instances, load balancers.
    /// Read from those resources (moto creates no ENIs for RDS/ELB).
    #[serde(default)]
    pub attached_to: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ec2Instance {
    pub resource: ResourceRef,
    /// `pending`, `running`, `stopped`, `terminated`, ...
    pub state: String,
    /// IMDS `HttpTokens`: `required` (IMDSv2 only) or `optional`.
    #[serde(default)]
    pub imds_http_tokens: Option<String>,
    /// IMDS `HttpEndpoint`: `enabled` or `disabled`.
    #[serde(default)]
    pub imds_http_endpoint: Option<String>,
    #[serde(default)]
    pub public_ip: Option<String>,
    #[serde(default)]
    pub subnet_id: Option<String>,
    #[serde(default)]
    pub vpc_id: Option<String>,
    #[serde(default)]
    pub security_groups: Vec<String>,
}
