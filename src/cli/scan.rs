//! `phiscan scan`: turn the arguments and phiscan.toml into a scan request, run the
//! library's pipeline ([`phiscan_core::pipeline`]) with the provider collectors for live
//! scans, and write the outputs.

use std::collections::BTreeSet;

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use phiscan_core::attested::AttestedFile;
use phiscan_core::config_file::{self, Loaded};
use phiscan_core::pipeline::{self, Clock, Collect, Request, Selection, Target};
use phiscan_core::policy::{self, Policy};
use phiscan_core::profiles::Profile;
use phiscan_core::scope::{ScopeFilter, Untagged};
use phiscan_core::{Config, Inventory, Provider, ResourceKind, Severity};
use phiscan_demo as demo;
use phiscan_output::evidence::raw::RawMode;
use phiscan_output::report::Source;

use super::live_azure::collect_azure;
pub use super::scan_args::{ScanArgs, SeverityArg};

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
    // Collectors copy response bodies only when some output will carry them.
    phiscan_collect::raw::set_capture(outputs.raw != RawMode::None);
    let fixed = args
        .now
        .as_deref()
        .map(|t| {
            DateTime::parse_from_rfc3339(t)
                .map(|t| t.with_timezone(&Utc))
                .with_context(|| {
                    format!(
                        "--now {t} is not an RFC 3339 time (e.g. 2026-01-31T09:00:00Z)",
                        t = phiscan_core::quote::quote(t)
                    )
                })
        })
        .transpose()?;
    check_flags(&args)?;
    if let Some(secs) = args.call_timeout {
        phiscan_collect::providers::set_call_timeout(std::time::Duration::from_secs(secs));
    }
    if let Some(f) = &file {
        args.apply_file(f);
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
    let profile = policy_profile(&args, &registry)?;
    let clock = Clock { fixed, started_at };
    // Read before collecting: a bad file fails the scan at once, not after a live collection.
    let attested = match &args.attested {
        Some(path) => Some(AttestedFile::load(
            path,
            fixed.unwrap_or(started_at).date_naive(),
        )?),
        None => None,
    };

    let collector = Live { args: &args };
    // Without an output that carries resources, they are released once evaluated.
    let keep_resources = args.save_inventory.is_some() || outputs.keeps_inventory();
    let target = if args.demo {
        Target::Inventory {
            inventory: Box::new(demo::estate(fixed.unwrap_or(started_at))),
            source: Source::Demo,
            keep_resources,
        }
    } else if let Some(path) = &args.from_inventory {
        Target::Inventory {
            inventory: Box::new(Inventory::load(path)?),
            source: Source::Inventory(path.display().to_string()),
            keep_resources,
        }
    } else if let Some(provider) = args.live() {
        Target::Live {
            provider,
            collector: &collector,
            collect_all: args.collect_all,
            // Without an output that carries resources, each account's are dropped once
            // judged.
            keep_resources,
        }
    } else {
        bail!("say what to scan: `phiscan scan aws|gcp|azure`, `phiscan scan --demo` or `phiscan scan --from-inventory FILE`");
    };
    let request = Request {
        target,
        selection: Selection {
            registry: &registry,
            cloud: args.cloud.map(Provider::from),
            include: args.checks.clone(),
            exclude: args.exclude_checks.clone(),
            profile,
        },
        params: file.as_ref().map(Loaded::params).unwrap_or_default(),
        check_params: file.as_ref().map(Loaded::check_params).unwrap_or_default(),
        // The demo brings its own segmentation and partner list (documented in
        // docs/config.md) so that its checks judge something; a file's sections win.
        segmentation: match file.as_ref().and_then(Loaded::segmentation) {
            Some(s) => Some(s.clone()),
            None => args.demo.then(demo::config::segmentation),
        },
        third_parties: match file.as_ref().map(Loaded::third_parties) {
            Some(t) if !t.is_empty() => t.to_vec(),
            _ if args.demo => demo::config::third_parties(),
            _ => Vec::new(),
        },
        organization: match file.as_ref().map(Loaded::organization) {
            Some(o) if !o.is_empty() => o.clone(),
            _ if args.demo => demo::config::organization(),
            _ => Default::default(),
        },
        policy: Policy {
            scope: scope.clone(),
            waivers: file.as_ref().map_or(Vec::new(), |f| f.waivers().to_vec()),
            severity: file.as_ref().map(Loaded::severity).unwrap_or_default(),
            fail_on,
        },
        framework: args.framework,
        clock,
        shard: args.shard,
    };
    let outcome = match pipeline::run(request) {
        Ok(outcome) => outcome,
        Err(pipeline::Error::Collect(e)) => return Err(e),
        Err(e) => return Err(e.into()),
    };

    if let Some(shard) = args.shard {
        if outcome.inventory.scopes.is_empty() {
            super::progress::note(&format!(
                "shard {shard}: none of the targets fall in this shard; the report is empty"
            ));
        }
    }
    if let Some(path) = &args.save_inventory {
        // Raw bodies are the provider's words, secrets included: redacted before they rest.
        let mut saved = outcome.inventory.clone();
        let mut redactor = phiscan_output::evidence::redact::Redactor::new();
        for r in &mut saved.raw_responses {
            redactor.value(&mut r.body);
        }
        std::fs::write(path, saved.to_json())
            .with_context(|| format!("cannot write inventory to {}", path.display()))?;
    }
    let mut report = outcome.report;
    if let Some(file) = &attested {
        let judged = phiscan_checks::attested::evaluate(
            file,
            &outcome.config.params,
            report.scan.evaluated_at,
        );
        report = report.with_attested(judged);
    }
    super::progress::detail(
        module_path!(),
        format_args!(
            "evaluated {} check(s) at {}",
            report.checks.len(),
            report.scan.evaluated_at
        ),
    );
    for w in report.waiver_warnings() {
        super::progress::warn(&w);
    }
    let exit_code = report.exit_code;
    let mut recorded = effective_config(
        &args,
        &outcome.config,
        scope.as_ref(),
        fail_on,
        file.as_ref(),
    );
    recorded["evidence_raw"] = serde_json::json!(outputs.raw_name());
    outputs.emit(report, &outcome.inventory, recorded)?;
    // As for the report (`Plan::emit`): the process ends here, the system frees it at once.
    std::mem::forget(outcome.inventory);
    debug_assert!(exit_code != policy::EXIT_USAGE);
    Ok(exit_code)
}

