//! `phiscan scan gcp`: live collection from Google Cloud (collect/src/providers/gcp), on a
//! tokio runtime of its own.

use std::collections::BTreeSet;

use phiscan_core::shard::Shard;
use phiscan_core::{Inventory, ResourceKind};

/// Collect `kinds` from `projects` and every ACTIVE project under `containers` (both
/// empty: every ACTIVE project the credentials can see), through `endpoint` (else PHISCAN_GCP_ENDPOINT, else Google's endpoints).
#[cfg(feature = "gcp")]
pub fn collect(
    projects: &[String],
    containers: &[String],
    endpoint: Option<&str>,
    kinds: &BTreeSet<ResourceKind>,
    shard: Option<Shard>,
) -> anyhow::Result<Inventory> {
    use anyhow::{bail, Context};
    use phiscan_collect::providers::gcp;
    if let Some(p) = projects.iter().find(|p| !is_project_id(p)) {
        bail!("--project: {p} is not a project id (lowercase letters, digits and hyphens, e.g. my-project-123)", p = phiscan_core::quote::quote(p));
    }
    let endpoint = endpoint.map(str::to_string).or_else(|| {
        std::env::var(gcp::ENDPOINT_VAR)
            .ok()
            .filter(|e| !e.trim().is_empty())
    });
    let opts = gcp::GcpOptions {
        projects: projects.to_vec(),
        containers: containers.to_vec(),
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
    _containers: &[String],
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

/// `--folder` and `--organization` values as Resource Manager parents (`folders/123`,
/// `organizations/456`): numeric ids, with or without their prefix. Checked here because
/// the id goes into the request.
pub fn containers(folders: &[String], organizations: &[String]) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for (flag, prefix, ids) in [
        ("--folder", "folders/", folders),
        ("--organization", "organizations/", organizations),
    ] {
        for raw in ids {
            let id = raw.trim();
            let id = id.strip_prefix(prefix).unwrap_or(id);
            if id.is_empty() || id.len() > 32 || !id.bytes().all(|b| b.is_ascii_digit()) {
                anyhow::bail!(
                    "{flag} {raw} is not a numeric id (e.g. 123456789012 or {prefix}123456789012)",
                    raw = phiscan_core::quote::quote(raw)
                );
            }
            let parent = format!("{prefix}{id}");
            if !out.contains(&parent) {
                out.push(parent);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn folders_and_organizations_become_parents() {
        let f = vec![
            "123".to_string(),
            "folders/123".to_string(),
            " 45 ".to_string(),
        ];
        let o = vec!["organizations/9".to_string()];
        assert_eq!(
            super::containers(&f, &o).unwrap(),
            ["folders/123", "folders/45", "organizations/9"]
        );
        assert!(super::containers(&["folders/../x".into()], &[]).is_err());
        assert!(super::containers(&[], &["folders/1".into()]).is_err());
        assert!(super::containers(&["".into()], &[]).is_err());
    }
}
