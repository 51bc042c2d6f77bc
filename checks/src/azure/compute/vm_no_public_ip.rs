use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::VirtualMachine;

declare_check! {
    /// ## What it checks
    /// No virtual machine has a public IP address on any of its network interfaces. The
    /// collector follows each VM's NICs to their IP configurations and public IP resources;
    /// the evidence lists each address (or the public IP resource id when no address is
    /// allocated yet, as for a stopped VM with a dynamic address: it gets one on start).
    ///
    /// A bastion host that must be reachable from the internet FAILs too; waive it by id
    /// with a reason, so the exception is written down rather than invisible.
    ///
    /// ## Why it matters
    /// The policies promise that database servers are "only accessed through the bastion
    /// host"; a public IP puts a VM holding ePHI directly on the internet, one NSG mistake
    /// away from exposure. Access control (45 CFR 164.312(a)(1)) and access authorization
    /// (164.308(a)(4)(ii)(B)).
    ///
    /// ## Evidence
    /// `public_ips`, `nic_ids`.
    ///
    /// ## Remediation
    /// Dissociate the public IP (`az network nic ip-config update -g <rg> --nic-name <nic> -n
    /// <ipconfig> --remove publicIpAddress`) and reach the VM through Azure Bastion or a VPN;
    /// publish web workloads through an Application Gateway or load balancer instead.
    pub struct VmNoPublicIp {
        id: "azure-vm-no-public-ip",
        title: "Virtual machines have no public IP address",
        severity: High,
        provider: Azure,
        kinds: [AzureVirtualMachine],
        controls: [AccessControl, AccessAuthorization],
    }
}

impl Check for VmNoPublicIp {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<VirtualMachine>()
            .iter()
            .map(|vm| {
                let reason = if vm.public_ips.is_empty() {
                    format!(
                        "None of the VM's {} network interface(s) has a public IP address.",
                        vm.nic_ids.len()
                    )
                } else {
                    format!(
                        "The VM is reachable from the internet at {}.",
                        vm.public_ips.join(", ")
                    )
                };
                ctx.verdict(vm.public_ips.is_empty(), &vm.resource)
                    .evidence("public_ips", &vm.public_ips)
                    .evidence("nic_ids", &vm.nic_ids)
                    .reason(reason)
                    .build()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::azure::virtual_machine;
    use crate::testing::run;
    use phiscan_core::{Inventory, Status};
    use serde_json::json;

    fn vm(id: &str, ips: &[&str]) -> VirtualMachine {
        VirtualMachine {
            nic_ids: vec![format!("{id}-nic")],
            public_ips: ips.iter().map(|s| s.to_string()).collect(),
            ..virtual_machine(id)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_virtual_machines = vec![vm("private", &[]), vm("public", &["20.1.2.3"])];
        let f = run(&VmNoPublicIp, &inv);
        assert_eq!(f.status_of("private"), Status::Pass);
        assert_eq!(f.status_of("public"), Status::Fail);
        assert_eq!(f.evidence_of("public", "public_ips"), json!(["20.1.2.3"]));
        assert!(f.of("public").reason.contains("20.1.2.3"));
    }
}
