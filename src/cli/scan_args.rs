//! The arguments of `phiscan scan`, and the targets and selection phiscan.toml fills in
//! where the command line is silent.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use phiscan_core::config_file::Loaded;
use phiscan_core::frameworks::nprm2025::Framework;
use phiscan_core::scope::Untagged;
use phiscan_core::shard::Shard;
use phiscan_core::{Provider, Severity};

use super::live_aws::AwsArgs;
use super::live_azure::AzureArgs;
use super::live_gcp::GcpArgs;

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
    pub(super) cloud: Option<CloudArg>,

    /// Scan the built-in demo estate (offline, no credentials)
    #[arg(long, conflicts_with = "from_inventory")]
    pub(super) demo: bool,

    /// Also judge attested assets: hosts, disks, firewall rules and backups on platforms no
    /// API reaches (Rackspace, SoftLayer, on-premises), from a file people attest
    /// (docs/attested.md). Reported as ATTESTED, apart from observed findings
    #[arg(long, value_name = "FILE")]
    pub(super) attested: Option<PathBuf>,

    /// Re-evaluate a saved inventory offline (see --save-inventory)
    #[arg(long, value_name = "FILE")]
    pub(super) from_inventory: Option<PathBuf>,

    /// Save the collected inventory as JSON, to re-evaluate later with --from-inventory
    #[arg(long, value_name = "FILE")]
    pub(super) save_inventory: Option<PathBuf>,

    /// Run only these checks: ids or globs, comma-separated or repeated (`aws-s3-*`)
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub(super) checks: Vec<String>,

    /// Skip these checks: ids or globs, comma-separated or repeated
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub(super) exclude_checks: Vec<String>,

    #[command(flatten)]
    pub(super) out: super::output::OutputArgs,

    /// Exit with 1 when a failure at or above this severity remains after waivers
    /// [default: phiscan.toml's fail_on, else low]
    #[arg(long, value_enum)]
    pub(super) fail_on: Option<SeverityArg>,

    /// The configuration file (docs/config.md). Default: phiscan.toml in the working
    /// directory, when there is one. Command-line flags override it
    #[arg(long, value_name = "FILE")]
    pub(super) config: Option<PathBuf>,

    /// Evaluate only resources tagged/labelled with this data classification, e.g.
    /// `data-classification=protected` (values: phiscan.toml's scope.values, default
    /// Protected, Confidential, Internal, Public; case-insensitive)
    #[arg(long, value_name = "KEY=VALUE[,VALUE]")]
    pub(super) scope: Option<String>,

    /// With a scope: what to do with resources without the classification tag
    /// [default: phiscan.toml's scope.untagged, else include]
    #[arg(long, value_enum, value_name = "WHAT")]
    pub(super) scope_untagged: Option<UntaggedArg>,

    /// Also show readiness against another catalogue: hipaa-nprm-2025, the 2025 proposed
    /// revision of the Security Rule (not in force). Findings always cite the rule in force
    #[arg(long, value_name = "FRAMEWORK", default_value = "hipaa", value_parser = Framework::parse)]
    pub(super) framework: Framework,

    /// Verify a written security policy: a shipped policy profile (see `phiscan profiles
    /// list`) or a profile file. Runs exactly the checks the profile needs and reports a
    /// verdict per promise
    #[arg(long, value_name = "NAME|FILE")]
    pub(super) policy: Option<String>,

    /// On live `scan aws`: the AWS named profile of the shared config files (default: the
    /// standard credential chain). On --demo and --from-inventory scans: the same as --policy
    #[arg(long, value_name = "NAME")]
    pub(super) profile: Option<String>,

    /// The clock checks measure ages against (RFC 3339). Default: now for live and demo
    /// scans, the collection time for --from-inventory
    #[arg(long, value_name = "TIME")]
    pub(super) now: Option<String>,

    /// Scan only shard I of N (1-based, e.g. 2/4; N at most 10000): N jobs with 1/N..N/N together cover every
    /// target (AWS account x region, GCP project, Azure subscription) exactly once; combine
    /// their reports with `phiscan merge`. `auto/N`: I is JOB_COMPLETION_INDEX + 1 (a
    /// Kubernetes Indexed Job's pod; ci/templates/kubernetes-scan.yml)
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub(super) shard: Option<Shard>,

    /// Live scans: collect every resource kind of the provider, not only those the selected
    /// checks read, so a saved inventory (--save-inventory) can be re-evaluated later by any check
    #[arg(long)]
    pub(super) collect_all: bool,

    /// Live scans: seconds one attempt of an API call may take before it is abandoned and
    /// retried; a scope whose calls keep timing out is ERROR
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(super) call_timeout: Option<u64>,

    #[command(flatten)]
    pub(super) aws: AwsArgs,

    /// AWS Organizations: scan every ACTIVE account of the organization, assuming this role
    /// (name, e.g. OrganizationAccountAccessRole) in each member account; run from the
    /// management account or a delegated administrator
    #[arg(long, value_name = "ROLE_NAME", help_heading = "AWS")]
    pub(super) org_role: Option<String>,

    /// With --org-role: only these account ids (comma-separated or repeated)
    #[arg(
        long,
        value_name = "ID",
        value_delimiter = ',',
        requires = "org_role",
        help_heading = "AWS"
    )]
    pub(super) org_accounts: Vec<String>,

    /// With --org-role: the external id the role's trust policy demands
    #[arg(long, value_name = "ID", requires = "org_role", help_heading = "AWS")]
    pub(super) org_external_id: Option<String>,

    /// With --org-role: accounts scanned at once
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64), help_heading = "AWS")]
    pub(super) max_parallel_accounts: u16,

    #[command(flatten)]
    pub(super) azure: AzureArgs,

    #[command(flatten)]
    pub(super) gcp: GcpArgs,
}

impl ScanArgs {
    pub(super) fn aws_flags_used(&self) -> bool {
        self.aws.used() || self.org_role.is_some()
    }

    /// The provider of a live scan: `scan aws|gcp|azure` without --demo or --from-inventory.
    pub(super) fn live(&self) -> Option<Provider> {
        self.cloud
            .filter(|_| !self.demo && self.from_inventory.is_none())
            .map(Provider::from)
    }

    /// A live AWS scan: `scan aws` without --demo or --from-inventory.
    pub(super) fn aws_live(&self) -> bool {
        self.live() == Some(Provider::Aws)
    }

    /// What phiscan.toml says and the command line left unset: targets of the live provider
    /// being scanned (never an error on an offline scan) and the check selection.
    pub(super) fn apply_file(&mut self, f: &Loaded) {
        let live = self.live();
        let (aws, gcp, azure) = (
            live == Some(Provider::Aws),
            live == Some(Provider::Gcp),
            live == Some(Provider::Azure),
        );
        if aws {
            self.aws.apply_file(f);
            if self.profile.is_none() {
                self.profile.clone_from(&f.file.aws.profile);
            }
        }
        if gcp {
            self.gcp.apply_file(f);
        }
        if azure {
            self.azure.apply_file(f);
        }
        if self.checks.is_empty() {
            self.checks = f.include();
        }
        if self.exclude_checks.is_empty() {
            self.exclude_checks = f.exclude();
        }
    }
}

/// `--shard`: I/N, or auto/N with the index from the Indexed Job's environment.
fn parse_shard(s: &str) -> Result<Shard, String> {
    let index = std::env::var(phiscan_core::shard::COMPLETION_INDEX_VAR).ok();
    Shard::parse_with_index(s, index.as_deref())
}
