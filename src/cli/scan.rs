//! `phiscan scan`: build the inventory (demo, saved file, or a cloud), select checks,
//! evaluate, apply policy and report.

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use phiscan_scanner::report::{json, table, Report, ScanInfo, Source};
use phiscan_scanner::{demo, engine, policy, Config, Inventory, Provider, ResourceKind, Severity};

#[derive(Clone, Copy, ValueEnum)]
pub enum CloudArg {
    Aws,
    Gcp,
    Azure,
}

impl From<CloudArg> for Provider {
    fn from(c: CloudArg) -> Provider {
        match c {
            CloudArg::Aws => Provider::Aws,
            CloudArg::Gcp => Provider::Gcp,
            CloudArg::Azure => Provider::Azure,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Human-readable tables: per-control summary, then failing resources
    Table,
    /// JSON format v1 (docs/json-v1.md)
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}

#[derive(Args)]
pub struct ScanArgs {
    /// The cloud to scan live; with --from-inventory, evaluate only that provider's part
    #[arg(value_enum)]
    cloud: Option<CloudArg>,

    /// Scan the built-in demo estate (offline, no credentials)
    #[arg(long, conflicts_with = "from_inventory")]
    demo: bool,

    /// Re-evaluate a saved inventory offline (see --save-inventory)
    #[arg(long, value_name = "FILE")]
    from_inventory: Option<PathBuf>,

    /// Save the collected inventory as JSON, to re-evaluate later with --from-inventory
    #[arg(long, value_name = "FILE")]
    save_inventory: Option<PathBuf>,

    /// Run only these checks: ids or globs, comma-separated or repeated (`aws-s3-*`)
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    checks: Vec<String>,

    /// Skip these checks: ids or globs, comma-separated or repeated
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    exclude_checks: Vec<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,

    /// Write the report to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,

    /// Exit with 1 when a failure at or above this severity is found
    #[arg(long, value_enum, default_value_t = SeverityArg::Low)]
    fail_on: SeverityArg,

    /// The clock checks measure ages against (RFC 3339). Default: now for live and demo
    /// scans, the collection time for --from-inventory
    #[arg(long, value_name = "TIME")]
    now: Option<String>,

    /// Live scans: collect every resource kind of the provider, not only those the selected
    /// checks read, so a saved inventory (--save-inventory) can be re-evaluated later by any check
    #[arg(long)]
    collect_all: bool,

    /// AWS: the named profile of the shared config files (default: the standard chain)
    #[arg(long, value_name = "NAME", help_heading = "AWS")]
    profile: Option<String>,

    /// AWS: regions to scan, comma-separated or repeated (default: every enabled region)
    #[arg(
        long,
        value_name = "REGIONS",
        value_delimiter = ',',
        help_heading = "AWS"
    )]
    regions: Vec<String>,

    /// AWS: send every API request to this endpoint (an emulator); AWS_ENDPOINT_URL works too
    #[arg(long, value_name = "URL", help_heading = "AWS")]
    endpoint_url: Option<String>,
}

impl ScanArgs {
    fn aws_flags_used(&self) -> bool {
        self.profile.is_some() || !self.regions.is_empty() || self.endpoint_url.is_some()
    }
}

