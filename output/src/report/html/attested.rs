//! The HTML report's "Attested assets" section: every attested verdict with its provenance
//! (ATTESTED), attester, date and document, counted apart from the observed findings.

use crate::attested::PROVENANCE;
use crate::report::text::xml;
use crate::report::Report;

pub(super) fn section(report: &Report) -> String {
    if report.attested.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<h2 id=\"attested\">Attested assets</h2>\n<p>{}.</p>\n<table id=\"attested-table\">\n<thead><tr><th>Status</th><th>Provenance</th><th>Rule</th><th>Platform</th><th>Resource</th><th>Reason</th><th>Attested by</th><th>Evidence</th></tr></thead>\n<tbody>\n",
        xml(&crate::report::attested::headline(report))
    );
    for f in &report.attested {
        let status = match f.status {
            crate::Status::Pass => "pass",
            _ => "fail",
        };
        // Plain JSON values: serialization cannot fail.
        let evidence = serde_json::to_string_pretty(&f.evidence).expect("evidence serializes");
        out.push_str(&format!(
            "<tr class=\"attested\" data-status=\"{status}\" data-provenance=\"attested\"><td><span class=\"badge {status}\">{label}</span></td><td>{PROVENANCE}</td><td><code>{rule}</code><br>{title}</td><td>{platform}</td><td>{name}<br><code>{id}</code></td><td>{reason}</td><td>{attester}<br>on {date}<br><small>{document}</small></td><td><details><summary>attested</summary><pre>{evidence}</pre></details></td></tr>\n",
            label = f.status,
            rule = xml(f.rule.id),
            title = xml(f.rule.title),
            platform = xml(&f.platform),
            name = xml(&f.resource_name),
            id = xml(&f.resource_id),
            reason = xml(&f.reason),
            attester = xml(&f.attestation.attester),
            date = f.attestation.attested_on,
            document = xml(&f.attestation.document),
            evidence = xml(&evidence),
        ));
    }
    out.push_str("</tbody>\n</table>\n");
    out
}
