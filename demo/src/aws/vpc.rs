//! VPCs with their flow logs, subnets, and network ACLs.
//!
//! Network ACLs: the prod VPC's ACL denies 22 and 3389 from the internet ahead of its
//! allow-all; the DR VPC still has the default ACL AWS created, which admits everything.

use super::EHR_CUSTOMER;
use super::{
    ec2_ref, DR_VPC, E1, LOG_BUCKET, PRIVATE_A, PRIVATE_B, PROD, PROD_VPC, PUBLIC_A, PUBLIC_B, W2,
};
use crate::config::CUSTOMER_TAG;
use crate::model::aws::{FlowLog, NaclEntry, NetworkAcl, Subnet, Vpc};
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
