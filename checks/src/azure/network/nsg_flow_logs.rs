use std::collections::HashMap;

use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::{FlowLog, NetworkSecurityGroup};

declare_check! {
    /// ## What it checks
    /// The traffic every attached network security group filters is recorded by an enabled
    /// Network Watcher flow log: an NSG flow log on the NSG itself, or a virtual network
    /// flow log on a virtual network, subnet or network interface the NSG is attached to
    /// (virtual network flow logs replace NSG flow logs, which Azure retires). An NSG
    /// attached to nothing filters no traffic and is NOT_APPLICABLE. Which NSGs belong to
    /// the data tier is the scan's data-classification scope (`--data-classification`).
    ///
    /// ## Why it matters
    /// Flow records show who reached the ePHI tier, from where and when: the audit controls
    /// that record activity on systems holding ePHI (45 CFR 164.312(b)) and the information
    /// system activity review built on them (164.308(a)(1)(ii)(D)).
    ///
    /// ## Evidence
    /// `attached_to`, `flow_logs` (the enabled flow logs covering the NSG, each with its
    /// target), `disabled_flow_logs` (flow logs on those targets that are turned off).
    ///
    /// ## Remediation
    /// `az network watcher flow-log create -l <region> -n <name> --vnet <vnet-id>
    /// --storage-account <account-id>` (virtual network flow log), or enable the existing
    /// one: `az network watcher flow-log update -l <region> -n <name> --enabled true`.
    pub struct NsgFlowLogs {
        id: "azure-nsg-flow-logs",
        title: "Traffic through network security groups is recorded by flow logs",
        severity: Medium,
        provider: Azure,
        kinds: [AzureNetworkSecurityGroup, AzureFlowLog],
        controls: [AuditControls, InformationSystemActivityReview],
    }
}

/// An ARM id as compared: ARM ids are case-insensitive, and services return them with their
/// own casing and sometimes a trailing slash.
fn id_key(id: &str) -> String {
    id.trim_end_matches('/').to_ascii_lowercase()
}

/// What a flow log may target to record the NSG's traffic: the NSG, and each subnet or NIC it
/// is attached to, with a subnet's virtual network.
fn targets(nsg: &NetworkSecurityGroup) -> Vec<&str> {
    let mut out = vec![nsg.resource.id.as_str()];
    for a in &nsg.attached_to {
        out.push(a);
        let lower = a.to_ascii_lowercase();
        if let Some(i) = lower.find("/subnets/") {
            out.push(&a[..i]);
        }
    }
    out
}

impl Check for NsgFlowLogs {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        let logs = ctx.resources::<FlowLog>();
        // Looked up per target, not scanned per NSG: quadratic at scale otherwise.
        let mut by_target: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, l) in logs.iter().enumerate() {
            by_target.entry(id_key(&l.target_resource_id)).or_default().push(i);
        }
        ctx.resources::<NetworkSecurityGroup>()
            .iter()
            .map(|nsg| {
                let targets = targets(nsg);
                // Each log once, in inventory order.
                let mut hits: Vec<usize> = targets
                    .iter()
                    .filter_map(|t| by_target.get(&id_key(t)))
                    .flatten()
                    .copied()
                    .collect();
                hits.sort_unstable();
                hits.dedup();
                let on_targets: Vec<&FlowLog> = hits.into_iter().map(|i| &logs[i]).collect();
                let (enabled, disabled): (Vec<&FlowLog>, Vec<&FlowLog>) =
                    on_targets.into_iter().partition(|l| l.enabled == Some(true));
                let describe = |ls: &[&FlowLog]| -> Vec<serde_json::Value> {
                    ls.iter()
                        .map(|l| serde_json::json!({"id": l.resource.id, "target": l.target_resource_id, "storage_id": l.storage_id}))
                        .collect()
                };
                let builder = if nsg.attached_to.is_empty() {
                    ctx.not_applicable(&nsg.resource)
                        .reason("The NSG is attached to no subnet or network interface: it filters no traffic.")
                } else if let Some(l) = enabled.first() {
                    ctx.pass(&nsg.resource).reason(format!(
                        "Flow log {} records the traffic of {}.",
                        l.resource.name, l.target_resource_id
                    ))
                } else if !disabled.is_empty() {
                    ctx.fail(&nsg.resource).reason(format!(
                        "The flow logs on the NSG's targets are disabled ({}): no traffic is recorded.",
                        disabled.iter().map(|l| l.resource.name.as_str()).collect::<Vec<_>>().join(", ")
                    ))
                } else {
                    ctx.fail(&nsg.resource).reason(
                        "No flow log targets the NSG or the subnets, virtual networks or network interfaces it is attached to: its traffic is not recorded.",
                    )
                };
                builder
                    .evidence("attached_to", &nsg.attached_to)
                    .evidence("flow_logs", describe(&enabled))
                    .evidence("disabled_flow_logs", describe(&disabled))
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::{flow_log, network_security_group};
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};

    const SUBNET: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-db/subnets/db";

    fn nsg(id: &str, attached: &[&str]) -> NetworkSecurityGroup {
        NetworkSecurityGroup {
            attached_to: attached.iter().map(|s| s.to_string()).collect(),
            ..network_security_group(id, vec![])
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_network_security_groups = vec![
            nsg("nsg-logged", &["/nic/a"]),
            nsg("nsg-in-logged-vnet", &[SUBNET]),
            nsg("nsg-unlogged", &["/nic/b"]),
            nsg("nsg-disabled-log", &["/nic/c"]),
            nsg("nsg-detached", &[]),
        ];
        let mut off = flow_log("fl-off", "NSG-DISABLED-LOG");
        off.enabled = Some(false);
        inv.azure_flow_logs = vec![
            flow_log("fl-nsg", "nsg-logged"),
            flow_log("fl-vnet", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/VNET-DB"),
            off,
        ];
        let f = run(&NsgFlowLogs, &inv);
        f.assert_statuses(&[("nsg-logged", Status::Pass), ("nsg-in-logged-vnet", Status::Pass), ("nsg-unlogged", Status::Fail), ("nsg-disabled-log", Status::Fail)]);
        assert!(f.of("nsg-disabled-log").reason.contains("fl-off"));
        assert_eq!(f.status_of("nsg-detached"), Status::NotApplicable);
    }
}
