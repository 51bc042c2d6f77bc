//! Network security groups and the Network Watcher flow logs recording their traffic.

use super::{arm_id, arm_ref, EAST, EAST2};
use crate::model::azure::{FlowLog, NetworkSecurityGroup, NsgRule};
use crate::model::{Inventory, ResourceKind};

pub(super) fn add(inv: &mut Inventory) {
    let nic = |rg: &str, vm: &str| {
        arm_id(
            rg,
            "Microsoft.Network/networkInterfaces",
            &format!("{vm}-nic"),
        )
    };
    inv.azure_network_security_groups = vec![
        // The web tier: HTTPS from the internet; admin ports denied before a vendor's
        // forgotten SSH rule can match, SSH only from the Azure Bastion subnet.
        nsg(
            "nsg-ehr-app-snet",
            EAST,
            vec![
                rule(
                    "Deny-Admin-From-Internet",
                    100,
                    "Inbound",
                    "Deny",
                    "*",
                    "22,3389",
                    "Internet",
                ),
                rule(
                    "Allow-HTTPS-From-Internet",
                    110,
                    "Inbound",
                    "Allow",
                    "Tcp",
                    "443",
                    "Internet",
                ),
                rule(
                    "Allow-SSH-From-Bastion",
                    120,
                    "Inbound",
                    "Allow",
                    "Tcp",
                    "22",
                    "10.20.0.0/26",
                ),
                rule(
                    "Allow-SSH-Vendor-Legacy",
                    4000,
                    "Inbound",
                    "Allow",
                    "Tcp",
                    "22",
                    "*",
                ),
            ],
            vec![subnet("snet-ehr-app")],
        ),
        nsg(
            "nsg-ehr-db-snet",
            EAST,
            vec![
                rule(
                    "Allow-Postgres-From-App",
                    100,
                    "Inbound",
                    "Allow",
                    "Tcp",
                    "5432",
                    "10.20.1.0/24",
                ),
                rule(
                    "Allow-SQL-From-App",
                    110,
                    "Inbound",
                    "Allow",
                    "Tcp",
                    "1433",
                    "10.20.1.0/24",
                ),
                // Closes the default AllowVnetInBound: peers reach no database port.
                rule(
                    "Deny-VNet-Inbound",
                    4000,
                    "Inbound",
                    "Deny",
                    "*",
                    "*",
                    "VirtualNetwork",
                ),
            ],
            vec![subnet("snet-ehr-db")],
        ),
        // The PostgreSQL server's delegated subnet admits the analytics network (over the
        // peering) to 5432: around the bastion (azure-nsg-db-tier-bastion-only).
        nsg(
            "nsg-psql-snet",
            EAST,
            vec![rule(
                "Allow-Postgres-Analytics",
                100,
                "Inbound",
                "Allow",
                "Tcp",
                "5432",
                "10.30.0.0/16",
            )],
            vec![subnet("snet-psql")],
        ),
        // The Azure Bastion subnet admits the VPN and Azure's gateway manager only.
        nsg(
            "nsg-bastion-snet",
            EAST,
            vec![
                rule(
                    "Allow-HTTPS-From-VPN",
                    100,
                    "Inbound",
                    "Allow",
                    "Tcp",
                    "443",
                    "10.8.0.0/16",
                ),
                rule(
                    "Allow-GatewayManager",
                    110,
                    "Inbound",
                    "Allow",
                    "Tcp",
                    "443",
                    "GatewayManager",
                ),
                rule(
                    "Deny-Internet",
                    4000,
                    "Inbound",
                    "Deny",
                    "*",
                    "*",
                    "Internet",
                ),
            ],
            vec![subnet("AzureBastionSubnet")],
        ),
        nsg(
            "nsg-reporting-vm",
            EAST2,
            vec![
                rule(
                    "Allow-RDP-Anywhere",
                    300,
                    "Inbound",
                    "Allow",
                    "Tcp",
                    "3389",
                    "*",
                ),
                rule(
                    "Allow-MSSQL-Partner",
                    310,
                    "Inbound",
                    "Allow",
                    "Tcp",
                    "1433",
                    "Internet",
                ),
            ],
            vec![nic("rg-qolty-analytics", "vm-reporting-01")],
        ),
        nsg(
            "nsg-legacy-jumpbox",
            EAST,
            vec![rule(
                "SSH",
                1000,
                "Inbound",
                "Allow",
                "Tcp",
                "22",
                "0.0.0.0/0",
            )],
            vec![nic("rg-qolty-legacy", "vm-legacy-jumpbox")],
        ),
    ];
    flow_logs(inv);
}

