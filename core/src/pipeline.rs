//! The scan pipeline: a validated [`Request`] in, the finished [`Report`] (and the inventory
//! it was made from) out. The CLI, and any other front end, only builds the request and
//! renders the outcome.
//!
//! Stages, each once:
//! 1. select: the checks of the scan's clouds, narrowed by include/exclude patterns and the
//!    policy profile;
//! 2. plan and collect (live targets): the kinds the selected checks read, or every kind of
//!    the provider with `collect_all`, fetched by the caller's [`Collect`]; an offline target
//!    (the demo estate, a saved inventory) is cut to the shard instead;
//! 3. evaluate the selected checks ([`engine::evaluate`]);
//! 4. policy: scope and untagged resources, severity overrides, waivers, exit code
//!    ([`Policy`]);
//! 5. report, with the policy profile's promise verdicts.
//!
//! Why the collector is passed in: the pipeline belongs to the pure core, which knows no SDK,
//! runtime or file format. A front end implements [`Collect`] with the provider collectors
//! (and shows progress around it); tests pass a fake.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use crate::check::Check;
use crate::config::{Config, Organization, ParamOverrides, Params, Segmentation, ThirdParty};
use crate::engine::{self, SelectError};
use crate::frameworks::nprm2025::Framework;
use crate::model::{Inventory, Provider, ResourceKind};
use crate::policy::Policy;
use crate::profiles::Profile;
use crate::report::{Report, ScanInfo, Source};
use crate::shard::Shard;
use parts::{Parts, Scan};

/// Live collection of resource kinds, provided by the caller (the CLI wraps the provider
/// collectors in it). Called once per scan, with exactly the kinds to collect.
pub trait Collect {
    type Error;
    fn collect(&self, kinds: &BTreeSet<ResourceKind>) -> Result<Inventory, Self::Error>;

    /// The same collection handed over in parts, each as soon as it is complete (one
    /// account of an organization): the pipeline evaluates a part and drops its resources
    /// before the next is done, so a scan of many accounts holds one account's resources at
    /// a time, not all. The parts absorbed together are what [`Collect::collect`] returns;
    /// by default that one inventory is the only part.
    fn collect_parts(
        &self,
        kinds: &BTreeSet<ResourceKind>,
        part: &mut dyn FnMut(Inventory),
    ) -> Result<(), Self::Error> {
        part(self.collect(kinds)?);
        Ok(())
    }
}

impl<E, F: Fn(&BTreeSet<ResourceKind>) -> Result<Inventory, E>> Collect for F {
    type Error = E;
    fn collect(&self, kinds: &BTreeSet<ResourceKind>) -> Result<Inventory, E> {
        self(kinds)
    }
}

/// What to scan.
pub enum Target<'a, E> {
    /// An estate already at hand: the demo estate (`Source::Demo`) or a saved inventory
    /// (`Source::Inventory`). With a shard, only the shard's targets are evaluated.
    Inventory {
        inventory: Box<Inventory>,
        source: Source,
        /// Keep every resource in [`Outcome::inventory`] (for `--save-inventory` and the
        /// evidence bundle). Without it, the resources are released once evaluated, as a
        /// live scan's are: the findings hold the references they name, and the records
        /// are a third of a million-resource re-evaluation's memory.
        keep_resources: bool,
    },
    /// Collect live from `provider`: the kinds the selected checks read, or every kind of the
    /// provider when `collect_all` (so a saved inventory serves any check later). The
    /// collector splits by shard itself, while discovering targets.
    Live {
        provider: Provider,
        collector: &'a dyn Collect<Error = E>,
        collect_all: bool,
        /// Keep every resource in [`Outcome::inventory`] (for `--save-inventory` and the
        /// evidence bundle). Without it, each part of the collection keeps only its scopes,
        /// collection errors, API calls and times once evaluated.
        keep_resources: bool,
    },
}

/// Which checks run.
pub struct Selection<'a> {
    /// Every check this program knows.
    pub registry: &'a [&'static dyn Check],
    /// Evaluate only this cloud's checks and scopes. `None` (offline targets only): every
    /// cloud of the estate. A live target's provider must be this cloud, when given.
    pub cloud: Option<Provider>,
    /// Ids or globs; empty: every check.
    pub include: Vec<String>,
    /// Ids or globs.
    pub exclude: Vec<String>,
    /// A policy profile, validated against the registry: exactly its checks run (on its
    /// clouds), with its parameters.
    pub profile: Option<Profile>,
}

