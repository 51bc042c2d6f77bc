use std::collections::HashMap;

use phiscan_core::check::{Check, Ctx, Finding, FindingBuilder, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::{BastionHost, NetworkSecurityGroup, VirtualMachine};
use phiscan_core::network::Cidr;
use serde_json::json;

use crate::azure::network::nsg_reach::{
    allow_sources, denied_by, is_platform_probe, port_ranges, Source,
};
use crate::azure::vnet::topology::{id_key, Subnets};
use crate::common::PortRange;
use crate::index::first_by;
use crate::reach::within;
use crate::segmentation::not_applicable;

declare_check! {
    /// ## What it checks
    /// Administrators reach the estate only from `segmentation.admin_cidrs` (the VPN):
    /// - an Azure Bastion host's `AzureBastionSubnet` has an NSG whose effective inbound
    ///   Allow rules admit only `admin_cidrs`, plus the sources Azure Bastion requires
    ///   (`GatewayManager`, `AzureLoadBalancer`, and `VirtualNetwork` for its data plane);
    ///   shareable links (a URL that reaches a VM without a portal login) are off; a
    ///   Developer SKU host's IP rules lie inside `admin_cidrs`;
    /// - a VM tagged `segmentation.bastion_tag` has NSGs (on its NIC or subnet) that admit
    ///   SSH (TCP 22) only, and only from `admin_cidrs` (load-balancer probes aside).
    ///
    /// Default rules count (`AllowVnetInBound` admits every port from the network and its
    /// peers) unless a custom Deny on every port shadows them. Without
    /// `segmentation.admin_cidrs` the check is NOT_APPLICABLE; without `bastion_tag` only
    /// Azure Bastion hosts are judged.
    ///
    /// ## Why it matters
    /// Qolty promises databases are reached "only through a bastion host over a VPN
    /// connection": a bastion open to the internet, or to any port but SSH, is a way in that
    /// skips the VPN (access control, 45 CFR 164.312(a)(1); person or entity authentication,
    /// 164.312(d)).
    ///
    /// ## Evidence
    /// `admin_cidrs`, `nsgs`, `sources` (each admitting rule and source, whether allowed and
    /// why), and for Bastion hosts `sku`, `shareable_link`, `ip_rules`.
    ///
    /// ## Remediation
    /// Associate an NSG with the `AzureBastionSubnet` that admits 443 from the VPN range and
    /// `GatewayManager` only (see Microsoft's "Working with NSG access and Azure Bastion"),
    /// `az network bastion update --enable-shareable-link false`, and on bastion VMs keep
    /// one Allow: TCP 22 from the VPN range, then Deny `*` from `VirtualNetwork`.
    pub struct BastionRestricted {
        id: "azure-bastion-restricted",
        title: "Bastions admit administrators only from the VPN ranges",
        severity: Critical,
        provider: Azure,
        kinds: [AzureBastionHost, AzureVirtualMachine, AzureNetworkSecurityGroup, AzureVirtualNetwork],
        controls: [AccessControl, PersonEntityAuthentication],
    }
}

/// The NSGs a resource sits behind, or the ids phiscan could not find.
fn lookup<'a>(nsgs: &Network<'a>, ids: &[&str]) -> Result<Vec<&'a NetworkSecurityGroup>, String> {
    ids.iter()
        .map(|id| nsgs.nsgs.get(&id_key(id)).copied().ok_or_else(|| id.to_string()))
        .collect()
}

/// The scanned NSGs and subnets by id, gathered once for every bastion.
struct Network<'a> {
    nsgs: HashMap<String, &'a NetworkSecurityGroup>,
    subnets: Subnets<'a>,
}

