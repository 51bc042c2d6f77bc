//! Load balancing: SSL policies, target proxies and backend services.

use super::{compute_ref, COMPUTE, P};
use crate::model::gcp::{BackendService, SslPolicy, TargetProxy};
use crate::model::{Inventory, ResourceKind};

pub(super) fn add(inv: &mut Inventory) {
    inv.gcp_ssl_policies = vec![
        ssl_policy("janus-tls12-modern", "TLS_1_2", "MODERN"),
        ssl_policy("partner-compat", "TLS_1_0", "COMPATIBLE"),
    ];
    inv.gcp_target_proxies = vec![
        proxy(
            "targetHttpsProxies",
            "portal-https-proxy",
            Some("janus-tls12-modern"),
        ),
        proxy("targetHttpsProxies", "fhir-api-https-proxy", None),
        proxy(
            "targetSslProxies",
            "partner-hl7-ssl-proxy",
            Some("partner-compat"),
        ),
    ];

    inv.gcp_backend_services = vec![
        backend("portal-backend", "HTTPS", "EXTERNAL_MANAGED"),
        backend("fhir-api-backend", "HTTP", "EXTERNAL_MANAGED"),
    ];
}

fn ssl_policy(name: &str, min_tls: &str, profile: &str) -> SslPolicy {
    SslPolicy {
        resource: compute_ref(ResourceKind::GcpSslPolicy, "global", "sslPolicies", name),
        self_link: format!("{COMPUTE}/projects/{P}/global/sslPolicies/{name}"),
        min_tls_version: min_tls.into(),
        profile: profile.into(),
    }
}

fn proxy(collection: &str, name: &str, policy: Option<&str>) -> TargetProxy {
    TargetProxy {
        resource: compute_ref(ResourceKind::GcpTargetProxy, "global", collection, name),
        proxy_type: if collection == "targetSslProxies" {
            "ssl"
        } else {
            "https"
        }
        .into(),
        ssl_policy: policy.map(|p| format!("{COMPUTE}/projects/{P}/global/sslPolicies/{p}")),
    }
}

fn backend(name: &str, protocol: &str, scheme: &str) -> BackendService {
    BackendService {
        resource: compute_ref(
            ResourceKind::GcpBackendService,
            "global",
            "backendServices",
            name,
        ),
        protocol: Some(protocol.into()),
        load_balancing_scheme: Some(scheme.into()),
    }
}
