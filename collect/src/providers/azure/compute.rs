//! `Microsoft.Compute`: managed disks and virtual machines (with the public IPs, subnets,
//! NSGs and application security groups of their NICs, from `Microsoft.Network`).

use serde::Deserialize;

use super::arm::{same_id, IdRef, Item};
use super::client::{Arm, Op};
use super::network::ids;
use super::{fail, versions};
use crate::model::azure::{Disk, VirtualMachine};
use crate::model::{Inventory, ResourceKind};

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct DiskProperties {
    encryption: Option<DiskEncryption>,
    encryption_settings_collection: Option<EncryptionSettings>,
    network_access_policy: Option<String>,
    public_network_access: Option<String>,
    disk_state: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct DiskEncryption {
    #[serde(rename = "type")]
    kind: Option<String>,
    disk_encryption_set_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EncryptionSettings {
    enabled: Option<bool>,
}

/// Disks_List: every managed disk of the subscription.
pub async fn disks(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let op = Op::new("Microsoft.Compute", "Disks_List", sub);
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Compute/disks");
    match arm
        .list::<Item<DiskProperties>>(&path, versions::COMPUTE_DISKS, &[], &op)
        .await
    {
        Ok(items) => {
            inv.azure_disks = items
                .iter()
                .map(|d| {
                    let p = &d.properties;
                    let enc = p.encryption.as_ref();
                    Disk {
                        resource: d.resource(ResourceKind::AzureDisk, sub),
                        encryption_type: enc.and_then(|e| e.kind.clone()),
                        disk_encryption_set_id: enc.and_then(|e| e.disk_encryption_set_id.clone()),
                        ade_enabled: p
                            .encryption_settings_collection
                            .as_ref()
                            .and_then(|s| s.enabled),
                        network_access_policy: p.network_access_policy.clone(),
                        public_network_access: p.public_network_access.clone(),
                        disk_state: p.disk_state.clone(),
                        managed_by: d.managed_by.clone(),
                    }
                })
                .collect()
        }
        Err(e) => inv
            .errors
            .push(fail(sub, None, ResourceKind::AzureDisk, &e)),
    }
    inv
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct VmProperties {
    vm_id: Option<String>,
    storage_profile: StorageProfile,
    network_profile: NetworkProfile,
    security_profile: Option<SecurityProfile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct StorageProfile {
    os_disk: Option<VmDisk>,
    data_disks: Vec<VmDisk>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct VmDisk {
    managed_disk: Option<IdRef>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct NetworkProfile {
    network_interfaces: Vec<IdRef>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct SecurityProfile {
    encryption_at_host: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct NicProperties {
    ip_configurations: Vec<IpConfiguration>,
    network_security_group: Option<IdRef>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IpConfiguration {
    properties: IpConfigurationProperties,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct IpConfigurationProperties {
    #[serde(rename = "publicIPAddress")]
    public_ip_address: Option<IdRef>,
    subnet: Option<IdRef>,
    application_security_groups: Vec<IdRef>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct PublicIpProperties {
    ip_address: Option<String>,
}

/// VirtualMachines_ListAll, then NetworkInterfaces_ListAll and PublicIPAddresses_ListAll to
/// find the public IPs on each VM's NICs (two subscription-wide lists, not one call per VM).
///
/// `public_ips` holds the address when one is allocated, else the public IP resource id (a
/// dynamic address of a stopped VM is still a public IP the VM gets when it starts). When
/// the NIC or public IP lists fail, the VMs are kept but the kind gets a collection error:
/// their `public_ips` would be incomplete.
pub async fn virtual_machines(arm: &Arm, sub: &str) -> Inventory {
    let mut inv = Inventory::default();
    let kind = ResourceKind::AzureVirtualMachine;
    let vm_op = Op::new("Microsoft.Compute", "VirtualMachines_ListAll", sub);
    let vm_path = format!("/subscriptions/{sub}/providers/Microsoft.Compute/virtualMachines");
    let nic_op = Op::new("Microsoft.Network", "NetworkInterfaces_ListAll", sub);
    let nic_path = format!("/subscriptions/{sub}/providers/Microsoft.Network/networkInterfaces");
    let pip_op = Op::new("Microsoft.Network", "PublicIPAddresses_ListAll", sub);
    let pip_path = format!("/subscriptions/{sub}/providers/Microsoft.Network/publicIPAddresses");
    let (vms, nics, pips) = tokio::join!(
        arm.list::<Item<VmProperties>>(&vm_path, versions::COMPUTE_VMS, &[], &vm_op),
        arm.list::<Item<NicProperties>>(&nic_path, versions::NETWORK, &[], &nic_op),
        arm.list::<Item<PublicIpProperties>>(&pip_path, versions::NETWORK, &[], &pip_op),
    );
    let vms = match vms {
        Ok(v) => v,
        Err(e) => {
            inv.errors.push(fail(sub, None, kind, &e));
            return inv;
        }
    };
    let nics = nics.unwrap_or_else(|e| {
        inv.errors.push(fail(sub, None, kind, &e));
        Vec::new()
    });
    let pips = pips.unwrap_or_else(|e| {
        inv.errors.push(fail(sub, None, kind, &e));
        Vec::new()
    });
    let nics_of = |ids: &[String]| -> Vec<&Item<NicProperties>> {
        nics.iter()
            .filter(|n| ids.iter().any(|id| same_id(&n.id, id)))
            .collect()
    };
    let public_ips_of = |nic_id: &str| -> Vec<String> {
        nics.iter()
            .filter(|n| same_id(&n.id, nic_id))
            .flat_map(|n| &n.properties.ip_configurations)
            .filter_map(|c| c.properties.public_ip_address.as_ref()?.id.clone())
            .map(|pip_id| {
                pips.iter()
                    .find(|p| same_id(&p.id, &pip_id))
                    .and_then(|p| p.properties.ip_address.clone())
                    .unwrap_or(pip_id)
            })
            .collect()
    };
    inv.azure_virtual_machines = vms
        .iter()
        .map(|vm| {
            let p = &vm.properties;
            let nic_ids: Vec<String> = p
                .network_profile
                .network_interfaces
                .iter()
                .filter_map(|n| n.id.clone())
                .collect();
            let my_nics = nics_of(&nic_ids);
            let configs = || {
                my_nics
                    .iter()
                    .flat_map(|n| &n.properties.ip_configurations)
                    .map(|c| &c.properties)
            };
            VirtualMachine {
                subnet_ids: configs()
                    .filter_map(|c| c.subnet.as_ref()?.id.clone())
                    .collect(),
                nic_security_group_ids: my_nics
                    .iter()
                    .filter_map(|n| n.properties.network_security_group.as_ref()?.id.clone())
                    .collect(),
                application_security_group_ids: configs()
                    .flat_map(|c| ids(&c.application_security_groups))
                    .collect(),
                resource: vm.resource(kind, sub),
                vm_id: p.vm_id.clone(),
                os_disk_id: p
                    .storage_profile
                    .os_disk
                    .as_ref()
                    .and_then(|d| d.managed_disk.as_ref()?.id.clone()),
                data_disk_ids: p
                    .storage_profile
                    .data_disks
                    .iter()
                    .filter_map(|d| d.managed_disk.as_ref()?.id.clone())
                    .collect(),
                public_ips: nic_ids.iter().flat_map(|n| public_ips_of(n)).collect(),
                nic_ids,
                encryption_at_host: p
                    .security_profile
                    .as_ref()
                    .and_then(|s| s.encryption_at_host),
            }
        })
        .collect();
    inv
}
