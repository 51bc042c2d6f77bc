//! AWS network resources for check tests (instances, subnets, network ACLs, security groups,
//! VPCs and flow logs), on the conventions of `aws.rs`: each builder passes every check of its
//! kind unless its doc says otherwise.

use super::aws::regional;
use phiscan_core::model::aws::*;
use phiscan_core::ResourceKind;

/// A running instance requiring IMDSv2, without a public IP, in `subnet-1` of `vpc-1`.
pub fn ec2_instance(id: &str) -> Ec2Instance {
    Ec2Instance {
        resource: regional(ResourceKind::AwsEc2Instance, id),
        state: "running".into(),
        imds_http_tokens: Some("required".into()),
        imds_http_endpoint: Some("enabled".into()),
        public_ip: None,
        subnet_id: Some("subnet-1".into()),
        vpc_id: Some("vpc-1".into()),
        security_groups: vec!["sg-1".into()],
    }
}

/// A private subnet (no route to an internet gateway) of `vpc-1`.
pub fn ec2_subnet(id: &str) -> Subnet {
    Subnet {
        resource: regional(ResourceKind::AwsEc2Subnet, id),
        subnet_id: id.into(),
        vpc_id: "vpc-1".into(),
        routes_to_internet_gateway: false,
        map_public_ip_on_launch: false,
    }
}

/// A rule of a network ACL entry, inbound; `ports` None means all ports.
pub fn nacl_entry(
    n: i32,
    proto: &str,
    action: &str,
    cidr: &str,
    ports: Option<(i32, i32)>,
) -> NaclEntry {
    let v6 = cidr.contains(':');
    NaclEntry {
        rule_number: n,
        protocol: proto.into(),
        rule_action: action.into(),
        egress: false,
        cidr_block: (!v6).then(|| cidr.to_string()),
        ipv6_cidr_block: v6.then(|| cidr.to_string()),
        port_from: ports.map(|p| p.0),
        port_to: ports.map(|p| p.1),
    }
}

/// A network ACL of `subnet-1` holding only the final deny-all rule AWS adds to every ACL.
pub fn network_acl(id: &str) -> NetworkAcl {
    NetworkAcl {
        resource: regional(ResourceKind::AwsEc2NetworkAcl, id),
        nacl_id: id.into(),
        vpc_id: Some("vpc-1".into()),
        is_default: false,
        entries: vec![nacl_entry(32767, "-1", "deny", "0.0.0.0/0", None)],
        subnet_ids: vec!["subnet-1".into()],
    }
}

/// A security group of `vpc-1`, attached to nothing, with these inbound rules.
pub fn security_group(id: &str, ingress: Vec<SgRule>) -> SecurityGroup {
    SecurityGroup {
        resource: regional(ResourceKind::AwsEc2SecurityGroup, id),
        group_id: id.into(),
        vpc_id: Some("vpc-1".into()),
        ingress,
        attached_to: vec![],
    }
}

/// An inbound rule from one CIDR (IPv6 when it holds a colon).
pub fn sg_rule(proto: &str, from: Option<i32>, to: Option<i32>, cidr: &str) -> SgRule {
    let v6 = cidr.contains(':');
    SgRule {
        protocol: proto.into(),
        from_port: from,
        to_port: to,
        ipv4_ranges: (!v6).then(|| cidr.to_string()).into_iter().collect(),
        ipv6_ranges: v6.then(|| cidr.to_string()).into_iter().collect(),
        source_groups: vec![],
        prefix_lists: vec![],
    }
}

/// An active flow log of all traffic to S3.
pub fn flow_log(id: &str) -> FlowLog {
    FlowLog {
        flow_log_id: id.into(),
        status: Some("ACTIVE".into()),
        traffic_type: Some("ALL".into()),
        destination: Some("arn:aws:s3:::flow-logs".into()),
    }
}

/// A non-default VPC, 10.0.0.0/16, with one active flow log of all traffic.
pub fn vpc(id: &str) -> Vpc {
    Vpc {
        resource: regional(ResourceKind::AwsVpc, id),
        vpc_id: id.into(),
        is_default: false,
        flow_logs: vec![flow_log(&format!("fl-{id}"))],
        cidr_blocks: vec!["10.0.0.0/16".into()],
    }
}

/// An active peering in the test account between two of its VPCs in us-east-1.
pub fn vpc_peering(id: &str, requester: &str, accepter: &str) -> VpcPeering {
    let side = |vpc: &str| PeerVpc {
        vpc_id: Some(vpc.into()),
        owner_id: Some(super::AWS_ACCOUNT.into()),
        region: Some("us-east-1".into()),
    };
    VpcPeering {
        resource: regional(ResourceKind::AwsVpcPeering, id),
        peering_id: id.into(),
        status: Some("active".into()),
        requester: side(requester),
        accepter: side(accepter),
    }
}

/// An available attachment of VPC `vpc` to `tgw-1`, associated with `routes`'s table
/// `tgw-rtb-<id>` (each route: destination, target attachment ids).
pub fn tgw_attachment(id: &str, vpc: &str, routes: &[(&str, &[&str])]) -> TransitGatewayAttachment {
    TransitGatewayAttachment {
        resource: regional(ResourceKind::AwsTransitGatewayAttachment, id),
        attachment_id: id.into(),
        transit_gateway_id: "tgw-1".into(),
        resource_type: Some("vpc".into()),
        resource_id: Some(vpc.into()),
        resource_owner_id: Some(super::AWS_ACCOUNT.into()),
        state: Some("available".into()),
        route_tables: vec![TgwRouteTable {
            route_table_id: format!("tgw-rtb-{id}"),
            routes: routes
                .iter()
                .map(|(dest, to)| TgwRoute {
                    destination: Some(dest.to_string()),
                    route_type: Some("static".into()),
                    state: Some("active".into()),
                    attachment_ids: to.iter().map(|t| t.to_string()).collect(),
                })
                .collect(),
        }],
    }
}
