//! VPCs with their flow logs, subnets, network ACLs, and the paths between VPCs.
//!
//! Network ACLs: the prod VPC's ACL denies 22 and 3389 from the internet ahead of its
//! allow-all; the DR VPC still has the default ACL AWS created, which admits everything.

use super::EHR_CUSTOMER;
use super::{
    ec2_ref, DR_VPC, E1, LOG_BUCKET, PRIVATE_A, PRIVATE_B, PROD, PROD_VPC, PUBLIC_A, PUBLIC_B, W2,
};
use crate::config::CUSTOMER_TAG;
use crate::model::aws::{FlowLog, NaclEntry, NetworkAcl, Subnet, Vpc};
use crate::model::aws::{PeerVpc, TgwRoute, TgwRouteTable, TransitGatewayAttachment, VpcPeering};
use crate::model::{Inventory, ResourceKind as K, ResourceRef};

pub(super) fn add(inv: &mut Inventory) {
    inv.aws_ec2_subnets = vec![
        subnet(PUBLIC_A, "prod-public-a", true),
        subnet(PUBLIC_B, "prod-public-b", true),
        subnet(PRIVATE_A, "prod-private-a", false),
        subnet(PRIVATE_B, "prod-private-b", false),
    ];
    let flow_log = FlowLog {
        flow_log_id: "fl-0a1b2c3d4e5f60718".into(),
        status: Some("ACTIVE".into()),
        traffic_type: Some("ALL".into()),
        destination: Some(format!("arn:aws:s3:::{LOG_BUCKET}/vpc-flow-logs/")),
    };
    // Both VPCs are tagged for the EHR customer (issue 14); the prod VPC also holds the
    // legacy reporting worker, which another customer's data flows through: a FAIL of
    // aws-vpc-single-customer, the DR VPC its PASS.
    inv.aws_vpcs = vec![
        vpc(E1, PROD_VPC, "ehr-prod-vpc", "10.0.0.0/16", vec![flow_log]),
        vpc(W2, DR_VPC, "dr-vpc", "10.1.0.0/16", vec![]),
    ];
    network_acls(inv);
    paths(inv);
}

fn subnet(id: &str, name: &str, public: bool) -> Subnet {
    Subnet {
        resource: ec2_ref(K::AwsEc2Subnet, E1, "subnet", id, name),
        subnet_id: id.into(),
        vpc_id: PROD_VPC.into(),
        routes_to_internet_gateway: public,
        map_public_ip_on_launch: public,
    }
}

fn vpc(region: &str, id: &str, name: &str, cidr: &str, flow_logs: Vec<FlowLog>) -> Vpc {
    Vpc {
        resource: ec2_ref(K::AwsVpc, region, "vpc", id, name).with_tag(CUSTOMER_TAG, EHR_CUSTOMER),
        vpc_id: id.into(),
        is_default: false,
        flow_logs,
        cidr_blocks: vec![cidr.into()],
    }
}
fn network_acls(inv: &mut Inventory) {
    let e = |n: i32, proto: &str, action: &str, ports: Option<i32>| NaclEntry {
        rule_number: n,
        protocol: proto.into(),
        rule_action: action.into(),
        egress: false,
        cidr_block: Some("0.0.0.0/0".into()),
        ipv6_cidr_block: None,
        port_from: ports,
        port_to: ports,
    };
    let acl =
        |region: &str, id: &str, vpc: &str, default: bool, entries: Vec<NaclEntry>| NetworkAcl {
            resource: ResourceRef::new(
                K::AwsEc2NetworkAcl,
                PROD,
                region,
                format!("arn:aws:ec2:{region}:{PROD}:network-acl/{id}"),
                id,
            ),
            nacl_id: id.into(),
            vpc_id: Some(vpc.into()),
            is_default: default,
            entries,
            subnet_ids: vec![],
        };
    inv.aws_ec2_network_acls = vec![
        acl(
            E1,
            "acl-0a1b2c3d4e5f60718",
            PROD_VPC,
            false,
            vec![
                e(10, "6", "deny", Some(22)),
                e(20, "6", "deny", Some(3389)),
                e(30, "17", "deny", Some(3389)),
                e(40, "17", "deny", Some(22)),
                e(100, "-1", "allow", None),
                e(32767, "-1", "deny", None),
            ],
        ),
        acl(
            W2,
            "acl-0f9e8d7c6b5a40392",
            DR_VPC,
            true,
            vec![e(100, "-1", "allow", None), e(32767, "-1", "deny", None)],
        ),
    ];
}