/// Judge every effective Allow source of `nsgs` that reaches NICs in `asgs` (the protected
/// NICs' application security groups) with `allowed(source) -> (ok, why)`.
fn judge_nsgs(
    nsgs: &[&NetworkSecurityGroup],
    asgs: &[String],
    allowed: impl Fn(&Source) -> (bool, String),
) -> (Vec<String>, Vec<serde_json::Value>) {
    let mut bad = Vec::new();
    let mut evidence = Vec::new();
    for nsg in nsgs {
        for s in allow_sources(nsg, asgs) {
            let (ok, why) = allowed(&s);
            let shadow = denied_by(nsg, &s, None).map(|d| d.name.clone());
            if !ok && shadow.is_none() {
                bad.push(format!("{} rule {} admits {}: {why}", nsg.resource.name, s.rule.name, s.source));
            }
            evidence.push(json!({
                "nsg": nsg.resource.id, "rule": s.rule.name, "priority": s.rule.priority,
                "source": s.source, "ports": s.rule.destination_port_ranges,
                "allowed": ok, "why": why, "denied_by": shadow,
            }));
        }
    }
    (bad, evidence)
}

/// What phiscan found: the problems (none: PASS), or why it cannot tell (ERROR).
type Verdict = Result<Vec<String>, String>;

fn emit(ctx: &Ctx, r: &phiscan_core::ResourceRef, v: Verdict, good: &str) -> FindingBuilder {
    match v {
        Err(why) => ctx.error(r).reason(why),
        Ok(bad) if bad.is_empty() => ctx.pass(r).reason(good),
        Ok(bad) => ctx.fail(r).reason(format!("{}.", bad.join("; "))),
    }
}

/// An Azure Bastion host: shareable links, Developer SKU IP rules, its subnet's NSG.
fn judge_host(
    host: &BastionHost,
    nsgs: &Network,
    from_admin: &dyn Fn(&str) -> bool,
) -> (Verdict, Vec<serde_json::Value>) {
    let mut bad = Vec::new();
    if host.shareable_link == Some(true) {
        bad.push("shareable links are on: anyone holding a link reaches the VM without a portal login or the VPN".to_string());
    }
    if host.sku.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("Developer")) {
        if host.ip_rules.is_empty() {
            bad.push("the Developer SKU host has no IP rule: every address may connect".into());
        }
        bad.extend(host.ip_rules.iter().filter(|r| !from_admin(r)).map(|r| format!("IP rule {r} lies outside admin_cidrs")));
        return (Ok(bad), Vec::new());
    }
    let mut ids = Vec::new();
    for s in &host.subnet_ids {
        match nsgs.subnets.find(s) {
            Some((_, sub)) => ids.extend(sub.network_security_group_id.as_deref()),
            None => return (Err(format!("Its subnet {s} is not in the scanned virtual networks: which NSG filters it cannot be shown.")), Vec::new()),
        }
    }
    if ids.is_empty() {
        bad.push("its AzureBastionSubnet has no NSG: port 443 is open to the whole internet".into());
    }
    let found = match lookup(nsgs, &ids) {
        Ok(f) => f,
        Err(id) => return (Err(format!("Its NSG {id} is not in the scanned NSGs.")), Vec::new()),
    };
    let (b, e) = judge_nsgs(&found, &[], |s| {
        let tag = s.source.trim();
        if !s.asg && from_admin(tag) {
            (true, "inside admin_cidrs".into())
        } else if !s.asg && BASTION_SOURCES.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            (true, format!("{tag}: a source Azure Bastion requires"))
        } else {
            (false, "outside admin_cidrs".into())
        }
    });
    bad.extend(b);
    (Ok(bad), e)
}

/// The service tags Azure Bastion's own NSG rules must admit (control plane, probes, data
/// plane between its instances).
const BASTION_SOURCES: [&str; 3] = ["GatewayManager", "AzureLoadBalancer", "VirtualNetwork"];

