//! The two ends of a path between VPCs and the paths a transit gateway makes, for
//! `aws-vpc-no-cross-customer-path`: who a VPC belongs to, whether a path joins two
//! customers, and which attachments an attachment's route tables (and the other
//! attachments' tables) connect it to.

use std::collections::HashMap;

use phiscan_core::config::Segmentation;
use phiscan_core::model::aws::{TransitGatewayAttachment, Vpc};
use serde_json::{json, Value};

/// Attachments in these states carry no traffic.
pub const GONE: [&str; 6] = ["deleted", "deleting", "failed", "failing", "rejected", "rejecting"];

/// One end of a path: a VPC, its owner, and its customer when the scan knows it.
#[derive(Debug, Clone)]
pub struct Side<'a> {
    pub owner: String,
    pub vpc_id: Option<String>,
    /// The VPC is in the inventory (its account and region were scanned).
    pub scanned: bool,
    pub customer: Option<&'a str>,
}

impl<'a> Side<'a> {
    /// `vpcs`: the inventory's VPCs by (account, VPC id).
    pub fn of(
        seg: &'a Segmentation,
        vpcs: &HashMap<(&str, &str), &'a Vpc>,
        owner: &str,
        vpc: Option<&str>,
    ) -> Self {
        let found = vpc.and_then(|id| vpcs.get(&(owner, id)).copied());
        Side {
            owner: owner.to_string(),
            vpc_id: vpc.map(str::to_string),
            scanned: found.is_some(),
            customer: found.and_then(|v| seg.customer_of(&v.resource.tags)),
        }
    }

    pub fn describe(&self) -> String {
        let vpc = self.vpc_id.as_deref().unwrap_or("an unnamed VPC");
        match (self.customer, self.scanned) {
            (Some(c), _) => format!("{vpc} (customer {c:?})"),
            (None, true) => format!("{vpc} (no customer tag)"),
            (None, false) => format!(
                "{vpc} (account {}, not scanned: customer unknown)",
                self.owner
            ),
        }
    }

    pub fn evidence(&self, region: Option<String>) -> Value {
        json!({
            "vpc_id": self.vpc_id,
            "owner_id": self.owner,
            "region": region,
            "customer": self.customer,
            "scanned": self.scanned,
        })
    }
}

/// Whether a path between `a` and `b` joins different customers: two customers that
/// differ, or a customer's VPC and one whose customer is unknown (untagged or not scanned),
/// since a path to an unknown owner is no proof of separation. Two VPCs that are no
/// customer's join no customer's data.
pub fn crosses(a: &Side, b: &Side) -> bool {
    match (a.customer, b.customer) {
        (Some(x), Some(y)) => x != y,
        (None, None) => false,
        _ => true,
    }
}

/// One transit gateway path of an attachment.
#[derive(Debug)]
pub struct Path<'a> {
    /// `outbound`: this attachment's route table routes to the other; `inbound`: the
    /// other's route table routes here.
    pub direction: &'static str,
    pub transit_gateway_id: String,
    pub route_table_id: String,
    /// The route's destination; `None` for a propagation.
    pub destination: Option<String>,
    pub route_type: Option<String>,
    pub attachment_id: String,
    /// `vpc`, `vpn`, ...; `None` when the attachment is not in the inventory.
    pub attachment_type: Option<String>,
    /// The other VPC; `None` when the attachment is not a VPC's (not judged).
    pub other: Option<Side<'a>>,
    pub crosses: bool,
}

