use std::collections::{BTreeMap, HashSet};

use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::{
    MysqlFlexibleServer, NetworkSecurityGroup, PostgresFlexibleServer, VirtualMachine,
};
use phiscan_core::network::Cidr;
use phiscan_core::ResourceRef;
use serde_json::json;

use super::nsg_reach::{allow_sources, denied_by, is_platform_probe, rule_ports, Source};
use crate::azure::vnet::topology::{id_key, Subnets};
use crate::index::first_by;
use crate::reach::{describe_ports, place, RangePlace};
use crate::segmentation::{data_tier_ports, not_applicable};

declare_check! {
    /// ## What it checks
    /// Every NSG on a data-tier NIC or subnet (VMs tagged `segmentation.data_tier_tag`, and
    /// the delegated subnets of PostgreSQL and MySQL flexible servers, which always count)
    /// admits database and admin ports (`params.db_ports`, `params.admin_ports`: the shared
    /// table of issue 14) only from the `AzureBastionSubnet` of the network, from the
    /// bastion's application security group (the ASGs of VMs tagged
    /// `segmentation.bastion_tag`), or from private ranges inside the same virtual network.
    /// Default rules count: `AllowVnetInBound` admits the `VirtualNetwork` tag (peered
    /// networks included) unless a custom Deny shadows it. Azure's load-balancer probes are
    /// allowed. A data store with no NSG on its NIC or subnet fails. Without
    /// `segmentation.data_tier_tag` or `bastion_tag` the check is NOT_APPLICABLE.
    ///
    /// ## Why it matters
    /// Qolty promises that the databases "can only be accessed through a bastion host over a
    /// VPN connection": an NSG admitting another network, a peer or another group to a
    /// database port lets ePHI be read around the bastion (access control, 45 CFR
    /// 164.312(a)(1); access authorization, 164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `guards` (the data stores behind the NSG), `network_ranges`, `bastion_subnet_ranges`,
    /// `bastion_groups`, and `sources`: each admitting rule and source with the watched ports
    /// it admits, whether it is allowed and why, and the Deny that shadows it if any.
    ///
    /// ## Remediation
    /// Admit database and admin ports from the bastion only: `az network nsg rule create -g
    /// <rg> --nsg-name <nsg> -n allow-bastion --priority 100 --source-address-prefixes
    /// <AzureBastionSubnet range> --destination-port-ranges 22 5432 --access Allow`, delete
    /// the other Allow rules, and add `deny-vnet-inbound` (Deny, source `VirtualNetwork`,
    /// priority 4000) to close the default `AllowVnetInBound`.
    pub struct NsgDbTierBastionOnly {
        id: "azure-nsg-db-tier-bastion-only",
        title: "NSGs on the data tier admit database and admin ports only from the bastion",
        severity: Critical,
        provider: Azure,
        kinds: [AzureNetworkSecurityGroup, AzureVirtualNetwork, AzureVirtualMachine, AzurePostgresFlexibleServer, AzureMysqlFlexibleServer],
        controls: [AccessControl, AccessAuthorization],
    }
}

/// A data store and where its traffic is filtered.
struct Store<'a> {
    resource: &'a ResourceRef,
    subnets: Vec<&'a str>,
    nic_nsgs: &'a [String],
    asgs: &'a [String],
}

/// What an NSG guards: stores, their networks' ranges and their Bastion subnets' ranges.
#[derive(Default)]
struct Guarded<'a> {
    stores: Vec<&'a ResourceRef>,
    network: Vec<Cidr>,
    bastion_subnet: Vec<Cidr>,
    asgs: Vec<String>,
}

fn cidrs<'a>(list: impl IntoIterator<Item = &'a String>) -> Vec<Cidr> {
    list.into_iter().filter_map(|c| Cidr::parse(c).ok()).collect()
}

