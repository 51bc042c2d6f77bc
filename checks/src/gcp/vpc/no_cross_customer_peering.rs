use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::gcp::{ComputeInstance, Network};
use serde_json::json;

use super::topology::{customers, networks_of, ByNetwork};
use crate::segmentation::{not_applicable, peering_joins, peering_reason};

declare_check! {
    /// ## What it checks
    /// No active VPC network peering joins networks of different customers. A network's
    /// customers are those its instances name in `segmentation.customer_tag` (see
    /// `gcp-vpc-single-customer`). A peering to a network phiscan did not scan (another
    /// project or organization) fails when this network holds a customer's instances: whose
    /// network it is cannot be shown. Inactive peerings carry no traffic and are listed
    /// only. Without `segmentation.customer_tag` the check is NOT_APPLICABLE.
    ///
    /// ## Why it matters
    /// "no ... Customers or Partners have access outside of their own environment" (Janus):
    /// a peering exchanges routes, so every instance of one network can reach the other's
    /// (access control, 45 CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `customers` (this network's) and `peerings` (name, peer network, state, the peer's
    /// customers or `null` when it was not scanned, whether it joins customers).
    ///
    /// ## Remediation
    /// `gcloud compute networks peerings delete <peering> --network <network>`; exchange
    /// data between customers through an audited service, never a peering.
    pub struct VpcNoCrossCustomerPeering {
        id: "gcp-vpc-no-cross-customer-peering",
        title: "No VPC peering joins two customers' networks",
        severity: High,
        provider: Gcp,
        kinds: [GcpNetwork, GcpComputeInstance],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for VpcNoCrossCustomerPeering {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let seg = ctx.config.segmentation();
        let instances = ctx.resources::<ComputeInstance>();
        let networks = ctx.resources::<Network>();
        let on_network = ByNetwork::new(instances, networks_of);
        let scanned_networks = ByNetwork::new(networks, |n: &Network| [n.self_link.as_str()]);
        let customers_of = |link: &str| customers(seg, &on_network.on([link]));
        networks
            .iter()
            .map(|net| {
                if let Err(missing) = seg.customer_tag() {
                    return not_applicable(ctx, &net.resource, missing);
                }
                let own = customers_of(&net.self_link);
                let mut crossing = Vec::new();
                let peerings: Vec<serde_json::Value> = net
                    .peerings
                    .iter()
                    .map(|p| {
                        let scanned = !scanned_networks.on([p.network.as_str()]).is_empty();
                        let theirs = scanned.then(|| customers_of(&p.network));
                        let active = p.state.as_deref().is_none_or(|s| s.eq_ignore_ascii_case("ACTIVE"));
                        let joins = peering_joins(&own, &p.name, &p.network, theirs.as_ref(), active);
                        crossing.extend(joins.clone());
                        json!({"name": p.name, "network": p.network, "state": p.state, "peer_customers": theirs, "joins_customers": joins.is_some()})
                    })
                    .collect();
                ctx.verdict(crossing.is_empty(), &net.resource)
                    .evidence("customers", &own)
                    .evidence("peerings", peerings)
                    .reason(peering_reason(&own, &crossing))
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gcp::{compute_instance, network};
    use crate::testing::{run_with, segmentation};
    use phiscan_core::{Inventory, Status};

    #[test]
    fn peerings_between_customers_fail() {
        let mut inv = Inventory::new();
        inv.gcp_networks = vec![
            network("a", &[("to-b", "b", "ACTIVE")]),
            network("b", &[("to-a", "a", "ACTIVE"), ("to-c", "c", "ACTIVE")]),
            network("c", &[("to-b", "b", "ACTIVE"), ("old", "a", "INACTIVE")]),
            network("d", &[("partner", "projects/acme/global/networks/x", "ACTIVE")]),
            network("backup", &[("to-a", "a", "ACTIVE"), ("out", "projects/acme/global/networks/x", "ACTIVE")]),
        ];
        let on = |id: &str, net: &str, customer: &str| {
            let mut i = compute_instance(id);
            i.network_interfaces[0].network = Some(format!("projects/proj-1/global/networks/{net}"));
            i.resource.tags.insert("customer".into(), customer.into());
            i
        };
        inv.gcp_compute_instances = vec![
            on("a1", "a", "northwind"),
            on("b1", "b", "northwind"),
            on("c1", "c", "contoso"),
            on("d1", "d", "contoso"),
        ];
        let f = run_with(&VpcNoCrossCustomerPeering, &inv, &segmentation());
        f.assert_statuses(&[
            ("a", Status::Pass),
            ("b", Status::Fail),
            ("c", Status::Fail),
            ("d", Status::Fail),
            ("backup", Status::Pass),
        ]);
        assert!(!f.of("c").reason.contains("old joins"));
    }
}
