//! `phiscan scan gcp`: live collection from Google Cloud (scanner/src/providers/gcp), on a
//! tokio runtime of its own.

use std::collections::BTreeSet;

use phiscan_scanner::shard::Shard;
use phiscan_scanner::{Inventory, ResourceKind};

/// Collect `kinds` from `projects` (empty: every ACTIVE project the credentials can see),
/// through `endpoint` (else PHISCAN_GCP_ENDPOINT, else Google's endpoints).
#[cfg(feature = "gcp")]
pub fn collect(
    projects: &[String],
    endpoint: Option<&str>,
    kinds: &BTreeSet<ResourceKind>,
    shard: Option<Shard>,
) -> anyhow::Result<Inventory> {
    use anyhow::{bail, Context};
    use phiscan_scanner::providers::gcp;
    if let Some(p) = projects.iter().find(|p| !is_project_id(p)) {
        bail!("--project: {p:?} is not a project id (lowercase letters, digits and hyphens, e.g. my-project-123)");
    }
    let endpoint = endpoint.map(str::to_string).or_else(|| {
        std::env::var(gcp::ENDPOINT_VAR)
            .ok()
            .filter(|e| !e.trim().is_empty())
    });
    let opts = gcp::GcpOptions {
        projects: projects.to_vec(),
        endpoint,
        shard,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    Ok(rt.block_on(gcp::collect(&opts, kinds))?)
}

#[cfg(not(feature = "gcp"))]
pub fn collect(
    _projects: &[String],
    _endpoint: Option<&str>,
    _kinds: &BTreeSet<ResourceKind>,
    _shard: Option<Shard>,
) -> anyhow::Result<Inventory> {
    anyhow::bail!("this phiscan was built without the `gcp` feature: rebuild with `cargo build --features gcp` to scan GCP")
}

/// A project id (`my-project-123`), or a legacy domain-scoped one (`example.com:my-project`).
#[cfg(feature = "gcp")]
fn is_project_id(p: &str) -> bool {
    let id = p.rsplit_once(':').map_or(p, |(_, id)| id);
    !id.is_empty()
        && id.len() <= 30
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && p.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.:".contains(&b))
}