impl Check for NsgDbTierBastionOnly {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let seg = ctx.config.segmentation();
        let nsgs = ctx.resources::<NetworkSecurityGroup>();
        let (data_tier, bastion_tag) = match (seg.data_tier_tag(), seg.bastion_tag()) {
            (Ok(d), Ok(b)) => (d, b),
            (Err(missing), _) | (_, Err(missing)) => {
                return nsgs
                    .iter()
                    .map(|n| not_applicable(ctx, &n.resource, missing))
                    .collect()
            }
        };
        let vms = ctx.resources::<VirtualMachine>();
        let servers = ctx
            .resources::<PostgresFlexibleServer>()
            .iter()
            .map(|s| &s.0)
            .chain(ctx.resources::<MysqlFlexibleServer>().iter().map(|s| &s.0));
        let stores: Vec<Store> = vms
            .iter()
            .filter(|vm| data_tier.matches(&vm.resource.tags))
            .map(|vm| Store {
                resource: &vm.resource,
                subnets: vm.subnet_ids.iter().map(String::as_str).collect(),
                nic_nsgs: &vm.nic_security_group_ids,
                asgs: &vm.application_security_group_ids,
            })
            .chain(servers.filter_map(|s| {
                Some(Store {
                    resource: &s.resource,
                    subnets: vec![s.delegated_subnet_id.as_deref()?],
                    nic_nsgs: &[],
                    asgs: &[],
                })
            }))
            .collect();
        let bastion_asgs: HashSet<String> = vms
            .iter()
            .filter(|vm| bastion_tag.matches(&vm.resource.tags))
            .flat_map(|vm| &vm.application_security_group_ids)
            .map(|a| a.to_ascii_lowercase())
            .collect();
        let subnets = Subnets::new(ctx.inventory);
        let nsg_of = first_by(nsgs, |n| Some(id_key(&n.resource.id)));

