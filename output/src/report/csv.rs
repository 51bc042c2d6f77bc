//! CSV: one row per finding, for spreadsheets and ticket imports (RFC 4180, CRLF line ends,
//! header first). Evidence is one compact JSON cell; controls are `;`-separated citations.
//!
//! Columns are only ever appended (imports map them by position): `provenance` and the
//! attestation columns came last. Observed findings are `OBSERVED` with the attestation
//! columns empty; the verdicts on attested assets (`--attested`) follow them as `ATTESTED`
//! rows, with no provider, account or region (no API reached them), the platform and who
//! attested the values, when and in which document.

use super::text::{attested_evidence, csv_line};
use super::Report;
use crate::attested::{AttestedFinding, PROVENANCE};

pub const HEADER: [&str; 23] = [
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
    "provenance",
    "platform",
    "attester",
    "attested_on",
    "document",
];

/// The `provenance` of a finding phiscan read through an API.
pub const OBSERVED: &str = "OBSERVED";

fn citations(controls: &[crate::frameworks::hipaa::Hipaa]) -> String {
    controls
        .iter()
        .map(|c| c.citation())
        .collect::<Vec<_>>()
        .join(";")
}

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
        // Plain JSON values: serialization cannot fail.
        let evidence = serde_json::to_string(&f.finding.evidence).expect("evidence serializes");
        let w = f.finding.waiver.as_ref();
        let mut row = vec![
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
            citations(f.meta.controls),
            f.finding.reason.clone(),
            evidence,
            f.evidence_ref.clone().unwrap_or_default(),
            w.map(|w| w.justification.clone()).unwrap_or_default(),
            w.map(|w| w.approver.clone()).unwrap_or_default(),
            w.map(|w| w.expires.to_string()).unwrap_or_default(),
            OBSERVED.to_string(),
        ];
        row.resize(HEADER.len(), String::new());
        out.push_str(&csv_line(&row));
    }
    for f in &report.attested {
        out.push_str(&csv_line(&attested_row(f)));
    }
    out
}

fn attested_row(f: &AttestedFinding) -> [String; HEADER.len()] {
    let a = &f.attestation;
    [
        f.rule.id.to_string(),
        f.rule.title.to_string(),
        f.status.to_string(),
        f.rule.severity.to_string(),
        String::new(),
        String::new(),
        String::new(),
        f.resource_id.clone(),
        f.kind.as_str().to_string(),
        f.resource_name.clone(),
        String::new(),
        citations(f.rule.controls),
        f.reason.clone(),
        attested_evidence(f),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        PROVENANCE.to_string(),
        f.platform.clone(),
        a.attester.clone(),
        a.attested_on.to_string(),
        a.document.clone(),
    ]
}
