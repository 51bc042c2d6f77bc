//! The Azure Bastion of the ePHI network (the check in `checks/src/azure/bastion/`): its
//! subnet's NSG admits the VPN only and shareable links are off. The legacy jump box VM,
//! tagged as a bastion in `vnet.rs`, admits SSH from anywhere (`network.rs`).

use super::network::subnet;
use super::{arm_ref, EAST};
use crate::model::azure::BastionHost;
use crate::model::{Inventory, ResourceKind};

pub(super) fn add(inv: &mut Inventory) {
    inv.azure_bastion_hosts = vec![BastionHost {
        resource: arm_ref(
            ResourceKind::AzureBastionHost,
            EAST,
            "rg-ephi-network",
            "Microsoft.Network/bastionHosts",
            "bas-qolty-ephi",
        )
        .with_tag("customer", "mercy-health"),
        sku: Some("Standard".into()),
        subnet_ids: vec![subnet("AzureBastionSubnet")],
        virtual_network_id: None,
        ip_rules: vec![],
        shareable_link: Some(false),
        private_only: Some(false),
    }];
}
