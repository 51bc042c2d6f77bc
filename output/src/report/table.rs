//! The human format: what a person reads at a glance. First the per-control summary, then
//! every failing resource with the reason, then what could not be collected.

use comfy_table::{
    presets::UTF8_FULL_CONDENSED, Cell, ColumnConstraint, ContentArrangement, Table, Width,
};

use super::{Report, ReportFinding, Source};
use crate::check::Status;
use crate::frameworks::hipaa::Coverage;
use crate::policy;
use phiscan_core::quote::{escape_controls, shorten_to};

mod profile;
use profile::{promises, readiness};

/// The most characters of one value a cell shows. Why: comfy-table's wrapping is quadratic
/// in a cell's length and its width arithmetic overflows past 65,535 columns; a longer value
/// (a forged resource name) is cut with an ellipsis, and JSON or CSV carry it whole.
const MAX_CELL: usize = 1000;

/// A cell of text from the report: control characters escaped, length bounded.
fn cell(text: &str) -> Cell {
    Cell::new(shorten_to(text, MAX_CELL))
}

/// Write the rendered report to `out`.
pub fn write(
    report: &Report,
    width: Option<u16>,
    mut out: impl std::io::Write,
) -> std::io::Result<()> {
    out.write_all(render(report, width).as_bytes())
}

/// Render the report. `width`: the terminal width to wrap to, `None` to never wrap
/// (files and pipes). No control character but the line breaks of the layout is written.
pub fn render(report: &Report, width: Option<u16>) -> String {
    let out = layout(report, width);
    out.split('\n')
        .map(escape_controls)
        .collect::<Vec<_>>()
        .join("\n")
}

fn layout(report: &Report, width: Option<u16>) -> String {
    let mut out = String::new();
    let s = &report.scan;
    let source = match &s.source {
        Source::Demo => "built-in demo estate".to_string(),
        Source::Inventory(path) => format!("inventory {path}"),
        Source::Live(p) => format!("live {p} scan"),
    };
    out.push_str(&format!(
        "phiscan {} — {} — evaluated at {}\n",
        s.version,
        source,
        s.evaluated_at.format("%Y-%m-%d %H:%M:%S UTC")
    ));
    for scope in &s.scope {
        let name = scope
            .name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        let regions = if scope.regions.is_empty() {
            String::new()
        } else {
            format!(": {}", scope.regions.join(", "))
        };
        out.push_str(&format!(
            "  {} {} {}{}{}\n",
            scope.provider,
            scope.provider.scope_noun(),
            scope.account,
            name,
            regions
        ));
    }
    if let Some(scope) = &report.scope {
        out.push_str(&format!(
            "  data-classification scope: {scope} (other resources not evaluated)\n"
        ));
    }
    out.push('\n');

    if let Some(pr) = &report.profile {
        out.push_str(&promises(report, pr, width));
    }

    let mut controls = new_table(width);
    controls.set_header(vec![
        "HIPAA control",
        "Name",
        "Checks",
        "PASS",
        "FAIL",
        "ERROR",
        "N/A",
        "Verdict",
    ]);
    for row in &report.controls {
        if row.control.coverage() != Coverage::Tested
            || row.counts.total() + row.attested.total() == 0
        {
            continue;
        }
        controls.add_row(vec![
            Cell::new(row.control.citation()),
            Cell::new(row.control.name()),
            Cell::new(row.checks.len()),
            Cell::new(row.counts.pass),
            Cell::new(row.counts.fail),
            Cell::new(row.counts.error),
            Cell::new(row.counts.not_applicable),
            Cell::new(row.verdict().to_uppercase()),
        ]);
    }
    out.push_str("HIPAA Security Rule controls tested by this scan\n");
    out.push_str(&controls.to_string());
    out.push_str("\n\n");
    if !report.readiness.is_empty() {
        out.push_str(&readiness(report, width));
    }

    let mut failing: Vec<&ReportFinding> = report
        .findings
        .iter()
        .filter(|f| f.status() == Status::Fail)
        .collect();
    // Worst first; the engine's order (check, scope, resource) within a severity.
    failing.sort_by_key(|f| std::cmp::Reverse(f.severity));
    if !failing.is_empty() {
        out.push_str(&format!("Failing resources ({})\n", failing.len()));
        out.push_str(&findings_table(&failing, width, true).to_string());
        out.push_str("\n\n");
    }
    let waived: Vec<&ReportFinding> = report
        .findings
        .iter()
        .filter(|f| f.status() == Status::Waived)
        .collect();
    if !waived.is_empty() {
        out.push_str(&format!(
            "Waived failures: accepted risks, not counted for the exit code ({})\n",
            waived.len()
        ));
        out.push_str(&waived_table(&waived, width).to_string());
        out.push_str("\n\n");
    }
    let warnings = report.waiver_warnings();
    if !warnings.is_empty() {
        out.push_str("Waivers needing attention\n");
        for w in &warnings {
            out.push_str(&format!("  - {w}\n"));
        }
        out.push('\n');
    }
    let errors: Vec<&ReportFinding> = report
        .findings
        .iter()
        .filter(|f| f.status() == Status::Error)
        .collect();
    if !errors.is_empty() {
        out.push_str(&format!(
            "Could not be verified: data not collected ({})\n",
            errors.len()
        ));
        out.push_str(&findings_table(&errors, width, false).to_string());
        out.push_str("\n\n");
    }

    out.push_str(&super::attested::table_section(report, new_table(width)));

    let c = &report.counts;
    let resources: std::collections::BTreeSet<&str> = report
        .findings
        .iter()
        .map(|f| f.resource().id.as_str())
        .collect();
    let waived = if c.waived > 0 {
        format!(", {} WAIVED", c.waived)
    } else {
        String::new()
    };
    out.push_str(&format!(
        "{} PASS, {} FAIL, {} ERROR, {} NOT_APPLICABLE{waived} — {} checks over {} resources.\n",
        c.pass,
        c.fail,
        c.error,
        c.not_applicable,
        s.checks_run.len(),
        resources.len()
    ));
    if !s.throttled.is_empty() {
        let by: Vec<String> = s
            .throttled
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        out.push_str(&format!(
            "Throttling answers from the APIs, retried after a backoff: {} ({}).\n",
            s.throttled.values().sum::<u64>(),
            by.join(", ")
        ));
    }
    if !report.attested.is_empty() {
        let a = report.attested_counts();
        out.push_str(&format!(
            "Attested (not observed, not in the counts above or the exit code): {} PASS, {} FAIL.\n",
            a.pass, a.fail
        ));
    }
    out.push_str(&match report.exit_code {
        policy::EXIT_OK => format!(
            "Exit code 0: no failure at or above severity {}.\n",
            s.fail_on
        ),
        policy::EXIT_FAILURES => format!(
            "Exit code 1: failures at or above severity {}.\n",
            s.fail_on
        ),
        policy::EXIT_INCOMPLETE => {
            "Exit code 3: the scan is incomplete; some data could not be collected.\n".to_string()
        }
        other => format!("Exit code {other}.\n"),
    });
    out
}