/// The scan clock.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// The time given (`--now`): checks measure ages against it.
    pub fixed: Option<DateTime<Utc>>,
    /// When the scan started (wall clock): the clock of live and demo scans without a fixed
    /// time. A saved inventory is evaluated at its collection time instead.
    pub started_at: DateTime<Utc>,
}

/// A scan to run, validated by the front end (flags, configuration file, profile).
pub struct Request<'a, E> {
    pub target: Target<'a, E>,
    pub selection: Selection<'a>,
    /// Check parameters for every check.
    pub params: Params,
    /// Per-check parameters (phiscan.toml); they win over the profile's for that check.
    pub check_params: BTreeMap<String, ParamOverrides>,
    /// `[segmentation]` (phiscan.toml, or the demo's own for `--demo`).
    pub segmentation: Option<Segmentation>,
    /// `[[third_parties]]`: the partner list.
    pub third_parties: Vec<ThirdParty>,
    /// `[organization]`: the organization's own identities.
    pub organization: Organization,
    pub policy: Policy,
    pub framework: Framework,
    pub clock: Clock,
    pub shard: Option<Shard>,
}

/// A finished scan.
#[derive(Debug)]
pub struct Outcome {
    pub report: Report,
    /// The whole inventory collected or loaded (cut to the shard), for `--save-inventory`
    /// and the evidence bundle; of a live scan without `keep_resources`, its scopes,
    /// collection errors, API calls and times only.
    pub inventory: Inventory,
    /// The configuration the checks ran with (profile parameters under the file's).
    pub config: Config,
}

