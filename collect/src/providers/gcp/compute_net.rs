//! VPC subnetworks (`subnetworks.aggregatedList`) and load balancer backend services
//! (`backendServices.aggregatedList`, global and regional) with google-cloud-compute-v1.

use std::collections::HashMap;

use google_cloud_compute_v1::model::{BackendService, Subnetwork};

use super::api::{Gcp, Service};
use super::compute::{full_name, paged, scoped_items, PAGE};
use super::resource;
use crate::model::gcp as m;
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
    const OP: &str = "subnetworks.aggregatedList";
    let kind = ResourceKind::GcpSubnetwork;
    paged(gcp, kind, project, OP, |token| async move {
        let page = gcp
            .send(Service::Compute, OP, project, None, || {
                gcp.clients
                    .subnetworks
                    .aggregated_list()
                    .set_project(project)
                    .set_max_results(PAGE)
                    .set_or_clear_page_token(token.clone())
                    .send()
            })
            .await?;
        let found = scoped_items!(
            gcp,
            kind,
            project,
            OP,
            page,
            subnetworks,
            |scope, region, s| { subnetwork(project, &scope, &region, s) }
        );
        gcp.add(|inv| inv.gcp_subnetworks.extend(found));
        Ok(page.next_page_token)
    })
    .await;
}

fn backend_service(
    project: &str,
    scope: &str,
    region: &str,
    b: BackendService,
) -> Option<m::BackendService> {
    let name = b.name?;
    Some(m::BackendService {
        resource: resource(
            ResourceKind::GcpBackendService,
            project,
            region,
            full_name(project, scope, "backendServices", &name),
            &name,
            HashMap::new(),
        ),
        protocol: b.protocol.and_then(|p| p.name().map(str::to_string)),
        load_balancing_scheme: b
            .load_balancing_scheme
            .and_then(|s| s.name().map(str::to_string)),
    })
}

/// `backendServices.aggregatedList`: global and regional backend services.
pub(super) async fn backend_services(gcp: &Gcp, project: &str) {
    const OP: &str = "backendServices.aggregatedList";
    let kind = ResourceKind::GcpBackendService;
    paged(gcp, kind, project, OP, |token| async move {
        let page = gcp
            .send(Service::Compute, OP, project, None, || {
                gcp.clients
                    .backend_services
                    .aggregated_list()
                    .set_project(project)
                    .set_max_results(PAGE)
                    .set_or_clear_page_token(token.clone())
                    .send()
            })
            .await?;
        let found = scoped_items!(
            gcp,
            kind,
            project,
            OP,
            page,
            backend_services,
            |scope, region, b| backend_service(project, &scope, &region, b)
        );
        gcp.add(|inv| inv.gcp_backend_services.extend(found));
        Ok(page.next_page_token)
    })
    .await;
}