fn new_table(width: Option<u16>) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    match width {
        Some(w) => {
            t.set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(w);
        }
        None => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    t
}

fn findings_table(findings: &[&ReportFinding], width: Option<u16>, severity: bool) -> Table {
    let mut t = new_table(width);
    let mut header = vec![];
    if severity {
        header.push("Severity");
    }
    // The canonical id names account and region (ARN, GCP full name, ARM id).
    header.extend(["Check", "Resource", "Reason"]);
    t.set_header(header);
    for f in findings {
        let r = f.resource();
        let mut row = vec![];
        if severity {
            row.push(Cell::new(f.severity));
        }
        row.push(Cell::new(f.meta.id));
        row.push(if r.name.is_empty() || r.name == r.id {
            cell(&r.id)
        } else {
            Cell::new(format!(
                "{}\n{}",
                shorten_to(&r.name, MAX_CELL),
                shorten_to(&r.id, MAX_CELL)
            ))
        });
        row.push(cell(&f.finding.reason));
        t.add_row(row);
    }
    // Ids and checks stay whole where they can; the reason gets the remaining width.
    let first = usize::from(severity);
    let constraints = [
        ColumnConstraint::ContentWidth,
        ColumnConstraint::UpperBoundary(Width::Percentage(35)),
    ];
    for (i, c) in constraints.into_iter().enumerate() {
        if let Some(col) = t.column_mut(first + i) {
            col.set_constraint(c);
        }
    }
    t
}

/// Waived findings with their waiver instead of the reason.
fn waived_table(findings: &[&ReportFinding], width: Option<u16>) -> Table {
    let mut t = new_table(width);
    t.set_header(vec!["Check", "Resource", "Waiver"]);
    for f in findings {
        let r = f.resource();
        let waiver = match &f.finding.waiver {
            Some(w) => format!(
                "{} (approved by {}, until {})",
                w.justification, w.approver, w.expires
            ),
            None => String::new(),
        };
        t.add_row(vec![Cell::new(f.meta.id), cell(&r.id), cell(&waiver)]);
    }
    t
}
