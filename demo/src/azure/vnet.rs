//! Virtual networks and which customer's resources sit in them (issue 14: the checks in
//! `checks/src/azure/vnet/`, and the data-tier NSG check). Runs after `compute::add` and
//! `flexible_server::add`: it places the VMs and the EHR PostgreSQL server in subnets and
//! tags them with their customer, tier and role.
//!
//! - `vnet-qolty-ephi` (Mercy Health) holds the EHR VMs (the database VM is the data tier),
//!   the PostgreSQL server's delegated subnet and the Azure Bastion: one customer. It peers
//!   with the DR network (Mercy Health) and with the analytics network (Lakeside Clinic).
//! - `vnet-qolty-analytics` holds Lakeside Clinic's reporting VM but carries no customer tag.
//! - `vnet-qolty-legacy` (Lakeside Clinic) holds the legacy jump box, tagged as a bastion.

use super::network::subnet;
use super::{arm_id, arm_ref, EAST, EAST2};
use crate::model::azure::{VirtualNetwork, VnetPeering, VnetSubnet};
use crate::model::{Inventory, ResourceKind};

fn vnet_id(rg: &str, name: &str) -> String {
    arm_id(rg, "Microsoft.Network/virtualNetworks", name)
}

fn vnet(
    name: &str,
    rg: &str,
    location: &str,
    customer: Option<&str>,
    range: &str,
    subnets: &[(&str, &str, Option<&str>)],
    peers: &[(&str, &str)],
) -> VirtualNetwork {
    let mut resource = arm_ref(
        ResourceKind::AzureVirtualNetwork,
        location,
        rg,
        "Microsoft.Network/virtualNetworks",
        name,
    );
    if let Some(c) = customer {
        resource.tags.insert("customer".into(), c.into());
    }
    let id = vnet_id(rg, name);
    VirtualNetwork {
        resource,
        address_prefixes: vec![range.into()],
        subnets: subnets
            .iter()
            .map(|(s, prefix, nsg)| VnetSubnet {
                id: format!("{id}/subnets/{s}"),
                name: s.to_string(),
                address_prefixes: vec![prefix.to_string()],
                network_security_group_id: nsg.map(|n| {
                    arm_id(
                        "rg-ephi-network",
                        "Microsoft.Network/networkSecurityGroups",
                        n,
                    )
                }),
                delegations: if *s == "snet-psql" {
                    vec!["Microsoft.DBforPostgreSQL/flexibleServers".into()]
                } else {
                    vec![]
                },
            })
            .collect(),
        peerings: peers
            .iter()
            .map(|(peering, remote)| VnetPeering {
                name: peering.to_string(),
                remote_virtual_network_id: Some(remote.to_string()),
                peering_state: Some("Connected".into()),
                allow_virtual_network_access: Some(true),
                remote_address_prefixes: vec![],
            })
            .collect(),
    }
}

pub(super) fn add(inv: &mut Inventory) {
    let ephi = vnet_id("rg-ephi-network", "vnet-qolty-ephi");
    let dr = vnet_id("rg-ephi-network", "vnet-qolty-ephi-dr");
    let analytics = vnet_id("rg-qolty-analytics", "vnet-qolty-analytics");
    let legacy = vnet_id("rg-qolty-legacy", "vnet-qolty-legacy");
    inv.azure_virtual_networks = vec![
        vnet(
            "vnet-qolty-ephi",
            "rg-ephi-network",
            EAST,
            Some("mercy-health"),
            "10.20.0.0/16",
            &[
                (
                    "AzureBastionSubnet",
                    "10.20.0.0/26",
                    Some("nsg-bastion-snet"),
                ),
                ("snet-ehr-app", "10.20.1.0/24", Some("nsg-ehr-app-snet")),
                ("snet-ehr-db", "10.20.2.0/24", Some("nsg-ehr-db-snet")),
                ("snet-psql", "10.20.3.0/24", Some("nsg-psql-snet")),
            ],
            &[("to-dr", &dr), ("to-analytics", &analytics)],
        ),
        vnet(
            "vnet-qolty-ephi-dr",
            "rg-ephi-network",
            EAST2,
            Some("mercy-health"),
            "10.21.0.0/16",
            &[("snet-ehr-db", "10.21.2.0/24", None)],
            &[("to-ephi", &ephi)],
        ),
        vnet(
            "vnet-qolty-analytics",
            "rg-qolty-analytics",
            EAST2,
            None,
            "10.30.0.0/16",
            &[("snet-reporting", "10.30.1.0/24", None)],
            &[("to-ephi", &ephi)],
        ),
        vnet(
            "vnet-qolty-legacy",
            "rg-qolty-legacy",
            EAST,
            Some("lakeside-clinic"),
            "10.40.0.0/16",
            &[("snet-jumpbox", "10.40.1.0/24", None)],
            &[],
        ),
    ];
    for vm in &mut inv.azure_virtual_machines {
        let (subnet_id, tags): (String, &[(&str, &str)]) = match vm.resource.name.as_str() {
            "vm-ehr-app-01" => (subnet("snet-ehr-app"), &[("customer", "mercy-health")]),
            "vm-ehr-db-01" => (
                subnet("snet-ehr-db"),
                &[("customer", "mercy-health"), ("tier", "data")],
            ),
            "vm-reporting-01" => (
                format!("{analytics}/subnets/snet-reporting"),
                &[("customer", "lakeside-clinic")],
            ),
            "vm-legacy-jumpbox" => (
                format!("{legacy}/subnets/snet-jumpbox"),
                &[("customer", "lakeside-clinic"), ("role", "bastion")],
            ),
            _ => continue,
        };
        vm.subnet_ids = vec![subnet_id];
        for (k, v) in tags {
            vm.resource.tags.insert(k.to_string(), v.to_string());
        }
    }
    for vm in &mut inv.azure_virtual_machines {
        if vm.resource.name == "vm-legacy-jumpbox" {
            vm.nic_security_group_ids = vec![arm_id(
                "rg-ephi-network",
                "Microsoft.Network/networkSecurityGroups",
                "nsg-legacy-jumpbox",
            )];
        }
    }
    for s in &mut inv.azure_postgres_flexible_servers {
        if s.0.resource.name == "psql-qolty-ehr-prod" {
            s.0.delegated_subnet_id = Some(subnet("snet-psql"));
            s.0.resource
                .tags
                .insert("customer".into(), "mercy-health".into());
        }
    }
}
