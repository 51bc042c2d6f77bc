//! `phiscan evidence verify`, `phiscan keygen`, `phiscan report` and `phiscan diff`: what an
//! auditor or a CI gate does with evidence after the scan.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::{Args, Subcommand, ValueEnum};
use phiscan_core::frameworks::nprm2025::Framework;
use phiscan_output::evidence::{self, sign};
use phiscan_output::report::{diff, json};

use super::output::Format;
use super::report_input::load_report_text;
use super::scan::SeverityArg;

/// Exit code of `evidence verify` for an invalid bundle (and of `report`/`diff` refusing one).
pub const EXIT_INVALID: i32 = 1;

#[derive(Subcommand)]
pub enum EvidenceCommand {
    /// Check every file's SHA-256 and the manifest's signature; name each file that changed,
    /// is missing or was added. Exit 0 valid, 1 invalid, 2 unreadable
    Verify {
        /// The bundle: a directory or a .tar.gz
        bundle: PathBuf,
        /// The signer's public key (PEM). Without it, the key named in the manifest is used:
        /// that proves the bundle is intact, not who signed it
        #[arg(long, value_name = "FILE")]
        public_key: Option<PathBuf>,
    },
}

#[derive(Args)]
pub struct KeygenArgs {
    /// Directory for phiscan-signing-key.pem (private, mode 0600) and
    /// phiscan-signing-key.pub.pem (public, for auditors)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

#[derive(Args)]
pub struct ReportArgs {
    /// An evidence bundle (directory or .tar.gz) or a JSON v1 report file
    bundle: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Render even when the bundle fails verification
    #[arg(long)]
    no_verify: bool,
    /// Require the bundle to be signed by this public key (PEM); refuse anything else.
    /// Without it the signer is unverified (a note on stderr says so)
    #[arg(long, value_name = "FILE")]
    public_key: Option<PathBuf>,
    /// Show readiness against this catalogue (hipaa-nprm-2025) instead of the one the scan
    /// recorded
    #[arg(long, value_name = "FRAMEWORK", value_parser = Framework::parse)]
    framework: Option<Framework>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    /// Sections for people
    Table,
    /// JSON (`format: phiscan-diff/v1`)
    Json,
}

#[derive(Args)]
pub struct DiffArgs {
    /// The earlier scan: an evidence bundle or a JSON v1 report
    old: PathBuf,
    /// The later scan: an evidence bundle or a JSON v1 report
    new: PathBuf,
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    format: DiffFormat,
    /// Write to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit 1 only for newly failing checks at or above this severity (default: the new
    /// scan's --fail-on)
    #[arg(long, value_enum)]
    fail_on: Option<SeverityArg>,
    /// Compare bundles even when they fail verification
    #[arg(long)]
    no_verify: bool,
    /// Require both bundles to be signed by this public key (PEM); refuse anything else
    #[arg(long, value_name = "FILE")]
    public_key: Option<PathBuf>,
}

pub(super) fn public_key(path: Option<&Path>) -> anyhow::Result<Option<sign::VerifyingKey>> {
    path.map(|p| {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("--public-key {}", p.display()))?;
        sign::parse_public(&text).with_context(|| format!("--public-key {}", p.display()))
    })
    .transpose()
}

pub fn evidence(cmd: EvidenceCommand) -> anyhow::Result<i32> {
    match cmd {
        EvidenceCommand::Verify {
            bundle,
            public_key: pk,
        } => {
            let key = public_key(pk.as_deref())?;
            let shown = bundle.display().to_string();
            let started = std::time::Instant::now();
            let files = evidence::archive::read(&bundle)?;
            let v = evidence::verify(&files, &shown, key.as_ref())?;
            let elapsed = started.elapsed();
            let mut out = String::new();
            if v.is_valid() {
                let how = match (&v.signed_by, v.pinned) {
                    (Some(id), true) => format!("signed by {id}, the key given with --public-key"),
                    (Some(id), false) => format!(
                        "signed by {id}, the key the manifest names (pass --public-key to prove who signed)"
                    ),
                    _ => "UNSIGNED: intact, but nothing proves who made it".to_string(),
                };
                out.push_str(&format!(
                    "VALID: {shown}: {} files match manifest.json; {how} ({} ms)\n",
                    v.files,
                    elapsed.as_millis()
                ));
            } else {
                out.push_str(&format!(
                    "INVALID: {shown}: {} problem(s)\n",
                    v.problems.len()
                ));
                for p in &v.problems {
                    out.push_str(&format!("  {p}\n"));
                }
            }
            super::emit(&out, None)?;
            Ok(if v.is_valid() { 0 } else { EXIT_INVALID })
        }
    }
}

