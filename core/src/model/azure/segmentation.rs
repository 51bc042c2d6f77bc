//! Azure network topology and delegated access, read for the segmentation and third-party
//! checks (issue 14): virtual networks with their subnets and peerings, Azure Bastion hosts,
//! and Azure Lighthouse delegations (registration assignments with their definitions).

use serde::{Deserialize, Serialize};

use super::super::ResourceRef;

/// A virtual network (`VirtualNetworks_ListAll`), with the subnets and peerings ARM returns
/// inline in `properties`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VirtualNetwork {
    pub resource: ResourceRef,
    /// `addressSpace.addressPrefixes`.
    #[serde(default)]
    pub address_prefixes: Vec<String>,
    #[serde(default)]
    pub subnets: Vec<VnetSubnet>,
    #[serde(default)]
    pub peerings: Vec<VnetPeering>,
}

/// One subnet of a virtual network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VnetSubnet {
    /// The subnet's ARM id (`.../virtualNetworks/{vnet}/subnets/{name}`).
    pub id: String,
    pub name: String,
    /// `addressPrefix` and `addressPrefixes` merged.
    #[serde(default)]
    pub address_prefixes: Vec<String>,
    /// `networkSecurityGroup.id`: the NSG associated with the subnet.
    #[serde(default)]
    pub network_security_group_id: Option<String>,
    /// `delegations[].properties.serviceName` (`Microsoft.DBforPostgreSQL/flexibleServers`).
    #[serde(default)]
    pub delegations: Vec<String>,
}

/// One virtual network peering (`virtualNetworkPeerings[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VnetPeering {
    pub name: String,
    /// `remoteVirtualNetwork.id`: the peered network (possibly in another subscription).
    #[serde(default)]
    pub remote_virtual_network_id: Option<String>,
    /// `peeringState`: `Initiated`, `Connected`, `Disconnected`.
    #[serde(default)]
    pub peering_state: Option<String>,
    /// `allowVirtualNetworkAccess`: traffic between the two address spaces is allowed.
    #[serde(default)]
    pub allow_virtual_network_access: Option<bool>,
    /// `remoteAddressSpace.addressPrefixes`.
    #[serde(default)]
    pub remote_address_prefixes: Vec<String>,
}

/// An Azure Bastion host (`BastionHosts_List`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BastionHost {
    pub resource: ResourceRef,
    /// `sku.name`: `Developer`, `Basic`, `Standard`, `Premium`.
    #[serde(default)]
    pub sku: Option<String>,
    /// The subnets of its IP configurations (the `AzureBastionSubnet` of its network).
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// `virtualNetwork.id`: the network of a Developer SKU host (which has no subnet).
    #[serde(default)]
    pub virtual_network_id: Option<String>,
    /// `networkAcls.ipRules[].addressPrefix`: where a Developer SKU host admits clients from.
    #[serde(default)]
    pub ip_rules: Vec<String>,
    /// `enableShareableLink`: anyone holding a link reaches the VM without a portal login.
    #[serde(default)]
    pub shareable_link: Option<bool>,
    /// `enablePrivateOnlyBastion`: the host has no public address.
    #[serde(default)]
    pub private_only: Option<bool>,
}

/// An Azure Lighthouse delegation: a registration assignment of the subscription with its
/// registration definition (`$expandRegistrationDefinition=true`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LighthouseAssignment {
    pub resource: ResourceRef,
    /// `registrationDefinition.properties.registrationDefinitionName`.
    #[serde(default)]
    pub definition_name: Option<String>,
    /// `managedByTenantId`: the tenant the access is delegated to.
    #[serde(default)]
    pub managed_by_tenant_id: Option<String>,
    #[serde(default)]
    pub managed_by_tenant_name: Option<String>,
    /// `authorizations[]` (standing) and `eligibleAuthorizations[]` (just-in-time).
    #[serde(default)]
    pub authorizations: Vec<LighthouseAuthorization>,
}

/// One principal of the managing tenant and the built-in role it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LighthouseAuthorization {
    pub principal_id: String,
    #[serde(default)]
    pub principal_display_name: Option<String>,
    /// The role definition id: a built-in role's GUID (`acdd72a7-...` is Reader).
    pub role_definition_id: String,
    /// From `eligibleAuthorizations`: the principal activates the role just in time.
    #[serde(default)]
    pub eligible: bool,
}