impl Path<'_> {
    pub fn sentence(&self) -> String {
        let route = match &self.destination {
            Some(d) => format!("the route to {d}"),
            None => "a propagation".to_string(),
        };
        let other = self
            .other
            .as_ref()
            .map_or(self.attachment_id.clone(), Side::describe);
        let way = if self.direction == "outbound" {
            "leads to"
        } else {
            "leads here from"
        };
        format!(
            "{route} of route table {} ({}) {way} {other}",
            self.route_table_id, self.transit_gateway_id
        )
    }

    pub fn evidence(&self) -> Value {
        json!({
            "direction": self.direction,
            "transit_gateway_id": self.transit_gateway_id,
            "route_table_id": self.route_table_id,
            "destination": self.destination,
            "route_type": self.route_type,
            "attachment_id": self.attachment_id,
            "attachment_type": self.attachment_type,
            "other": self.other.as_ref().map(|s| s.evidence(None)),
            "crosses_customers": self.crosses,
        })
    }
}

/// The (route table, route) pairs of `a` that send traffic to `target`: not blackholed,
/// not to itself.
fn routes_to<'r>(
    a: &'r TransitGatewayAttachment,
    target: &'r str,
) -> impl Iterator<Item = (&'r str, &'r phiscan_core::model::aws::TgwRoute)> + 'r {
    a.route_tables.iter().flat_map(move |t| {
        t.routes
            .iter()
            .filter(move |r| r.state.as_deref() != Some("blackhole"))
            .filter(move |r| r.attachment_ids.iter().any(|x| x == target))
            .map(move |r| (t.route_table_id.as_str(), r))
    })
}

/// Every path of VPC attachment `a`: routes of its own tables to other attachments, and
/// routes of other VPC attachments' tables to it. `all`: the attachments of its account (no
/// other is on its paths); `side` resolves (owner, VPC) to its end.
pub fn tgw_paths<'a>(
    a: &TransitGatewayAttachment,
    all: &[&TransitGatewayAttachment],
    side: &dyn Fn(&str, Option<&str>) -> Side<'a>,
) -> Vec<Path<'a>> {
    let acct = a.resource.account.as_str();
    let me = side(a.resource_owner_id.as_deref().unwrap_or(acct), a.resource_id.as_deref());
    let peers = all.iter().copied().filter(|b| {
        b.resource.account == acct
            && b.attachment_id != a.attachment_id
            && !GONE.contains(&b.state.as_deref().unwrap_or_default())
    });
    let end = |b: &TransitGatewayAttachment| {
        (b.resource_type.as_deref() == Some("vpc")).then(|| {
            side(
                b.resource_owner_id.as_deref().unwrap_or(acct),
                b.resource_id.as_deref(),
            )
        })
    };
    let path = |direction, table: &str, r: &phiscan_core::model::aws::TgwRoute, id: &str, b: Option<&TransitGatewayAttachment>| {
        // An attachment missing from the inventory is an end of unknown owner.
        let other = match b {
            Some(b) => end(b),
            None => Some(side(acct, None)),
        };
        Path {
            direction,
            transit_gateway_id: a.transit_gateway_id.clone(),
            route_table_id: table.to_string(),
            destination: r.destination.clone(),
            route_type: r.route_type.clone(),
            attachment_id: id.to_string(),
            attachment_type: b.and_then(|b| b.resource_type.clone()),
            crosses: other.as_ref().is_some_and(|o| crosses(&me, o)),
            other,
        }
    };
    let mut out = Vec::new();
    for t in &a.route_tables {
        for r in t.routes.iter().filter(|r| r.state.as_deref() != Some("blackhole")) {
            for id in r.attachment_ids.iter().filter(|id| **id != a.attachment_id) {
                let b = all
                    .iter()
                    .copied()
                    .find(|b| b.resource.account == acct && &b.attachment_id == id);
                if b.is_some_and(|b| GONE.contains(&b.state.as_deref().unwrap_or_default())) {
                    continue;
                }
                out.push(path("outbound", &t.route_table_id, r, id, b));
            }
        }
    }
    for b in peers.filter(|b| b.resource_type.as_deref() == Some("vpc")) {
        for (table, r) in routes_to(b, &a.attachment_id) {
            out.push(path("inbound", table, r, &b.attachment_id, Some(b)));
        }
    }
    out
}
