//! Compute Engine VM instances (`instances.aggregatedList`) and snapshots
//! (`snapshots.list`, global) with google-cloud-compute-v1.

use google_cloud_compute_v1::model::{Instance, Snapshot};

use super::api::{Gcp, Service};
use super::compute::{encryption, full_name, paged, scoped_items, PAGE};
use super::resource;
use crate::model::gcp::{self as m, InstanceServiceAccount, NetworkInterface, ShieldedVm};
use crate::model::ResourceKind;

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
    })
}

/// `snapshots.list`: snapshots are global resources, so there is no aggregated form.
pub(super) async fn snapshots(gcp: &Gcp, project: &str) {
    const OP: &str = "snapshots.list";
    let kind = ResourceKind::GcpComputeSnapshot;
    paged(gcp, kind, project, OP, |token| async move {
        let page = gcp
            .send(Service::Compute, OP, project, None, || {
                gcp.clients
                    .snapshots
                    .list()
                    .set_project(project)
                    .set_max_results(PAGE)
                    .set_or_clear_page_token(token.clone())
                    .send()
            })
            .await?;
        let found: Vec<m::ComputeSnapshot> = page
            .items
            .into_iter()
            .filter_map(|s| snapshot(project, s))
            .collect();
        gcp.add(|inv| inv.gcp_compute_snapshots.extend(found));
        Ok(page.next_page_token)
    })
    .await;
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
    })
}

/// `instances.aggregatedList`: every zone's instances.
pub(super) async fn instances(gcp: &Gcp, project: &str) {
    const OP: &str = "instances.aggregatedList";
    let kind = ResourceKind::GcpComputeInstance;
    paged(gcp, kind, project, OP, |token| async move {
        let page = gcp
            .send(Service::Compute, OP, project, None, || {
                gcp.clients
                    .instances
                    .aggregated_list()
                    .set_project(project)
                    .set_max_results(PAGE)
                    .set_or_clear_page_token(token.clone())
                    .send()
            })
            .await?;
        let found = scoped_items!(gcp, kind, project, OP, page, instances, |scope, zone, i| {
            instance(project, &scope, &zone, i)
        });
        gcp.add(|inv| inv.gcp_compute_instances.extend(found));
        Ok(page.next_page_token)
    })
    .await;
}
