//! `phiscan checks list|show` and `phiscan controls`: what phiscan verifies, and why.

use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use phiscan_core::frameworks::hipaa::{Coverage, Hipaa, Requirement};
use phiscan_core::frameworks::nprm2025::{self, Framework, Nprm2025};
use phiscan_core::{Check, CheckMeta, Provider};

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
    /// The catalogue: hipaa (the Security Rule in force) or hipaa-nprm-2025 (the 2025
    /// proposed revision, for readiness)
    #[arg(long, value_name = "FRAMEWORK", default_value = "hipaa", value_parser = Framework::parse)]
    framework: Framework,
}

fn table() -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(super::table_width(false));
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
                            "unknown HIPAA control {c} (see `phiscan controls` for citations)",
                            c = phiscan_core::quote::quote(&c)
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
                let hint = phiscan_core::engine::did_you_mean(&id, &registry);
                bail!(
                    "unknown check id {id}{hint} (see `phiscan checks list`)",
                    id = phiscan_core::quote::quote(&id)
                );
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
            out += "Proposed 2025 rule (NPRM, not in force):\n";
            for n in Nprm2025::for_controls(m.controls) {
                out += &format!("  proposed 45 CFR {} {}\n", n.citation(), n.name());
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
            bail!(
                "--coverage {c}: expected tested, inherited or organizational",
                c = phiscan_core::quote::quote(c)
            );
        }
    }
    let registry = phiscan_checks::registry();
    if args.framework == Framework::HipaaNprm2025 {
        return proposed_controls(&args, &registry);
    }
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
        let Some(detail) = detail(&args, cov, &registry, |m| m.controls.contains(&c)) else {
            continue;
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

/// `phiscan controls --framework hipaa-nprm-2025`: the proposed requirements and the checks
/// that show readiness for them.
fn proposed_controls(args: &ControlsArgs, registry: &[&'static dyn Check]) -> anyhow::Result<i32> {
    let mut t = table();
    t.set_header(vec!["Proposed", "Name", "Coverage", "Checks / reason"]);
    let mut n = 0;
    for &c in Nprm2025::ALL {
        let cov = c.coverage();
        let Some(detail) = detail(args, cov, registry, |m| {
            Nprm2025::for_controls(m.controls).contains(&c)
        }) else {
            continue;
        };
        t.add_row(vec![
            c.citation().to_string(),
            format!("{}\n{}", c.name(), c.summary()),
            cov.label().to_string(),
            detail,
        ]);
        n += 1;
    }
    let tested = Nprm2025::ALL
        .iter()
        .filter(|c| c.coverage() == Coverage::Tested)
        .count();
    let out = format!(
        "{}\n{}\n{t}\n{n} shown; {tested} of {} proposed standards shown by checks (each check's current-rule controls map to the proposed requirements that take them over).\n",
        nprm2025::STATUS,
        nprm2025::CITATION,
        Nprm2025::ALL.len()
    );
    super::emit(&out, None)?;
    Ok(0)
}

/// The "Checks / reason" cell of a control: the checks citing it when tested, the reason
/// otherwise; `None` when `--coverage` filters the control out.
fn detail(
    args: &ControlsArgs,
    cov: Coverage,
    registry: &[&'static dyn Check],
    cites: impl Fn(&CheckMeta) -> bool,
) -> Option<String> {
    if args
        .coverage
        .as_deref()
        .is_some_and(|want| want != cov.label())
    {
        return None;
    }
    Some(match cov {
        Coverage::Tested => registry
            .iter()
            .map(|ch| ch.meta())
            .filter(|m| cites(m))
            .map(|m| m.id)
            .collect::<Vec<_>>()
            .join("\n"),
        Coverage::Inherited(r) | Coverage::Organizational(r) => r.to_string(),
    })
}
