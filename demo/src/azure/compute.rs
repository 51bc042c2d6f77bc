//! Managed disks and virtual machines.

use super::{arm_id, arm_ref, EAST, EAST2};
use crate::model::azure::{Disk, VirtualMachine};
use crate::model::{Inventory, ResourceKind};

const PLATFORM_KEY: &str = "EncryptionAtRestWithPlatformKey";
const CUSTOMER_KEY: &str = "EncryptionAtRestWithCustomerKey";

pub(super) fn add(inv: &mut Inventory) {
    // Disks: the EHR database disk uses Qolty's CMK; the PHI archive is Protected but still on
    // a platform key; the reporting scratch disk predates the encryption property.
    inv.azure_disks = vec![
        disk(
            "vm-ehr-app-01-osdisk",
            "rg-ephi-prod",
            "confidential",
            Some(PLATFORM_KEY),
            Some("vm-ehr-app-01"),
        ),
        disk(
            "ehr-db-prod-data",
            "rg-ephi-prod",
            "protected",
            Some(CUSTOMER_KEY),
            Some("vm-ehr-db-01"),
        ),
        disk(
            "phi-archive-data",
            "rg-ephi-prod",
            "Protected",
            Some(PLATFORM_KEY),
            None,
        ),
        disk(
            "vm-reporting-01-scratch",
            "rg-qolty-analytics",
            "internal",
            None,
            Some("vm-reporting-01"),
        ),
    ];

    inv.azure_virtual_machines = vec![
        vm("vm-ehr-app-01", "rg-ephi-prod", EAST, &[]),
        vm("vm-ehr-db-01", "rg-ephi-prod", EAST, &[]),
        vm(
            "vm-reporting-01",
            "rg-qolty-analytics",
            EAST2,
            &["198.51.100.24"],
        ),
        vm(
            "vm-legacy-jumpbox",
            "rg-qolty-legacy",
            EAST,
            &["198.51.100.57"],
        ),
    ];
}

fn disk(name: &str, rg: &str, class: &str, enc: Option<&str>, vm: Option<&str>) -> Disk {
    let des = arm_id(
        "rg-ephi-security",
        "Microsoft.Compute/diskEncryptionSets",
        "des-qolty-ephi-cmk",
    );
    Disk {
        resource: arm_ref(
            ResourceKind::AzureDisk,
            EAST,
            rg,
            "Microsoft.Compute/disks",
            name,
        )
        .with_tag("data-classification", class),
        encryption_type: enc.map(Into::into),
        disk_encryption_set_id: (enc == Some(CUSTOMER_KEY)).then_some(des),
        ade_enabled: None,
        // Internal disks kept Azure's defaults: export SAS URLs work from anywhere.
        network_access_policy: Some(
            if class == "internal" {
                "AllowAll"
            } else {
                "DenyAll"
            }
            .into(),
        ),
        public_network_access: Some(
            if class == "internal" {
                "Enabled"
            } else {
                "Disabled"
            }
            .into(),
        ),
        disk_state: Some(
            if vm.is_some() {
                "Attached"
            } else {
                "Unattached"
            }
            .into(),
        ),
        managed_by: vm.map(|v| arm_id(rg, "Microsoft.Compute/virtualMachines", v)),
    }
}

fn vm(name: &str, rg: &str, location: &str, public_ips: &[&str]) -> VirtualMachine {
    VirtualMachine {
        resource: arm_ref(
            ResourceKind::AzureVirtualMachine,
            location,
            rg,
            "Microsoft.Compute/virtualMachines",
            name,
        ),
        vm_id: None,
        os_disk_id: Some(arm_id(
            rg,
            "Microsoft.Compute/disks",
            &format!("{name}-osdisk"),
        )),
        data_disk_ids: vec![],
        nic_ids: vec![arm_id(
            rg,
            "Microsoft.Network/networkInterfaces",
            &format!("{name}-nic"),
        )],
        public_ips: public_ips.iter().map(|s| s.to_string()).collect(),
        subnet_ids: vec![],
        nic_security_group_ids: vec![],
        application_security_group_ids: vec![],
        encryption_at_host: Some(rg == "rg-ephi-prod"),
    }
}
