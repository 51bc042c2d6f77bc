use super::*;
use crate::testing::aws::{tgw_attachment, vpc, vpc_peering};
use crate::testing::{run, run_with, segmented};
use phiscan_core::model::aws::TgwRoute;
use phiscan_core::{Inventory, Status};

fn tagged(id: &str, customer: &str) -> Vpc {
    let mut v = vpc(id);
    v.resource = v.resource.with_tag("customer", customer);
    v
}

fn estate() -> Inventory {
    let mut inv = Inventory::new();
    inv.aws_vpcs = vec![
        tagged("vpc-a1", "alpha"),
        tagged("vpc-a2", "alpha"),
        tagged("vpc-b", "beta"),
        vpc("vpc-shared"),
        vpc("vpc-tools"),
    ];
    inv
}

#[test]
fn peerings_between_customers_or_to_unknown_owners_fail() {
    let mut inv = estate();
    let mut pending = vpc_peering("pcx-pending", "vpc-a1", "vpc-b");
    pending.status = Some("pending-acceptance".into());
    let mut elsewhere = vpc_peering("pcx-elsewhere", "vpc-a1", "vpc-x");
    elsewhere.accepter.owner_id = Some("999988887777".into());
    inv.aws_vpc_peerings = vec![
        vpc_peering("pcx-same", "vpc-a1", "vpc-a2"),
        vpc_peering("pcx-cross", "vpc-a1", "vpc-b"),
        pending,
        vpc_peering("pcx-untagged", "vpc-b", "vpc-shared"),
        vpc_peering("pcx-nobody", "vpc-shared", "vpc-tools"),
        elsewhere,
    ];
    let f = run_with(&VpcNoCrossCustomerPath, &inv, &segmented());
    f.assert_statuses(&[
        ("pcx-same", Status::Pass),
        ("pcx-cross", Status::Fail),
        // Not accepted yet: no traffic.
        ("pcx-pending", Status::NotApplicable),
        // A path to a VPC of no known customer is no proof of separation.
        ("pcx-untagged", Status::Fail),
        ("pcx-nobody", Status::Pass),
        ("pcx-elsewhere", Status::Fail),
    ]);
    assert_eq!(f.evidence_of("pcx-cross", "accepter")["customer"], "beta");
    assert!(f.of("pcx-elsewhere").reason.contains("not scanned"));
    assert_eq!(f.evidence_of("pcx-elsewhere", "accepter")["scanned"], false);
}

#[test]
fn transit_gateway_routes_join_attachments_both_ways() {
    let mut inv = estate();
    let mut blackholed = tgw_attachment("att-a2", "vpc-a2", &[("10.40.0.0/16", &["att-b"])]);
    blackholed.route_tables[0].routes[0].state = Some("blackhole".into());
    let mut vpn = tgw_attachment("att-vpn", "vpn-1", &[]);
    vpn.resource_type = Some("vpn".into());
    let mut propagated = tgw_attachment("att-tools", "vpc-tools", &[]);
    propagated.route_tables[0].routes = vec![TgwRoute {
        destination: None,
        route_type: Some("propagated".into()),
        state: Some("active".into()),
        attachment_ids: vec!["att-shared".into()],
    }];
    inv.aws_transit_gateway_attachments = vec![
        // alpha's table routes to beta: both ends fail (beta's through the inbound path).
        tgw_attachment("att-a1", "vpc-a1", &[("10.40.0.0/16", &["att-b"]), ("0.0.0.0/0", &["att-vpn"])]),
        tgw_attachment("att-b", "vpc-b", &[]),
        blackholed,
        vpn,
        tgw_attachment("att-shared", "vpc-shared", &[]),
        propagated,
    ];
    let f = run_with(&VpcNoCrossCustomerPath, &inv, &segmented());
    f.assert_statuses(&[
        ("att-a1", Status::Fail),
        ("att-b", Status::Fail),
        // A blackhole route carries nothing.
        ("att-a2", Status::Pass),
        // Two VPCs of no customer: nobody's data is joined.
        ("att-shared", Status::Pass),
        ("att-tools", Status::Pass),
    ]);
    assert!(f.0.iter().all(|x| x.resource.id != "att-vpn"), "only VPC attachments are judged");
    let paths = f.evidence_of("att-a1", "paths");
    assert_eq!(paths.as_array().unwrap().len(), 2);
    assert_eq!(paths[0]["destination"], "10.40.0.0/16");
    assert_eq!(paths[0]["route_table_id"], "tgw-rtb-att-a1");
    assert_eq!(paths[0]["other"]["customer"], "beta");
    assert_eq!(paths[1]["attachment_type"], "vpn");
    assert_eq!(paths[1]["crosses_customers"], false);
    assert_eq!(f.evidence_of("att-b", "paths")[0]["direction"], "inbound");
    assert_eq!(f.evidence_of("att-tools", "paths")[0]["route_type"], "propagated");
}

#[test]
fn an_untagged_vpc_routed_to_a_customer_fails_and_gone_attachments_do_not_count() {
    let mut inv = estate();
    let mut gone = tgw_attachment("att-gone", "vpc-b", &[("10.30.0.0/16", &["att-a1"])]);
    gone.state = Some("deleted".into());
    inv.aws_transit_gateway_attachments = vec![
        tgw_attachment("att-a1", "vpc-a1", &[]),
        tgw_attachment("att-shared", "vpc-shared", &[("10.30.0.0/16", &["att-a1"])]),
        gone,
    ];
    let f = run_with(&VpcNoCrossCustomerPath, &inv, &segmented());
    f.assert_statuses(&[
        ("att-a1", Status::Fail),
        ("att-shared", Status::Fail),
        ("att-gone", Status::NotApplicable),
    ]);
    assert!(f.of("att-shared").reason.contains("no customer tag"));
    assert_eq!(f.evidence_of("att-a1", "paths").as_array().unwrap().len(), 1);
}

#[test]
fn without_a_customer_tag_every_path_is_not_applicable() {
    let mut inv = estate();
    inv.aws_vpc_peerings = vec![vpc_peering("pcx-cross", "vpc-a1", "vpc-b")];
    inv.aws_transit_gateway_attachments = vec![tgw_attachment("att-a1", "vpc-a1", &[])];
    let f = run(&VpcNoCrossCustomerPath, &inv);
    f.assert_statuses(&[
        ("pcx-cross", Status::NotApplicable),
        ("att-a1", Status::NotApplicable),
    ]);
    assert!(f.of("pcx-cross").reason.contains("segmentation.customer_tag"));
}
