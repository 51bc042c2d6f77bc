//! `phiscan scan`: build the inventory (demo, saved file, or a cloud), select checks,
//! evaluate, apply policy and report.

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use phiscan_scanner::config_file::{self, is_region_name, Loaded};
use phiscan_scanner::frameworks::nprm2025::Framework;
use phiscan_scanner::profiles::Profile;
use phiscan_scanner::report::{Report, ScanInfo, Source};
use phiscan_scanner::scope::{self, Untagged};
use phiscan_scanner::shard::Shard;
use phiscan_scanner::{demo, engine, policy, Config, Inventory, Provider, ResourceKind, Severity};

use super::live_azure::{collect_azure, AzureArgs};

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

#[derive(Clone, Copy, ValueEnum)]
pub enum UntaggedArg {
    /// Evaluate untagged resources too
    Include,
    /// Leave untagged resources out
    Exclude,
    /// Leave them out and report each as a FAIL of phiscan-untagged-resource
    Report,
}

impl From<UntaggedArg> for Untagged {
    fn from(u: UntaggedArg) -> Untagged {
        match u {
            UntaggedArg::Include => Untagged::Include,
            UntaggedArg::Exclude => Untagged::Exclude,
            UntaggedArg::Report => Untagged::Report,
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

    /// Exit with 1 when a failure at or above this severity remains after waivers
    /// [default: phiscan.toml's fail_on, else low]
    #[arg(long, value_enum)]
    fail_on: Option<SeverityArg>,

    /// The configuration file (docs/config.md). Default: phiscan.toml in the working
    /// directory, when there is one. Command-line flags override it
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Evaluate only resources tagged/labelled with this data classification, e.g.
    /// `data-classification=protected` (values: phiscan.toml's scope.values, default
    /// Protected, Confidential, Internal, Public; case-insensitive)
    #[arg(long, value_name = "KEY=VALUE[,VALUE]")]
    scope: Option<String>,

    /// With a scope: what to do with resources without the classification tag
    /// [default: phiscan.toml's scope.untagged, else include]
    #[arg(long, value_enum, value_name = "WHAT")]
    scope_untagged: Option<UntaggedArg>,

    /// Also show readiness against another catalogue: hipaa-nprm-2025, the 2025 proposed
    /// revision of the Security Rule (not in force). Findings always cite the rule in force
    #[arg(long, value_name = "FRAMEWORK", default_value = "hipaa", value_parser = Framework::parse)]
    framework: Framework,

    /// Verify a written security policy: a shipped policy profile (see `phiscan profiles
    /// list`) or a profile file. Runs exactly the checks the profile needs and reports a
    /// verdict per promise
    #[arg(long, value_name = "NAME|FILE")]
    policy: Option<String>,

    /// On live `scan aws`: the AWS named profile of the shared config files (default: the
    /// standard credential chain). On --demo and --from-inventory scans: the same as --policy
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,

    /// The clock checks measure ages against (RFC 3339). Default: now for live and demo
    /// scans, the collection time for --from-inventory
    #[arg(long, value_name = "TIME")]
    now: Option<String>,

    /// Scan only shard I of N (1-based, e.g. 2/4): N jobs with 1/N..N/N together cover every
    /// target (AWS account x region, GCP project, Azure subscription) exactly once; combine
    /// their reports with `phiscan merge`
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,

    /// Live scans: collect every resource kind of the provider, not only those the selected
    /// checks read, so a saved inventory (--save-inventory) can be re-evaluated later by any check
    #[arg(long)]
    collect_all: bool,

    /// Live scans: seconds one attempt of an API call may take before it is abandoned and
    /// retried; a scope whose calls keep timing out is ERROR
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    call_timeout: Option<u64>,

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

    /// AWS Organizations: scan every ACTIVE account of the organization, assuming this role
    /// (name, e.g. OrganizationAccountAccessRole) in each member account; run from the
    /// management account or a delegated administrator
    #[arg(long, value_name = "ROLE_NAME", help_heading = "AWS")]
    org_role: Option<String>,

    /// With --org-role: only these account ids (comma-separated or repeated)
    #[arg(
        long,
        value_name = "ID",
        value_delimiter = ',',
        requires = "org_role",
        help_heading = "AWS"
    )]
    org_accounts: Vec<String>,

