//! Which resources sit in which virtual network, and so which customers a network holds:
//! shared by the two VNet checks, the NSG data-tier check and the Bastion check.
//!
//! A resource is in a network through a subnet: a VM through its NICs' IP configurations, a
//! flexible server through its delegated subnet, a Bastion host through its IP
//! configuration (or, Developer SKU, the network it names). A resource's customer is the
//! value of `segmentation.customer_tag` on it; a network's customers are its own tag's value
//! and those of the resources in it.

use std::collections::BTreeSet;

use phiscan_core::config::Segmentation;
use phiscan_core::model::azure::{
    BastionHost, MysqlFlexibleServer, PostgresFlexibleServer, VirtualMachine, VirtualNetwork,
    VnetSubnet,
};
use phiscan_core::{Inventory, ResourceRef};

/// Whether two ARM ids name the same resource (ARM ids are case-insensitive).
pub(crate) fn same_id(a: &str, b: &str) -> bool {
    a.trim_end_matches('/')
        .eq_ignore_ascii_case(b.trim_end_matches('/'))
}

/// The virtual network id of a subnet id (`.../virtualNetworks/v/subnets/s` -> `.../v`).
pub(crate) fn vnet_of_subnet(subnet: &str) -> &str {
    let lower = subnet.to_ascii_lowercase();
    match lower.find("/subnets/") {
        Some(i) => &subnet[..i],
        None => subnet,
    }
}

/// The subnet with this id, and its network, among the scanned networks.
pub(crate) fn find_subnet<'a>(
    inv: &'a Inventory,
    id: &str,
) -> Option<(&'a VirtualNetwork, &'a VnetSubnet)> {
    inv.azure_virtual_networks.iter().find_map(|v| {
        v.subnets
            .iter()
            .find(|s| same_id(&s.id, id))
            .map(|s| (v, s))
    })
}

/// Whether `subnet` (an id) lies in network `vnet`.
fn in_vnet(vnet: &VirtualNetwork, subnet: &str) -> bool {
    same_id(vnet_of_subnet(subnet), &vnet.resource.id)
}

/// The resources of the inventory in network `vnet`: VMs, flexible servers, Bastion hosts.
pub(crate) fn members<'a>(inv: &'a Inventory, vnet: &VirtualNetwork) -> Vec<&'a ResourceRef> {
    let vms = inv
        .of::<VirtualMachine>()
        .iter()
        .filter(|vm| vm.subnet_ids.iter().any(|s| in_vnet(vnet, s)))
        .map(|vm| &vm.resource);
    let servers = inv
        .of::<PostgresFlexibleServer>()
        .iter()
        .map(|s| &s.0)
        .chain(inv.of::<MysqlFlexibleServer>().iter().map(|s| &s.0))
        .filter(|s| s.delegated_subnet_id.as_deref().is_some_and(|d| in_vnet(vnet, d)))
        .map(|s| &s.resource);
    let bastions = inv
        .of::<BastionHost>()
        .iter()
        .filter(|b| {
            b.subnet_ids.iter().any(|s| in_vnet(vnet, s))
                || b.virtual_network_id
                    .as_deref()
                    .is_some_and(|v| same_id(v, &vnet.resource.id))
        })
        .map(|b| &b.resource);
    vms.chain(servers).chain(bastions).collect()
}

/// A network's customers: the value of its own customer tag and those of its members.
pub(crate) fn customers(
    seg: &Segmentation,
    vnet: &VirtualNetwork,
    members: &[&ResourceRef],
) -> BTreeSet<String> {
    seg.customer_of(&vnet.resource.tags)
        .into_iter()
        .chain(members.iter().filter_map(|m| seg.customer_of(&m.tags)))
        .map(str::to_string)
        .collect()
}

/// `[{id, customer}]` for evidence.
pub(crate) fn members_evidence(seg: &Segmentation, members: &[&ResourceRef]) -> serde_json::Value {
    members
        .iter()
        .map(|m| serde_json::json!({"id": m.id, "customer": seg.customer_of(&m.tags)}))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnet_ids_name_their_network() {
        let s = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/Subnets/db";
        assert_eq!(
            vnet_of_subnet(s),
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"
        );
        assert!(same_id("/A/b/", "/a/B"));
        assert!(!same_id("/a/b", "/a/bc"));
    }
}
