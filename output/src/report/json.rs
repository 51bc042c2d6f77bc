//! JSON format v1 (`docs/json-v1.md`). The shape is frozen: add fields, never rename or
//! remove them; a breaking change is a new `format` string.
//!
//! This module writes a document ([`render`]); its `read` submodule reads one back ([`parse`]).

use std::io::Write;

use indexmap::IndexMap;
use serde::Serialize;

use super::{Counts, Report, ScanInfo};
use crate::frameworks::ControlRef;
use crate::model::Provider;

mod findings;
mod pretty;
mod read;

pub use read::{
    parse, ParseError, Parsed, ParsedControl, ParsedControlRow, ParsedFinding, ParsedProfile,
    ParsedPromise, ParsedResource, ParsedScan,
};

/// The `scan.format` of every v1 document; [`parse`] refuses any other.
pub const FORMAT: &str = "phiscan-json/v1";

#[derive(Serialize)]
struct Doc<'a> {
    scan: Scan<'a>,
    /// Always empty here: the findings are written into its place ([`findings::splice`]).
    findings: [(); 0],
    controls: Vec<JsonControl<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    profile: Option<JsonProfile<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    readiness: Option<JsonReadiness<'a>>,
    /// Every waiver whose check ran and what became of it; absent without waivers.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    waivers: &'a [crate::waiver::WaiverResult],
    /// Verdicts on attested assets (`--attested`), never among `findings`; absent without.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attested: Vec<JsonAttested<'a>>,
}

/// One verdict on an attested asset: `provenance` is always `ATTESTED`.
#[derive(Serialize)]
struct JsonAttested<'a> {
    rule: &'static str,
    title: &'static str,
    provenance: &'static str,
    status: crate::Status,
    kind: crate::attested::AttestedKind,
    platform: &'a str,
    resource: JsonAttestedResource<'a>,
    controls: Vec<ControlRef>,
    evidence: &'a IndexMap<String, serde_json::Value>,
    reason: &'a str,
    attestation: &'a crate::attested::Attestation,
}

#[derive(Serialize)]
struct JsonAttestedResource<'a> {
    id: &'a str,
    name: &'a str,
}

/// A promise's platform no API reaches, with its verdict from attested assets.
#[derive(Serialize)]
struct JsonPlatform<'a> {
    platform: &'a str,
    verdict: crate::profiles::PlatformVerdict,
    label: &'static str,
    #[serde(rename = "PASS")]
    pass: usize,
    #[serde(rename = "FAIL")]
    fail: usize,
}

/// Readiness for the 2025 proposed rule (`--framework hipaa-nprm-2025`).
#[derive(Serialize)]
struct JsonReadiness<'a> {
    framework: &'static str,
    status: &'static str,
    citation: &'static str,
    requirements: Vec<JsonProposed<'a>>,
}

#[derive(Serialize)]
struct JsonProposed<'a> {
    id: &'static str,
    name: &'static str,
    summary: &'static str,
    coverage: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage_reason: Option<&'static str>,
    verdict: &'static str,
    checks: &'a [&'static str],
    counts: &'a Counts,
}

#[derive(Serialize)]
struct JsonProfile<'a> {
    name: &'a str,
    title: &'a str,
    organization: &'a str,
    document: &'a str,
    version: &'a str,
    providers: &'a [Provider],
    promises: Vec<JsonPromise<'a>>,
}

#[derive(Serialize)]
struct JsonPromise<'a> {
    id: &'a str,
    section: &'a str,
    quote: &'a str,
    references: &'a [crate::profiles::Reference],
    checks: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manual: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    verdict: crate::profiles::PromiseVerdict,
    counts: Counts,
    failing: Vec<JsonFailing<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attested: Option<&'a crate::profiles::AttestedCoverage>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    platforms: Vec<JsonPlatform<'a>>,
}

#[derive(Serialize)]
struct JsonFailing<'a> {
    check_id: &'a str,
    status: crate::Status,
    resource_id: &'a str,
    resource_name: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct Scan<'a> {
    format: &'static str,
    #[serde(flatten)]
    info: &'a ScanInfo,
    counts: &'a Counts,
    exit_code: i32,
    /// The data-classification scope (`key=value,...`); absent when the scan had none.
    #[serde(rename = "data_scope", skip_serializing_if = "Option::is_none")]
    data_scope: Option<&'a str>,
    /// Counts of the attested verdicts, apart from `counts`; absent without attested assets.
    #[serde(skip_serializing_if = "Option::is_none")]
    attested_counts: Option<Counts>,
}

/// A finding of the `findings` array: the findings writer (`findings.rs`) writes these fields
/// by hand, in this order, and its tests hold it to what serde_json writes for this struct.
#[cfg(test)]
#[derive(Serialize)]
struct JsonFinding<'a> {
    check_id: &'a str,
    title: &'a str,
    status: crate::Status,
    severity: crate::Severity,
    provider: crate::Provider,
    account: &'a str,
    region: &'a str,
    resource: JsonResource<'a>,
    controls: &'a [ControlRef],
    evidence: &'a phiscan_core::check::Evidence,
    reason: &'a str,
    remediation: &'a str,
    /// Bundle-relative path of the observed data (evidence bundles only).
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence_ref: Option<&'a str>,
    /// The waiver of a WAIVED finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<&'a crate::waiver::AppliedWaiver>,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonResource<'a> {
    id: &'a str,
    kind: &'a str,
    name: &'a str,
    tags: &'a crate::model::Tags,
}

