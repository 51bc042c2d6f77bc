//! The paths between VPCs (issue 14): VPC peering connections, and the attachments of the
//! account's transit gateways with the route tables their traffic follows.
//!
//! Transit gateways: DescribeTransitGatewayAttachments and DescribeTransitGatewayRouteTables
//! (either failing is an ERROR of the kind in the region), then per route table
//! GetTransitGatewayRouteTableAssociations (which attachments it serves),
//! SearchTransitGatewayRoutes (static and propagated routes, `active` and `blackhole`) and
//! GetTransitGatewayRouteTablePropagations. Propagations are read as well as the routes
//! because moto lists no propagated route; on AWS they repeat what the routes say. An
//! active route naming no target attachment makes its table unreadable (where it leads is
//! unknown): on moto, every static route (moto drops their targets).
//! SearchTransitGatewayRoutes is sent without MaxResults: moto fails on it.
//! A route table whose routes or propagations cannot be read is an ERROR for the
//! attachments it serves only; when its associations cannot be read, for every attachment
//! of its transit gateway (which it serves is unknown).
//!
//! Only transit gateways the account owns are kept: their route tables are visible to their
//! owner alone, so an attachment of this account's VPC to another account's gateway is
//! judged when that account is scanned.

use aws_sdk_ec2::types::{Filter, TransitGatewayAttachment as SdkAttachment};

use super::tags;
use crate::model::aws::{PeerVpc, TgwRoute, TgwRouteTable, TransitGatewayAttachment, VpcPeering};
use crate::model::{CollectionError, ResourceKind};
use crate::providers::aws::{name_from, reason, Aws, RegionShared};

const ASSOCIATIONS: &str = "ec2:GetTransitGatewayRouteTableAssociations";
const ROUTES: &str = "ec2:SearchTransitGatewayRoutes";
const PROPAGATIONS: &str = "ec2:GetTransitGatewayRouteTablePropagations";

pub(crate) async fn peerings(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsVpcPeering;
    let Some(list) = pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_vpc_peering_connections(),
        vpc_peering_connections,
        kind,
        "ec2:DescribeVpcPeeringConnections"
    ) else {
        return;
    };
    let side = |v: Option<&aws_sdk_ec2::types::VpcPeeringConnectionVpcInfo>| PeerVpc {
        vpc_id: v.and_then(|v| v.vpc_id()).map(str::to_string),
        owner_id: v.and_then(|v| v.owner_id()).map(str::to_string),
        region: v.and_then(|v| v.region()).map(str::to_string),
    };
    // A peering across regions is listed in both; across accounts, in both accounts. Keep
    // it where this account owns the requester side, else where it owns the accepter side.
    let mine = |v: &PeerVpc| {
        v.owner_id.as_deref().is_none_or(|o| o == aws.account())
            && v.region.as_deref().is_none_or(|r| r == s.region)
    };
    let out: Vec<VpcPeering> = list
        .iter()
        .filter_map(|p| {
            let id = p.vpc_peering_connection_id()?;
            let (requester, accepter) = (side(p.requester_vpc_info()), side(p.accepter_vpc_info()));
            let requested_here = requester
                .owner_id
                .as_deref()
                .is_none_or(|o| o == aws.account());
            if !(mine(&requester) || (!requested_here && mine(&accepter))) {
                return None;
            }
            let t = tags(p.tags());
            let name = name_from(&t, id);
            let arn = aws.arn(
                "ec2",
                &s.region,
                aws.account(),
                &format!("vpc-peering-connection/{id}"),
            );
            Some(VpcPeering {
                resource: aws.resource(kind, &s.region, arn, &name, t),
                peering_id: id.to_string(),
                status: p
                    .status()
                    .and_then(|st| st.code())
                    .map(|c| c.as_str().to_string()),
                requester,
                accepter,
            })
        })
        .collect();
    aws.add(|inv| inv.aws_vpc_peerings.extend(out));
}

