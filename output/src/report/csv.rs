//! CSV: one row per finding, for spreadsheets and ticket imports (RFC 4180, CRLF line ends,
//! header first). Evidence is one compact JSON cell; controls are `;`-separated citations.

use super::text::csv_line;
use super::Report;

pub const HEADER: [&str; 18] = [
    "check_id",
    "title",
    "status",
    "severity",
    "provider",
    "account",
    "region",
    "resource_id",
    "resource_kind",
    "resource_name",
    "tags",
    "controls",
    "reason",
    "evidence",
    "evidence_ref",
    "waiver_justification",
    "waiver_approver",
    "waiver_expires",
];

pub fn render(report: &Report) -> String {
    let mut out = csv_line(&HEADER.map(String::from));
    for f in &report.findings {
        let r = f.resource();
        let tags = r
            .tags
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(";");
        let controls = f
            .meta
            .controls
            .iter()
            .map(|c| c.citation())
            .collect::<Vec<_>>()
            .join(";");
        // Plain JSON values: serialization cannot fail.
        let evidence = serde_json::to_string(&f.finding.evidence).expect("evidence serializes");
        let w = f.finding.waiver.as_ref();
        out.push_str(&csv_line(&[
            f.meta.id.to_string(),
            f.meta.title.to_string(),
            f.status().to_string(),
            f.severity.to_string(),
            r.provider.to_string(),
            r.account.clone(),
            r.region.clone(),
            r.id.clone(),
            r.kind.as_str().to_string(),
            r.name.clone(),
            tags,
            controls,
            f.finding.reason.clone(),
            evidence,
            f.evidence_ref.clone().unwrap_or_default(),
            w.map(|w| w.justification.clone()).unwrap_or_default(),
            w.map(|w| w.approver.clone()).unwrap_or_default(),
            w.map(|w| w.expires.to_string()).unwrap_or_default(),
        ]));
    }
    out
}
