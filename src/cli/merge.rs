//! `phiscan merge`: combine the reports or bundles of a sharded scan (or of scans of
//! different accounts) into one report; the rules are in `phiscan_output::report::merge`.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;
use phiscan_output::report::merge::{self, Input};

use super::evidence::{parsed, public_key};
use super::output::Format;

#[derive(Args)]
pub struct MergeArgs {
    /// The parts: JSON v1 reports (`--format json`) or evidence bundles (directory or
    /// .tar.gz), e.g. the output of every `--shard I/N` job
    #[arg(required = true, value_name = "REPORT|BUNDLE")]
    inputs: Vec<PathBuf>,
    /// Output format of the merged report
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Merge bundles even when they fail verification
    #[arg(long)]
    no_verify: bool,
    /// Verify every bundle's signature against this public key (PEM)
    #[arg(long, value_name = "FILE")]
    public_key: Option<PathBuf>,
}

/// Exit code: the merged report's (0, 1 or 3, as `scan` would have returned for the whole
/// estate); 2 for unreadable, tampered or mismatched inputs.
pub fn run(args: MergeArgs) -> anyhow::Result<i32> {
    let key = public_key(args.public_key.as_deref())?;
    let mut inputs = Vec::new();
    for path in &args.inputs {
        let doc = match parsed(path, args.no_verify, key.as_ref())? {
            Ok(doc) => doc,
            Err(refusal) => bail!("{refusal}"),
        };
        inputs.push(Input {
            name: path.display().to_string(),
            doc,
        });
    }
    let registry = phiscan_checks::registry();
    let order = phiscan_core::policy::check_ids(&registry);
    let merged = merge::merge(inputs, &order).map_err(anyhow::Error::msg)?;
    let report = merged
        .into_report(&registry)
        .context("cannot rebuild the merged report")?;
    super::emit(
        &args.format.render(&report, args.output.is_some()),
        args.output.as_deref(),
    )?;
    Ok(report.exit_code)
}
