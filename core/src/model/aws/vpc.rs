//! VPCs, subnets, flow logs and network ACLs; the paths between VPCs (peering connections,
//! Transit Gateway attachments with the route tables their traffic follows).

use serde::{Deserialize, Serialize};

use crate::model::ResourceRef;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subnet {
    pub resource: ResourceRef,
    pub subnet_id: String,
    pub vpc_id: String,
    /// The subnet's route table (explicit or the VPC main table) routes 0.0.0.0/0 or ::/0 to
    /// an internet gateway.
    pub routes_to_internet_gateway: bool,
    pub map_public_ip_on_launch: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowLog {
    pub flow_log_id: String,
    /// `ACTIVE` when delivering.
    #[serde(default)]
    pub status: Option<String>,
    /// `ACCEPT`, `REJECT` or `ALL`.
    #[serde(default)]
    pub traffic_type: Option<String>,
    #[serde(default)]
    pub destination: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vpc {
    pub resource: ResourceRef,
    pub vpc_id: String,
    pub is_default: bool,
    /// Flow logs whose resource is this VPC.
    #[serde(default)]
    pub flow_logs: Vec<FlowLog>,
    /// The VPC's IPv4 and IPv6 address ranges (primary and associated blocks): what "a
    /// private range inside the same VPC" means to the segmentation checks.
    #[serde(default)]
    pub cidr_blocks: Vec<String>,
}

/// One entry of a network ACL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NaclEntry {
    pub rule_number: i32,
    /// `-1` (all), `6` (TCP), `17` (UDP), `1` (ICMP), ... (protocol numbers, as the API says).
    pub protocol: String,
    /// `allow` or `deny`.
    pub rule_action: String,
    pub egress: bool,
    #[serde(default)]
    pub cidr_block: Option<String>,
    #[serde(default)]
    pub ipv6_cidr_block: Option<String>,
    /// `None` when the rule covers all ports (protocol -1) or the API gave no range.
    #[serde(default)]
    pub port_from: Option<i32>,
    #[serde(default)]
    pub port_to: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkAcl {
    pub resource: ResourceRef,
    pub nacl_id: String,
    #[serde(default)]
    pub vpc_id: Option<String>,
    pub is_default: bool,
    #[serde(default)]
    pub entries: Vec<NaclEntry>,
    /// Subnets associated with the ACL.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
}

/// One side of a VPC peering connection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerVpc {
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// The account owning the VPC.
    #[serde(default)]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
}

/// A VPC peering connection (DescribeVpcPeeringConnections), kept once per account that
/// owns a side of it, in that side's region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VpcPeering {
    pub resource: ResourceRef,
    pub peering_id: String,
    /// `active`, `pending-acceptance`, `provisioning`, `deleted`, `rejected`, ...
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub requester: PeerVpc,
    #[serde(default)]
    pub accepter: PeerVpc,
}

/// A route of a Transit Gateway route table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TgwRoute {
    /// The destination CIDR block (or prefix list id); `None` for a propagation read from
    /// GetTransitGatewayRouteTablePropagations, whose destinations are the propagating
    /// attachment's own ranges.
    #[serde(default)]
    pub destination: Option<String>,
    /// `static` or `propagated`.
    #[serde(default)]
    pub route_type: Option<String>,
    /// `active`, `blackhole`, ...
    #[serde(default)]
    pub state: Option<String>,
    /// The attachments the route sends traffic to.
    #[serde(default)]
    pub attachment_ids: Vec<String>,
}

/// A Transit Gateway route table an attachment is associated with, and its routes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TgwRouteTable {
    pub route_table_id: String,
    #[serde(default)]
    pub routes: Vec<TgwRoute>,
}

/// An attachment of a transit gateway the scanned account owns
/// (DescribeTransitGatewayAttachments), with the route tables its traffic follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransitGatewayAttachment {
    pub resource: ResourceRef,
    pub attachment_id: String,
    pub transit_gateway_id: String,
    /// `vpc`, `vpn`, `peering`, `connect`, `direct-connect-gateway`, ...
    #[serde(default)]
    pub resource_type: Option<String>,
    /// The VPC id of a `vpc` attachment.
    #[serde(default)]
    pub resource_id: Option<String>,
    /// The account owning the attached resource.
    #[serde(default)]
    pub resource_owner_id: Option<String>,
    /// `available`, `pending`, `deleted`, ...
    #[serde(default)]
    pub state: Option<String>,
    /// The route tables the attachment is associated with (one on AWS).
    #[serde(default)]
    pub route_tables: Vec<TgwRouteTable>,
}