/// Why a scan could not run. Nothing was evaluated.
#[derive(Debug, thiserror::Error)]
pub enum Error<E> {
    #[error(transparent)]
    Select(#[from] SelectError),
    #[error("the inventory has no scopes{on_profile}: nothing to evaluate")]
    NothingToEvaluate { on_profile: String },
    #[error("--checks/--exclude-checks leave none of policy profile {0}'s checks")]
    ProfileLeavesNone(String),
    #[error("the live target is {target} but the selection asks for {cloud}")]
    CloudMismatch { target: Provider, cloud: Provider },
    /// The caller's collector failed; its error, untouched.
    #[error("collection failed")]
    Collect(E),
}

/// Run the scan `req` describes.
pub fn run<E>(req: Request<'_, E>) -> Result<Outcome, Error<E>> {
    let Request {
        target,
        selection,
        params,
        check_params,
        segmentation,
        third_parties,
        organization,
        policy,
        framework,
        clock,
        shard,
    } = req;
    let mut config = Config {
        params,
        check_params: selection
            .profile
            .as_ref()
            .map(Profile::check_params)
            .unwrap_or_default(),
        segmentation,
        third_parties,
        organization,
    };
    config.check_params.extend(check_params);
    let (inventory, findings, source, providers, checks, now) = match target {
        Target::Live {
            provider,
            collector,
            collect_all,
            keep_resources,
        } => {
            let (providers, checks, planned) = live_plan(&selection, provider)?;
            let kinds: BTreeSet<ResourceKind> = if collect_all {
                ResourceKind::ALL
                    .iter()
                    .copied()
                    .filter(|k| k.provider() == provider)
                    .collect()
            } else {
                planned
            };
            let now = clock.fixed.unwrap_or(clock.started_at);
            let scan = Scan {
                checks: &checks,
                config: &config,
                policy: &policy,
                first_provider: first(&providers),
                now,
            };
            let mut parts = Parts::new(scan, keep_resources);
            collector
                .collect_parts(&kinds, &mut |part| parts.add(part))
                .map_err(Error::Collect)?;
            let (inventory, findings) = parts.finish();
            (
                inventory,
                findings,
                Source::Live(provider),
                providers,
                checks,
                now,
            )
        }
        Target::Inventory {
            inventory,
            source,
            keep_resources,
        } => {
            let mut inventory = *inventory;
            // Every shard runs the checks of the whole estate's clouds, so that merged shards
            // list the checks an unsharded scan would.
            let estate = inventory.providers();
            if let Some(shard) = shard {
                inventory.retain_shard(shard);
            }
            let providers =
                scan_providers(selection.cloud.map_or(estate, |c| [c].into()), &selection)?;
            let checks = select(&selection, &providers)?;
            let now = clock
                .fixed
                .or(inventory.collected_at)
                .unwrap_or(clock.started_at);
            let mut findings = engine::evaluate(&checks, &inventory, &config, now);
            policy.scope_findings(&mut findings, &inventory, first(&providers));
            if !keep_resources {
                let (kept, resources) = parts::split(inventory);
                // Freeing a million records keeps a core busy for a while: another thread
                // frees them while this one judges and writes. (Should no thread start, the
                // closure and the records are dropped here.)
                let _ = std::thread::Builder::new().spawn(move || drop(resources));
                inventory = kept;
            }
            (inventory, findings, source, providers, checks, now)
        }
    };
    let judged = policy.judge(&checks, findings, first(&providers), now);

    // From the inventory, never the wall clock: reports and bundles are reproducible.
    let (started_at, finished_at) = ScanInfo::times(&inventory, now);
    let mut scope: Vec<_> = inventory
        .scopes
        .iter()
        .filter(|s| providers.contains(&s.provider))
        .cloned()
        .collect();
    scope.sort_by(|a, b| (a.provider, &a.account).cmp(&(b.provider, &b.account)));
    let scan = ScanInfo {
        tool: "phiscan",
        version: env!("CARGO_PKG_VERSION").to_string(),
        source,
        started_at,
        finished_at,
        evaluated_at: now,
        scope,
        checks_run: judged.checks.iter().map(|c| c.meta.id).collect(),
        fail_on: policy.fail_on,
        framework,
        api_calls: inventory.api_calls.clone(),
        throttled: crate::model::ApiCall::throttled_by_service(&inventory.api_calls),
        shard,
    };
    let mut report = policy.report(scan, judged);
    if let Some(p) = selection.profile {
        report = report.with_profile(p);
    }
    Ok(Outcome {
        report,
        inventory,
        config,
    })
}

/// The provider that labels the untagged-resource check: the first of the scan's.
fn first(providers: &BTreeSet<Provider>) -> Provider {
    *providers
        .first()
        .expect("scan_providers refuses an empty set")
}

/// What a live scan of `provider` evaluates and collects: its clouds, the selected checks
/// and the kinds they read. The one selection [`run`] uses, public so that a caller that only
/// needs to know what a scan would read (`phiscan doctor`) cannot drift from it.
#[allow(clippy::type_complexity)]
pub fn live_plan<E>(
    selection: &Selection,
    provider: Provider,
) -> Result<
    (
        BTreeSet<Provider>,
        Vec<&'static dyn Check>,
        BTreeSet<ResourceKind>,
    ),
    Error<E>,
> {
    if let Some(cloud) = selection.cloud.filter(|c| *c != provider) {
        return Err(Error::CloudMismatch {
            target: provider,
            cloud,
        });
    }
    let providers = scan_providers([provider].into(), selection)?;
    let checks = select(selection, &providers)?;
    let kinds = engine::plan(&checks);
    Ok((providers, checks, kinds))
}

/// The clouds evaluated: `candidates`, narrowed to the profile's clouds; never empty.
fn scan_providers<E>(
    mut candidates: BTreeSet<Provider>,
    selection: &Selection,
) -> Result<BTreeSet<Provider>, Error<E>> {
    if let Some(p) = &selection.profile {
        candidates.retain(|pr| p.providers.contains(pr));
    }
    if candidates.is_empty() {
        return Err(Error::NothingToEvaluate {
            on_profile: match &selection.profile {
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
            },
        });
    }
    Ok(candidates)
}

/// The checks of `providers` the selection picks: the one selection that decides both what
/// is collected and what is evaluated.
fn select<E>(
    selection: &Selection,
    providers: &BTreeSet<Provider>,
) -> Result<Vec<&'static dyn Check>, Error<E>> {
    let mut checks = engine::select(
        selection.registry,
        providers,
        &selection.include,
        &selection.exclude,
    )?;
    if let Some(p) = &selection.profile {
        let wanted = p.check_ids();
        checks.retain(|c| wanted.contains(&c.meta().id));
        if checks.is_empty() {
            return Err(Error::ProfileLeavesNone(p.name.clone()));
        }
    }
    Ok(checks)
}

mod parts;

#[cfg(test)]
mod tests;
