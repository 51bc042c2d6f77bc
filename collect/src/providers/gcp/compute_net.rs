//! The VPC network: subnetworks (`subnetworks.aggregatedList`) and firewall rules
//! (`firewalls.list`, global) with google-cloud-compute-v1, and networks with their peerings
//! (`networks.list`, global) through the REST helper: one list call does not earn the
//! compile time of another google-cloud-compute-v1 feature.

use std::collections::HashMap;

use google_cloud_compute_v1::model::{Firewall, Subnetwork};
use serde::Deserialize;

use super::api::{Gcp, Service};
use super::compute::{compute_list, full_name, PAGE};
use super::resource;
use super::rest::get_all;
use crate::model::gcp::{self as m, FirewallEntry, NetworkPeering};
use crate::model::ResourceKind;

fn subnetwork(project: &str, scope: &str, region: &str, s: Subnetwork) -> Option<m::Subnetwork> {
    let name = s.name?;
    let log = s.log_config;
    Some(m::Subnetwork {
        resource: resource(
            ResourceKind::GcpSubnetwork,
            project,
            region,
            full_name(project, scope, "subnetworks", &name),
            &name,
            // Subnetworks carry no labels.
            HashMap::new(),
        ),
        network: s.network,
        ip_cidr_range: s.ip_cidr_range,
        purpose: s.purpose.and_then(|p| p.name().map(str::to_string)),
        // `logConfig.enable` is the current field; `enableFlowLogs` is what older
        // subnets and older responses report.
        flow_logs: log.as_ref().and_then(|l| l.enable).or(s.enable_flow_logs),
        flow_sampling: log.as_ref().and_then(|l| l.flow_sampling),
        private_google_access: s.private_ip_google_access,
    })
}

/// `subnetworks.aggregatedList`: every region's subnetworks.
pub(super) async fn subnetworks(gcp: &Gcp, project: &str) {
    compute_list!(
        gcp, project, ResourceKind::GcpSubnetwork, "subnetworks.aggregatedList",
        subnetworks.aggregated_list => gcp_subnetworks,
        scoped subnetworks |scope, region, s| subnetwork(project, &scope, &region, s)
    );
}

fn entries<'a>(
    items: impl Iterator<Item = (&'a Option<String>, &'a Vec<String>)>,
) -> Vec<FirewallEntry> {
    items
        .map(|(protocol, ports)| FirewallEntry {
            ip_protocol: protocol.clone().unwrap_or_else(|| "all".into()),
            ports: ports.clone(),
        })
        .collect()
}

fn firewall(project: &str, f: Firewall) -> Option<m::Firewall> {
    let name = f.name?;
    Some(m::Firewall {
        resource: resource(
            ResourceKind::GcpComputeFirewall,
            project,
            "global",
            full_name(project, "global", "firewalls", &name),
            &name,
            HashMap::new(),
        ),
        network: f.network.unwrap_or_default(),
        // The API's default direction is INGRESS.
        direction: f
            .direction
            .and_then(|d| d.name().map(str::to_string))
            .unwrap_or_else(|| "INGRESS".into()),
        disabled: f.disabled.unwrap_or(false),
        // The API's default priority.
        priority: f.priority.unwrap_or(1000),
        source_ranges: f.source_ranges,
        target_tags: f.target_tags,
        target_service_accounts: f.target_service_accounts,
        source_tags: f.source_tags,
        source_service_accounts: f.source_service_accounts,
        allowed: entries(f.allowed.iter().map(|a| (&a.ip_protocol, &a.ports))),
        denied: entries(f.denied.iter().map(|a| (&a.ip_protocol, &a.ports))),
    })
}

/// `firewalls.list`: the project's VPC firewall rules (global).
pub(super) async fn firewalls(gcp: &Gcp, project: &str) {
    compute_list!(
        gcp, project, ResourceKind::GcpComputeFirewall, "firewalls.list",
        firewalls.list => gcp_compute_firewalls,
        |f| firewall(project, f)
    );
}

/// One page of `networks.list` (Compute REST: `items`, `nextPageToken`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Networks {
    #[serde(default)]
    items: Vec<NetworkJson>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NetworkJson {
    name: String,
    #[serde(default)]
    self_link: Option<String>,
    #[serde(default)]
    peerings: Vec<PeeringJson>,
}

#[derive(Debug, Deserialize)]
struct PeeringJson {
    name: String,
    network: String,
    #[serde(default)]
    state: Option<String>,
}

/// `networks.list`: the project's VPC networks (global) with their peerings.
pub(super) async fn networks(gcp: &Gcp, project: &str) {
    const OP: &str = "networks.list";
    let kind = ResourceKind::GcpNetwork;
    let base = gcp.endpoint(Service::Compute);
    let url = format!("{base}/compute/v1/projects/{project}/global/networks");
    let query = [("maxResults", PAGE.to_string())];
    let listed = get_all(
        gcp,
        Service::Compute,
        OP,
        project,
        None,
        &url,
        &query,
        |p: Networks| (p.items, p.next_page_token),
    )
    .await;
    let items = match listed {
        Ok(items) => items,
        Err(f) => return gcp.failed(&[kind], project, None, Service::Compute, OP, &f),
    };
    let found: Vec<m::Network> = items
        .into_iter()
        .map(|n| m::Network {
            resource: resource(
                kind,
                project,
                "global",
                full_name(project, "global", "networks", &n.name),
                &n.name,
                HashMap::new(),
            ),
            self_link: n.self_link.unwrap_or_else(|| {
                format!(
                    "https://www.googleapis.com/compute/v1/projects/{project}/global/networks/{}",
                    n.name
                )
            }),
            peerings: n
                .peerings
                .into_iter()
                .map(|p| NetworkPeering {
                    name: p.name,
                    network: p.network,
                    state: p.state,
                })
                .collect(),
        })
        .collect();
    gcp.add(|inv| inv.gcp_networks.extend(found));
}
