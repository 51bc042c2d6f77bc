//! Compute Engine: persistent disks, VPC firewall rules, SSL policies and the target
//! HTTPS / SSL proxies where load balancers terminate TLS (google-cloud-compute-v1).
//!
//! Aggregated lists are keyed by scope (`zones/us-central1-a`, `regions/us-central1`,
//! `global`); the key gives each resource its region and its full resource name.

use std::collections::HashMap;

use google_cloud_compute_v1::model::{CustomerEncryptionKey, Disk, SslPolicy, TargetHttpsProxy};

use super::api::{Gcp, Service};
use super::failure::Failure;
use super::resource;
use crate::model::gcp::{self as m, DiskEncryption, FirewallEntry};
use crate::model::ResourceKind;

/// `maxResults` of every Compute list (the API's maximum).
pub(super) const PAGE: u32 = 500;

/// (region, path prefix) of an aggregated-list key: `zones/us-central1-a` ->
/// (`us-central1-a`, `zones/us-central1-a`); `global` -> (`global`, `global`).
pub(super) fn scope_of(key: &str) -> (String, String) {
    match key.split_once('/') {
        Some((_, name)) => (name.to_string(), key.to_string()),
        None => (key.to_string(), key.to_string()),
    }
}

pub(super) fn full_name(project: &str, scope: &str, collection: &str, name: &str) -> String {
    format!("//compute.googleapis.com/projects/{project}/{scope}/{collection}/{name}")
}

/// Record an error for every scope an aggregated list could not reach: the list is
/// incomplete there.
pub(super) fn unreachable(
    gcp: &Gcp,
    kind: ResourceKind,
    project: &str,
    operation: &str,
    scopes: impl IntoIterator<Item = (String, Option<String>)>,
) {
    for (key, message) in scopes {
        let (region, _) = scope_of(&key);
        gcp.error(
            project,
            Some(&region),
            kind,
            format!(
                "UNREACHABLE: compute.{operation} could not reach {key}{}",
                message.map(|m| format!(": {m}")).unwrap_or_default()
            ),
        );
    }
}

pub(super) fn is_unreachable(code: Option<&str>) -> bool {
    code == Some("UNREACHABLE")
}

/// The resources of one page of an aggregated list: every scoped list's `$field`
/// converted by `$convert` (given the scope path and region of its key), with the scopes
/// the list could not reach recorded as errors for `$kind`. A macro because every
/// resource has its own scoped-list and warning types with the same shape.
macro_rules! scoped_items {
    ($gcp:expr, $kind:expr, $project:expr, $op:expr, $page:expr, $field:ident,
     |$scope:ident, $region:ident, $item:ident| $convert:expr) => {{
        let mut missing: Vec<(String, Option<String>)> = $page
            .unreachables
            .iter()
            .map(|u| (u.clone(), None))
            .collect();
        let mut found = Vec::new();
        for (key, list) in $page.items {
            let code = list.warning.as_ref().and_then(|w| w.code.as_ref());
            if $crate::providers::gcp::compute::is_unreachable(code.and_then(|c| c.name())) {
                missing.push((key.clone(), list.warning.and_then(|w| w.message)));
                continue;
            }
            let ($region, $scope) = $crate::providers::gcp::compute::scope_of(&key);
            for $item in list.$field {
                if let Some(x) = $convert {
                    found.push(x);
                }
            }
        }
        $crate::providers::gcp::compute::unreachable($gcp, $kind, $project, $op, missing);
        found
    }};
}
pub(super) use scoped_items;

/// Page through a Compute list: `page(token)` fetches one page and returns the next
/// token. On failure the error is recorded for `kind` and `false` returned.
pub(super) async fn paged<F, Fut>(
    gcp: &Gcp,
    kind: ResourceKind,
    project: &str,
    operation: &'static str,
    mut page: F,
) -> bool
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Option<String>, Failure>>,
{
    let mut token: Option<String> = None;
    loop {
        match page(token.clone()).await {
            Ok(Some(next)) if !next.is_empty() => token = Some(next),
            Ok(_) => return true,
            Err(f) => {
                gcp.failed(&[kind], project, None, Service::Compute, operation, &f);
                return false;
            }
        }
    }
}

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
    })
}

