//! The HIPAA Security Rule matrix of a scan, as the evidence bundle's `controls.csv` and
//! `controls.html`: every standard and implementation specification with its status, the
//! reason, and links to the findings that decided it (`findings.json#/findings/<n>`, a JSON
//! Pointer into the bundle's JSON v1 report) and to their raw evidence.

use super::text::{csv_line, xml};
use super::{ControlRow, Report, ReportFinding};
use crate::check::Status;
use crate::frameworks::hipaa::{Coverage, Requirement, Safeguard};

pub fn safeguard_label(s: Safeguard) -> &'static str {
    match s {
        Safeguard::Administrative => "administrative",
        Safeguard::Physical => "physical",
        Safeguard::Technical => "technical",
        Safeguard::Organizational => "organizational",
        Safeguard::Documentation => "documentation",
    }
}

pub fn requirement_label(r: Option<Requirement>) -> &'static str {
    match r {
        Some(Requirement::Required) => "required",
        Some(Requirement::Addressable) => "addressable",
        None => "",
    }
}

/// The findings (with their index in the report) that cite a control.
pub fn findings_of<'a>(report: &'a Report, row: &ControlRow) -> Vec<(usize, &'a ReportFinding)> {
    report
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| row.checks.contains(&f.meta.id))
        .collect()
}

/// Why a control has its status, in one sentence.
pub fn reason(row: &ControlRow) -> String {
    let c = &row.counts;
    match row.control.coverage() {
        Coverage::Inherited(r) => format!("Inherited: {r}."),
        Coverage::Organizational(r) => format!("Organizational: {r}."),
        Coverage::Tested if row.checks.is_empty() => {
            "Tested by checks, but none of them ran in this scan (check or provider selection)."
                .to_string()
        }
        Coverage::Tested if c.total() == 0 => format!(
            "Tested by {} check(s) of this scan; no resource in scope was subject to them.",
            row.checks.len()
        ),
        Coverage::Tested => {
            let mut s = format!(
                "Tested by {} check(s) over {} finding(s): {} pass, {} fail, {} error, {} not applicable",
                row.checks.len(),
                c.total(),
                c.pass,
                c.fail,
                c.error,
                c.not_applicable
            );
            s.push_str(match row.verdict() {
                "fail" => "; at least one resource fails.",
                "error" => "; some data could not be collected, so the control is not proven.",
                "fail (attested)" => "; an attested asset (not observed) fails.",
                _ => "; every evaluated resource passes.",
            });
            s
        }
    }
}

fn pointer(i: usize) -> String {
    format!("findings.json#/findings/{i}")
}

pub const CSV_HEADER: [&str; 16] = [
    "citation",
    "name",
    "safeguard",
    "requirement",
    "parent",
    "coverage",
    "status",
    "pass",
    "fail",
    "error",
    "not_applicable",
    "checks",
    "reason",
    "fail_findings",
    "error_findings",
    "pass_findings",
];

