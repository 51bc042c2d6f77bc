//! `phiscan scan gcp`: live collection from Google Cloud (collect/src/providers/gcp), on a
//! tokio runtime of its own.

use std::collections::BTreeSet;

use clap::Args;
use phiscan_core::config_file::Loaded;
use phiscan_core::shard::Shard;
use phiscan_core::{Inventory, ResourceKind};

/// The GCP target flags that `scan gcp` and `doctor gcp` share.
#[derive(Args, Default)]
pub struct GcpArgs {
    /// GCP: projects to scan, comma-separated or repeated (default: every ACTIVE project
    /// the credentials can see)
    #[arg(
        long = "project",
        value_name = "PROJECT",
        value_delimiter = ',',
        help_heading = "GCP"
    )]
    pub projects: Vec<String>,

    /// GCP: folder ids (123456789012 or folders/123456789012), repeated or comma-separated:
    /// every ACTIVE project under the folder, nested folders included, is scanned, together
    /// with any --project
    #[arg(
        long = "folder",
        value_name = "ID",
        value_delimiter = ',',
        help_heading = "GCP"
    )]
    pub folders: Vec<String>,

    /// GCP: organization ids (123456789012 or organizations/123456789012), repeated or
    /// comma-separated: every ACTIVE project in the organization, in folders at any depth
    /// too, is scanned, together with any --project
    #[arg(
        long = "organization",
        value_name = "ID",
        value_delimiter = ',',
        help_heading = "GCP"
    )]
    pub organizations: Vec<String>,

    /// GCP: one base URL that replaces https://<service>.googleapis.com for every API
    /// (a proxy, private endpoint or test server); PHISCAN_GCP_ENDPOINT works too
    #[arg(long = "gcp-endpoint", value_name = "URL", help_heading = "GCP")]
    pub endpoint: Option<String>,
}

impl GcpArgs {
    pub fn used(&self) -> bool {
        !self.projects.is_empty()
            || !self.folders.is_empty()
            || !self.organizations.is_empty()
            || self.endpoint.is_some()
    }

    /// phiscan.toml's `[gcp]` targets where the command line is silent.
    pub fn apply_file(&mut self, f: &Loaded) {
        let c = &f.file.gcp;
        if self.projects.is_empty() {
            self.projects.clone_from(&c.projects);
        }
        if self.folders.is_empty() {
            self.folders.clone_from(&c.folders);
        }
        if self.organizations.is_empty() {
            self.organizations.clone_from(&c.organizations);
        }
        if self.endpoint.is_none() {
            self.endpoint.clone_from(&c.endpoint);
        }
    }
}

/// The collector's options of `args`: projects checked, folders and organizations as
/// parents, the endpoint from the flag, else PHISCAN_GCP_ENDPOINT.
#[cfg(feature = "gcp")]
pub fn options(
    args: &GcpArgs,
    shard: Option<Shard>,
) -> anyhow::Result<phiscan_collect::providers::gcp::GcpOptions> {
    use phiscan_collect::providers::gcp;
    if let Some(p) = args.projects.iter().find(|p| !is_project_id(p)) {
        anyhow::bail!("--project: {p} is not a project id (lowercase letters, digits and hyphens, e.g. my-project-123)", p = phiscan_core::quote::quote(p));
    }
    let endpoint = args.endpoint.clone().or_else(|| {
        std::env::var(gcp::ENDPOINT_VAR)
            .ok()
            .filter(|e| !e.trim().is_empty())
    });
    Ok(gcp::GcpOptions {
        projects: args.projects.clone(),
        containers: containers(&args.folders, &args.organizations)?,
        endpoint,
        shard,
    })
}

/// Collect `kinds` from the projects `args` name, and every ACTIVE project under its folders
/// and organizations (none of them: every ACTIVE project the credentials can see).
#[cfg(feature = "gcp")]
pub fn collect(
    args: &GcpArgs,
    kinds: &BTreeSet<ResourceKind>,
    shard: Option<Shard>,
) -> anyhow::Result<Inventory> {
    use anyhow::Context;
    let opts = options(args, shard)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    Ok(rt.block_on(phiscan_collect::providers::gcp::collect(&opts, kinds))?)
}

#[cfg(not(feature = "gcp"))]
pub fn collect(
    _args: &GcpArgs,
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
#[cfg(any(feature = "gcp", test))]
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
