//! Attested assets in the human formats: the lines a promise gives its platforms no API
//! reaches, and the table format's "Attested assets" section. Every verdict says it is
//! ATTESTED and by whom, and is counted apart from observed findings.

use comfy_table::Cell;

use super::Report;
use crate::attested::PROVENANCE;
use crate::profiles::PromiseResult;

/// One line per attested platform of a promise: its verdict and, when broken, the failing
/// attested assets with their attester.
pub fn platform_lines(report: &Report, r: &PromiseResult) -> Vec<String> {
    r.platforms
        .iter()
        .map(|p| {
            let mut line = format!("{}: {}", p.platform, p.verdict.label());
            if p.pass > 0 && p.fail == 0 {
                line.push_str(&format!(", {} attested PASS", p.pass));
            }
            for f in p.failing.iter().filter_map(|&i| report.attested.get(i)) {
                line.push_str(&format!(
                    "\n  {} {}: {} ({})",
                    f.status,
                    f.resource_name,
                    f.reason,
                    f.attested_by()
                ));
            }
            line
        })
        .collect()
}

/// [`platform_lines`] as the table's cell lines, each after a line break and cut to `max`.
pub(super) fn platform_cell(report: &Report, r: &PromiseResult, max: usize) -> String {
    platform_lines(report, r)
        .iter()
        .flat_map(|l| l.split('\n'))
        .map(|part| format!("\n{}", phiscan_core::quote::shorten_to(part, max)))
        .collect()
}

/// The headline of the attested section: the counts, apart from observed findings.
pub fn headline(report: &Report) -> String {
    let c = report.attested_counts();
    format!(
        "Attested assets ({PROVENANCE}: values attested by people, not observed through an API; not counted in the findings above): {} PASS, {} FAIL",
        c.pass, c.fail
    )
}

/// The table format's section; empty without attested assets.
pub(super) fn table_section(report: &Report, mut t: comfy_table::Table) -> String {
    if report.attested.is_empty() {
        return String::new();
    }
    t.set_header(vec![
        "Status",
        "Rule",
        "Platform",
        "Resource",
        "Reason",
        "Attested by",
    ]);
    for f in &report.attested {
        t.add_row(vec![
            Cell::new(format!("{} ({PROVENANCE})", f.status)),
            Cell::new(f.rule.id),
            Cell::new(&f.platform),
            Cell::new(format!("{}\n{}", f.resource_name, f.resource_id)),
            Cell::new(&f.reason),
            Cell::new(format!(
                "{}\non {}\n{}",
                f.attestation.attester, f.attestation.attested_on, f.attestation.document
            )),
        ]);
    }
    format!("{}\n{t}\n\n", headline(report))
}
