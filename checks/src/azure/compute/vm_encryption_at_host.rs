use phiscan_core::check::{Check, Ctx, Finding, FindingError};
use phiscan_core::declare_check;
use phiscan_core::model::azure::VirtualMachine;

declare_check! {
    /// ## What it checks
    /// Every virtual machine has encryption at host on
    /// (`securityProfile.encryptionAtHost = true`). Managed disks are encrypted at rest by
    /// the storage service anyway (`azure-disk-encrypted`); encryption at host also covers
    /// what stays on the VM's host: the temporary disk, and the OS and data disk caches. A
    /// VM whose setting ARM did not report FAILs: it is off unless it was turned on.
    ///
    /// ## Why it matters
    /// The encryption specification (45 CFR 164.312(a)(2)(iv)): the temporary disk holds
    /// page files, database temp files and swap, which contain ePHI; without encryption at
    /// host those bytes sit unencrypted on the host.
    ///
    /// ## Evidence
    /// `encryption_at_host` (null when not reported).
    ///
    /// ## Remediation
    /// Register the feature once (`az feature register --namespace Microsoft.Compute --name
    /// EncryptionAtHost`), deallocate the VM, then `az vm update -g <rg> -n <vm> --set
    /// securityProfile.encryptionAtHost=true` and start it.
    pub struct VmEncryptionAtHost {
        id: "azure-vm-encryption-at-host",
        title: "Virtual machines encrypt temporary disks and caches at the host",
        severity: Medium,
        provider: Azure,
        kinds: [AzureVirtualMachine],
        controls: [EncryptionDecryption],
    }
}

impl Check for VmEncryptionAtHost {
    fn meta(&self) -> &'static phiscan_core::CheckMeta {
        &Self::META
    }

    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError> {
        ctx.resources::<VirtualMachine>()
            .iter()
            .map(|vm| {
                let reason = match vm.encryption_at_host {
                    Some(true) => "Encryption at host is on: the temporary disk and disk caches are encrypted.",
                    Some(false) => "Encryption at host is off: the temporary disk and disk caches are stored unencrypted on the host.",
                    None => "ARM did not report encryptionAtHost; it is off unless it was turned on.",
                };
                ctx.verdict(vm.encryption_at_host == Some(true), &vm.resource)
                    .evidence("encryption_at_host", vm.encryption_at_host)
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

    fn vm(id: &str, host: Option<bool>) -> VirtualMachine {
        VirtualMachine {
            encryption_at_host: host,
            ..virtual_machine(id)
        }
    }

    #[test]
    fn verdicts() {
        let mut inv = Inventory::new();
        inv.azure_virtual_machines = vec![
            vm("on", Some(true)),
            vm("off", Some(false)),
            vm("silent", None),
        ];
        let f = run(&VmEncryptionAtHost, &inv);
        assert_eq!(f.status_of("on"), Status::Pass);
        assert_eq!(f.status_of("off"), Status::Fail);
        assert_eq!(f.status_of("silent"), Status::Fail);
    }
}