/// The paths between VPCs (issue 14), each inside one region so that a sharded scan (one
/// shard per account and region) judges them as the whole scan does. The shared transit
/// gateway of us-east-1, set up for a reporting migration, routes prod to the other
/// customer's reporting VPC in an account outside the scan, and prod also peers with that
/// VPC: all FAIL (a path to a VPC whose customer cannot be shown). The DR VPC's transit
/// gateway routes only to the on-premises VPN: its attachment PASSes.
fn paths(inv: &mut Inventory) {
    const REPORTS_VPC: &str = "vpc-0c3d5e7f9a1b2c4d6";
    const REPORTS_ACCOUNT: &str = "777788889999";
    inv.aws_vpc_peerings = vec![VpcPeering {
        resource: ec2_ref(
            K::AwsVpcPeering,
            E1,
            "vpc-peering-connection",
            "pcx-0a1b2c3d4e5f60718",
            "prod-to-brightside-reports",
        ),
        peering_id: "pcx-0a1b2c3d4e5f60718".into(),
        status: Some("active".into()),
        requester: PeerVpc {
            vpc_id: Some(PROD_VPC.into()),
            owner_id: Some(PROD.into()),
            region: Some(E1.into()),
        },
        accepter: PeerVpc {
            vpc_id: Some(REPORTS_VPC.into()),
            owner_id: Some(REPORTS_ACCOUNT.into()),
            region: Some(E1.into()),
        },
    }];
    const PROD_ATT: &str = "tgw-attach-0a1b2c3d4e5f6a7b8";
    const REPORTS_ATT: &str = "tgw-attach-0b2c3d4e5f6a7b8c9";
    const DR_ATT: &str = "tgw-attach-0c3d4e5f6a7b8c9d0";
    const DR_VPN_ATT: &str = "tgw-attach-0d4e5f6a7b8c9d0e1";
    let attachment = |region: &str,
                      tgw: &str,
                      id: &str,
                      name: &str,
                      kind: &str,
                      resource: &str,
                      owner: &str,
                      routes: Vec<TgwRoute>| {
        TransitGatewayAttachment {
            resource: ec2_ref(
                K::AwsTransitGatewayAttachment,
                region,
                "transit-gateway-attachment",
                id,
                name,
            ),
            attachment_id: id.into(),
            transit_gateway_id: tgw.into(),
            resource_type: Some(kind.into()),
            resource_id: Some(resource.into()),
            resource_owner_id: Some(owner.into()),
            state: Some("available".into()),
            route_tables: vec![TgwRouteTable {
                route_table_id: format!("tgw-rtb-{}", &id[11..]),
                routes,
            }],
        }
    };
    let route = |cidr: &str, to: &str| TgwRoute {
        destination: Some(cidr.into()),
        route_type: Some("static".into()),
        state: Some("active".into()),
        attachment_ids: vec![to.into()],
    };
    let (shared, dr) = ("tgw-0a9b8c7d6e5f40312", "tgw-0b8c7d6e5f4a30291");
    inv.aws_transit_gateway_attachments = vec![
        attachment(
            E1,
            shared,
            PROD_ATT,
            "ehr-prod-to-shared-tgw",
            "vpc",
            PROD_VPC,
            PROD,
            vec![route("10.50.0.0/16", REPORTS_ATT)],
        ),
        attachment(
            E1,
            shared,
            REPORTS_ATT,
            "brightside-reports-to-shared-tgw",
            "vpc",
            REPORTS_VPC,
            REPORTS_ACCOUNT,
            vec![route("10.0.0.0/16", PROD_ATT)],
        ),
        attachment(
            W2,
            dr,
            DR_ATT,
            "dr-to-dr-tgw",
            "vpc",
            DR_VPC,
            PROD,
            vec![route("0.0.0.0/0", DR_VPN_ATT)],
        ),
        attachment(
            W2,
            dr,
            DR_VPN_ATT,
            "dr-onprem-vpn",
            "vpn",
            "vpn-0e5f6a7b8c9d0e1f2",
            PROD,
            vec![route("10.1.0.0/16", DR_ATT)],
        ),
    ];
}
