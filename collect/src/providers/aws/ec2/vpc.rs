//! The network around the instances: VPCs with their flow logs, subnets with whether they
//! route to an internet gateway, and network ACLs.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{RouteState, RouteTable};

use super::tags;
use crate::model::aws::{FlowLog, NaclEntry, NetworkAcl, Subnet, Vpc};
use crate::model::ResourceKind;
use crate::providers::aws::{name_from, Aws, RegionShared};

/// Routes 0.0.0.0/0 or ::/0 to an internet gateway (a blackholed route does not count).
fn routes_to_igw(rt: &RouteTable) -> bool {
    rt.routes().iter().any(|r| {
        let default = r.destination_cidr_block() == Some("0.0.0.0/0")
            || r.destination_ipv6_cidr_block() == Some("::/0");
        default
            && r.gateway_id().is_some_and(|g| g.starts_with("igw-"))
            && r.state() != Some(&RouteState::Blackhole)
    })
}

pub(crate) async fn subnets(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsEc2Subnet;
    let Some(subnets) = pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_subnets(),
        subnets,
        kind,
        "ec2:DescribeSubnets"
    ) else {
        return;
    };
    let Some(tables) = pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_route_tables(),
        route_tables,
        kind,
        "ec2:DescribeRouteTables"
    ) else {
        return;
    };
    // A subnet uses its explicitly associated table, else its VPC's main table.
    let mut explicit: BTreeMap<&str, bool> = BTreeMap::new();
    let mut main: BTreeMap<&str, bool> = BTreeMap::new();
    for rt in &tables {
        let igw = routes_to_igw(rt);
        for a in rt.associations() {
            if let Some(sub) = a.subnet_id() {
                explicit.insert(sub, igw);
            }
            if a.main() == Some(true) {
                if let Some(vpc) = rt.vpc_id() {
                    main.insert(vpc, igw);
                }
            }
        }
    }
    let out: Vec<Subnet> = subnets
        .iter()
        .filter_map(|sn| {
            let id = sn.subnet_id()?;
            let vpc = sn.vpc_id().unwrap_or_default();
            let t = tags(sn.tags());
            let name = name_from(&t, id);
            Some(Subnet {
                resource: aws.resource(
                    kind,
                    &s.region,
                    aws.arn("ec2", &s.region, aws.account(), &format!("subnet/{id}")),
                    &name,
                    t,
                ),
                subnet_id: id.to_string(),
                vpc_id: vpc.to_string(),
                routes_to_internet_gateway: explicit
                    .get(id)
                    .or_else(|| main.get(vpc))
                    .copied()
                    .unwrap_or(false),
                map_public_ip_on_launch: sn.map_public_ip_on_launch().unwrap_or(false),
            })
        })
        .collect();
    aws.add(|inv| inv.aws_ec2_subnets.extend(out));
}

pub(crate) async fn vpcs(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsVpc;
    let Some(vpcs) = pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_vpcs(),
        vpcs,
        kind,
        "ec2:DescribeVpcs"
    ) else {
        return;
    };
    // Unfiltered: flow logs of subnets and ENIs are dropped by matching VPC ids below.
    let Some(flow_logs) = pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_flow_logs(),
        flow_logs,
        kind,
        "ec2:DescribeFlowLogs"
    ) else {
        return;
    };
    let mut by_vpc: BTreeMap<&str, Vec<FlowLog>> = BTreeMap::new();
    for fl in &flow_logs {
        if let (Some(vpc), Some(id)) = (fl.resource_id(), fl.flow_log_id()) {
            by_vpc.entry(vpc).or_default().push(FlowLog {
                flow_log_id: id.to_string(),
                status: fl.flow_log_status().map(str::to_string),
                traffic_type: fl.traffic_type().map(|t| t.as_str().to_string()),
                destination: fl
                    .log_destination()
                    .or(fl.log_group_name())
                    .map(str::to_string),
            });
        }
    }
    let out: Vec<Vpc> = vpcs
        .iter()
        .filter_map(|v| {
            let id = v.vpc_id()?;
            let t = tags(v.tags());
            let name = name_from(&t, id);
            Some(Vpc {
                resource: aws.resource(
                    kind,
                    &s.region,
                    aws.arn("ec2", &s.region, aws.account(), &format!("vpc/{id}")),
                    &name,
                    t,
                ),
                vpc_id: id.to_string(),
                is_default: v.is_default().unwrap_or(false),
                flow_logs: by_vpc.remove(id).unwrap_or_default(),
                cidr_blocks: vpc_cidrs(v),
            })
        })
        .collect();
    aws.add(|inv| inv.aws_vpcs.extend(out));
}

/// The VPC's primary IPv4 block, its associated IPv4 blocks and its IPv6 blocks (only the
/// associated ones: a block being disassociated no longer belongs to the VPC).
fn vpc_cidrs(v: &aws_sdk_ec2::types::Vpc) -> Vec<String> {
    let associated = |state: Option<&str>| state.is_none_or(|s| s == "associated");
    let mut out: Vec<String> = v.cidr_block().map(str::to_string).into_iter().collect();
    for a in v.cidr_block_association_set() {
        if associated(
            a.cidr_block_state()
                .and_then(|s| s.state())
                .map(|s| s.as_str()),
        ) {
            out.extend(a.cidr_block().map(str::to_string));
        }
    }
    for a in v.ipv6_cidr_block_association_set() {
        if associated(
            a.ipv6_cidr_block_state()
                .and_then(|s| s.state())
                .map(|s| s.as_str()),
        ) {
            out.extend(a.ipv6_cidr_block().map(str::to_string));
        }
    }
    out.sort();
    out.dedup();
    out
}

pub(crate) async fn network_acls(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsEc2NetworkAcl;
    let Some(acls) = pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_network_acls(),
        network_acls,
        kind,
        "ec2:DescribeNetworkAcls"
    ) else {
        return;
    };
    let out: Vec<NetworkAcl> = acls
        .iter()
        .filter_map(|a| {
            let id = a.network_acl_id()?;
            let t = tags(a.tags());
            let name = name_from(&t, id);
            let mut entries: Vec<NaclEntry> = a
                .entries()
                .iter()
                .filter_map(|e| {
                    Some(NaclEntry {
                        rule_number: e.rule_number()?,
                        protocol: e.protocol().unwrap_or("-1").to_string(),
                        rule_action: e.rule_action()?.as_str().to_string(),
                        egress: e.egress().unwrap_or(false),
                        cidr_block: e.cidr_block().map(str::to_string),
                        ipv6_cidr_block: e.ipv6_cidr_block().map(str::to_string),
                        port_from: e.port_range().and_then(|p| p.from()),
                        port_to: e.port_range().and_then(|p| p.to()),
                    })
                })
                .collect();
            entries.sort_by_key(|e| (e.egress, e.rule_number));
            let mut subnet_ids: Vec<String> = a
                .associations()
                .iter()
                .filter_map(|x| x.subnet_id().map(str::to_string))
                .collect();
            subnet_ids.sort();
            Some(NetworkAcl {
                resource: aws.resource(
                    kind,
                    &s.region,
                    aws.arn(
                        "ec2",
                        &s.region,
                        aws.account(),
                        &format!("network-acl/{id}"),
                    ),
                    &name,
                    t,
                ),
                nacl_id: id.to_string(),
                vpc_id: a.vpc_id().map(str::to_string),
                is_default: a.is_default().unwrap_or(false),
                entries,
                subnet_ids,
            })
        })
        .collect();
    aws.add(|inv| inv.aws_ec2_network_acls.extend(out));
}