/// An NSG rule; `ports` and `sources` are comma-separated, as the portal shows them.
fn rule(
    name: &str,
    priority: i32,
    dir: &str,
    access: &str,
    proto: &str,
    ports: &str,
    sources: &str,
) -> NsgRule {
    NsgRule {
        name: name.into(),
        direction: dir.into(),
        access: access.into(),
        protocol: proto.into(),
        priority,
        source_address_prefixes: sources.split(',').map(Into::into).collect(),
        destination_port_ranges: ports.split(',').map(Into::into).collect(),
        default_rule: false,
        source_application_security_groups: vec![],
        destination_address_prefixes: vec!["*".into()],
        destination_application_security_groups: vec![],
    }
}

/// An NSG with its custom rules followed by the six `defaultSecurityRules` ARM returns.
fn nsg(
    name: &str,
    location: &str,
    rules: Vec<NsgRule>,
    attached_to: Vec<String>,
) -> NetworkSecurityGroup {
    let defaults = [
        (
            "AllowVnetInBound",
            65000,
            "Inbound",
            "Allow",
            "VirtualNetwork",
        ),
        (
            "AllowAzureLoadBalancerInBound",
            65001,
            "Inbound",
            "Allow",
            "AzureLoadBalancer",
        ),
        ("DenyAllInBound", 65500, "Inbound", "Deny", "*"),
        (
            "AllowVnetOutBound",
            65000,
            "Outbound",
            "Allow",
            "VirtualNetwork",
        ),
        ("AllowInternetOutBound", 65001, "Outbound", "Allow", "*"),
        ("DenyAllOutBound", 65500, "Outbound", "Deny", "*"),
    ]
    .map(|(n, p, dir, access, src)| NsgRule {
        default_rule: true,
        ..rule(n, p, dir, access, "*", "*", src)
    });
    NetworkSecurityGroup {
        resource: arm_ref(
            ResourceKind::AzureNetworkSecurityGroup,
            location,
            "rg-ephi-network",
            "Microsoft.Network/networkSecurityGroups",
            name,
        ),
        rules: rules.into_iter().chain(defaults).collect(),
        attached_to,
    }
}

/// A virtual network flow log on the ePHI network (covering the app and database subnets'
/// NSGs) and the jump box NSG's flow log, switched off; the reporting VM's NSG has none.
fn flow_logs(inv: &mut Inventory) {
    let watcher = |location: &str| {
        arm_id(
            "NetworkWatcherRG",
            "Microsoft.Network/networkWatchers",
            &format!("NetworkWatcher_{location}"),
        )
    };
    let log = |location: &str, name: &str, target: String, enabled: bool| {
        let id = format!("{}/flowLogs/{name}", watcher(location));
        FlowLog {
            resource: crate::model::ResourceRef::new(
                ResourceKind::AzureFlowLog,
                super::SUB,
                location,
                id,
                name,
            ),
            target_resource_id: target,
            enabled: Some(enabled),
            storage_id: Some(arm_id(
                "rg-ephi-security",
                "Microsoft.Storage/storageAccounts",
                "stqoltyflowlogs",
            )),
            retention_enabled: Some(true),
            retention_days: Some(365),
        }
    };
    let vnet = arm_id(
        "rg-ephi-network",
        "Microsoft.Network/virtualNetworks",
        "vnet-qolty-ephi",
    );
    let jumpbox = inv
        .azure_network_security_groups
        .iter()
        .find(|n| n.resource.name == "nsg-legacy-jumpbox")
        .map(|n| (n.resource.region.clone(), n.resource.id.clone()));
    inv.azure_flow_logs = vec![log(EAST, "fl-vnet-qolty-ephi", vnet, true)];
    if let Some((location, id)) = jumpbox {
        inv.azure_flow_logs
            .push(log(&location, "fl-nsg-legacy-jumpbox", id, false));
    }
}

pub(super) fn subnet(name: &str) -> String {
    format!(
        "{}/subnets/{name}",
        arm_id(
            "rg-ephi-network",
            "Microsoft.Network/virtualNetworks",
            "vnet-qolty-ephi"
        )
    )
}
