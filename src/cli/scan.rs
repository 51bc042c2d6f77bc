//! `phiscan scan`: build the inventory (demo, saved file, or a cloud), select checks,
//! evaluate, apply policy and report.

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use phiscan_scanner::profiles::Profile;
use phiscan_scanner::report::{Report, ScanInfo, Source};
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

    #[command(flatten)]
    out: super::output::OutputArgs,

    /// Exit with 1 when a failure at or above this severity is found
    #[arg(long, value_enum, default_value_t = SeverityArg::Low)]
    fail_on: SeverityArg,

    /// Verify a written security policy: a shipped policy profile (see `phiscan profiles
    /// list`) or a profile file. Runs exactly the checks the profile needs and reports a
    /// verdict per promise
    #[arg(long, value_name = "NAME|FILE")]
    policy: Option<String>,

    /// On --demo and --from-inventory scans: the same as --policy. (On live `scan aws`
    /// scans, --profile names the AWS profile)
    #[arg(long, value_name = "NAME|FILE")]
    profile: Option<String>,

    /// The clock checks measure ages against (RFC 3339). Default: now for live and demo
    /// scans, the collection time for --from-inventory
    #[arg(long, value_name = "TIME")]
    now: Option<String>,
}

pub fn run(args: ScanArgs) -> anyhow::Result<i32> {
    let started_at = Utc::now();
    let outputs = args.out.plan()?;
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

    let (inventory, source, now) = if args.demo {
        let now = clock.unwrap_or(started_at);
        (demo::estate(now), Source::Demo, now)
    } else if let Some(path) = &args.from_inventory {
        let inv = Inventory::load(path)?;
        let now = clock.or(inv.collected_at).unwrap_or(started_at);
        (inv, Source::Inventory(path.display().to_string()), now)
    } else if let Some(cloud) = args.cloud {
        let provider = Provider::from(cloud);
        bail!(
            "live {provider} scanning is not built yet: the {provider} collectors are still to come; \
             try `phiscan scan --demo` or `phiscan scan --from-inventory FILE`"
        );
    } else {
        bail!("say what to scan: `phiscan scan aws|gcp|azure`, `phiscan scan --demo` or `phiscan scan --from-inventory FILE`");
    };

    let registry = phiscan_checks::registry();
    let policy = policy_profile(&args, &registry)?;
    let mut providers: BTreeSet<Provider> = match args.cloud {
        Some(c) => [Provider::from(c)].into(),
        None => inventory.providers(),
    };
    if let Some(p) = &policy {
        providers.retain(|pr| p.providers.contains(pr));
    }
    if providers.is_empty() {
        bail!(
            "the inventory has no scopes{}: nothing to evaluate",
            match &policy {
                Some(p) => format!(
                    " on the clouds of policy profile {} ({})",
                    p.name,
                    p.providers
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => String::new(),
            }
        );
    }
    let mut checks = engine::select(&registry, &providers, &args.checks, &args.exclude_checks)?;
    let mut config = Config::default();
    if let Some(p) = &policy {
        let wanted = p.check_ids();
        checks.retain(|c| wanted.contains(&c.meta().id));
        if checks.is_empty() {
            bail!(
                "--checks/--exclude-checks leave none of policy profile {}'s checks",
                p.name
            );
        }
        config.check_params = p.check_params();
    }

    if let Some(path) = &args.save_inventory {
        std::fs::write(path, inventory.to_json())
            .with_context(|| format!("cannot write inventory to {}", path.display()))?;
    }

    let findings = engine::evaluate(&checks, &inventory, &config, now);
    // From the inventory, never the wall clock: reports and bundles are reproducible.
    let (started_at, finished_at) = ScanInfo::times(&inventory, now);
    let scan = ScanInfo {
        tool: "phiscan",
        version: env!("CARGO_PKG_VERSION").to_string(),
        source,
        started_at,
        finished_at,
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
    };
    let mut report = Report::build(scan, &checks, findings);
    if let Some(p) = policy {
        report = report.with_profile(p);
    }
    let exit_code = report.exit_code;
    outputs.emit(report, &inventory, effective_config(&args, &config))?;
    debug_assert!(exit_code != policy::EXIT_USAGE);
    Ok(exit_code)
}

/// The configuration a scan ran with, as recorded in the evidence bundle's scan.json.
fn effective_config(args: &ScanArgs, config: &Config) -> serde_json::Value {
    serde_json::json!({
        "provider": args.cloud.map(Provider::from),
        "checks": args.checks,
        "exclude_checks": args.exclude_checks,
        "fail_on": Severity::from(args.fail_on),
        "now": args.now,
        "from_inventory": args.from_inventory,
        "demo": args.demo,
        "policy": args.policy.as_ref().or(args.profile.as_ref()),
        "params": config.params,
        "check_params": config.check_params,
    })
}

/// The policy profile of --policy (or --profile on offline scans), validated against the
/// registered checks.
fn policy_profile(
    args: &ScanArgs,
    registry: &[&'static dyn phiscan_scanner::Check],
) -> anyhow::Result<Option<Profile>> {
    let name = match (&args.policy, &args.profile) {
        (Some(_), Some(_)) => bail!("give the policy profile once: --policy or --profile"),
        (Some(n), None) | (None, Some(n)) => n,
        (None, None) => return Ok(None),
    };
    let profile = Profile::load(name)?;
    let metas: Vec<_> = registry.iter().map(|c| c.meta()).collect();
    profile.validate(&metas, name)?;
    Ok(Some(profile))
}
