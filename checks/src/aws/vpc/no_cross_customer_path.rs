use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::aws::{PeerVpc, TransitGatewayAttachment, Vpc, VpcPeering};
use serde_json::{json, Value};

use super::paths::{crosses, tgw_paths, Side};
use crate::common::missing_setting;
use crate::index::{all_by, first_by};

declare_check! {
    /// ## What it checks
    /// No VPC peering connection and no Transit Gateway route joins VPCs of different
    /// customers. A VPC's customer is its `segmentation.customer_tag` tag. Two VPCs are
    /// joined by an `active` peering between them, or by a transit gateway when the route
    /// table associated with one's attachment has a route (static or propagated, not
    /// blackhole) to the other's attachment; either direction is a path. One finding per
    /// peering and per VPC attachment of the account's transit gateways.
    ///
    /// A path between two customers FAILs; so does a path between a customer's VPC and a VPC
    /// whose customer is unknown (untagged, or in an account phiscan did not scan): a path
    /// to an unknown owner is no proof of separation. A path between two VPCs that are no
    /// customer's PASSes. Routes to VPN, Direct Connect, Connect and peering attachments
    /// are listed, not judged (they lead to no VPC of the scan). Peerings other than
    /// `active`, and attachments being deleted or rejected, carry no traffic and are
    /// NOT_APPLICABLE. Without `segmentation.customer_tag` the check is NOT_APPLICABLE.
    ///
    /// A route table whose routes cannot be read is ERROR for the attachments it serves; the
    /// other attachments keep their verdicts, and the engine withholds the PASS and
    /// NOT_APPLICABLE peering findings of that region (they share the check).
    ///
    /// ## Why it matters
    /// Dedicated VPCs per customer separate nothing once a peering or a transit gateway
    /// routes between them: the policies promise "dedicated, private segmented and separated
    /// networks and IP spaces, for each SaaS Customer" (access control, 45 CFR
    /// 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// Peerings: `peering_id`, `status`, `requester` and `accepter` (VPC, owner, region,
    /// customer, whether phiscan scanned it). Attachments: `vpc` (this side), `paths` (each
    /// with `direction`, `transit_gateway_id`, `route_table_id`, `destination`,
    /// `route_type`, the other attachment and its VPC side, and whether it crosses
    /// customers).
    ///
    /// ## Remediation
    /// Delete the peering (`aws ec2 delete-vpc-peering-connection`), or give each customer's
    /// attachments a route table of their own and remove the routes and propagations
    /// between customers (`aws ec2 delete-transit-gateway-route`,
    /// `aws ec2 disable-transit-gateway-route-table-propagation`); tag every VPC on a path
    /// with its customer.
    pub struct VpcNoCrossCustomerPath {
        id: "aws-vpc-no-cross-customer-path",
        title: "No peering or transit gateway route joins VPCs of different customers",
        severity: High,
        provider: Aws,
        kinds: [AwsVpcPeering, AwsTransitGatewayAttachment, AwsVpc],
        controls: [AccessControl, AccessAuthorization],
    }
}

/// Peerings in these states carry no traffic (an `active` one does; one pending acceptance
/// or provisioning does not yet).
fn carries_traffic(status: Option<&str>) -> bool {
    status == Some("active")
}

/// Attachments in these states carry no traffic.
const GONE: [&str; 6] = ["deleted", "deleting", "failed", "failing", "rejected", "rejecting"];

impl Check for VpcNoCrossCustomerPath {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let seg = ctx.config.segmentation();
        let peerings = ctx.resources::<VpcPeering>();
        let attachments = ctx.resources::<TransitGatewayAttachment>();
        let judged = attachments
            .iter()
            .filter(|a| a.resource_type.as_deref() == Some("vpc"));
        if let Err(missing) = seg.customer_tag() {
            return peerings
                .iter()
                .map(|p| &p.resource)
                .chain(judged.map(|a| &a.resource))
                .map(|r| missing_setting(ctx, r, missing))
                .collect();
        }
        let vpcs = first_by(ctx.resources::<Vpc>(), |v| {
            Some((v.resource.account.as_str(), v.vpc_id.as_str()))
        });
        let side = |owner: &str, vpc: Option<&str>| Side::of(seg, &vpcs, owner, vpc);
        let by_account = all_by(attachments, |a| Some(a.resource.account.as_str()));
        let mut out = Vec::new();
        for p in peerings {
            let acct = p.resource.account.as_str();
            let end = |v: &PeerVpc| side(v.owner_id.as_deref().unwrap_or(acct), v.vpc_id.as_deref());
            let (req, acc) = (end(&p.requester), end(&p.accepter));
            let status = p.status.as_deref();
            let b = if !carries_traffic(status) {
                ctx.not_applicable(&p.resource).reason(format!(
                    "The peering is {}: only an active peering carries traffic.",
                    status.unwrap_or("in an unreported state")
                ))
            } else if crosses(&req, &acc) {
                ctx.fail(&p.resource).reason(format!(
                    "The peering joins {} to {}.",
                    req.describe(),
                    acc.describe()
                ))
            } else {
                ctx.pass(&p.resource).reason(format!(
                    "The peering joins {} to {}: no two customers.",
                    req.describe(),
                    acc.describe()
                ))
            };
            let region = |v: &PeerVpc| v.region.clone();
            out.push(
                b.evidence("peering_id", &p.peering_id)
                    .evidence("status", status)
                    .evidence("requester", req.evidence(region(&p.requester)))
                    .evidence("accepter", acc.evidence(region(&p.accepter)))
                    .build()?,
            );
        }
        for a in attachments.iter().filter(|a| a.resource_type.as_deref() == Some("vpc")) {
            let acct = a.resource.account.as_str();
            let me = side(a.resource_owner_id.as_deref().unwrap_or(acct), a.resource_id.as_deref());
            let state = a.state.as_deref().unwrap_or_default();
            if GONE.contains(&state) {
                out.push(
                    ctx.not_applicable(&a.resource)
                        .reason(format!("The attachment is {state}: it carries no traffic."))
                        .evidence("vpc", me.evidence(None))
                        .build()?,
                );
                continue;
            }
            let mine = by_account.get(acct).map_or(&[][..], Vec::as_slice);
            let paths = tgw_paths(a, mine, &|owner, vpc| side(owner, vpc));
            let crossing: Vec<String> = paths
                .iter()
                .filter(|p| p.crosses)
                .map(|p| p.sentence())
                .collect();
            let listed: Vec<Value> = paths.iter().map(|p| p.evidence()).collect();
            let reason = if crossing.is_empty() {
                format!(
                    "No transit gateway route joins {} to another customer's VPC ({} path(s)).",
                    me.describe(),
                    paths.len()
                )
            } else {
                format!("{}: {}.", me.describe(), crossing.join("; "))
            };
            out.push(
                ctx.verdict(crossing.is_empty(), &a.resource)
                    .evidence("vpc", me.evidence(None))
                    .evidence("transit_gateway_id", &a.transit_gateway_id)
                    .evidence("paths", json!(listed))
                    .reason(reason)
                    .build()?,
            );
        }
        Ok(out)
    }
}

#[cfg(test)]
#[path = "no_cross_customer_path_tests.rs"]
mod tests;
