//! Builders for the segmentation and third-party checks (issue 14): networks, subnets,
//! peerings, Bastion hosts and Lighthouse delegations.

use phiscan_core::model::azure::*;
use phiscan_core::ResourceKind;

use crate::testing::azure_ref;

/// A network `id` with one address range, tagged `customer=<customer>` when given, without
/// subnets or peerings.
pub fn virtual_network(id: &str, customer: Option<&str>, range: &str) -> VirtualNetwork {
    let mut resource = azure_ref(ResourceKind::AzureVirtualNetwork, "eastus", id);
    if let Some(c) = customer {
        resource.tags.insert("customer".into(), c.into());
    }
    VirtualNetwork {
        resource,
        address_prefixes: vec![range.into()],
        subnets: vec![],
        peerings: vec![],
    }
}

/// Subnet `<vnet>/subnets/<name>`, with the NSG `nsg` when given.
pub fn vnet_subnet(vnet: &str, name: &str, range: &str, nsg: Option<&str>) -> VnetSubnet {
    VnetSubnet {
        id: format!("{vnet}/subnets/{name}"),
        name: name.into(),
        address_prefixes: vec![range.into()],
        network_security_group_id: nsg.map(Into::into),
        delegations: vec![],
    }
}

pub fn vnet_peering(name: &str, remote: &str, state: &str) -> VnetPeering {
    VnetPeering {
        name: name.into(),
        remote_virtual_network_id: Some(remote.into()),
        peering_state: Some(state.into()),
        allow_virtual_network_access: Some(true),
        remote_address_prefixes: vec![],
    }
}

/// A Standard SKU Bastion host in these subnets, shareable links unreported.
pub fn bastion_host(id: &str, subnets: &[&str]) -> BastionHost {
    BastionHost {
        resource: azure_ref(ResourceKind::AzureBastionHost, "eastus", id),
        sku: Some("Standard".into()),
        subnet_ids: subnets.iter().map(|s| s.to_string()).collect(),
        virtual_network_id: None,
        ip_rules: vec![],
        shareable_link: None,
        private_only: Some(false),
    }
}

/// A delegation to `tenant` (empty: none reported) with one principal per role.
pub fn lighthouse_assignment(id: &str, tenant: &str, roles: &[&str]) -> LighthouseAssignment {
    LighthouseAssignment {
        resource: azure_ref(ResourceKind::AzureLighthouseAssignment, "global", id),
        definition_name: Some(id.into()),
        managed_by_tenant_id: (!tenant.is_empty()).then(|| tenant.to_string()),
        managed_by_tenant_name: None,
        authorizations: roles
            .iter()
            .enumerate()
            .map(|(i, r)| LighthouseAuthorization {
                principal_id: format!("principal-{i}"),
                principal_display_name: None,
                role_definition_id: r.to_string(),
                eligible: false,
            })
            .collect(),
    }
}
