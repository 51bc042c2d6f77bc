//! Which resources sit in which virtual network, and so which customers a network holds:
//! shared by the two VNet checks, the NSG data-tier check and the Bastion check.
//!
//! A resource is in a network through a subnet: a VM through its NICs' IP configurations, a
//! flexible server through its delegated subnet, a Bastion host through its IP
//! configuration (or, Developer SKU, the network it names). A resource's customer is the
//! value of `segmentation.customer_tag` on it; a network's customers are its own tag's value
//! and those of the resources in it.

use std::collections::{BTreeSet, HashMap};

use phiscan_core::config::Segmentation;
use phiscan_core::model::azure::{
    BastionHost, MysqlFlexibleServer, PostgresFlexibleServer, VirtualMachine, VirtualNetwork,
    VnetSubnet,
};
use phiscan_core::{Inventory, ResourceRef};

/// The virtual network id of a subnet id (`.../virtualNetworks/v/subnets/s` -> `.../v`).
pub(crate) fn vnet_of_subnet(subnet: &str) -> &str {
    let lower = subnet.to_ascii_lowercase();
    match lower.find("/subnets/") {
        Some(i) => &subnet[..i],
        None => subnet,
    }
}

/// The subnets of the scanned networks by id, each with its network (the first network
/// that lists it), gathered once for the many resources a check looks a subnet up for.
pub(crate) struct Subnets<'a>(HashMap<String, (&'a VirtualNetwork, &'a VnetSubnet)>);

impl<'a> Subnets<'a> {
    pub(crate) fn new(inv: &'a Inventory) -> Self {
        let mut by_id = HashMap::new();
        for v in &inv.azure_virtual_networks {
            for s in &v.subnets {
                by_id.entry(id_key(&s.id)).or_insert((v, s));
            }
        }
        Subnets(by_id)
    }

    pub(crate) fn find(&self, id: &str) -> Option<(&'a VirtualNetwork, &'a VnetSubnet)> {
        self.0.get(&id_key(id)).copied()
    }
}

/// The key of an ARM id: two ids name the same resource when their keys are equal (ARM ids
/// are case-insensitive, and a trailing `/` changes nothing).
pub(crate) fn id_key(id: &str) -> String {
    id.trim_end_matches('/').to_ascii_lowercase()
}

/// The resources of the inventory in each network (VMs, flexible servers, Bastion hosts),
/// gathered once: a network's members are found by its id, not by comparing every resource
/// of every subscription with each network.
pub(crate) struct Members<'a> {
    /// Network key -> its members, in the order [`Members::of`] lists them.
    by_vnet: HashMap<String, Vec<&'a ResourceRef>>,
}

impl<'a> Members<'a> {
    pub(crate) fn new(inv: &'a Inventory) -> Self {
        let mut by_vnet: HashMap<String, Vec<&'a ResourceRef>> = HashMap::new();
        // Items are added in the listed order, so each network's list is in that order; an
        // item in one network through two subnets is added twice in a row, and kept once.
        let mut add = |r: &'a ResourceRef, vnets: Vec<&str>| {
            for v in vnets {
                let list = by_vnet.entry(id_key(v)).or_default();
                if !list.last().is_some_and(|last| std::ptr::eq(*last, r)) {
                    list.push(r);
                }
            }
        };
        for vm in inv.of::<VirtualMachine>() {
            add(&vm.resource, vm.subnet_ids.iter().map(|s| vnet_of_subnet(s)).collect());
        }
        let servers = inv
            .of::<PostgresFlexibleServer>()
            .iter()
            .map(|s| &s.0)
            .chain(inv.of::<MysqlFlexibleServer>().iter().map(|s| &s.0));
        for s in servers {
            let vnets = s.delegated_subnet_id.as_deref().map(vnet_of_subnet);
            add(&s.resource, vnets.into_iter().collect());
        }
        for b in inv.of::<BastionHost>() {
            let subnets = b.subnet_ids.iter().map(|s| vnet_of_subnet(s));
            add(&b.resource, subnets.chain(b.virtual_network_id.as_deref()).collect());
        }
        Members { by_vnet }
    }

    /// The members of network `vnet`: VMs, then flexible servers, then Bastion hosts, each
    /// in inventory order and once.
    pub(crate) fn of(&self, vnet: &VirtualNetwork) -> &[&'a ResourceRef] {
        self.by_vnet
            .get(&id_key(&vnet.resource.id))
            .map_or(&[], Vec::as_slice)
    }
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
        assert_eq!(id_key("/A/b/"), id_key("/a/B"));
        assert_ne!(id_key("/a/b"), id_key("/a/bc"));
    }

    #[test]
    fn members_are_found_by_network_id_in_every_spelling() {
        use crate::testing::azure::{bastion_host, flexible_server, virtual_machine, virtual_network};
        use phiscan_core::model::azure::PostgresFlexibleServer;
        use phiscan_core::ResourceKind;
        let mut inv = Inventory::new();
        let net = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/ehr";
        let other = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/lab";
        inv.azure_virtual_networks = vec![virtual_network(net, None, "10.1.0.0/16")];
        let vm = |id: &str, subnets: &[String]| {
            let mut v = virtual_machine(id);
            v.subnet_ids = subnets.to_vec();
            v
        };
        // Case and a trailing `/` do not matter; two subnets of one network count once.
        inv.azure_virtual_machines = vec![
            vm("vm-lab", &[format!("{other}/subnets/a")]),
            vm("vm-twice", &[format!("{net}/subnets/a"), format!("{}/Subnets/b/", net.to_uppercase())]),
            vm("vm-other-case", &[format!("{}/subnets/a", net.to_lowercase())]),
        ];
        let mut pg = flexible_server(ResourceKind::AzurePostgresFlexibleServer, "pg");
        pg.delegated_subnet_id = Some(format!("{net}/subnets/db"));
        inv.azure_postgres_flexible_servers = vec![PostgresFlexibleServer(pg)];
        let mut dev = bastion_host("bastion-dev", &[]);
        dev.virtual_network_id = Some(format!("{net}/"));
        inv.azure_bastion_hosts = vec![dev, bastion_host("bastion-lab", &[&format!("{other}/subnets/AzureBastionSubnet")])];
        let members = Members::new(&inv);
        let ids: Vec<&str> = members
            .of(&inv.azure_virtual_networks[0])
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        let id = |n: &str| inv.azure_virtual_machines.iter().find(|v| v.resource.name == n).map(|v| v.resource.id.clone());
        assert_eq!(ids.len(), 4, "{ids:?}");
        assert_eq!(Some(ids[0].to_string()), id("vm-twice"));
        assert_eq!(Some(ids[1].to_string()), id("vm-other-case"));
        assert!(ids[2].ends_with("pg") && ids[3].ends_with("bastion-dev"), "{ids:?}");
    }
}