/// A VM tagged as a bastion: the NSGs of its NICs and subnets admit SSH from admin_cidrs only.
fn judge_vm<'a>(
    vm: &'a VirtualMachine,
    nsgs: &Network<'a>,
    from_admin: &dyn Fn(&str) -> bool,
) -> (Verdict, Vec<&'a str>, Vec<serde_json::Value>) {
    let mut ids: Vec<&str> = vm.nic_security_group_ids.iter().map(String::as_str).collect();
    for s in &vm.subnet_ids {
        match nsgs.subnets.find(s) {
            Some((_, sub)) => ids.extend(sub.network_security_group_id.as_deref()),
            None => return (Err(format!("Its subnet {s} is not in the scanned virtual networks.")), ids, Vec::new()),
        }
    }
    let found = match lookup(nsgs, &ids) {
        Ok(f) => f,
        Err(id) => return (Err(format!("Its NSG {id} is not in the scanned NSGs.")), ids, Vec::new()),
    };
    let mut bad = Vec::new();
    if found.is_empty() {
        bad.push("no NSG is associated with its NIC or subnet: every port is open to every address that can route to it".to_string());
    }
    let ssh_only = |s: &Source| {
        s.rule.protocol.eq_ignore_ascii_case("Tcp")
            && port_ranges(s.rule).iter().all(|r| *r == PortRange { from: 22, to: 22 })
    };
    let (b, e) = judge_nsgs(&found, &vm.application_security_group_ids, |s| {
        if !s.asg && is_platform_probe(s.source) {
            (true, "Azure's load-balancer health probes".into())
        } else if s.asg || !from_admin(s.source) {
            (false, "outside admin_cidrs".into())
        } else if !ssh_only(s) {
            (false, format!("ports {} over {} are more than SSH", s.rule.destination_port_ranges.join(","), s.rule.protocol))
        } else {
            (true, "SSH from inside admin_cidrs".into())
        }
    });
    bad.extend(b);
    (Ok(bad), ids, e)
}