/// `disks.aggregatedList`: zonal and regional persistent disks.
pub(super) async fn disks(gcp: &Gcp, project: &str) {
    const OP: &str = "disks.aggregatedList";
    let kind = ResourceKind::GcpComputeDisk;
    paged(gcp, kind, project, OP, |token| async move {
        let page = gcp
            .send(Service::Compute, OP, project, None, || {
                gcp.clients
                    .disks
                    .aggregated_list()
                    .set_project(project)
                    .set_max_results(PAGE)
                    .set_or_clear_page_token(token.clone())
                    .send()
            })
            .await?;
        let found = scoped_items!(gcp, kind, project, OP, page, disks, |scope, region, d| {
            disk(project, &scope, &region, d)
        });
        gcp.add(|inv| inv.gcp_compute_disks.extend(found));
        Ok(page.next_page_token)
    })
    .await;
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

/// `firewalls.list`: the project's VPC firewall rules (global).
pub(super) async fn firewalls(gcp: &Gcp, project: &str) {
    const OP: &str = "firewalls.list";
    let kind = ResourceKind::GcpComputeFirewall;
    paged(gcp, kind, project, OP, |token| async move {
        let page = gcp
            .send(Service::Compute, OP, project, None, || {
                gcp.clients
                    .firewalls
                    .list()
                    .set_project(project)
                    .set_max_results(PAGE)
                    .set_or_clear_page_token(token.clone())
                    .send()
            })
            .await?;
        let found: Vec<m::Firewall> = page
            .items
            .into_iter()
            .filter_map(|f| {
                let name = f.name?;
                Some(m::Firewall {
                    resource: resource(
                        kind,
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
                    allowed: entries(f.allowed.iter().map(|a| (&a.ip_protocol, &a.ports))),
                    denied: entries(f.denied.iter().map(|a| (&a.ip_protocol, &a.ports))),
                })
            })
            .collect();
        gcp.add(|inv| inv.gcp_compute_firewalls.extend(found));
        Ok(page.next_page_token)
    })
    .await;
}

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
    const OP: &str = "sslPolicies.aggregatedList";
    let kind = ResourceKind::GcpSslPolicy;
    paged(gcp, kind, project, OP, |token| async move {
        let page = gcp
            .send(Service::Compute, OP, project, None, || {
                gcp.clients
                    .ssl_policies
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
            ssl_policies,
            |scope, region, p| { ssl_policy(project, &scope, &region, p) }
        );
        gcp.add(|inv| inv.gcp_ssl_policies.extend(found));
        Ok(page.next_page_token)
    })
    .await;
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

/// `targetHttpsProxies.aggregatedList` (global and regional) and `targetSslProxies.list`
/// (global only: SSL proxies have no regional form).
pub(super) async fn target_proxies(gcp: &Gcp, project: &str) {
    const HTTPS: &str = "targetHttpsProxies.aggregatedList";
    const SSL: &str = "targetSslProxies.list";
    let kind = ResourceKind::GcpTargetProxy;
    paged(gcp, kind, project, HTTPS, |token| async move {
        let page = gcp
            .send(Service::Compute, HTTPS, project, None, || {
                gcp.clients
                    .https_proxies
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
            HTTPS,
            page,
            target_https_proxies,
            |scope, region, p| { https_proxy(project, &scope, &region, p) }
        );
        gcp.add(|inv| inv.gcp_target_proxies.extend(found));
        Ok(page.next_page_token)
    })
    .await;
    paged(gcp, kind, project, SSL, |token| async move {
        let page = gcp
            .send(Service::Compute, SSL, project, None, || {
                gcp.clients
                    .ssl_proxies
                    .list()
                    .set_project(project)
                    .set_max_results(PAGE)
                    .set_or_clear_page_token(token.clone())
                    .send()
            })
            .await?;
        let found: Vec<m::TargetProxy> = page
            .items
            .into_iter()
            .filter_map(|p| {
                let name = p.name?;
                Some(m::TargetProxy {
                    resource: resource(
                        kind,
                        project,
                        "global",
                        full_name(project, "global", "targetSslProxies", &name),
                        &name,
                        HashMap::new(),
                    ),
                    proxy_type: "ssl".into(),
                    ssl_policy: p.ssl_policy.filter(|s| !s.trim().is_empty()),
                })
            })
            .collect();
        gcp.add(|inv| inv.gcp_target_proxies.extend(found));
        Ok(page.next_page_token)
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_keys_give_region_and_path() {
        assert_eq!(
            scope_of("zones/us-central1-a"),
            ("us-central1-a".into(), "zones/us-central1-a".into())
        );
        assert_eq!(scope_of("global"), ("global".into(), "global".into()));
    }

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