pub fn run(args: ScanArgs) -> anyhow::Result<i32> {
    let started_at = Utc::now();
    let clock = args
        .now
        .as_deref()
        .map(|t| {
            DateTime::parse_from_rfc3339(t)
                .map(|t| t.with_timezone(&Utc))
                .with_context(|| {
                    format!("--now {t:?} is not an RFC 3339 time (e.g. 2026-01-31T09:00:00Z)")
                })
        })
        .transpose()?;

    let aws_live =
        matches!(args.cloud, Some(CloudArg::Aws)) && !args.demo && args.from_inventory.is_none();
    if args.aws_flags_used() && !aws_live {
        bail!("--profile, --regions and --endpoint-url apply to live AWS scans only (`phiscan scan aws`)");
    }
    if args.collect_all && !aws_live && args.cloud.is_none_or(|c| matches!(c, CloudArg::Aws)) {
        bail!("--collect-all applies to live scans only (`phiscan scan aws --collect-all`)");
    }
    if let Some(r) = args.regions.iter().find(|r| !is_region_name(r)) {
        bail!("--regions: {r:?} is not a region name (e.g. us-east-1)");
    }
    let registry = phiscan_checks::registry();
    let (inventory, source, now) = if args.demo {
        let now = clock.unwrap_or(started_at);
        (demo::estate(now), Source::Demo, now)
    } else if let Some(path) = &args.from_inventory {
        let inv = Inventory::load(path)?;
        let now = clock.or(inv.collected_at).unwrap_or(started_at);
        (inv, Source::Inventory(path.display().to_string()), now)
    } else if aws_live {
        let providers = [Provider::Aws].into();
        let checks = engine::select(&registry, &providers, &args.checks, &args.exclude_checks)?;
        let kinds = if args.collect_all {
            ResourceKind::ALL
                .iter()
                .copied()
                .filter(|k| k.provider() == Provider::Aws)
                .collect()
        } else {
            engine::plan(&checks)
        };
        let inv = collect_aws(&args, &kinds)?;
        (
            inv,
            Source::Live(Provider::Aws),
            clock.unwrap_or(started_at),
        )
    } else if let Some(cloud) = args.cloud {
        let provider = Provider::from(cloud);
        bail!(
            "live {provider} scanning is not built yet: the {provider} collectors are still to come; \
             try `phiscan scan --demo` or `phiscan scan --from-inventory FILE`"
        );
    } else {
        bail!("say what to scan: `phiscan scan aws|gcp|azure`, `phiscan scan --demo` or `phiscan scan --from-inventory FILE`");
    };

    let providers: BTreeSet<Provider> = match args.cloud {
        Some(c) => [Provider::from(c)].into(),
        None => inventory.providers(),
    };
    if providers.is_empty() {
        bail!("the inventory has no scopes: nothing to evaluate");
    }
    let checks = engine::select(&registry, &providers, &args.checks, &args.exclude_checks)?;

    if let Some(path) = &args.save_inventory {
        std::fs::write(path, inventory.to_json())
            .with_context(|| format!("cannot write inventory to {}", path.display()))?;
    }

    let config = Config::default();
    let findings = engine::evaluate(&checks, &inventory, &config, now);
    let scan = ScanInfo {
        tool: "phiscan",
        version: env!("CARGO_PKG_VERSION"),
        source,
        started_at,
        finished_at: Utc::now(),
        evaluated_at: now,
        scope: inventory
            .scopes
            .iter()
            .filter(|s| providers.contains(&s.provider))
            .cloned()
            .collect(),
        checks_run: checks.iter().map(|c| c.meta().id).collect(),
        fail_on: args.fail_on.into(),
        api_calls: inventory.api_calls.clone(),
    };
    let report = Report::build(scan, &checks, findings);
    let text = match args.format {
        Format::Json => json::render(&report),
        Format::Table => table::render(
            &report,
            if args.output.is_none() {
                super::terminal_width()
            } else {
                None
            },
        ),
    };
    super::emit(&text, args.output.as_deref())?;
    debug_assert!(report.exit_code != policy::EXIT_USAGE);
    Ok(report.exit_code)
}

/// Live AWS collection of `kinds`, on a tokio runtime of its own.
#[cfg(feature = "aws")]
fn collect_aws(args: &ScanArgs, kinds: &BTreeSet<ResourceKind>) -> anyhow::Result<Inventory> {
    use phiscan_scanner::providers::aws;
    let opts = aws::AwsOptions {
        profile: args.profile.clone(),
        regions: (!args.regions.is_empty()).then(|| args.regions.clone()),
        endpoint_url: args.endpoint_url.clone(),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    Ok(rt.block_on(aws::collect(&opts, kinds))?)
}

#[cfg(not(feature = "aws"))]
fn collect_aws(_args: &ScanArgs, _kinds: &BTreeSet<ResourceKind>) -> anyhow::Result<Inventory> {
    bail!("this phiscan was built without the `aws` feature: rebuild with `cargo build --features aws` to scan AWS")
}

/// `us-east-1`, `eu-central-2`, `us-gov-west-1`: lowercase words and a number, by dashes.
fn is_region_name(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts
            .last()
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
}