impl Check for BastionRestricted {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let seg = ctx.config.segmentation();
        let hosts = ctx.resources::<BastionHost>();
        let nsgs = Network {
            nsgs: first_by(ctx.resources::<NetworkSecurityGroup>(), |n| {
                Some(id_key(&n.resource.id))
            }),
            subnets: Subnets::new(ctx.inventory),
        };
        let vms: Vec<&VirtualMachine> = match seg.bastion_tag() {
            Ok(tag) => ctx
                .resources::<VirtualMachine>()
                .iter()
                .filter(|vm| tag.matches(&vm.resource.tags))
                .collect(),
            Err(_) => Vec::new(),
        };
        let admin = match seg.admin_cidrs() {
            Ok(a) => a,
            Err(missing) => {
                return hosts
                    .iter()
                    .map(|h| &h.resource)
                    .chain(vms.iter().map(|v| &v.resource))
                    .map(|r| not_applicable(ctx, r, missing))
                    .collect()
            }
        };
        let admin_text: Vec<String> = admin.iter().map(Cidr::to_string).collect();
        let from_admin = |source: &str| within(source, admin);
        let mut out = Vec::new();
        for host in hosts {
            let (verdict, sources) = judge_host(host, &nsgs, &from_admin);
            let b = emit(ctx, &host.resource, verdict, "The Bastion admits only admin_cidrs and the sources Azure Bastion requires; shareable links are off.");
            out.push(
                b.evidence("admin_cidrs", &admin_text)
                    .evidence("sku", &host.sku)
                    .evidence("shareable_link", host.shareable_link)
                    .evidence("ip_rules", &host.ip_rules)
                    .evidence("sources", sources)
                    .build()?,
            );
        }
        for vm in vms {
            let (verdict, ids, sources) = judge_vm(vm, &nsgs, &from_admin);
            let b = emit(ctx, &vm.resource, verdict, "The bastion VM admits SSH only, from admin_cidrs only.");
            out.push(
                b.evidence("admin_cidrs", &admin_text)
                    .evidence("nsgs", ids)
                    .evidence("sources", sources)
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
        bastion_host, network_security_group, nsg_rule, virtual_machine, virtual_network,
        vnet_subnet,
    };
    use crate::testing::{run, run_with, segmentation};
    use phiscan_core::{Inventory, Status};

    #[test]
    fn bastions_admit_the_vpn_only() {
        let mut inv = Inventory::new();
        let mut vnet = virtual_network("vnet", None, "10.20.0.0/16");
        vnet.subnets = vec![
            vnet_subnet("vnet", "AzureBastionSubnet", "10.20.9.0/26", Some("bas-nsg")),
            vnet_subnet("vnet", "jump", "10.20.8.0/24", Some("jump-nsg")),
        ];
        let mut open = virtual_network("open", None, "10.30.0.0/16");
        open.subnets = vec![vnet_subnet("open", "AzureBastionSubnet", "10.30.9.0/26", None)];
        inv.azure_virtual_networks = vec![vnet, open];
        let deny_vnet = || nsg_rule("deny-vnet", 4000, "Deny", "*", "*", "VirtualNetwork");
        inv.azure_network_security_groups = vec![
            network_security_group("bas-nsg", vec![
                nsg_rule("vpn", 100, "Allow", "Tcp", "443", "10.8.0.0/16"),
                nsg_rule("gm", 110, "Allow", "Tcp", "443", "GatewayManager"),
                nsg_rule("deny-internet", 4000, "Deny", "*", "*", "Internet"),
            ]),
            network_security_group("jump-nsg", vec![
                nsg_rule("ssh-vpn", 100, "Allow", "Tcp", "22", "10.8.1.0/24"),
                deny_vnet(),
            ]),
            network_security_group("rdp-nsg", vec![
                nsg_rule("rdp", 100, "Allow", "Tcp", "3389", "10.8.0.0/16"),
                nsg_rule("ssh-world", 110, "Allow", "Tcp", "22", "*"),
                deny_vnet(),
            ]),
        ];
        let mut ok = bastion_host("bas-ok", &["vnet/subnets/AzureBastionSubnet"]);
        ok.shareable_link = Some(false);
        let mut shared = bastion_host("bas-shared", &["vnet/subnets/AzureBastionSubnet"]);
        shared.shareable_link = Some(true);
        let bare = bastion_host("bas-no-nsg", &["open/subnets/AzureBastionSubnet"]);
        let mut dev = bastion_host("bas-dev", &[]);
        dev.sku = Some("Developer".into());
        dev.ip_rules = vec!["1.1.0.0/16".into()];
        inv.azure_bastion_hosts = vec![ok, shared, bare, dev];
        let vm = |id: &str, nsg: &str| {
            let mut v = virtual_machine(id);
            v.resource.tags.insert("role".into(), "bastion".into());
            if nsg == "jump-nsg" {
                v.subnet_ids = vec!["vnet/subnets/jump".into()];
            } else {
                v.nic_security_group_ids = vec![nsg.into()];
            }
            v
        };
        inv.azure_virtual_machines = vec![vm("jump-ok", "jump-nsg"), vm("jump-rdp", "rdp-nsg")];
        let f = run_with(&BastionRestricted, &inv, &segmentation());
        f.assert_statuses(&[
            ("bas-ok", Status::Pass),
            ("bas-shared", Status::Fail),
            ("bas-no-nsg", Status::Fail),
            ("bas-dev", Status::Fail),
            ("jump-ok", Status::Pass),
            ("jump-rdp", Status::Fail),
        ]);
        assert!(f.of("jump-rdp").reason.contains("ssh-world"));
        assert!(f.of("jump-rdp").reason.contains("rdp"));
        let none = run(&BastionRestricted, &inv);
        assert_eq!(none.status_of("bas-ok"), Status::NotApplicable);
        assert!(none.of("bas-ok").reason.contains("segmentation.admin_cidrs"));
    }
}