/// `controls.csv`: one row per control, links are space-separated JSON Pointers.
pub fn csv(report: &Report) -> String {
    let mut out = csv_line(&CSV_HEADER.map(String::from));
    for row in &report.controls {
        let found = findings_of(report, row);
        let links = |s: Status| {
            found
                .iter()
                .filter(|(_, f)| f.status() == s)
                .map(|(i, _)| pointer(*i))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let c = row.control;
        let tested = c.coverage() == Coverage::Tested;
        let n = |v: usize| if tested { v.to_string() } else { String::new() };
        out.push_str(&csv_line(&[
            c.citation().to_string(),
            c.name().to_string(),
            safeguard_label(c.safeguard()).to_string(),
            requirement_label(c.requirement()).to_string(),
            c.parent().map(|p| p.citation()).unwrap_or("").to_string(),
            c.coverage().label().to_string(),
            row.verdict().to_string(),
            n(row.counts.pass),
            n(row.counts.fail),
            n(row.counts.error),
            n(row.counts.not_applicable),
            row.checks.join(";"),
            reason(row),
            links(Status::Fail),
            links(Status::Error),
            links(Status::Pass),
        ]));
    }
    out
}

/// The matrix as an HTML `<table>` (shared by `controls.html` and the HTML report).
/// `link_findings`: link each finding to `findings.json` and its raw evidence (inside a
/// bundle); else to the finding's row of the same page.
pub fn html_table(report: &Report, link_findings: bool) -> String {
    let mut out = String::from(
        "<table class=\"matrix\">\n<thead><tr><th>Citation</th><th>Name</th><th>R/A</th><th>Coverage</th><th>Status</th><th>Pass</th><th>Fail</th><th>Error</th><th>N/A</th><th>Reason and findings</th></tr></thead>\n<tbody>\n",
    );
    for row in &report.controls {
        let c = row.control;
        let tested = c.coverage() == Coverage::Tested;
        let n = |v: usize| if tested { v.to_string() } else { String::new() };
        let indent = if c.parent().is_some() {
            " class=\"spec\""
        } else {
            ""
        };
        let ra = match c.requirement() {
            Some(Requirement::Required) => "R",
            Some(Requirement::Addressable) => "A",
            None => "",
        };
        let verdict = row.verdict();
        out.push_str(&format!(
            "<tr id=\"control-{id}\" data-status=\"{verdict}\"><td{indent}>{cite}</td><td>{name}</td><td>{ra}</td><td>{cov}</td><td><span class=\"badge {verdict}\">{verdict}</span></td><td>{p}</td><td>{f}</td><td>{e}</td><td>{na}</td><td>{reason}",
            id = anchor(c.citation()),
            cite = xml(c.citation()),
            name = xml(c.name()),
            cov = c.coverage().label(),
            p = n(row.counts.pass),
            f = n(row.counts.fail),
            e = n(row.counts.error),
            na = n(row.counts.not_applicable),
            reason = xml(&reason(row)),
        ));
        let found = findings_of(report, row);
        if !found.is_empty() {
            out.push_str(&format!(
                "<details><summary>{} finding(s)</summary><ul>",
                found.len()
            ));
            for (i, f) in found {
                let status = f.status();
                let target = if link_findings {
                    pointer(i)
                } else {
                    format!("#finding-{i}")
                };
                out.push_str(&format!(
                    "<li><span class=\"badge {cls}\">{status}</span> <a href=\"{target}\">{check}</a> on <code>{res}</code>",
                    cls = super::text::status_label(status),
                    check = xml(f.meta.id),
                    res = xml(&f.resource().id),
                ));
                if let (true, Some(r)) = (link_findings, &f.evidence_ref) {
                    out.push_str(&format!(" (<a href=\"{0}\">{0}</a>)", xml(r)));
                }
                out.push_str(&format!(": {}</li>", xml(&f.finding.reason)));
            }
            out.push_str("</ul></details>");
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// `164.312(a)(2)(iv)` -> `164-312-a-2-iv`: usable in ids and fragments.
pub fn anchor(citation: &str) -> String {
    let mut s = String::new();
    for ch in citation.chars() {
        if ch.is_ascii_alphanumeric() {
            s.push(ch);
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

/// `controls.html`: the matrix as one self-contained page.
pub fn html(report: &Report) -> String {
    let s = &report.scan;
    let mut out = super::html::page_head("HIPAA Security Rule control matrix");
    out.push_str(&format!(
        "<h1>HIPAA Security Rule control matrix</h1>\n<p>phiscan {} — evaluated at {} — {} standards and implementation specifications of 45 CFR Part 164 Subpart C. Tested controls link to their findings in <a href=\"findings.json\">findings.json</a> and to the raw evidence under <code>raw/</code>.</p>\n",
        xml(&s.version),
        s.evaluated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        report.controls.len()
    ));
    out.push_str(&html_table(report, true));
    out.push_str("</body>\n</html>\n");
    out
}