    /// With --org-role: the external id the role's trust policy demands
    #[arg(long, value_name = "ID", requires = "org_role", help_heading = "AWS")]
    org_external_id: Option<String>,

    /// With --org-role: accounts scanned at once
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64), help_heading = "AWS")]
    max_parallel_accounts: u16,

    #[command(flatten)]
    azure: AzureArgs,

    /// GCP: projects to scan, comma-separated or repeated (default: every ACTIVE project
    /// the credentials can see)
    #[arg(
        long = "project",
        value_name = "PROJECT",
        value_delimiter = ',',
        help_heading = "GCP"
    )]
    gcp_projects: Vec<String>,

    /// GCP: folder ids (123456789012 or folders/123456789012), repeated or comma-separated:
    /// every ACTIVE project under the folder, nested folders included, is scanned, together
    /// with any --project
    #[arg(
        long = "folder",
        value_name = "ID",
        value_delimiter = ',',
        help_heading = "GCP"
    )]
    gcp_folders: Vec<String>,

    /// GCP: organization ids (123456789012 or organizations/123456789012), repeated or
    /// comma-separated: every ACTIVE project in the organization, in folders at any depth
    /// too, is scanned, together with any --project
    #[arg(
        long = "organization",
        value_name = "ID",
        value_delimiter = ',',
        help_heading = "GCP"
    )]
    gcp_organizations: Vec<String>,

    /// GCP: one base URL that replaces https://<service>.googleapis.com for every API
    /// (a proxy, private endpoint or test server); PHISCAN_GCP_ENDPOINT works too
    #[arg(long, value_name = "URL", help_heading = "GCP")]
    gcp_endpoint: Option<String>,
}

impl ScanArgs {
    fn aws_flags_used(&self) -> bool {
        !self.regions.is_empty() || self.endpoint_url.is_some() || self.org_role.is_some()
    }

    /// A live AWS scan: `scan aws` without --demo or --from-inventory.
    fn aws_live(&self) -> bool {
        matches!(self.cloud, Some(CloudArg::Aws)) && !self.demo && self.from_inventory.is_none()
    }
}

