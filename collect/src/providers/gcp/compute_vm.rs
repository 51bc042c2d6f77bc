//! Compute Engine VMs and their storage: persistent disks (`disks.aggregatedList`),
//! snapshots (`snapshots.list`, global) and VM instances (`instances.aggregatedList`),
//! with google-cloud-compute-v1.

use google_cloud_compute_v1::model::{CustomerEncryptionKey, Disk, Instance, Snapshot};

use super::api::Gcp;
use super::compute::{compute_list, full_name};
use super::resource;
use crate::model::gcp::{
    self as m, DiskEncryption, InstanceServiceAccount, NetworkInterface, ShieldedVm,
};
use crate::model::ResourceKind;

#[allow(deprecated)] // `sha256` is deprecated as an input field, but it is what marks a CSEK disk.
pub(super) fn encryption(key: Option<&CustomerEncryptionKey>) -> DiskEncryption {
    let Some(k) = key else {
        return DiskEncryption::GoogleManaged;
    };
    match k.kms_key_name.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => DiskEncryption::Cmek {
            kms_key_name: name.to_string(),
        },
        _ if k.sha256.is_some() || k.raw_key.is_some() || k.rsa_encrypted_key.is_some() => {
            DiskEncryption::Csek
        }
        // `diskEncryptionKey: {}` names no key: Google-managed.
        _ => DiskEncryption::GoogleManaged,
    }
}

fn disk(project: &str, scope: &str, region: &str, d: Disk) -> Option<m::ComputeDisk> {
    let name = d.name?;
    Some(m::ComputeDisk {
        resource: resource(
            ResourceKind::GcpComputeDisk,
            project,
            region,
            full_name(project, scope, "disks", &name),
            &name,
            d.labels,
        ),
        encryption: encryption(d.disk_encryption_key.as_ref()),
        status: d.status.and_then(|s| s.name().map(str::to_string)),
        users: d.users,
        resource_policies: d.resource_policies,
    })
}

/// `disks.aggregatedList`: zonal and regional persistent disks.
pub(super) async fn disks(gcp: &Gcp, project: &str) {
    compute_list!(
        gcp, project, ResourceKind::GcpComputeDisk, "disks.aggregatedList",
        disks.aggregated_list => gcp_compute_disks,
        scoped disks |scope, region, d| disk(project, &scope, &region, d)
    );
}

fn snapshot(project: &str, s: Snapshot) -> Option<m::ComputeSnapshot> {
    let name = s.name?;
    Some(m::ComputeSnapshot {
        resource: resource(
            ResourceKind::GcpComputeSnapshot,
            project,
            "global",
            full_name(project, "global", "snapshots", &name),
            &name,
            s.labels,
        ),
        encryption: encryption(s.snapshot_encryption_key.as_ref()),
        source_disk: s.source_disk,
        storage_locations: s.storage_locations,
        status: s.status.and_then(|v| v.name().map(str::to_string)),
        // RFC 3339; an unparsable time is unknown, never "recent".
        created_at: s
            .creation_timestamp
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&chrono::Utc)),
        auto_created: s.auto_created.unwrap_or(false),
    })
}

/// `snapshots.list`: snapshots are global resources, so there is no aggregated form.
pub(super) async fn snapshots(gcp: &Gcp, project: &str) {
    compute_list!(
        gcp, project, ResourceKind::GcpComputeSnapshot, "snapshots.list",
        snapshots.list => gcp_compute_snapshots,
        |s| snapshot(project, s)
    );
}

/// Marks an external address the API has not assigned yet: an access config on a
/// stopped instance with an ephemeral IP has no `natIP` until it starts, but it is
/// still an external interface.
const EPHEMERAL: &str = "ephemeral";

fn instance(project: &str, scope: &str, zone: &str, i: Instance) -> Option<m::ComputeInstance> {
    let name = i.name?;
    let network_interfaces = i
        .network_interfaces
        .into_iter()
        .map(|n| {
            let v4 = n
                .access_configs
                .into_iter()
                .map(|a| a.nat_ip.unwrap_or_else(|| EPHEMERAL.into()));
            let v6 = n
                .ipv_6_access_configs
                .into_iter()
                .map(|a| a.external_ipv_6.unwrap_or_else(|| EPHEMERAL.into()));
            NetworkInterface {
                name: n.name,
                network: n.network,
                subnetwork: n.subnetwork,
                network_ip: n.network_ip,
                external_ips: v4.chain(v6).collect(),
            }
        })
        .collect();
    Some(m::ComputeInstance {
        resource: resource(
            ResourceKind::GcpComputeInstance,
            project,
            zone,
            full_name(project, scope, "instances", &name),
            &name,
            i.labels,
        ),
        status: i.status.and_then(|s| s.name().map(str::to_string)),
        network_interfaces,
        service_accounts: i
            .service_accounts
            .into_iter()
            .filter_map(|sa| {
                Some(InstanceServiceAccount {
                    email: sa.email?,
                    scopes: sa.scopes,
                })
            })
            .collect(),
        disks: i.disks.into_iter().filter_map(|d| d.source).collect(),
        shielded_vm: i.shielded_instance_config.map(|c| ShieldedVm {
            secure_boot: c.enable_secure_boot,
            vtpm: c.enable_vtpm,
            integrity_monitoring: c.enable_integrity_monitoring,
        }),
        network_tags: i.tags.map(|t| t.items).unwrap_or_default(),
    })
}

/// `instances.aggregatedList`: every zone's instances.
pub(super) async fn instances(gcp: &Gcp, project: &str) {
    compute_list!(
        gcp, project, ResourceKind::GcpComputeInstance, "instances.aggregatedList",
        instances.aggregated_list => gcp_compute_instances,
        scoped instances |scope, zone, i| instance(project, &scope, &zone, i)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(deprecated)]
    fn key_types() {
        assert_eq!(encryption(None), DiskEncryption::GoogleManaged);
        let cmek = CustomerEncryptionKey::new()
            .set_kms_key_name("projects/p/locations/l/keyRings/r/cryptoKeys/k");
        assert!(matches!(
            encryption(Some(&cmek)),
            DiskEncryption::Cmek { .. }
        ));
        let csek = CustomerEncryptionKey::new().set_sha256("abc=");
        assert_eq!(encryption(Some(&csek)), DiskEncryption::Csek);
        assert_eq!(
            encryption(Some(&CustomerEncryptionKey::new())),
            DiskEncryption::GoogleManaged
        );
    }
}
