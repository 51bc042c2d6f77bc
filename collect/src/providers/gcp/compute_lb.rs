//! Load balancing: SSL policies (`sslPolicies.aggregatedList`), the target HTTPS and SSL
//! proxies where load balancers terminate TLS, and backend services
//! (`backendServices.aggregatedList`), with google-cloud-compute-v1.

use std::collections::HashMap;

use google_cloud_compute_v1::model::{BackendService, SslPolicy, TargetHttpsProxy, TargetSslProxy};

use super::api::Gcp;
use super::compute::{compute_list, full_name};
use super::resource;
use crate::model::gcp as m;
use crate::model::ResourceKind;

fn ssl_policy(project: &str, scope: &str, region: &str, p: SslPolicy) -> Option<m::SslPolicy> {
    let name = p.name?;
    let self_link = p.self_link.unwrap_or_else(|| {
        format!(
            "https://www.googleapis.com/compute/v1/projects/{project}/{scope}/sslPolicies/{name}"
        )
    });
    Some(m::SslPolicy {
        resource: resource(
            ResourceKind::GcpSslPolicy,
            project,
            region,
            full_name(project, scope, "sslPolicies", &name),
            &name,
            HashMap::new(),
        ),
        self_link,
        // Unreported means the API defaults: TLS 1.0 and COMPATIBLE, the weakest.
        min_tls_version: p
            .min_tls_version
            .and_then(|v| v.name().map(str::to_string))
            .unwrap_or_else(|| "TLS_1_0".into()),
        profile: p
            .profile
            .and_then(|v| v.name().map(str::to_string))
            .unwrap_or_else(|| "COMPATIBLE".into()),
    })
}

/// `sslPolicies.aggregatedList`: global and regional SSL policies.
pub(super) async fn ssl_policies(gcp: &Gcp, project: &str) {
    compute_list!(
        gcp, project, ResourceKind::GcpSslPolicy, "sslPolicies.aggregatedList",
        ssl_policies.aggregated_list => gcp_ssl_policies,
        scoped ssl_policies |scope, region, p| ssl_policy(project, &scope, &region, p)
    );
}

fn https_proxy(
    project: &str,
    scope: &str,
    region: &str,
    p: TargetHttpsProxy,
) -> Option<m::TargetProxy> {
    let name = p.name?;
    Some(m::TargetProxy {
        resource: resource(
            ResourceKind::GcpTargetProxy,
            project,
            region,
            full_name(project, scope, "targetHttpsProxies", &name),
            &name,
            HashMap::new(),
        ),
        proxy_type: "https".into(),
        ssl_policy: p.ssl_policy.filter(|s| !s.trim().is_empty()),
    })
}

fn ssl_proxy(project: &str, p: TargetSslProxy) -> Option<m::TargetProxy> {
    let name = p.name?;
    Some(m::TargetProxy {
        resource: resource(
            ResourceKind::GcpTargetProxy,
            project,
            "global",
            full_name(project, "global", "targetSslProxies", &name),
            &name,
            HashMap::new(),
        ),
        proxy_type: "ssl".into(),
        ssl_policy: p.ssl_policy.filter(|s| !s.trim().is_empty()),
    })
}

/// `targetHttpsProxies.aggregatedList` (global and regional) and `targetSslProxies.list`
/// (global only: SSL proxies have no regional form).
pub(super) async fn target_proxies(gcp: &Gcp, project: &str) {
    let kind = ResourceKind::GcpTargetProxy;
    compute_list!(
        gcp, project, kind, "targetHttpsProxies.aggregatedList",
        https_proxies.aggregated_list => gcp_target_proxies,
        scoped target_https_proxies |scope, region, p| https_proxy(project, &scope, &region, p)
    );
    compute_list!(
        gcp, project, kind, "targetSslProxies.list",
        ssl_proxies.list => gcp_target_proxies,
        |p| ssl_proxy(project, p)
    );
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
    compute_list!(
        gcp, project, ResourceKind::GcpBackendService, "backendServices.aggregatedList",
        backend_services.aggregated_list => gcp_backend_services,
        scoped backend_services |scope, region, b| backend_service(project, &scope, &region, b)
    );
}
