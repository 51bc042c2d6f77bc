use std::collections::BTreeSet;

use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::VirtualNetwork;
use serde_json::json;

use super::topology::{customers, id_key, Members};
use crate::index::first_by;
use crate::segmentation::{not_applicable, peering_joins, peering_reason};

declare_check! {
    /// ## What it checks
    /// No virtual network peering joins networks of different customers. A network's
    /// customers are its own `segmentation.customer_tag` value and those of the resources in
    /// it (see `azure-vnet-single-customer`). A peering to a network phiscan did not scan
    /// (another subscription) fails when this network holds a customer's resources: whose
    /// network it is cannot be shown. Disconnected peerings carry no traffic and are listed
    /// only. Without `segmentation.customer_tag` the check is NOT_APPLICABLE.
    ///
    /// ## Why it matters
    /// Qolty promises dedicated, separated networks per customer; a peering makes two
    /// networks one routing domain, so a peering between customers undoes the separation
    /// (access control, 45 CFR 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `customers` (this network's), `peerings` (name, remote network, state, the remote
    /// network's customers or `null` when it was not scanned, and whether it joins
    /// customers).
    ///
    /// ## Remediation
    /// Delete the peering (`az network vnet peering delete -g <rg> --vnet-name <vnet> -n
    /// <peering>`) and exchange data between customers only through an audited application
    /// interface, never a shared network.
    pub struct VnetNoCrossCustomerPeering {
        id: "azure-vnet-no-cross-customer-peering",
        title: "No virtual network peering joins two customers' networks",
        severity: High,
        provider: Azure,
        kinds: [AzureVirtualNetwork, AzureVirtualMachine, AzurePostgresFlexibleServer, AzureMysqlFlexibleServer, AzureBastionHost],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for VnetNoCrossCustomerPeering {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let seg = ctx.config.segmentation();
        let vnets = ctx.resources::<VirtualNetwork>();
        let members = Members::new(ctx.inventory);
        let customers_of = |v: &VirtualNetwork| customers(seg, v, members.of(v));
        let by_id = first_by(vnets, |v| Some(id_key(&v.resource.id)));
        vnets
            .iter()
            .map(|vnet| {
                if let Err(missing) = seg.customer_tag() {
                    return not_applicable(ctx, &vnet.resource, missing);
                }
                let own = customers_of(vnet);
                let mut crossing = Vec::new();
                let peerings: Vec<serde_json::Value> = vnet
                    .peerings
                    .iter()
                    .map(|p| {
                        let remote_id = p.remote_virtual_network_id.as_deref().unwrap_or("");
                        let remote = by_id.get(&id_key(remote_id)).copied();
                        let theirs: Option<BTreeSet<String>> = remote.map(customers_of);
                        // A disconnected peering (its peer deleted it) carries no traffic.
                        let connected = !p
                            .peering_state
                            .as_deref()
                            .is_some_and(|s| s.eq_ignore_ascii_case("Disconnected"));
                        let joins = peering_joins(&own, &p.name, remote_id, theirs.as_ref(), connected);
                        crossing.extend(joins.clone());
                        json!({
                            "name": p.name,
                            "remote_network": remote_id,
                            "state": p.peering_state,
                            "remote_customers": theirs,
                            "joins_customers": joins.is_some(),
                        })
                    })
                    .collect();
                ctx.verdict(crossing.is_empty(), &vnet.resource)
                    .evidence("customers", json!(own))
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
    use crate::testing::azure::{virtual_network, vnet_peering};
    use crate::testing::{run_with, segmentation};
    use phiscan_core::{Inventory, Status};

    #[test]
    fn peerings_between_customers_fail() {
        let mut inv = Inventory::new();
        let mut a = virtual_network("a", Some("northwind"), "10.1.0.0/16");
        let mut b = virtual_network("b", Some("northwind"), "10.2.0.0/16");
        let mut c = virtual_network("c", Some("contoso"), "10.3.0.0/16");
        let mut d = virtual_network("d", Some("contoso"), "10.4.0.0/16");
        let mut hub = virtual_network("hub", None, "10.9.0.0/16");
        a.peerings = vec![vnet_peering("to-b", "b", "Connected")];
        b.peerings = vec![vnet_peering("to-a", "a", "Connected"), vnet_peering("to-c", "c", "Connected")];
        c.peerings = vec![vnet_peering("to-b", "b", "Connected")];
        d.peerings = vec![
            vnet_peering("old", "a", "Disconnected"),
            vnet_peering("elsewhere", "/subscriptions/other/vnet", "Connected"),
        ];
        hub.peerings = vec![vnet_peering("outside", "/subscriptions/other/vnet", "Connected")];
        inv.azure_virtual_networks = vec![a, b, c, d, hub];
        let f = run_with(&VnetNoCrossCustomerPeering, &inv, &segmentation());
        f.assert_statuses(&[
            ("a", Status::Pass),
            ("b", Status::Fail),
            ("c", Status::Fail),
            // A disconnected peering carries nothing; an unscanned peer cannot be shown.
            ("d", Status::Fail),
            // No customer's resources: a peering anywhere joins nobody's data.
            ("hub", Status::Pass),
        ]);
        assert!(f.of("d").reason.contains("did not scan"));
        assert!(!f.of("d").reason.contains("old joins"));
    }
}
