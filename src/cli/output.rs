//! Where a report goes: one format to stdout or `--output`, several to `--output-dir`, and
//! the evidence bundle (`--evidence`). Also used by `phiscan report` to render a bundle.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use phiscan_core::model::Inventory;
use phiscan_output::evidence::raw::RawMode;
use phiscan_output::evidence::sign::SigningKey;
use phiscan_output::evidence::{self, redact::outputs, ScanContext};
use phiscan_output::report::{asff, csv, html, json, junit, ocsf, oscal, sarif, table, Report};

/// The environment variable that may hold the signing key's PEM text.
pub const SIGNING_KEY_ENV: &str = "PHISCAN_SIGNING_KEY";

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable tables: per-control summary, then failing resources
    Table,
    /// JSON format v1 (docs/json-v1.md)
    Json,
    /// CSV, one row per finding
    Csv,
    /// SARIF 2.1.0, for code-scanning dashboards
    Sarif,
    /// JUnit XML, one testcase per check and resource, for CI test reports
    Junit,
    /// One self-contained HTML page: charts, filterable findings, control matrix
    Html,
    /// OCSF 1.8.0 Compliance Finding events (JSON array)
    Ocsf,
    /// AWS Security Finding Format for Security Hub (BatchImportFindings input; AWS findings)
    Asff,
    /// NIST OSCAL 1.2.1 assessment results (JSON)
    Oscal,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Table,
        Format::Json,
        Format::Csv,
        Format::Sarif,
        Format::Junit,
        Format::Html,
        Format::Ocsf,
        Format::Asff,
        Format::Oscal,
    ];

    /// File name in `--output-dir`.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Table => "report.txt",
            Format::Json => "report.json",
            Format::Csv => "report.csv",
            Format::Sarif => "report.sarif",
            Format::Junit => "report.junit.xml",
            Format::Html => "report.html",
            Format::Ocsf => "report.ocsf.json",
            Format::Asff => "report.asff.json",
            Format::Oscal => "report.oscal.json",
        }
    }

    /// Write `report` to `out`: JSON and the table while they are produced, the other
    /// formats once rendered. Tables wrap to the terminal only when going to one.
    pub fn write(
        self,
        report: &Report,
        to_file: bool,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        match self {
            Format::Table => table::write(report, Some(super::table_width(to_file)), out),
            Format::Json => json::write(report, out),
            other => out.write_all(other.render(report, to_file).as_bytes()),
        }
    }

    /// Render `report`. Tables wrap to the terminal only when going to one.
    pub fn render(self, report: &Report, to_file: bool) -> String {
        match self {
            Format::Table => table::render(report, Some(super::table_width(to_file))),
            Format::Json => json::render(report),
            Format::Csv => csv::render(report),
            Format::Sarif => sarif::render(report),
            Format::Junit => junit::render(report),
            Format::Html => html::render(report),
            Format::Ocsf => ocsf::render(report),
            Format::Asff => asff::render(report),
            Format::Oscal => oscal::render(report),
        }
    }
}

#[derive(Args)]
pub struct OutputArgs {
    /// Output format. Repeat it (or give none) with --output-dir to write several at once
    #[arg(long, value_enum, value_name = "FORMAT")]
    format: Vec<Format>,

    /// Write the report to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE", conflicts_with = "output_dir")]
    output: Option<PathBuf>,

    /// Write every --format (all formats when none is given) into DIR as report.txt,
    /// report.json, report.csv, report.sarif, report.junit.xml, report.html, report.ocsf.json,
    /// report.asff.json, report.oscal.json
    #[arg(long, value_name = "DIR")]
    output_dir: Option<PathBuf>,

    /// Write an evidence bundle for auditors: a new directory, or FILE.tar.gz
    /// (docs/evidence-bundle.md). Verify it with `phiscan evidence verify`
    #[arg(long, value_name = "DIR|FILE.tar.gz")]
    evidence: Option<PathBuf>,

    /// Sign the evidence bundle with this Ed25519 private key (PEM from `phiscan keygen`).
    /// The key text may come from the PHISCAN_SIGNING_KEY environment variable instead;
    /// never pass a key's text on the command line
    #[arg(long, value_name = "FILE", requires = "evidence")]
    signing_key: Option<PathBuf>,

    /// Which of the provider's raw API responses to keep as evidence: all, those behind
    /// FAIL findings, or none (default: phiscan.toml's output.evidence_raw, else all with
    /// --evidence, none otherwise). Live scans keep them in --save-inventory too (redacted)
    #[arg(long, value_enum, value_name = "WHICH")]
    evidence_raw: Option<EvidenceRaw>,
}