#[derive(Serialize)]
struct JsonControl<'a> {
    framework: &'static str,
    id: &'static str,
    name: &'static str,
    requirement: Option<crate::frameworks::hipaa::Requirement>,
    coverage: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage_reason: Option<&'static str>,
    verdict: &'static str,
    checks: &'a [&'static str],
    counts: &'a Counts,
    #[serde(skip_serializing_if = "counts_empty")]
    attested_counts: &'a Counts,
}

fn counts_empty(c: &&Counts) -> bool {
    c.total() == 0
}

/// The document as one string (tests, and callers that embed it).
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    write(report, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Write the document to `out` while walking the report: memory stays that of one finding
/// beyond the report itself. The bytes are those of `serde_json::to_string_pretty` of the
/// whole document, plus a final newline.
pub fn write(report: &Report, out: impl std::io::Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let mut doc = Doc {
        scan: Scan {
            format: FORMAT,
            info: &report.scan,
            counts: &report.counts,
            exit_code: report.exit_code,
            data_scope: report.scope.as_deref(),
            attested_counts: (!report.attested.is_empty()).then(|| report.attested_counts()),
        },
        findings: [],
        controls: report
            .controls
            .iter()
            .map(|row| JsonControl {
                framework: crate::Hipaa::FRAMEWORK,
                id: row.control.citation(),
                name: row.control.name(),
                requirement: row.control.requirement(),
                coverage: row.control.coverage().label(),
                coverage_reason: row.control.coverage().reason(),
                verdict: row.verdict(),
                checks: &row.checks,
                counts: &row.counts,
                attested_counts: &row.attested,
            })
            .collect(),
        profile: report.profile.as_ref().map(|pr| JsonProfile {
            name: &pr.profile.name,
            title: &pr.profile.title,
            organization: &pr.profile.organization,
            document: &pr.profile.document,
            version: &pr.profile.version,
            providers: &pr.profile.providers,
            promises: pr
                .results
                .iter()
                .map(|r| JsonPromise {
                    id: &r.promise.id,
                    section: &r.promise.section,
                    quote: &r.promise.quote,
                    references: &r.promise.references,
                    checks: r.promise.checks.iter().map(|c| c.id.as_str()).collect(),
                    manual: r.promise.manual.as_deref(),
                    note: r.promise.note.as_deref(),
                    verdict: r.verdict,
                    counts: Counts {
                        pass: r.pass,
                        fail: r.fail,
                        error: r.error,
                        not_applicable: r.not_applicable,
                        waived: r.waived,
                    },
                    failing: r
                        .failing
                        .iter()
                        .filter_map(|&i| report.findings.get(i))
                        .map(|f| JsonFailing {
                            check_id: f.meta.id,
                            status: f.status(),
                            resource_id: &f.resource().id,
                            resource_name: &f.resource().name,
                            reason: &f.finding.reason,
                        })
                        .collect(),
                    attested: r.promise.attested.as_ref(),
                    platforms: r
                        .platforms
                        .iter()
                        .map(|p| JsonPlatform {
                            platform: &p.platform,
                            verdict: p.verdict,
                            label: p.verdict.label(),
                            pass: p.pass,
                            fail: p.fail,
                        })
                        .collect(),
                })
                .collect(),
        }),
        readiness: None,
        waivers: &report.waivers,
        attested: report
            .attested
            .iter()
            .map(|f| JsonAttested {
                rule: f.rule.id,
                title: f.rule.title,
                provenance: crate::attested::PROVENANCE,
                status: f.status,
                kind: f.kind,
                platform: &f.platform,
                resource: JsonAttestedResource {
                    id: &f.resource_id,
                    name: &f.resource_name,
                },
                controls: f.rule.controls.iter().map(|c| c.control_ref()).collect(),
                evidence: &f.evidence,
                reason: &f.reason,
                attestation: &f.attestation,
            })
            .collect(),
    };
    if !report.readiness.is_empty() {
        use crate::frameworks::nprm2025::{self, Nprm2025};
        doc.readiness = Some(JsonReadiness {
            framework: Nprm2025::FRAMEWORK,
            status: nprm2025::STATUS,
            citation: nprm2025::CITATION,
            requirements: report
                .readiness
                .iter()
                .map(|row| JsonProposed {
                    id: row.requirement.citation(),
                    name: row.requirement.name(),
                    summary: row.requirement.summary(),
                    coverage: row.requirement.coverage().label(),
                    coverage_reason: row.requirement.coverage().reason(),
                    verdict: row.verdict(),
                    checks: &row.checks,
                    counts: &row.counts,
                })
                .collect(),
        });
    }
    // The document without its findings is small; the findings go into its place.
    let mut head = Vec::new();
    doc.serialize(&mut serde_json::Serializer::pretty(&mut head))
        .map_err(std::io::Error::from)?;
    findings::splice(&head, &report.findings, &mut out)?;
    out.write_all(b"\n")?;
    out.flush()
}
