//! The table format's policy sections: promise by promise for a profile, and readiness for
//! the 2025 proposed rule.

use comfy_table::{Cell, ColumnConstraint, Width};

use super::{new_table, MAX_CELL};
use crate::profiles::PromiseVerdict;
use crate::report::{attested, ProfileReport, Report};
use phiscan_core::quote::shorten_to;

/// Promise by promise: the quoted sentence, its verdict, and the resources that break it.
pub(super) fn promises(report: &Report, pr: &ProfileReport, width: Option<u16>) -> String {
    let p = &pr.profile;
    let mut out = format!("Policy: {} — {} ({})\n", p.title, p.document, p.version);
    let mut t = new_table(width);
    t.set_header(vec![
        "Promise", "Verdict", "PASS", "FAIL", "ERROR", "Evidence",
    ]);
    for r in &pr.results {
        let promise = format!(
            "{}\n{}: \"{}\"",
            shorten_to(&r.promise.id, MAX_CELL),
            shorten_to(&r.promise.section, MAX_CELL),
            shorten_to(&r.promise.quote, MAX_CELL)
        );
        let evidence = match (&r.promise.manual, r.failing.is_empty()) {
            (Some(why), _) => format!("manual: {}", shorten_to(why, MAX_CELL)),
            (None, true) if r.pass > 0 => format!(
                "{} passing finding(s) of {}",
                r.pass,
                r.promise
                    .checks
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (None, true) => "no resource in scope was evaluated".to_string(),
            (None, false) => r
                .failing
                .iter()
                .filter_map(|&i| report.findings.get(i))
                .map(|f| {
                    let name = shorten_to(&f.resource().name, MAX_CELL);
                    let reason = shorten_to(&f.finding.reason, MAX_CELL);
                    format!("{} {name}: {reason}", f.status())
                })
                .collect::<Vec<_>>()
                .join("\n"),
        };
        let evidence = evidence + &attested::platform_cell(report, r, MAX_CELL);
        t.add_row(vec![
            Cell::new(promise),
            Cell::new(r.verdict.label().to_uppercase()),
            Cell::new(r.pass),
            Cell::new(r.fail),
            Cell::new(r.error),
            Cell::new(evidence),
        ]);
    }
    if let Some(col) = t.column_mut(0) {
        col.set_constraint(ColumnConstraint::UpperBoundary(Width::Percentage(35)));
    }
    let count = |verdicts: &[PromiseVerdict]| {
        pr.results
            .iter()
            .filter(|r| verdicts.contains(&r.verdict))
            .count()
    };
    out.push_str(&t.to_string());
    out.push_str(&format!(
        "\n{} promises: {} kept, {} broken, {} could not be verified, {} manual.\n\n",
        pr.results.len(),
        count(&[PromiseVerdict::Holds, PromiseVerdict::HoldsAttested]),
        count(&[PromiseVerdict::Broken]),
        count(&[PromiseVerdict::NotVerified]),
        count(&[PromiseVerdict::Manual]),
    ));
    out
}

/// Readiness for the 2025 proposed rule: every proposed standard, tested or not, so the gaps
/// that no API can show are listed too.
pub(super) fn readiness(report: &Report, width: Option<u16>) -> String {
    use crate::frameworks::nprm2025;
    let mut t = new_table(width);
    t.set_header(vec![
        "Proposed",
        "Name",
        "Checks",
        "PASS",
        "FAIL",
        "ERROR",
        "Readiness",
    ]);
    for row in &report.readiness {
        let verdict = match row.requirement.coverage().reason() {
            Some(why) => format!("{}: {why}", row.verdict()),
            None => row.verdict().to_uppercase(),
        };
        t.add_row(vec![
            Cell::new(row.requirement.citation()),
            Cell::new(row.requirement.name()),
            Cell::new(row.checks.len()),
            Cell::new(row.counts.pass),
            Cell::new(row.counts.fail),
            Cell::new(row.counts.error),
            Cell::new(verdict),
        ]);
    }
    format!(
        "Readiness for the proposed 2025 Security Rule — {}\n{}\n{t}\n\n",
        nprm2025::STATUS,
        nprm2025::CITATION
    )
}
