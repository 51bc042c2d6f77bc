//! `Microsoft.Network` topology for the segmentation checks: virtual networks with their
//! subnets and peerings (ARM returns both inline in `VirtualNetworks_ListAll`, so no call
//! per network), and Azure Bastion hosts.

use serde::Deserialize;

use super::arm::{IdRef, Item};
use super::client::{Arm, Op};
use super::network::merged;
use super::{fail, versions};
use crate::model::azure::{BastionHost, VirtualNetwork, VnetPeering, VnetSubnet};
use crate::model::{Inventory, ResourceKind};

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct VnetProperties {
    address_space: AddressSpace,
    subnets: Vec<Subnet>,
    virtual_network_peerings: Vec<Peering>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct AddressSpace {
    address_prefixes: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Subnet {
    id: String,
    name: String,
    properties: SubnetProperties,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct SubnetProperties {
    address_prefix: Option<String>,
    address_prefixes: Vec<String>,
    network_security_group: Option<IdRef>,
    delegations: Vec<Delegation>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Delegation {
    properties: DelegationProperties,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct DelegationProperties {
    service_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Peering {
    name: String,
    properties: PeeringProperties,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct PeeringProperties {
    remote_virtual_network: Option<IdRef>,
    peering_state: Option<String>,
    allow_virtual_network_access: Option<bool>,
    remote_address_space: Option<AddressSpace>,
}

/// VirtualNetworks_ListAll.
pub async fn virtual_networks(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let kind = ResourceKind::AzureVirtualNetwork;
    let op = Op::new("Microsoft.Network", "VirtualNetworks_ListAll", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Network/virtualNetworks");
    match arm
        .list::<Item<VnetProperties>>(&path, versions::NETWORK, &[], &op)
        .await
    {
        Ok(items) => {
            inv.azure_virtual_networks = items
                .iter()
                .map(|v| {
                    let p = &v.properties;
                    VirtualNetwork {
                        resource: v.resource(kind, sub),
                        address_prefixes: p.address_space.address_prefixes.clone(),
                        subnets: p.subnets.iter().map(subnet).collect(),
                        peerings: p.virtual_network_peerings.iter().map(peering).collect(),
                    }
                })
                .collect()
        }
        Err(e) => inv.errors.push(fail(sub, None, kind, &e)),
    }
    inv
}

fn subnet(s: &Subnet) -> VnetSubnet {
    let p = &s.properties;
    VnetSubnet {
        id: s.id.clone(),
        name: s.name.clone(),
        address_prefixes: merged(&p.address_prefix, &p.address_prefixes),
        network_security_group_id: p.network_security_group.as_ref().and_then(|n| n.id.clone()),
        delegations: p
            .delegations
            .iter()
            .filter_map(|d| d.properties.service_name.clone())
            .collect(),
    }
}

fn peering(x: &Peering) -> VnetPeering {
    let p = &x.properties;
    VnetPeering {
        name: x.name.clone(),
        remote_virtual_network_id: p.remote_virtual_network.as_ref().and_then(|r| r.id.clone()),
        peering_state: p.peering_state.clone(),
        allow_virtual_network_access: p.allow_virtual_network_access,
        remote_address_prefixes: p
            .remote_address_space
            .as_ref()
            .map(|a| a.address_prefixes.clone())
            .unwrap_or_default(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Bastion {
    id: String,
    name: String,
    location: Option<String>,
    tags: Option<std::collections::BTreeMap<String, String>>,
    sku: Option<Sku>,
    properties: BastionProperties,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Sku {
    name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct BastionProperties {
    ip_configurations: Vec<BastionIpConfiguration>,
    virtual_network: Option<IdRef>,
    network_acls: Option<NetworkAcls>,
    enable_shareable_link: Option<bool>,
    enable_private_only_bastion: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct BastionIpConfiguration {
    properties: BastionIpProperties,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct BastionIpProperties {
    subnet: Option<IdRef>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct NetworkAcls {
    ip_rules: Vec<IpRule>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct IpRule {
    address_prefix: Option<String>,
}

/// BastionHosts_List.
pub async fn bastion_hosts(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let kind = ResourceKind::AzureBastionHost;
    let op = Op::new("Microsoft.Network", "BastionHosts_List", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Network/bastionHosts");
    match arm
        .list::<Bastion>(&path, versions::NETWORK, &[], &op)
        .await
    {
        Ok(items) => {
            inv.azure_bastion_hosts = items
                .into_iter()
                .map(|b| {
                    // The shared ARM shape gives the ref (location, tags); `sku` sits beside
                    // `properties`, which `Item` does not keep.
                    let item: Item<()> = Item {
                        id: b.id,
                        name: b.name,
                        location: b.location,
                        tags: b.tags,
                        ..Item::default()
                    };
                    let p = b.properties;
                    BastionHost {
                        resource: item.resource(kind, sub),
                        sku: b.sku.and_then(|s| s.name),
                        subnet_ids: p
                            .ip_configurations
                            .iter()
                            .filter_map(|c| c.properties.subnet.as_ref()?.id.clone())
                            .collect(),
                        virtual_network_id: p.virtual_network.and_then(|v| v.id),
                        ip_rules: p
                            .network_acls
                            .map(|a| {
                                a.ip_rules
                                    .into_iter()
                                    .filter_map(|r| r.address_prefix)
                                    .collect()
                            })
                            .unwrap_or_default(),
                        shareable_link: p.enable_shareable_link,
                        private_only: p.enable_private_only_bastion,
                    }
                })
                .collect()
        }
        Err(e) => inv.errors.push(fail(sub, None, kind, &e)),
    }
    inv
}
