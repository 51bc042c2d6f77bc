//! Azure collectors: Azure Resource Manager (ARM) REST calls through azure_core's pipeline,
//! one file per resource provider, into the typed inventory.
//!
//! Flow: credential (`auth.rs`) -> subscriptions (`--subscription` and those under each
//! `--management-group`, else every subscription the credential sees) -> for each subscription, the collectors of the planned kinds run
//! concurrently (requests bounded by one semaphore, see `client.rs`) -> one inventory.
//!
//! Read-only: only `GET` requests are ever built (`client.rs` has no other method).
//! Failures never become empty lists: a list that failed becomes a [`CollectionError`] for
//! (subscription, kind), a sub-resource call that failed one for (subscription, location,
//! kind), and the engine turns those into ERROR findings (exit code 3).

mod app_gateway;
mod arm;
pub mod auth;
mod authorization;
mod backup;
mod certificate;
pub mod client;
mod compute;
mod cosmos;
mod dispatch;
mod doctor;
mod flexible;
mod flow_logs;
mod keyvault;
mod lighthouse;
mod mgmt_groups;
mod monitor;
mod network;
mod redis;
mod security;
mod sql;
mod sql_mi;
mod storage;
pub mod versions;
mod vnet;
mod web;

use std::collections::BTreeSet;
use std::sync::Arc;

use azure_core::credentials::TokenCredential;
use chrono::Utc;
use futures::future::join_all;
use serde::Deserialize;

pub use auth::Cloud;
use client::{Arm, ArmConfig, ArmError, Op};
pub use doctor::diagnose;

use crate::model::{AzureKind, CollectionError, Inventory, Provider, ResourceKind, Scope};
use dispatch::{collector, guarded};

/// What to scan and how to reach ARM.
#[derive(Debug, Clone)]
pub struct AzureOptions {
    /// Subscription ids; empty: every subscription the credential can see.
    pub subscriptions: Vec<String>,
    /// Management group ids: every subscription under them is scanned too (union with
    /// `subscriptions`; with either given, the credential's own listing is not used).
    pub management_groups: Vec<String>,
    pub cloud: Cloud,
    /// Replaces the cloud's ARM endpoint (a proxy, a private endpoint, the test replay server).
    pub endpoint: Option<String>,
    /// Requests in flight at once, over all subscriptions.
    pub max_concurrency: usize,
    /// Longest wait phiscan grants a `Retry-After`.
    pub max_retry_after: std::time::Duration,
    /// Scan only this shard's subscriptions (`--shard`; see [`crate::shard`]).
    pub shard: Option<crate::shard::Shard>,
}

impl Default for AzureOptions {
    fn default() -> Self {
        AzureOptions {
            subscriptions: Vec::new(),
            management_groups: Vec::new(),
            cloud: Cloud::Public,
            endpoint: None,
            max_concurrency: 8,
            max_retry_after: std::time::Duration::from_secs(60),
            shard: None,
        }
    }
}

