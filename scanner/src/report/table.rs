//! The human format: what a person reads at a glance. First the per-control summary, then
//! every failing resource with the reason, then what could not be collected.

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, ContentArrangement, Table};

use super::{Report, ReportFinding, Source};
use crate::check::Status;
use crate::frameworks::hipaa::Coverage;
use crate::policy;

/// Render the report. `width`: the terminal width to wrap to, `None` to never wrap
/// (files and pipes).
pub fn render(report: &Report, width: Option<u16>) -> String {
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
    out.push('\n');

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
        if row.control.coverage() != Coverage::Tested || row.counts.total() == 0 {
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

    let mut failing: Vec<&ReportFinding> = report
        .findings
        .iter()
        .filter(|f| f.status() == Status::Fail)
        .collect();
    // Worst first; the engine's order (check, scope, resource) within a severity.
    failing.sort_by_key(|f| std::cmp::Reverse(f.meta.severity));
    if !failing.is_empty() {
        out.push_str(&format!("Failing resources ({})\n", failing.len()));
        out.push_str(&findings_table(&failing, width, true).to_string());
        out.push_str("\n\n");
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

    let c = &report.counts;
    let resources: std::collections::BTreeSet<&str> = report
        .findings
        .iter()
        .map(|f| f.resource().id.as_str())
        .collect();
    out.push_str(&format!(
        "{} PASS, {} FAIL, {} ERROR, {} NOT_APPLICABLE — {} checks over {} resources.\n",
        c.pass,
        c.fail,
        c.error,
        c.not_applicable,
        s.checks_run.len(),
        resources.len()
    ));
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
    header.extend(["Check", "Resource", "Where", "Reason"]);
    t.set_header(header);
    for f in findings {
        let r = f.resource();
        let mut row = vec![];
        if severity {
            row.push(Cell::new(f.meta.severity));
        }
        row.push(Cell::new(f.meta.id));
        row.push(Cell::new(if r.name.is_empty() || r.name == r.id {
            r.id.clone()
        } else {
            format!("{}\n{}", r.name, r.id)
        }));
        row.push(Cell::new(format!(
            "{} {}\n{}",
            r.provider, r.account, r.region
        )));
        row.push(Cell::new(&f.finding.reason));
        t.add_row(row);
    }
    t
}
