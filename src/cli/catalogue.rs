//! `phiscan checks list|show` and `phiscan controls`: what phiscan verifies, and why.

use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use phiscan_scanner::frameworks::hipaa::{Coverage, Hipaa, Requirement};
use phiscan_scanner::{CheckMeta, Provider};

#[derive(Subcommand)]
pub enum ChecksCommand {
    /// List the registered checks
    List {
        /// Only this provider's checks (aws, gcp, azure)
        #[arg(long)]
        provider: Option<Provider>,
        /// Only checks citing this HIPAA control (e.g. `164.312(a)(2)(iv)`); a standard
        /// also matches checks citing its implementation specifications
        #[arg(long, value_name = "CITATION")]
        control: Option<String>,
    },
    /// Print a check's documentation: what it checks, why it matters, evidence, remediation
    Show {
        /// The check id, e.g. aws-ebs-volume-encrypted
        id: String,
    },
}

#[derive(Args)]
pub struct ControlsArgs {
    /// Show only controls with this coverage: tested, inherited or organizational
    #[arg(long, value_name = "COVERAGE")]
    coverage: Option<String>,
}

fn table() -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    match super::terminal_width() {
        Some(w) => t
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(w),
        None => t.set_content_arrangement(ContentArrangement::Disabled),
    };
    t
}

fn citations(m: &CheckMeta) -> String {
    m.controls
        .iter()
        .map(|c| c.citation())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn checks(cmd: ChecksCommand) -> anyhow::Result<i32> {
    let registry = phiscan_checks::registry();
    match cmd {
        ChecksCommand::List { provider, control } => {
            let control = control
                .map(|c| {
                    Hipaa::from_citation(&c).ok_or_else(|| {
                        anyhow!(
                            "unknown HIPAA control {c:?} (see `phiscan controls` for citations)"
                        )
                    })
                })
                .transpose()?;
            let mut t = table();
            t.set_header(vec!["Check", "Severity", "Title", "HIPAA controls"]);
            let mut n = 0;
            for c in &registry {
                let m = c.meta();
                if provider.is_some_and(|p| p != m.provider) {
                    continue;
                }
                if let Some(ctl) = control {
                    if !m
                        .controls
                        .iter()
                        .any(|c| *c == ctl || c.parent() == Some(ctl))
                    {
                        continue;
                    }
                }
                t.add_row(vec![m.id, m.severity.as_str(), m.title, &citations(m)]);
                n += 1;
            }
            super::emit(&format!("{t}\n{n} checks\n"), None)?;
        }
        ChecksCommand::Show { id } => {
            let Some(check) = registry.iter().find(|c| c.meta().id == id) else {
                let hint = phiscan_scanner::engine::did_you_mean(&id, &registry);
                bail!("unknown check id {id:?}{hint} (see `phiscan checks list`)");
            };
            let m = check.meta();
            let mut out = format!("{}: {}\n\n", m.id, m.title);
            out += &format!("Severity:  {}\nProvider:  {}\n", m.severity, m.provider);
            out += &format!(
                "Reads:     {}\n",
                m.kinds
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            out += "Controls:\n";
            for c in m.controls {
                out += &format!("  45 CFR {} {}\n", c.citation(), c.name());
            }
            out += "\n";
            out += &m.documentation();
            super::emit(&out, None)?;
        }
    }
    Ok(0)
}

pub fn controls(args: ControlsArgs) -> anyhow::Result<i32> {
    if let Some(c) = &args.coverage {
        if !["tested", "inherited", "organizational"].contains(&c.as_str()) {
            bail!("--coverage {c:?}: expected tested, inherited or organizational");
        }
    }
    let registry = phiscan_checks::registry();
    let mut t = table();
    t.set_header(vec![
        "Citation",
        "Name",
        "R/A",
        "Coverage",
        "Checks / reason",
    ]);
    let mut n = 0;
    for &c in Hipaa::ALL {
        let cov = c.coverage();
        if args
            .coverage
            .as_deref()
            .is_some_and(|want| want != cov.label())
        {
            continue;
        }
        let detail = match cov {
            Coverage::Tested => registry
                .iter()
                .map(|ch| ch.meta())
                .filter(|m| m.controls.contains(&c))
                .map(|m| m.id)
                .collect::<Vec<_>>()
                .join("\n"),
            Coverage::Inherited(r) | Coverage::Organizational(r) => r.to_string(),
        };
        let indent = if c.parent().is_some() { "  " } else { "" };
        let ra = match c.requirement() {
            Some(Requirement::Required) => "R",
            Some(Requirement::Addressable) => "A",
            None => "",
        };
        t.add_row(vec![
            format!("{indent}{}", c.citation()),
            c.name().to_string(),
            ra.to_string(),
            cov.label().to_string(),
            detail,
        ]);
        n += 1;
    }
    let tested = Hipaa::ALL
        .iter()
        .filter(|c| c.coverage() == Coverage::Tested)
        .count();
    let out = format!(
        "HIPAA Security Rule, 45 CFR Part 164 Subpart C: {} standards and implementation specifications\n{t}\n{n} shown; {tested} tested by checks, the rest inherited from the cloud provider or organizational (R = required, A = addressable).\n",
        Hipaa::ALL.len()
    );
    super::emit(&out, None)?;
    Ok(0)
}