        let mut out = Vec::new();
        let mut guarded: BTreeMap<String, Guarded> = BTreeMap::new();
        for store in &stores {
            let mut nsg_ids: Vec<&str> = store.nic_nsgs.iter().map(String::as_str).collect();
            let mut unknown = Vec::new();
            let mut entry_ranges = (Vec::new(), Vec::new());
            for subnet in &store.subnets {
                match subnets.find(subnet) {
                    Some((vnet, s)) => {
                        nsg_ids.extend(s.network_security_group_id.as_deref());
                        entry_ranges.0.extend(cidrs(&vnet.address_prefixes));
                        entry_ranges.1.extend(
                            vnet.subnets
                                .iter()
                                .filter(|b| b.name.eq_ignore_ascii_case("AzureBastionSubnet"))
                                .flat_map(|b| cidrs(&b.address_prefixes)),
                        );
                    }
                    None => unknown.push(*subnet),
                }
            }
            if !unknown.is_empty() {
                out.push(
                    ctx.error(store.resource)
                        .evidence("subnets", &unknown)
                        .reason(format!("Its subnet {} is not in the scanned virtual networks: which NSG filters its traffic cannot be shown.", unknown.join(", ")))
                        .build()?,
                );
                continue;
            }
            if nsg_ids.is_empty() {
                out.push(
                    ctx.fail(store.resource)
                        .evidence("subnets", &store.subnets)
                        .evidence("nsgs", Vec::<String>::new())
                        .reason("No NSG is associated with its NIC or its subnet: every address that can route to it reaches its database and admin ports.")
                        .build()?,
                );
                continue;
            }
            for id in nsg_ids {
                let Some(nsg) = nsg_of.get(&id_key(id)) else {
                    out.push(
                        ctx.error(store.resource)
                            .evidence("nsg", id)
                            .reason(format!("Its NSG {id} is not in the scanned NSGs: what it admits cannot be shown."))
                            .build()?,
                    );
                    continue;
                };
                let g = guarded.entry(nsg.resource.id.clone()).or_default();
                g.stores.push(store.resource);
                g.network.extend(entry_ranges.0.iter().cloned());
                g.bastion_subnet.extend(entry_ranges.1.iter().cloned());
                g.asgs.extend(store.asgs.iter().cloned());
            }
        }
        let watched = data_tier_ports(ctx);
        for nsg in nsgs {
            let Some(g) = guarded.get(&nsg.resource.id) else {
                continue;
            };
            let judge = |s: &Source| -> (bool, String) {
                if s.asg {
                    return if bastion_asgs.contains(&s.source.to_ascii_lowercase()) {
                        (true, "the bastion's application security group".into())
                    } else {
                        (false, "an application security group no bastion VM is in".into())
                    };
                }
                if is_platform_probe(s.source) {
                    return (true, "Azure's load-balancer health probes, not a client network".into());
                }
                match Cidr::parse(s.source) {
                    Ok(c) if g.bastion_subnet.iter().any(|b| b.contains(&c)) => {
                        (true, "inside the network's AzureBastionSubnet".into())
                    }
                    Ok(_) => match place(s.source, &g.network) {
                        RangePlace::PrivateInside => (true, RangePlace::PrivateInside.describe().into()),
                        other => (false, other.describe().into()),
                    },
                    Err(_) if s.source.eq_ignore_ascii_case("VirtualNetwork") => (
                        false,
                        "the VirtualNetwork tag: the network, its peers and on-premises ranges".into(),
                    ),
                    Err(_) if crate::common::is_internet_source(s.source) => (false, "the whole internet".into()),
                    Err(_) => (false, format!("the service tag {}, whose addresses phiscan cannot bound", s.source)),
                }
            };
            let mut violations = Vec::new();
            let sources: Vec<serde_json::Value> = allow_sources(nsg, &g.asgs)
                .iter()
                .filter_map(|s| {
                    let ports = rule_ports(s.rule, &watched);
                    if ports.is_empty() {
                        return None;
                    }
                    let (allowed, why) = judge(s);
                    let (open, shadowed): (Vec<u16>, Vec<u16>) = ports
                        .iter()
                        .partition(|p| allowed || denied_by(nsg, s, Some(**p)).is_none());
                    let denied_by_rule = shadowed.first().and_then(|p| denied_by(nsg, s, Some(*p))).map(|d| d.name.clone());
                    if !allowed && !open.is_empty() {
                        violations.push(format!("{} (priority {}) admits {} from {}", s.rule.name, s.rule.priority, describe_ports(&open), why));
                    }
                    Some(json!({
                        "rule": s.rule.name,
                        "priority": s.rule.priority,
                        "default_rule": s.rule.default_rule,
                        "source": s.source,
                        "ports": open,
                        "shadowed_ports": shadowed,
                        "denied_by": denied_by_rule,
                        "allowed": allowed,
                        "why": why,
                    }))
                })
                .collect();
            let guards: Vec<&str> = g.stores.iter().map(|r| r.id.as_str()).collect();
            let reason = if violations.is_empty() {
                format!("Database and admin ports of {} are admitted only from the bastion or inside the network.", guards.join(", "))
            } else {
                format!("It guards {}, and {}.", guards.join(", "), violations.join("; "))
            };
            out.push(
                ctx.verdict(violations.is_empty(), &nsg.resource)
                    .evidence("guards", &guards)
                    .evidence("network_ranges", g.network.iter().map(ToString::to_string).collect::<Vec<_>>())
                    .evidence("bastion_subnet_ranges", g.bastion_subnet.iter().map(ToString::to_string).collect::<Vec<_>>())
                    .evidence("bastion_groups", &bastion_asgs)
                    .evidence("sources", sources)
                    .reason(reason)
                    .build()?,
            );
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::{
        flexible_server, network_security_group, nsg_rule, virtual_machine, virtual_network,
        vnet_subnet,
    };
    use crate::testing::{run, run_with, segmentation};
    use phiscan_core::model::azure::PostgresFlexibleServer;
    use phiscan_core::{Inventory, ResourceKind, Status};

    fn estate() -> Inventory {
        let mut inv = Inventory::new();
        let mut vnet = virtual_network("vnet", Some("northwind"), "10.20.0.0/16");
        vnet.subnets = vec![
            vnet_subnet("vnet", "db", "10.20.3.0/24", Some("db-nsg")),
            vnet_subnet("vnet", "psql", "10.20.4.0/24", Some("psql-nsg")),
            vnet_subnet("vnet", "AzureBastionSubnet", "10.20.9.0/26", None),
            vnet_subnet("vnet", "bare", "10.20.5.0/24", None),
        ];
        inv.azure_virtual_networks = vec![vnet];
        let deny_vnet = || nsg_rule("deny-vnet", 4000, "Deny", "*", "*", "VirtualNetwork");
        inv.azure_network_security_groups = vec![
            network_security_group(
                "db-nsg",
                vec![
                    nsg_rule("app", 100, "Allow", "Tcp", "5432", "10.20.1.0/24"),
                    nsg_rule("bastion", 110, "Allow", "Tcp", "22", "10.20.9.4"),
                    {
                        let mut r = nsg_rule("bastion-asg", 120, "Allow", "Tcp", "22", "*");
                        r.source_address_prefixes.clear();
                        r.source_application_security_groups = vec!["asg-bastion".into()];
                        r
                    },
                    deny_vnet(),
                ],
            ),
            network_security_group(
                "psql-nsg",
                vec![
                    nsg_rule("peer", 100, "Allow", "Tcp", "5432", "10.30.1.0/24"),
                    // Not a watched port: not judged.
                    nsg_rule("web", 110, "Allow", "Tcp", "443", "Internet"),
                    deny_vnet(),
                ],
            ),
            // Guards nothing: no finding.
            network_security_group("web-nsg", vec![nsg_rule("any", 100, "Allow", "*", "*", "*")]),
            // The default AllowVnetInBound stays open.
            network_security_group("open-nsg", vec![]),
        ];
        let mut db = virtual_machine("db-vm");
        db.resource.tags.insert("tier".into(), "data".into());
        db.subnet_ids = vec!["vnet/subnets/db".into()];
        let mut nic_nsg = virtual_machine("db-vm-2");
        nic_nsg.resource.tags.insert("tier".into(), "data".into());
        nic_nsg.subnet_ids = vec!["vnet/subnets/bare".into()];
        nic_nsg.nic_security_group_ids = vec!["open-nsg".into()];
        let mut naked = virtual_machine("db-vm-naked");
        naked.resource.tags.insert("tier".into(), "data".into());
        naked.subnet_ids = vec!["vnet/subnets/bare".into()];
        let mut bastion = virtual_machine("jump");
        bastion.resource.tags.insert("role".into(), "bastion".into());
        bastion.application_security_group_ids = vec!["asg-bastion".into()];
        inv.azure_virtual_machines = vec![db, nic_nsg, naked, bastion];
        let mut pg = flexible_server(ResourceKind::AzurePostgresFlexibleServer, "pg");
        pg.delegated_subnet_id = Some("vnet/subnets/psql".into());
        inv.azure_postgres_flexible_servers = vec![PostgresFlexibleServer(pg)];
        inv
    }

    #[test]
    fn only_the_bastion_and_the_network_reach_the_data_tier() {
        let inv = estate();
        let f = run_with(&NsgDbTierBastionOnly, &inv, &segmentation());
        f.assert_statuses(&[
            ("db-nsg", Status::Pass),
            ("psql-nsg", Status::Fail),
            ("open-nsg", Status::Fail),
            ("db-vm-naked", Status::Fail),
        ]);
        assert_eq!(f.0.len(), 4, "web-nsg guards no data store: {:#?}", f.0);
        assert!(f.of("psql-nsg").reason.contains("peer (priority 100) admits 5432 (PostgreSQL) from private addresses outside the network"));
        assert!(f.of("open-nsg").reason.contains("AllowVnetInBound"));
        let none = run(&NsgDbTierBastionOnly, &inv);
        assert_eq!(none.status_of("db-nsg"), Status::NotApplicable);
        assert!(none.of("db-nsg").reason.contains("segmentation.data_tier_tag"));
    }
}
