//! `phiscan doctor aws|gcp|azure`: before a scan, what will go wrong. Who the credential is,
//! what it sees, and one read-only probe per resource kind the selected checks read (the
//! same selection as `scan`: --checks, --exclude-checks, --policy, phiscan.toml), each OK,
//! DENIED (with the permission and the README line that grants it) or API DISABLED (with the
//! command that enables it). The probes are `phiscan_collect::doctor`'s; this module picks
//! what to probe and prints the answer (`doctor_render`).

use std::path::PathBuf;

use anyhow::bail;
use clap::{Args, ValueEnum};
use phiscan_collect::doctor::Diagnosis;
use phiscan_core::config_file;
use phiscan_core::pipeline::{self, Selection};
use phiscan_core::policy::EXIT_INCOMPLETE;
use phiscan_core::Provider;

use super::live_aws::AwsArgs;
use super::live_azure::AzureArgs;
use super::live_gcp::GcpArgs;
use super::scan_args::CloudArg;

#[derive(Clone, Copy, Default, ValueEnum)]
pub enum DoctorFormat {
    /// A readable summary and one table row per probe
    #[default]
    Table,
    /// Everything found, as one JSON object (format `phiscan-doctor/v1`)
    Json,
}

#[derive(Args)]
pub struct DoctorArgs {
    /// The cloud whose credential and permissions to check
    #[arg(value_enum)]
    cloud: CloudArg,

    /// Probe only the resource kinds these checks read (ids or globs, as `scan --checks`)
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    checks: Vec<String>,

    /// Leave out the kinds only these checks read (ids or globs, as `scan --exclude-checks`)
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    exclude_checks: Vec<String>,

    /// Probe what this policy profile's checks read (a shipped profile or a file)
    #[arg(long, value_name = "NAME|FILE")]
    policy: Option<String>,

    /// On `doctor aws`: the AWS named profile, as for `scan aws`; elsewhere the same as --policy
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,

    /// The configuration file (default: phiscan.toml in the working directory, when there
    /// is one): its targets and check selection apply as they do to `scan`
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// How to print the result
    #[arg(long, value_enum, default_value_t)]
    format: DoctorFormat,

    /// Write the result to this file instead of stdout
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    #[command(flatten)]
    aws: AwsArgs,

    #[command(flatten)]
    azure: AzureArgs,

    #[command(flatten)]
    gcp: GcpArgs,
}

/// Exit 0 when every probe is OK, 3 when one is not; a setup failure (no credentials, an
/// unreachable endpoint) is an error, exit 2, as for `scan`.
pub fn run(mut args: DoctorArgs) -> anyhow::Result<i32> {
    let registry = phiscan_checks::registry();
    let provider = Provider::from(args.cloud);
    refuse_other_clouds_flags(&args, provider)?;
    if let Some(path) = config_file::locate(args.config.as_deref()) {
        let f = config_file::load(&path, &registry)?;
        match provider {
            Provider::Aws => {
                args.aws.apply_file(&f);
                if args.profile.is_none() {
                    args.profile.clone_from(&f.file.aws.profile);
                }
            }
            Provider::Gcp => args.gcp.apply_file(&f),
            Provider::Azure => args.azure.apply_file(&f),
        }
        if args.checks.is_empty() {
            args.checks = f.include();
        }
        if args.exclude_checks.is_empty() {
            args.exclude_checks = f.exclude();
        }
    }
    // On `doctor aws` --profile is the AWS profile, as for `scan aws`.
    let alias = args.profile.as_ref().filter(|_| provider != Provider::Aws);
    let profile = super::scan::load_policy_profile(args.policy.as_ref(), alias, &registry)?;
    let selection = Selection {
        registry: &registry,
        cloud: Some(provider),
        include: args.checks.clone(),
        exclude: args.exclude_checks.clone(),
        profile,
    };
    let (_, checks, kinds) = pipeline::live_plan::<std::convert::Infallible>(&selection, provider)?;
    let diagnosis = diagnose(&args, provider, &kinds)?;
    let text = match args.format {
        DoctorFormat::Table => super::doctor_render::table(&diagnosis, checks.len()),
        DoctorFormat::Json => super::doctor_render::json(&diagnosis, checks.len()),
    };
    super::emit(&text, args.output.as_deref())?;
    Ok(if diagnosis.all_ok() {
        0
    } else {
        EXIT_INCOMPLETE
    })
}

/// A target flag of another cloud is a mistake, not something to ignore.
fn refuse_other_clouds_flags(args: &DoctorArgs, provider: Provider) -> anyhow::Result<()> {
    let used = [
        (
            Provider::Aws,
            args.aws.used(),
            "--regions and --endpoint-url",
        ),
        (
            Provider::Gcp,
            args.gcp.used(),
            "--project, --folder, --organization and --gcp-endpoint",
        ),
        (
            Provider::Azure,
            args.azure.used(),
            "--subscription, --management-group, --azure-cloud and --azure-endpoint",
        ),
    ];
    for (cloud, used, flags) in used {
        if used && cloud != provider {
            bail!("{flags} apply to `phiscan doctor {cloud}` only");
        }
    }
    args.aws.check()?;
    super::live_azure::check(&args.azure)
}

/// Run the probes of `provider` for `kinds`, on a tokio runtime of its own.
fn diagnose(
    args: &DoctorArgs,
    provider: Provider,
    kinds: &std::collections::BTreeSet<phiscan_core::ResourceKind>,
) -> anyhow::Result<Diagnosis> {
    #[cfg(any(feature = "aws", feature = "gcp", feature = "azure"))]
    let rt = {
        use anyhow::Context;
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?
    };
    match provider {
        #[cfg(feature = "aws")]
        Provider::Aws => {
            use phiscan_collect::providers::aws;
            let opts = aws::AwsOptions {
                profile: args.profile.clone(),
                regions: args.aws.unique_regions(),
                endpoint_url: args.aws.endpoint_url.clone(),
                credentials: None,
                shard: None,
            };
            Ok(rt.block_on(aws::diagnose(&opts, kinds))?)
        }
        #[cfg(feature = "gcp")]
        Provider::Gcp => {
            let opts = super::live_gcp::options(&args.gcp, None)?;
            Ok(rt.block_on(phiscan_collect::providers::gcp::diagnose(&opts, kinds))?)
        }
        #[cfg(feature = "azure")]
        Provider::Azure => {
            let opts = super::live_azure::options(&args.azure, None);
            Ok(rt.block_on(phiscan_collect::providers::azure::diagnose(&opts, kinds))?)
        }
        #[allow(unreachable_patterns)]
        other => {
            let _ = (args, kinds);
            bail!("this phiscan was built without the `{other}` feature: rebuild with `cargo build --features {other}` to check {other}")
        }
    }
}
