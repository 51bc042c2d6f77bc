//! `Microsoft.Network`: network security groups, with custom and default rules and the
//! subnets and NICs they are attached to.

use serde::Deserialize;

use super::arm::{IdRef, Item};
use super::client::{Arm, Op};
use super::{fail, versions};
use crate::model::azure::{NetworkSecurityGroup, NsgRule};
use crate::model::{Inventory, ResourceKind};

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Properties {
    security_rules: Vec<Rule>,
    default_security_rules: Vec<Rule>,
    subnets: Vec<IdRef>,
    network_interfaces: Vec<IdRef>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Rule {
    name: String,
    properties: RuleProperties,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct RuleProperties {
    protocol: String,
    source_address_prefix: Option<String>,
    source_address_prefixes: Vec<String>,
    source_application_security_groups: Vec<IdRef>,
    destination_address_prefix: Option<String>,
    destination_address_prefixes: Vec<String>,
    destination_application_security_groups: Vec<IdRef>,
    destination_port_range: Option<String>,
    destination_port_ranges: Vec<String>,
    access: String,
    priority: i32,
    direction: String,
}

/// ARM gives a single value or a list (never meaningfully both): merge them.
pub(super) fn merged(one: &Option<String>, many: &[String]) -> Vec<String> {
    one.iter()
        .chain(many)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The ids of a list of ARM references.
pub(super) fn ids(refs: &[IdRef]) -> Vec<String> {
    refs.iter().filter_map(|r| r.id.clone()).collect()
}

fn rule(r: &Rule, default_rule: bool) -> NsgRule {
    let p = &r.properties;
    NsgRule {
        name: r.name.clone(),
        direction: p.direction.clone(),
        access: p.access.clone(),
        protocol: p.protocol.clone(),
        priority: p.priority,
        source_address_prefixes: merged(&p.source_address_prefix, &p.source_address_prefixes),
        destination_port_ranges: merged(&p.destination_port_range, &p.destination_port_ranges),
        default_rule,
        source_application_security_groups: ids(&p.source_application_security_groups),
        destination_address_prefixes: merged(
            &p.destination_address_prefix,
            &p.destination_address_prefixes,
        ),
        destination_application_security_groups: ids(&p.destination_application_security_groups),
    }
}

/// NetworkSecurityGroups_ListAll.
pub async fn security_groups(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let op = Op::new("Microsoft.Network", "NetworkSecurityGroups_ListAll", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Network/networkSecurityGroups");
    match arm
        .list::<Item<Properties>>(&path, versions::NETWORK, &[], &op)
        .await
    {
        Ok(items) => {
            inv.azure_network_security_groups = items
                .iter()
                .map(|n| {
                    let p = &n.properties;
                    NetworkSecurityGroup {
                        resource: n.resource(ResourceKind::AzureNetworkSecurityGroup, sub),
                        rules: p
                            .security_rules
                            .iter()
                            .map(|r| rule(r, false))
                            .chain(p.default_security_rules.iter().map(|r| rule(r, true)))
                            .collect(),
                        attached_to: p
                            .subnets
                            .iter()
                            .chain(&p.network_interfaces)
                            .filter_map(|i| i.id.clone())
                            .collect(),
                    }
                })
                .collect()
        }
        Err(e) => inv
            .errors
            .push(fail(sub, None, ResourceKind::AzureNetworkSecurityGroup, &e)),
    }
    inv
}
