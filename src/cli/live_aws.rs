//! The AWS target flags that `scan aws` and `doctor aws` share (the collector itself is
//! `phiscan_collect::providers::aws`).

use clap::Args;
use phiscan_core::config_file::{is_region_name, Loaded};

#[derive(Args, Default)]
pub struct AwsArgs {
    /// AWS: regions to scan, comma-separated or repeated (default: every enabled region)
    #[arg(
        long,
        value_name = "REGIONS",
        value_delimiter = ',',
        help_heading = "AWS"
    )]
    pub regions: Vec<String>,

    /// AWS: send every API request to this endpoint (an emulator); AWS_ENDPOINT_URL works too
    #[arg(long, value_name = "URL", help_heading = "AWS")]
    pub endpoint_url: Option<String>,
}

impl AwsArgs {
    pub fn used(&self) -> bool {
        !self.regions.is_empty() || self.endpoint_url.is_some()
    }

    /// phiscan.toml's `[aws]` targets where the command line is silent.
    pub fn apply_file(&mut self, f: &Loaded) {
        let c = &f.file.aws;
        if self.regions.is_empty() {
            self.regions = c.regions.iter().map(|r| r.get_ref().clone()).collect();
        }
        if self.endpoint_url.is_none() {
            self.endpoint_url.clone_from(&c.endpoint_url);
        }
    }

    /// Refuse a `--regions` entry that is not a region name.
    pub fn check(&self) -> anyhow::Result<()> {
        if let Some(r) = self.regions.iter().find(|r| !is_region_name(r)) {
            anyhow::bail!(
                "--regions: {r} is not a region name (e.g. us-east-1)",
                r = phiscan_core::quote::quote(r)
            );
        }
        Ok(())
    }

    /// The regions, each once in first-seen order (a region named twice, by a repeated flag
    /// or by the config file and a flag, is scanned once); `None`: every enabled region.
    #[cfg(feature = "aws")]
    pub fn unique_regions(&self) -> Option<Vec<String>> {
        (!self.regions.is_empty()).then(|| unique(&self.regions))
    }
}

/// The values in first-seen order, each once.
#[cfg(feature = "aws")]
pub fn unique(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}