/// `--evidence-raw`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvidenceRaw {
    All,
    Failing,
    None,
}

impl EvidenceRaw {
    fn mode(self) -> RawMode {
        match self {
            EvidenceRaw::All => RawMode::All,
            EvidenceRaw::Failing => RawMode::Failing,
            EvidenceRaw::None => RawMode::None,
        }
    }
}

/// Everything about the outputs that can be checked before scanning, checked.
pub struct Plan {
    formats: Vec<Format>,
    output: Option<PathBuf>,
    output_dir: Option<PathBuf>,
    evidence: Option<PathBuf>,
    key: Option<SigningKey>,
    /// Which raw API responses to keep.
    pub raw: RawMode,
}

impl OutputArgs {
    /// Fill what the command line left unset from phiscan.toml's `[output]`: `--format`
    /// replaces `format`, `--output`/`--output-dir` replace both `output` and `output_dir`.
    pub fn apply_file(&mut self, file: &phiscan_core::config_file::Loaded) {
        let o = &file.file.output;
        if self.format.is_empty() {
            // Names were validated against config_file::FORMATS when the file was loaded.
            self.format = o
                .format
                .iter()
                .filter_map(|f| Format::from_str(f.get_ref(), true).ok())
                .collect();
        }
        if self.output.is_none() && self.output_dir.is_none() {
            self.output = o.output.as_ref().map(|p| file.resolve(p.get_ref()));
            self.output_dir = o.output_dir.as_ref().map(|p| file.resolve(p.get_ref()));
        }
        if self.evidence.is_none() {
            self.evidence = o.evidence.as_ref().map(|p| file.resolve(p.get_ref()));
        }
        if self.evidence_raw.is_none() {
            // Validated against config_file::EVIDENCE_RAW when the file was loaded.
            self.evidence_raw = o
                .evidence_raw
                .as_ref()
                .and_then(|r| EvidenceRaw::from_str(r.get_ref(), true).ok());
        }
    }

    /// Validate the output flags and load the signing key: usage errors surface before any
    /// scanning, and a bundle never overwrites earlier evidence.
    pub fn plan(&self) -> anyhow::Result<Plan> {
        check_destinations(
            self.output.as_deref(),
            self.output_dir.as_deref(),
            self.evidence.as_deref(),
            |flag| format!("--{flag}"),
        )?;
        let mut formats: Vec<Format> = Vec::new();
        for f in &self.format {
            if !formats.contains(f) {
                formats.push(*f);
            }
        }
        if formats.len() > 1 && self.output_dir.is_none() {
            bail!("several --format values need --output-dir DIR (one file per format)");
        }
        if self.output_dir.is_some() && formats.is_empty() {
            formats = Format::ALL.to_vec();
        }
        if formats.is_empty() {
            formats.push(Format::Table);
        }
        if let Some(e) = &self.evidence {
            if evidence::archive::is_archive(e) {
                if e.exists() {
                    bail!(
                        "--evidence {}: the file exists; evidence is never overwritten (choose a new name)",
                        e.display()
                    );
                }
            } else if e.exists()
                && std::fs::read_dir(e)
                    .map(|mut d| d.next().is_some())
                    .unwrap_or(true)
            {
                bail!(
                    "--evidence {}: exists and is not an empty directory; evidence is never overwritten (choose a new directory, or FILE.tar.gz)",
                    e.display()
                );
            }
        }
        let key = match (&self.signing_key, &self.evidence) {
            (Some(path), _) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("--signing-key {}", path.display()))?;
                Some(
                    evidence::sign::parse_private(&text)
                        .with_context(|| format!("--signing-key {}", path.display()))?,
                )
            }
            (None, Some(_)) => match std::env::var(SIGNING_KEY_ENV) {
                // A path where the PEM text belongs is the likely mistake; say so instead of
                // a PEM parse error (and never repeat the value: it may be a key after all).
                Ok(text)
                    if !text.trim().is_empty()
                        && !text.contains("-----BEGIN")
                        && !text.trim().contains('\n') =>
                {
                    bail!(
                        "environment variable {SIGNING_KEY_ENV} does not hold a PEM key: this variable holds the key itself; use --signing-key FILE for a key file"
                    )
                }
                Ok(text) if !text.trim().is_empty() => Some(
                    evidence::sign::parse_private(&text)
                        .with_context(|| format!("environment variable {SIGNING_KEY_ENV}"))?,
                ),
                _ => None,
            },
            (None, None) => None,
        };
        Ok(Plan {
            formats,
            output: self.output.clone(),
            output_dir: self.output_dir.clone(),
            evidence: self.evidence.clone(),
            key,
            raw: match self.evidence_raw {
                Some(r) => r.mode(),
                None if self.evidence.is_some() => RawMode::All,
                None => RawMode::None,
            },
        })
    }
}