pub fn keygen(args: KeygenArgs) -> anyhow::Result<i32> {
    let dir = &args.out;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let private = dir.join("phiscan-signing-key.pem");
    let public = dir.join("phiscan-signing-key.pub.pem");
    for p in [&private, &public] {
        if p.exists() {
            bail!(
                "{} exists; keygen never overwrites a key (choose another --out)",
                p.display()
            );
        }
    }
    let key = sign::generate()?;
    write_private(&private, &sign::private_pem(&key))?;
    std::fs::write(&public, sign::public_pem(&key.verifying_key()))
        .with_context(|| format!("cannot write {}", public.display()))?;
    super::emit(
        &format!(
            "private key: {} (mode 0600: keep it secret; scans read it with --signing-key or {})\npublic key:  {} (give it to auditors: `phiscan evidence verify BUNDLE --public-key {}`)\nkey id:      {}\n",
            private.display(),
            super::output::SIGNING_KEY_ENV,
            public.display(),
            public.display(),
            sign::key_id(&key.verifying_key())
        ),
        None,
    )?;
    Ok(0)
}

fn write_private(path: &Path, pem: &str) -> anyhow::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(pem.as_bytes())
        .and_then(|_| f.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Read a bundle or JSON v1 file as a parsed report; `Err` lines name the file.
pub(super) fn parsed(
    path: &Path,
    no_verify: bool,
    key: Option<&sign::VerifyingKey>,
) -> anyhow::Result<Result<json::Parsed, String>> {
    let text = match load_report_text(path, no_verify, key)? {
        Ok(t) => t,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let shown = if path.is_dir() || evidence::archive::is_archive(path) {
        format!("{}/{}", path.display(), evidence::FINDINGS)
    } else {
        path.display().to_string()
    };
    Ok(Ok(json::parse(&text).with_context(|| shown)?))
}

pub fn report(args: ReportArgs) -> anyhow::Result<i32> {
    let key = public_key(args.public_key.as_deref())?;
    let mut parsed = match parsed(&args.bundle, args.no_verify, key.as_ref())? {
        Ok(p) => p,
        Err(refusal) => {
            diag!("error: {refusal}");
            return Ok(EXIT_INVALID);
        }
    };
    let registry = phiscan_checks::registry();
    if let Some(f) = args.framework {
        parsed.scan.framework = f;
    }
    let report = parsed
        .into_report(&registry)
        .with_context(|| args.bundle.display().to_string())?;
    super::emit(
        &args.format.render(&report, args.output.is_some()),
        args.output.as_deref(),
    )?;
    Ok(0)
}

pub fn diff(args: DiffArgs) -> anyhow::Result<i32> {
    let key = public_key(args.public_key.as_deref())?;
    let mut sides = Vec::new();
    for p in [&args.old, &args.new] {
        match parsed(p, args.no_verify, key.as_ref())? {
            Ok(v) => sides.push(v),
            Err(refusal) => {
                // A tampered input is bad input for a comparison.
                bail!("{refusal}");
            }
        }
    }
    let d = diff::diff(
        &sides[0],
        &args.old.display().to_string(),
        &sides[1],
        &args.new.display().to_string(),
        args.fail_on.map(Into::into),
    );
    let text = match args.format {
        DiffFormat::Table => diff::render_table(&d),
        DiffFormat::Json => diff::render_json(&d),
    };
    super::emit(&text, args.output.as_deref())?;
    Ok(d.exit_code)
}
