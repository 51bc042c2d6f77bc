//! Compute Engine plumbing shared by the Compute collectors (google-cloud-compute-v1):
//! paging, aggregated-list scopes, resource names, and [`compute_list!`], the one body every
//! Compute list collector expands to. The collectors are in [`super::compute_vm`] (disks,
//! snapshots, instances), [`super::compute_net`] (subnetworks, firewall rules) and
//! [`super::compute_lb`] (SSL policies, target proxies, backend services).
//!
//! Aggregated lists are keyed by scope (`zones/us-central1-a`, `regions/us-central1`,
//! `global`); the key gives each resource its region and its full resource name.

use super::api::{Gcp, Service};
use super::failure::Failure;
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

/// One Compute list collector: page through `clients.$client.$method()` for the project
/// (see [`paged`]), convert each page's items, and add them to the inventory's `$field`.
/// `scoped $items |scope, region, item|` converts the `$items` of an aggregated list's
/// scoped lists (see [`scoped_items!`]); `|item|` converts the items of a global list. The
/// conversion returns an `Option`: `None` drops the item (it has no name).
macro_rules! compute_list {
    (@page $gcp:expr, $project:expr, $op:expr, $client:ident.$method:ident, $token:ident) => {
        $gcp.send($crate::providers::gcp::api::Service::Compute, $op, $project, None, || {
            $gcp.clients
                .$client
                .$method()
                .set_project($project)
                .set_max_results($crate::providers::gcp::compute::PAGE)
                .set_or_clear_page_token($token.clone())
                .send()
        })
        .await?
    };
    ($gcp:expr, $project:expr, $kind:expr, $op:expr, $client:ident.$method:ident => $field:ident,
     scoped $items:ident |$scope:ident, $region:ident, $item:ident| $convert:expr) => {
        $crate::providers::gcp::compute::paged($gcp, $kind, $project, $op, |token| async move {
            let page = $crate::providers::gcp::compute::compute_list!(
                @page $gcp, $project, $op, $client.$method, token
            );
            let found = $crate::providers::gcp::compute::scoped_items!(
                $gcp, $kind, $project, $op, page, $items, |$scope, $region, $item| $convert
            );
            $gcp.add(|inv| inv.$field.extend(found));
            Ok(page.next_page_token)
        })
        .await
    };
    ($gcp:expr, $project:expr, $kind:expr, $op:expr, $client:ident.$method:ident => $field:ident,
     |$item:ident| $convert:expr) => {
        $crate::providers::gcp::compute::paged($gcp, $kind, $project, $op, |token| async move {
            let page = $crate::providers::gcp::compute::compute_list!(
                @page $gcp, $project, $op, $client.$method, token
            );
            let found: Vec<_> = page.items.into_iter().filter_map(|$item| $convert).collect();
            $gcp.add(|inv| inv.$field.extend(found));
            Ok(page.next_page_token)
        })
        .await
    };
}
pub(super) use compute_list;

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
}
