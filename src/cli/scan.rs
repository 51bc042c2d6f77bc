//! `phiscan scan`: build the inventory (demo, saved file, or a cloud), select checks,
//! evaluate, apply policy and report.

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use phiscan_scanner::report::{json, table, Report, ScanInfo, Source};
use phiscan_scanner::{demo, engine, policy, Config, Inventory, Provider, Severity};

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

    /// GCP: projects to scan, comma-separated or repeated (default: every ACTIVE project
    /// the credentials can see)
    #[arg(
        long = "project",
        value_name = "PROJECT",
        value_delimiter = ',',
        help_heading = "GCP"
    )]
    gcp_projects: Vec<String>,

    /// GCP: one base URL that replaces https://<service>.googleapis.com for every API
    /// (a proxy, private endpoint or test server); PHISCAN_GCP_ENDPOINT works too
    #[arg(long, value_name = "URL", help_heading = "GCP")]
    gcp_endpoint: Option<String>,
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

    let gcp_live =
        matches!(args.cloud, Some(CloudArg::Gcp)) && !args.demo && args.from_inventory.is_none();
    if (!args.gcp_projects.is_empty() || args.gcp_endpoint.is_some()) && !gcp_live {
        bail!("--project and --gcp-endpoint apply to live GCP scans only (`phiscan scan gcp`)");
    }
    let (inventory, source, now) = if args.demo {
        let now = clock.unwrap_or(started_at);
        (demo::estate(now), Source::Demo, now)
    } else if let Some(path) = &args.from_inventory {
        let inv = Inventory::load(path)?;
        let now = clock.or(inv.collected_at).unwrap_or(started_at);
        (inv, Source::Inventory(path.display().to_string()), now)
    } else if gcp_live {
        let providers = [Provider::Gcp].into();
        let registry = phiscan_checks::registry();
        let checks = engine::select(&registry, &providers, &args.checks, &args.exclude_checks)?;
        let inv = super::live_gcp::collect(
            &args.gcp_projects,
            args.gcp_endpoint.as_deref(),
            &engine::plan(&checks),
        )?;
        (
            inv,
            Source::Live(Provider::Gcp),
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
    let registry = phiscan_checks::registry();
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
        scope: {
            let mut scope: Vec<_> = inventory
                .scopes
                .iter()
                .filter(|s| providers.contains(&s.provider))
                .cloned()
                .collect();
            scope.sort_by(|a, b| (a.provider, &a.account).cmp(&(b.provider, &b.account)));
            scope
        },
        checks_run: checks.iter().map(|c| c.meta().id).collect(),
        fail_on: args.fail_on.into(),
        api_calls: inventory.api_calls.clone(),
    };
    let report = Report::build(scan, &checks, findings);
    let text = match args.format {
        Format::Json => json::render(&report),
        Format::Table => table::render(&report, Some(super::table_width(args.output.is_some()))),
    };
    super::emit(&text, args.output.as_deref())?;
    debug_assert!(report.exit_code != policy::EXIT_USAGE);
    Ok(report.exit_code)
}