/// Refuse destinations that can never be written (too long, no such parent directory)
/// before a scan spends minutes collecting; `name` spells each setting as its source does
/// (`--output` on the command line, `output.output` in phiscan.toml).
pub fn check_destinations(
    output: Option<&Path>,
    output_dir: Option<&Path>,
    evidence: Option<&Path>,
    name: impl Fn(&str) -> String,
) -> anyhow::Result<()> {
    use phiscan_core::paths::{check_dir_destination, check_file_destination};
    let shown = |p: &Path| phiscan_core::quote::quote(&p.display().to_string());
    let checks = [
        ("output", output, true),
        ("output-dir", output_dir, false),
        (
            "evidence",
            evidence,
            evidence.is_some_and(evidence::archive::is_archive),
        ),
    ];
    for (flag, path, is_file) in checks {
        let Some(p) = path else { continue };
        let verdict = if is_file {
            check_file_destination(p)
        } else {
            check_dir_destination(p)
        };
        if let Err(e) = verdict {
            bail!("{} {}: {e}", name(flag), shown(p));
        }
    }
    Ok(())
}

/// The command line as recorded in scan.json: argv[0] is just `phiscan`.
pub fn recorded_command_line() -> Vec<String> {
    let mut args: Vec<String> = std::env::args().collect();
    if let Some(first) = args.first_mut() {
        *first = "phiscan".to_string();
    }
    args
}

impl Plan {
    /// Whether an output carries the inventory's resources (the evidence bundle).
    pub fn keeps_inventory(&self) -> bool {
        self.evidence.is_some()
    }

    /// `--evidence-raw` as scan.json records it.
    pub fn raw_name(&self) -> &'static str {
        match self.raw {
            RawMode::All => "all",
            RawMode::Failing => "failing",
            RawMode::None => "none",
        }
    }

    /// Redact, write the evidence bundle (when asked) and every format.
    pub fn emit(
        &self,
        mut report: Report,
        inventory: &Inventory,
        config: serde_json::Value,
    ) -> anyhow::Result<()> {
        // Every output below (formats and bundle) sees only redacted data. Formats read the
        // report alone: the inventory is copied and redacted only for a bundle.
        let Some(path) = &self.evidence else {
            outputs::redact_report(&mut report);
            let written = self.write_formats(&report);
            // The process ends after this: a report of millions of findings is left to the
            // system rather than freed piece by piece (a tenth of a large scan's CPU).
            std::mem::forget(report);
            return written;
        };
        let mut inventory = inventory.clone();
        evidence::raw::select(&mut inventory, &report, self.raw);
        let mut redactor = outputs::redact_outputs(&mut report, &mut inventory);
        let inventory = &inventory;
        let providers = report.scan.scope.iter().map(|s| s.provider).collect();
        let mut layout = evidence::raw::Layout::new(inventory, &providers);
        layout.attach(&mut report);
        let ctx = ScanContext {
            command_line: recorded_command_line(),
            config,
            inventory,
        };
        let files = evidence::build(&report, &ctx, &layout, &mut redactor, self.key.as_ref());
        evidence::write(path, &files, report.scan.evaluated_at)
            .with_context(|| format!("cannot write the evidence bundle {}", path.display()))?;
        let signed = match &self.key {
            Some(k) => format!("signed with {}", evidence::sign::key_id(&k.verifying_key())),
            None => "UNSIGNED (see --signing-key)".to_string(),
        };
        super::progress::note(&format!(
            "evidence bundle: {} ({} files, {signed}); check it with `phiscan evidence verify {}`",
            path.display(),
            files.len(),
            path.display()
        ));
        self.write_formats(&report)
    }

    fn write_formats(&self, report: &Report) -> anyhow::Result<()> {
        if let Some(dir) = &self.output_dir {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create --output-dir {}", dir.display()))?;
            for f in &self.formats {
                let path = dir.join(f.file_name());
                super::emit_with(Some(&path), |out| f.write(report, true, out))?;
            }
            return Ok(());
        }
        let f = self.formats[0];
        let to_file = self.output.is_some();
        super::emit_with(self.output.as_deref(), |out| f.write(report, to_file, out))
    }
}