pub fn run(mut args: ScanArgs) -> anyhow::Result<i32> {
    let started_at = Utc::now();
    let registry = phiscan_checks::registry();
    let file = match config_file::locate(args.config.as_deref()) {
        Some(path) => Some(config_file::load(&path, &registry)?),
        None => None,
    };
    if let Some(f) = &file {
        args.out.apply_file(f);
    }
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

    let gcp_live =
        matches!(args.cloud, Some(CloudArg::Gcp)) && !args.demo && args.from_inventory.is_none();
    let gcp_used = !args.gcp_projects.is_empty()
        || !args.gcp_folders.is_empty()
        || !args.gcp_organizations.is_empty()
        || args.gcp_endpoint.is_some();
    if gcp_used && !gcp_live {
        bail!("--project, --folder, --organization and --gcp-endpoint apply to live GCP scans only (`phiscan scan gcp`)");
    }
    let azure_live =
        matches!(args.cloud, Some(CloudArg::Azure)) && !args.demo && args.from_inventory.is_none();
    if args.azure.used() && !azure_live {
        bail!("--subscription, --management-group, --azure-cloud and --azure-endpoint apply to live Azure scans only (`phiscan scan azure`)");
    }
    let aws_live = args.aws_live();
    if args.aws_flags_used() && !aws_live {
        bail!("--regions, --endpoint-url and --org-role apply to live AWS scans only (`phiscan scan aws`)");
    }
    if args.collect_all && !aws_live && !azure_live && !gcp_live {
        bail!("--collect-all applies to live scans only (e.g. `phiscan scan aws --collect-all`)");
    }
    if let Some(secs) = args.call_timeout {
        if !aws_live && !azure_live && !gcp_live {
            bail!("--call-timeout applies to live scans only (e.g. `phiscan scan gcp --call-timeout 30`)");
        }
        phiscan_scanner::providers::set_call_timeout(std::time::Duration::from_secs(secs));
    }
    if let Some(r) = args.regions.iter().find(|r| !is_region_name(r)) {
        bail!("--regions: {r:?} is not a region name (e.g. us-east-1)");
    }
    if let Some(f) = &file {
        apply_file(&mut args, f, aws_live, gcp_live, azure_live);
    }
    let scope = config_file::scope_filter(
        file.as_ref().map(|f| &f.file.scope),
        args.scope.as_deref(),
        args.scope_untagged.map(Untagged::from),
    )
    .map_err(anyhow::Error::msg)?;
    let fail_on: Severity = args
        .fail_on
        .map(Severity::from)
        .or(file.as_ref().and_then(|f| f.file.fail_on))
        .unwrap_or(policy::DEFAULT_FAIL_ON);
    let policy = policy_profile(&args, &registry)?;
    let (mut inventory, source, now) = if args.demo {
        let now = clock.unwrap_or(started_at);
        (demo::estate(now), Source::Demo, now)
    } else if let Some(path) = &args.from_inventory {
        let inv = Inventory::load(path)?;
        let now = clock.or(inv.collected_at).unwrap_or(started_at);
        (inv, Source::Inventory(path.display().to_string()), now)
    } else if aws_live || azure_live || gcp_live {
        let provider = if aws_live {
            Provider::Aws
        } else if azure_live {
            Provider::Azure
        } else {
            Provider::Gcp
        };
        let kinds = live_kinds(&args, provider, &registry, policy.as_ref())?;
        tracing::debug!(
            "collecting {} kind(s) from {provider}: {}",
            kinds.len(),
            kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let progress = super::progress::Collection::start(provider);
        let inv = match provider {
            Provider::Aws => collect_aws(&args, &kinds)?,
            Provider::Azure => collect_azure(&args.azure, &kinds, args.shard)?,
            Provider::Gcp => super::live_gcp::collect(
                &args.gcp_projects,
                &super::live_gcp::containers(&args.gcp_folders, &args.gcp_organizations)?,
                args.gcp_endpoint.as_deref(),
                &kinds,
                args.shard,
            )?,
        };
        progress.finish(&inv);
        (inv, Source::Live(provider), clock.unwrap_or(started_at))
    } else if let Some(cloud) = args.cloud {
        let provider = Provider::from(cloud);
        bail!(
            "live {provider} scanning is not built yet: the {provider} collectors are still to come; \
             try `phiscan scan --demo` or `phiscan scan --from-inventory FILE`"
        );
    } else {
        bail!("say what to scan: `phiscan scan aws|gcp|azure`, `phiscan scan --demo` or `phiscan scan --from-inventory FILE`");
    };

    // Every shard runs the checks of the whole estate's clouds, so that merged shards list
    // the checks an unsharded scan would.
    let estate_providers = inventory.providers();
    if let (Some(shard), Source::Demo | Source::Inventory(_)) = (args.shard, &source) {
        // Live collectors split while discovering targets; here the estate is already known.
        inventory.retain_shard(shard);
    }
    if let Some(shard) = args.shard {
        if inventory.scopes.is_empty() {
            super::progress::note(&format!(
                "shard {shard}: none of the targets fall in this shard; the report is empty"
            ));
        }
    }

    let mut providers: BTreeSet<Provider> = match args.cloud {
        Some(c) => [Provider::from(c)].into(),
        None => estate_providers,
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
    if let Some(f) = &file {
        config.params = f.params();
        // The file's overrides of a check replace the profile's for that check.
        config.check_params.extend(f.check_params());
        let severity = f.severity();
        for c in &mut checks {
            if let Some(s) = severity.get(c.meta().id) {
                *c = policy::with_severity(*c, *s);
            }
        }
    }
    if scope
        .as_ref()
        .is_some_and(|s| s.untagged == Untagged::Report)
    {
        let first = *providers.iter().next().expect("providers is not empty");
        checks.push(scope::untagged_check(first));
    }
    config.scope = scope;

    if let Some(path) = &args.save_inventory {
        std::fs::write(path, inventory.to_json())
            .with_context(|| format!("cannot write inventory to {}", path.display()))?;
    }

    tracing::debug!("evaluating {} check(s) at {now}", checks.len());
    let mut findings = engine::evaluate(&checks, &inventory, &config, now);
    let checks_run: Vec<&str> = checks.iter().map(|c| c.meta().id).collect();
    let waivers = policy::apply_waivers(
        &mut findings,
        file.as_ref().map_or(&[], |f| f.waivers()),
        &checks_run,
        now,
    );
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
        fail_on,
        framework: args.framework,
        api_calls: inventory.api_calls.clone(),
        shard: args.shard,
    };
    let mut report = Report::build(scan, &checks, findings)
        .with_policy(waivers, config.scope.as_ref().map(|s| s.describe()));
    for w in report.waiver_warnings() {
        eprintln!("warning: {w}");
    }
    if let Some(p) = policy {
        report = report.with_profile(p);
    }
    let exit_code = report.exit_code;
    let recorded = effective_config(&args, &config, fail_on, file.as_ref());
    outputs.emit(report, &inventory, recorded)?;
    debug_assert!(exit_code != policy::EXIT_USAGE);
    Ok(exit_code)
}

/// The configuration a scan ran with, as recorded in the evidence bundle's scan.json.
fn effective_config(
    args: &ScanArgs,
    config: &Config,
    fail_on: Severity,
    file: Option<&Loaded>,
) -> serde_json::Value {
    serde_json::json!({
        "config_file": file.map(|f| f.path.display().to_string()),
        "scope": config.scope,
        "severity": file.map(|f| f.severity()).unwrap_or_default(),
        "provider": args.cloud.map(Provider::from),
        "checks": args.checks,
        "exclude_checks": args.exclude_checks,
        "fail_on": fail_on,
        "framework": args.framework,
        "now": args.now,
        "from_inventory": args.from_inventory,
        "demo": args.demo,
        "policy": args.policy.as_ref().or(args.profile.as_ref().filter(|_| !args.aws_live())),
        "aws_profile": args.profile.as_ref().filter(|_| args.aws_live()),
        "regions": args.regions,
        "endpoint_url": args.endpoint_url,
        "org_role": args.org_role,
        "org_accounts": args.org_accounts,
        "shard": args.shard.map(|s| s.to_string()),
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
    // On a live AWS scan --profile is the AWS profile, as for the AWS CLI.
    let alias = if args.aws_live() {
        None
    } else {
        args.profile.as_ref()
    };
    let name = match (&args.policy, alias) {
        (Some(_), Some(_)) => bail!("give the policy profile once: --policy or --profile"),
        (Some(n), None) | (None, Some(n)) => n,
        (None, None) => return Ok(None),
    };
    let profile = Profile::load(name)?;
    let metas: Vec<_> = registry.iter().map(|c| c.meta()).collect();
    profile.validate(&metas, name)?;
    Ok(Some(profile))
}

/// Live AWS collection of `kinds`, on a tokio runtime of its own.
#[cfg(feature = "aws")]
fn collect_aws(args: &ScanArgs, kinds: &BTreeSet<ResourceKind>) -> anyhow::Result<Inventory> {
    use phiscan_scanner::providers::aws;
    let opts = aws::AwsOptions {
        profile: args.profile.clone(),
        regions: (!args.regions.is_empty()).then(|| unique(&args.regions)),
        endpoint_url: args.endpoint_url.clone(),
        credentials: None,
        shard: args.shard,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    match &args.org_role {
        Some(role) => {
            let org = aws::OrgOptions {
                role_name: role.clone(),
                external_id: args.org_external_id.clone(),
                accounts: unique(&args.org_accounts),
                max_parallel: usize::from(args.max_parallel_accounts),
            };
            Ok(rt.block_on(aws::collect_organization(&opts, &org, kinds))?)
        }
        None => Ok(rt.block_on(aws::collect(&opts, kinds))?),
    }
}

#[cfg(not(feature = "aws"))]
fn collect_aws(_args: &ScanArgs, _kinds: &BTreeSet<ResourceKind>) -> anyhow::Result<Inventory> {
    bail!("this phiscan was built without the `aws` feature: rebuild with `cargo build --features aws` to scan AWS")
}

/// What phiscan.toml says and the command line left unset: targets of the live provider
/// being scanned (never an error on an offline scan) and the check selection.
fn apply_file(args: &mut ScanArgs, f: &Loaded, aws: bool, gcp: bool, azure: bool) {
    let c = &f.file;
    if aws {
        if args.regions.is_empty() {
            args.regions = c.aws.regions.iter().map(|r| r.get_ref().clone()).collect();
        }
        if args.profile.is_none() {
            args.profile.clone_from(&c.aws.profile);
        }
        if args.endpoint_url.is_none() {
            args.endpoint_url.clone_from(&c.aws.endpoint_url);
        }
    }
    if gcp {
        if args.gcp_projects.is_empty() {
            args.gcp_projects.clone_from(&c.gcp.projects);
        }
        if args.gcp_folders.is_empty() {
            args.gcp_folders.clone_from(&c.gcp.folders);
        }
        if args.gcp_organizations.is_empty() {
            args.gcp_organizations.clone_from(&c.gcp.organizations);
        }
        if args.gcp_endpoint.is_none() {
            args.gcp_endpoint.clone_from(&c.gcp.endpoint);
        }
    }
    if azure {
        if args.azure.subscriptions.is_empty() {
            args.azure.subscriptions.clone_from(&c.azure.subscriptions);
        }
        if args.azure.management_groups.is_empty() {
            args.azure
                .management_groups
                .clone_from(&c.azure.management_groups);
        }
        if args.azure.azure_endpoint.is_none() {
            args.azure.azure_endpoint.clone_from(&c.azure.endpoint);
        }
    }
    if args.checks.is_empty() {
        args.checks = f.include();
    }
    if args.exclude_checks.is_empty() {
        args.exclude_checks = f.exclude();
    }
}

/// The resource kinds a live scan of `provider` collects: what the selected checks (narrowed
/// by the policy profile) read, or every kind of the provider with --collect-all.
fn live_kinds(
    args: &ScanArgs,
    provider: Provider,
    registry: &[&'static dyn phiscan_scanner::Check],
    policy: Option<&Profile>,
) -> anyhow::Result<BTreeSet<ResourceKind>> {
    if args.collect_all {
        return Ok(ResourceKind::ALL
            .iter()
            .copied()
            .filter(|k| k.provider() == provider)
            .collect());
    }
    let mut checks = engine::select(
        registry,
        &[provider].into(),
        &args.checks,
        &args.exclude_checks,
    )?;
    if let Some(p) = policy {
        let wanted = p.check_ids();
        checks.retain(|c| wanted.contains(&c.meta().id));
    }
    Ok(engine::plan(&checks))
}

/// The values in first-seen order, each once: a region (or account) named twice, by a
/// repeated flag or by the config file and a flag, is scanned once.
#[cfg(feature = "aws")]
fn unique(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}