/// Why a scan could not start at all (as opposed to a kind that could not be collected).
#[derive(Debug, thiserror::Error)]
pub enum AzureError {
    #[error("--azure-endpoint {0}")]
    Endpoint(String),
    #[error("Azure credentials: {0}")]
    Credential(String),
    #[error("cannot list the subscriptions the credential can see: {0}")]
    Subscriptions(String),
    #[error("{0}")]
    ManagementGroup(String),
    #[error("no subscription under management group(s) {0}: give --subscription ID, or a group that holds subscriptions")]
    EmptyManagementGroups(String),
    #[error("the credential sees no enabled subscription: give --subscription ID, or grant it the Reader role on a subscription")]
    NoSubscriptions,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Subscription {
    subscription_id: String,
    display_name: Option<String>,
    state: Option<String>,
}

/// Collect `kinds` (Azure ones; others are ignored) from the subscriptions in `opts`.
pub async fn collect(
    opts: &AzureOptions,
    kinds: &BTreeSet<ResourceKind>,
) -> Result<Inventory, AzureError> {
    let kinds: BTreeSet<ResourceKind> = kinds
        .iter()
        .copied()
        .filter(|k| k.provider() == Provider::Azure)
        .collect();
    let (arm, _, _) = connect(opts)?;
    let mut inv = Inventory::new();
    let mut targets = targets(&arm, opts).await?;
    if let Some(shard) = opts.shard {
        targets.retain(|(sub, _)| shard.owns_scope(Provider::Azure, sub));
    }
    let parts = join_all(targets.iter().map(|(sub, result)| {
        let (arm, kinds) = (&arm, &kinds);
        async move {
            match result {
                Ok(_) => collect_subscription(arm, sub, kinds).await,
                Err(e) => {
                    // The subscription itself could not be read: every kind is an ERROR there.
                    Inventory {
                        errors: kinds.iter().map(|k| fail(sub, None, *k, e)).collect(),
                        ..Default::default()
                    }
                }
            }
        }
    }))
    .await;
    for ((sub, result), part) in targets.iter().zip(parts) {
        let mut regions: Vec<String> = part
            .resource_refs()
            .iter()
            .map(|r| r.region.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        regions.retain(|r| r != "global");
        inv.scopes.push(Scope {
            provider: Provider::Azure,
            account: sub.clone(),
            name: result.as_ref().ok().and_then(|n| n.clone()),
            regions,
            identity: None,
        });
        inv.absorb(part);
    }
    inv.sort();
    inv.api_calls = arm.calls();
    inv.raw_responses = crate::raw::link(&inv, None, arm.take_raw());
    inv.collected_at = Some(Utc::now());
    Ok(inv)
}

/// The ARM client of `opts` (endpoint checked, credential chosen), with the credential and
/// which link of the chain gave it.
pub(crate) fn connect(
    opts: &AzureOptions,
) -> Result<(Arm, Arc<dyn TokenCredential>, &'static str), AzureError> {
    let (base, overridden) =
        auth::endpoint(opts.cloud, opts.endpoint.as_deref()).map_err(AzureError::Endpoint)?;
    let (credential, source) = auth::credential(opts.cloud).map_err(AzureError::Credential)?;
    let arm = Arm::new(ArmConfig {
        auth: auth::policy(&base, credential.clone(), opts.cloud),
        base,
        overridden,
        max_concurrency: opts.max_concurrency,
        max_retry_after: opts.max_retry_after,
    });
    Ok((arm, credential, source))
}

/// The subscriptions in scope (`--subscription`, those under each `--management-group`,
/// else every one the credential sees), each with its display name or the reason it cannot
/// be read.
pub(crate) async fn targets(
    arm: &Arm,
    opts: &AzureOptions,
) -> Result<Vec<(String, Result<Option<String>, ArmError>)>, AzureError> {
    let mut wanted = opts.subscriptions.clone();
    if !opts.management_groups.is_empty() {
        let under = mgmt_groups::subscriptions(arm, &opts.management_groups)
            .await
            .map_err(AzureError::ManagementGroup)?;
        if under.is_empty() && wanted.is_empty() {
            return Err(AzureError::EmptyManagementGroups(
                opts.management_groups.join(", "),
            ));
        }
        wanted.extend(under);
    }
    subscriptions(arm, &wanted).await
}

/// The subscriptions to scan, each with its display name or the reason it cannot be read.
async fn subscriptions(
    arm: &Arm,
    wanted: &[String],
) -> Result<Vec<(String, Result<Option<String>, ArmError>)>, AzureError> {
    let api = versions::SUBSCRIPTIONS;
    if !wanted.is_empty() {
        let mut ids: Vec<String> = wanted
            .iter()
            .map(|s| s.trim().to_ascii_lowercase())
            .collect();
        ids.sort();
        ids.dedup();
        let gets = join_all(ids.iter().map(|id| async move {
            let op = Op::new("Microsoft.Resources", "Subscriptions_Get", id);
            let got = arm
                .get::<Subscription>(&format!("/subscriptions/{id}"), api, &op)
                .await;
            (id.clone(), got.map(|s| s.display_name))
        }))
        .await;
        return Ok(gets);
    }
    let op = Op {
        service: "Microsoft.Resources",
        operation: "Subscriptions_List",
        subscription: None,
        region: None,
    };
    let all = arm
        .list::<Subscription>("/subscriptions", api, &[], &op)
        .await
        .map_err(|e| AzureError::Subscriptions(e.reason()))?;
    // Disabled and deleted subscriptions answer nothing but errors: skip them.
    let mut out: Vec<(String, Result<Option<String>, ArmError>)> = all
        .into_iter()
        .filter(|s| {
            s.state.as_deref().is_none_or(|st| {
                ["Enabled", "Warned", "PastDue"]
                    .iter()
                    .any(|ok| st.eq_ignore_ascii_case(ok))
            })
        })
        .filter(|s| !s.subscription_id.is_empty())
        .map(|s| (s.subscription_id.to_ascii_lowercase(), Ok(s.display_name)))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    if out.is_empty() {
        return Err(AzureError::NoSubscriptions);
    }
    Ok(out)
}

async fn collect_subscription(arm: &Arm, sub: &str, kinds: &BTreeSet<ResourceKind>) -> Inventory {
    let wanted: BTreeSet<AzureKind> = kinds
        .iter()
        .filter_map(|&k| AzureKind::try_from(k).ok())
        .collect();
    let runs = wanted.iter().filter_map(|&kind| {
        let (run, fills) = collector(arm, sub, kind, &wanted, kinds)?;
        Some(guarded(sub, fills, run))
    });
    let mut inv = Inventory::default();
    for part in join_all(runs).await {
        inv.absorb(part);
    }
    inv
}

/// A failed read of one resource's detail (ARM operation id `op`): an error for it only.
fn fail_on(r: &crate::model::ResourceRef, op: &str, e: &ArmError) -> CollectionError {
    CollectionError::of_resource(r, op, e.reason())
}

/// A collection error for (subscription, location or every location, kind).
fn fail(sub: &str, region: Option<String>, kind: ResourceKind, e: &ArmError) -> CollectionError {
    CollectionError {
        provider: Provider::Azure,
        account: sub.to_string(),
        region,
        kind,
        resource: None,
        operation: None,
        reason: e.reason(),
    }
}
