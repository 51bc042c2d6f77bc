//! `phiscan scan azure`: the Azure flags and the live collection (the collector itself is
//! `phiscan_collect::providers::azure`).

use std::collections::BTreeSet;

use anyhow::bail;
use clap::{Args, ValueEnum};
use phiscan_core::config_file::is_guid;
use phiscan_core::shard::Shard;
use phiscan_core::{Inventory, ResourceKind};

#[derive(Clone, Copy, Default, ValueEnum)]
pub enum AzureCloudArg {
    /// Azure public cloud (management.azure.com)
    #[default]
    Public,
    /// Azure operated by 21Vianet (management.chinacloudapi.cn)
    China,
    /// Azure Government (management.usgovcloudapi.net)
    Usgov,
}

#[derive(Args, Default)]
pub struct AzureArgs {
    /// Azure: subscription ids to scan, repeated or comma-separated (default: every
    /// subscription the credential can see)
    #[arg(
        long = "subscription",
        value_name = "ID",
        value_delimiter = ',',
        help_heading = "Azure"
    )]
    pub subscriptions: Vec<String>,

    /// Azure: management group ids (the group's name, not its display name), repeated or
    /// comma-separated: every subscription under the group, nested groups included, is
    /// scanned, together with any --subscription
    #[arg(
        long = "management-group",
        value_name = "ID",
        value_delimiter = ',',
        help_heading = "Azure"
    )]
    pub management_groups: Vec<String>,

    /// Azure: the cloud to scan
    #[arg(long, value_enum, value_name = "CLOUD", help_heading = "Azure")]
    pub azure_cloud: Option<AzureCloudArg>,

    /// Azure: send every ARM request to this base URL instead of the cloud's ARM endpoint
    /// (also PHISCAN_AZURE_ENDPOINT); https, or http on a loopback address only
    #[arg(long, value_name = "URL", help_heading = "Azure")]
    pub azure_endpoint: Option<String>,
}

impl AzureArgs {
    pub fn used(&self) -> bool {
        !self.subscriptions.is_empty()
            || !self.management_groups.is_empty()
            || self.azure_cloud.is_some()
            || self.azure_endpoint.is_some()
    }
}

/// Live Azure collection of `kinds`.
pub fn collect_azure(
    args: &AzureArgs,
    kinds: &BTreeSet<ResourceKind>,
    shard: Option<Shard>,
) -> anyhow::Result<Inventory> {
    if let Some(bad) = args.subscriptions.iter().find(|s| !is_guid(s.trim())) {
        bail!("--subscription {bad} is not a subscription id (a GUID such as 00000000-0000-0000-0000-000000000000)", bad = phiscan_core::quote::quote(bad));
    }
    if let Some(bad) = args
        .management_groups
        .iter()
        .find(|g| !is_management_group_id(g.trim()))
    {
        bail!("--management-group {bad} is not a management group id (up to 90 letters, digits, '-', '_', '(', ')' or '.', not ending in '.')", bad = phiscan_core::quote::quote(bad));
    }
    collect(args, kinds, shard)
}

/// Azure's rule for management group ids; checked here because the id goes into the path.
fn is_management_group_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 90
        && !s.ends_with('.')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_().".contains(&b))
}

/// The collection itself, on a tokio runtime of its own.
#[cfg(feature = "azure")]
fn collect(
    args: &AzureArgs,
    kinds: &BTreeSet<ResourceKind>,
    shard: Option<Shard>,
) -> anyhow::Result<Inventory> {
    use anyhow::Context;
    use phiscan_collect::providers::azure;
    let endpoint = args.azure_endpoint.clone().or_else(|| {
        std::env::var("PHISCAN_AZURE_ENDPOINT")
            .ok()
            .filter(|v| !v.trim().is_empty())
    });
    let opts = azure::AzureOptions {
        subscriptions: args
            .subscriptions
            .iter()
            .map(|s| s.trim().to_string())
            .collect(),
        management_groups: args
            .management_groups
            .iter()
            .map(|g| g.trim().to_string())
            .collect(),
        cloud: match args.azure_cloud.unwrap_or_default() {
            AzureCloudArg::Public => azure::Cloud::Public,
            AzureCloudArg::China => azure::Cloud::China,
            AzureCloudArg::Usgov => azure::Cloud::UsGov,
        },
        endpoint,
        shard,
        ..Default::default()
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    Ok(rt.block_on(azure::collect(&opts, kinds))?)
}

#[cfg(not(feature = "azure"))]
fn collect(
    _args: &AzureArgs,
    _kinds: &BTreeSet<ResourceKind>,
    _shard: Option<Shard>,
) -> anyhow::Result<Inventory> {
    bail!("this phiscan was built without the `azure` feature: rebuild with `cargo build --features azure` to scan Azure")
}

#[cfg(test)]
mod tests {
    #[test]
    fn subscription_ids_are_guids() {
        assert!(super::is_guid("00000000-1111-2222-3333-444444444444"));
        assert!(!super::is_guid("prod"));
        assert!(!super::is_guid("00000000-1111-2222-3333-44444444444"));
    }

    #[test]
    fn management_group_ids_stay_in_their_path_segment() {
        assert!(super::is_management_group_id("phi-workloads"));
        assert!(super::is_management_group_id("Org_(prod).eu"));
        assert!(!super::is_management_group_id("a/../b"));
        assert!(!super::is_management_group_id("a?b"));
        assert!(!super::is_management_group_id("ends."));
        assert!(!super::is_management_group_id(""));
    }
}