/// Flags that apply to one kind of scan only, refused on the others.
fn check_flags(args: &ScanArgs) -> anyhow::Result<()> {
    let live = args.live();
    if args.gcp.used() && live != Some(Provider::Gcp) {
        bail!("--project, --folder, --organization and --gcp-endpoint apply to live GCP scans only (`phiscan scan gcp`)");
    }
    if args.azure.used() && live != Some(Provider::Azure) {
        bail!("--subscription, --management-group, --azure-cloud and --azure-endpoint apply to live Azure scans only (`phiscan scan azure`)");
    }
    if args.aws_flags_used() && !args.aws_live() {
        bail!("--regions, --endpoint-url and --org-role apply to live AWS scans only (`phiscan scan aws`)");
    }
    if args.collect_all && live.is_none() {
        bail!("--collect-all applies to live scans only (e.g. `phiscan scan aws --collect-all`)");
    }
    if args.call_timeout.is_some() && live.is_none() {
        bail!(
            "--call-timeout applies to live scans only (e.g. `phiscan scan gcp --call-timeout 30`)"
        );
    }
    args.aws.check()
}

/// Live collection with the provider collectors of the scan's cloud, shown by the progress
/// display while it runs.
struct Live<'a> {
    args: &'a ScanArgs,
}

impl Collect for Live<'_> {
    type Error = anyhow::Error;

    fn collect(&self, kinds: &BTreeSet<ResourceKind>) -> anyhow::Result<Inventory> {
        let mut all = Inventory::new();
        self.collect_parts(kinds, &mut |part| all.absorb(part))?;
        Ok(all)
    }

    /// An organization's accounts one at a time, as each is collected; any other scan in
    /// one part.
    fn collect_parts(
        &self,
        kinds: &BTreeSet<ResourceKind>,
        part: &mut dyn FnMut(Inventory),
    ) -> anyhow::Result<()> {
        let args = self.args;
        let provider = args.live().context("a live scan names its cloud")?;
        super::progress::detail(
            module_path!(),
            format_args!(
                "collecting {} kind(s) from {provider}: {}",
                kinds.len(),
                kinds
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        let progress = super::progress::Collection::start(provider);
        let mut found = super::progress::Tally::new(provider);
        let mut counted = |inv: Inventory| {
            found.add(&inv);
            part(inv);
            crate::release_freed_memory();
        };
        match provider {
            Provider::Aws => collect_aws(args, kinds, &mut counted)?,
            Provider::Azure => counted(collect_azure(&args.azure, kinds, args.shard)?),
            Provider::Gcp => counted(super::live_gcp::collect(&args.gcp, kinds, args.shard)?),
        }
        progress.finish(&found);
        Ok(())
    }
}

/// The configuration a scan ran with, as recorded in the evidence bundle's scan.json.
fn effective_config(
    args: &ScanArgs,
    config: &Config,
    scope: Option<&ScopeFilter>,
    fail_on: Severity,
    file: Option<&Loaded>,
) -> serde_json::Value {
    let mut recorded = serde_json::json!({
        "config_file": file.map(|f| f.path.display().to_string()),
        "scope": scope,
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
        "regions": args.aws.regions,
        "endpoint_url": args.aws.endpoint_url,
        "org_role": args.org_role,
        "org_accounts": args.org_accounts,
        "shard": args.shard.map(|s| s.to_string()),
        "params": config.params,
        "check_params": config.check_params,
    });
    // Only when set: bundles of scans without them read as before.
    if let Some(path) = &args.attested {
        recorded["attested"] = serde_json::json!(path);
    }
    if let Some(s) = &config.segmentation {
        recorded["segmentation"] = serde_json::json!(s);
    }
    if !config.third_parties.is_empty() {
        recorded["third_parties"] = serde_json::json!(config.third_parties);
    }
    recorded
}

/// The policy profile of --policy (or --profile on offline scans), validated against the
/// registered checks.
fn policy_profile(
    args: &ScanArgs,
    registry: &[&'static dyn phiscan_core::Check],
) -> anyhow::Result<Option<Profile>> {
    // On a live AWS scan --profile is the AWS profile, as for the AWS CLI.
    let alias = if args.aws_live() {
        None
    } else {
        args.profile.as_ref()
    };
    load_policy_profile(args.policy.as_ref(), alias, registry)
}

/// The policy profile `--policy` (or `alias`, the other name a command gives it) names,
/// validated against the registered checks.
pub(super) fn load_policy_profile(
    policy: Option<&String>,
    alias: Option<&String>,
    registry: &[&'static dyn phiscan_core::Check],
) -> anyhow::Result<Option<Profile>> {
    let name = match (policy, alias) {
        (Some(_), Some(_)) => bail!("give the policy profile once: --policy or --profile"),
        (Some(n), None) | (None, Some(n)) => n,
        (None, None) => return Ok(None),
    };
    let profile = Profile::load(name)?;
    let metas: Vec<_> = registry.iter().map(|c| c.meta()).collect();
    profile.validate(&metas, name)?;
    Ok(Some(profile))
}

/// Live AWS collection of `kinds`, on a tokio runtime of its own: each account of an
/// organization handed to `part` as soon as it is collected.
#[cfg(feature = "aws")]
fn collect_aws(
    args: &ScanArgs,
    kinds: &BTreeSet<ResourceKind>,
    part: &mut dyn FnMut(Inventory),
) -> anyhow::Result<()> {
    use phiscan_collect::providers::aws;
    let opts = aws::AwsOptions {
        profile: args.profile.clone(),
        regions: args.aws.unique_regions(),
        endpoint_url: args.aws.endpoint_url.clone(),
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
                accounts: super::live_aws::unique(&args.org_accounts),
                max_parallel: usize::from(args.max_parallel_accounts),
            };
            Ok(rt.block_on(aws::collect_organization(&opts, &org, kinds, part))?)
        }
        None => {
            part(rt.block_on(aws::collect(&opts, kinds))?);
            Ok(())
        }
    }
}

#[cfg(not(feature = "aws"))]
fn collect_aws(
    _args: &ScanArgs,
    _kinds: &BTreeSet<ResourceKind>,
    _part: &mut dyn FnMut(Inventory),
) -> anyhow::Result<()> {
    bail!("this phiscan was built without the `aws` feature: rebuild with `cargo build --features aws` to scan AWS")
}