/// A route table's routes: what SearchTransitGatewayRoutes lists, then each enabled
/// propagation whose attachment no propagated route already names.
async fn routes(
    aws: &Aws,
    s: &RegionShared,
    table: &str,
) -> Result<Vec<TgwRoute>, (&'static str, String)> {
    let state = Filter::builder()
        .name("state")
        .values("active")
        .values("blackhole")
        .build();
    let listed = pages!(
        aws,
        s,
        aws.ec2(&s.region)
            .search_transit_gateway_routes()
            .transit_gateway_route_table_id(table)
            .filters(state),
        routes
    )
    .map_err(|e| (ROUTES, reason(&e, ROUTES)))?;
    let propagations = pages!(
        aws,
        s,
        aws.ec2(&s.region)
            .get_transit_gateway_route_table_propagations()
            .transit_gateway_route_table_id(table),
        transit_gateway_route_table_propagations
    )
    .map_err(|e| (PROPAGATIONS, reason(&e, PROPAGATIONS)))?;
    let mut out: Vec<TgwRoute> = listed
        .iter()
        .map(|r| TgwRoute {
            destination: r
                .destination_cidr_block()
                .or(r.prefix_list_id())
                .map(str::to_string),
            route_type: r.r#type().map(|t| t.as_str().to_string()),
            state: r.state().map(|t| t.as_str().to_string()),
            attachment_ids: r
                .transit_gateway_attachments()
                .iter()
                .filter_map(|a| a.transit_gateway_attachment_id())
                .map(str::to_string)
                .collect(),
        })
        .collect();
    // An active route that names no target cannot be followed: where it leads is unknown
    // (moto drops every static route's target; AWS names one).
    if let Some(r) = out
        .iter()
        .find(|r| r.state.as_deref() == Some("active") && r.attachment_ids.is_empty())
    {
        let to = r.destination.as_deref().unwrap_or("an unnamed destination");
        return Err((
            ROUTES,
            format!("the active route to {to} names no target attachment"),
        ));
    }
    for p in propagations
        .iter()
        .filter(|p| p.state().is_some_and(|st| st.as_str() == "enabled"))
    {
        let Some(id) = p.transit_gateway_attachment_id() else {
            continue;
        };
        let routed = out.iter().any(|r| {
            r.route_type.as_deref() == Some("propagated")
                && r.attachment_ids.iter().any(|a| a == id)
        });
        if !routed {
            out.push(TgwRoute {
                destination: None,
                route_type: Some("propagated".into()),
                state: Some("active".into()),
                attachment_ids: vec![id.to_string()],
            });
        }
    }
    Ok(out)
}

pub(crate) async fn transit_gateway_attachments(aws: &Aws, s: &RegionShared) {
    let kind = ResourceKind::AwsTransitGatewayAttachment;
    let Some(listed) = pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_transit_gateway_attachments(),
        transit_gateway_attachments,
        kind,
        "ec2:DescribeTransitGatewayAttachments"
    ) else {
        return;
    };
    let owned: Vec<&SdkAttachment> = listed
        .iter()
        .filter(|a| {
            a.transit_gateway_owner_id()
                .is_none_or(|o| o == aws.account())
        })
        .filter(|a| a.transit_gateway_attachment_id().is_some())
        .collect();
    if owned.is_empty() {
        return;
    }
    let Some(tables) = pages!(
        aws,
        s,
        aws.ec2(&s.region).describe_transit_gateway_route_tables(),
        transit_gateway_route_tables,
        kind,
        "ec2:DescribeTransitGatewayRouteTables"
    ) else {
        return;
    };
    let mut out: Vec<TransitGatewayAttachment> =
        owned.iter().map(|a| attachment(aws, s, a)).collect();
    let mut errors = Vec::new();
    for t in &tables {
        let (Some(table), Some(tgw)) = (t.transit_gateway_route_table_id(), t.transit_gateway_id())
        else {
            continue;
        };
        let associations = pages!(
            aws,
            s,
            aws.ec2(&s.region)
                .get_transit_gateway_route_table_associations()
                .transit_gateway_route_table_id(table),
            associations
        );
        let served: Vec<usize> = match &associations {
            Ok(list) => out
                .iter()
                .enumerate()
                .filter(|(_, a)| {
                    list.iter().any(|x| {
                        x.transit_gateway_attachment_id() == Some(a.attachment_id.as_str())
                    })
                })
                .map(|(i, _)| i)
                .collect(),
            Err(_) => (0..out.len())
                .filter(|&i| out[i].transit_gateway_id == tgw)
                .collect(),
        };
        let read = match associations {
            Err(e) => Err((ASSOCIATIONS, reason(&e, ASSOCIATIONS))),
            Ok(_) => routes(aws, s, table).await,
        };
        match read {
            Ok(routes) => {
                for &i in &served {
                    out[i].route_tables.push(TgwRouteTable {
                        route_table_id: table.to_string(),
                        routes: routes.clone(),
                    });
                }
            }
            Err((op, why)) => errors.extend(served.iter().map(|&i| {
                CollectionError::of_resource(
                    &out[i].resource,
                    op,
                    format!("{why} (route table {table})"),
                )
            })),
        }
    }
    aws.add(|inv| {
        inv.aws_transit_gateway_attachments.extend(out);
        inv.errors.extend(errors);
    });
}

fn attachment(aws: &Aws, s: &RegionShared, a: &SdkAttachment) -> TransitGatewayAttachment {
    let kind = ResourceKind::AwsTransitGatewayAttachment;
    let id = a.transit_gateway_attachment_id().unwrap_or_default();
    let t = tags(a.tags());
    let name = name_from(&t, id);
    let arn = aws.arn(
        "ec2",
        &s.region,
        aws.account(),
        &format!("transit-gateway-attachment/{id}"),
    );
    TransitGatewayAttachment {
        resource: aws.resource(kind, &s.region, arn, &name, t),
        attachment_id: id.to_string(),
        transit_gateway_id: a.transit_gateway_id().unwrap_or_default().to_string(),
        resource_type: a.resource_type().map(|r| r.as_str().to_string()),
        resource_id: a.resource_id().map(str::to_string),
        resource_owner_id: a.resource_owner_id().map(str::to_string),
        state: a.state().map(|st| st.as_str().to_string()),
        route_tables: vec![],
    }
}
