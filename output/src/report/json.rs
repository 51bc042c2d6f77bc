//! JSON format v1 (`docs/json-v1.md`). The shape is frozen: add fields, never rename or
//! remove them; a breaking change is a new `format` string.

use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::{Counts, Report, ReportCheck, ScanInfo, Source};
use crate::check::{Check, Finding, Severity, Status};
use crate::frameworks::ControlRef;
use crate::model::{Provider, ResourceKind, ResourceRef, Scope, Tags};

pub const FORMAT: &str = "phiscan-json/v1";

#[derive(Serialize)]
struct Doc<'a> {
    scan: Scan<'a>,
    findings: Vec<JsonFinding<'a>>,
    controls: Vec<JsonControl<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    profile: Option<JsonProfile<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    readiness: Option<JsonReadiness<'a>>,
    /// Every waiver whose check ran and what became of it; absent without waivers.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    waivers: &'a [crate::waiver::WaiverResult],
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
}

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
    controls: Vec<ControlRef>,
    evidence: &'a IndexMap<String, serde_json::Value>,
    reason: &'a str,
    remediation: String,
    /// Bundle-relative path of the observed data (evidence bundles only).
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence_ref: Option<&'a str>,
    /// The waiver of a WAIVED finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<&'a crate::waiver::AppliedWaiver>,
}

#[derive(Serialize)]
struct JsonResource<'a> {
    id: &'a str,
    kind: &'a str,
    name: &'a str,
    tags: &'a Tags,
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
}

pub fn render(report: &Report) -> String {
    let mut doc = Doc {
        scan: Scan {
            format: FORMAT,
            info: &report.scan,
            counts: &report.counts,
            exit_code: report.exit_code,
            data_scope: report.scope.as_deref(),
        },
        findings: report
            .findings
            .iter()
            .map(|f| {
                let r = f.resource();
                JsonFinding {
                    check_id: f.meta.id,
                    title: f.meta.title,
                    status: f.status(),
                    severity: f.severity,
                    provider: r.provider,
                    account: &r.account,
                    region: &r.region,
                    resource: JsonResource {
                        id: &r.id,
                        kind: r.kind.as_str(),
                        name: &r.name,
                        tags: &r.tags,
                    },
                    controls: f.controls(),
                    evidence: &f.finding.evidence,
                    reason: &f.finding.reason,
                    remediation: f.remediation(),
                    evidence_ref: f.evidence_ref.as_deref(),
                    waiver: f.finding.waiver.as_ref(),
                }
            })
            .collect(),
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
                })
                .collect(),
        }),
        readiness: None,
        waivers: &report.waivers,
    };
    // Plain data with string keys: serialization cannot fail.
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
    serde_json::to_string_pretty(&doc).expect("report serializes") + "\n"
}

/// Why a JSON v1 document could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("not a phiscan JSON v1 report (scan.format is {0:?}, expected {FORMAT:?})")]
    Format(String),
    #[error("check {0:?} of the report is unknown to this phiscan {ver}", ver = env!("CARGO_PKG_VERSION"))]
    UnknownCheck(String),
}

/// A JSON v1 document as read back: enough to rebuild the [`Report`] (`phiscan report`) or to
/// compare two scans (`phiscan diff`). Unknown fields are ignored: v1 only ever adds fields.
#[derive(Debug, Clone, Deserialize)]
pub struct Parsed {
    pub scan: ParsedScan,
    pub findings: Vec<ParsedFinding>,
    #[serde(default)]
    pub controls: Vec<ParsedControlRow>,
    /// The policy profile the scan ran with: `phiscan report` renders its promises again.
    #[serde(default)]
    pub profile: Option<ParsedProfile>,
    #[serde(default)]
    pub waivers: Vec<crate::waiver::WaiverResult>,
}

/// A report's policy profile as read back. Verdicts are recomputed from the findings, which
/// gives the verdicts the scan reported: they are a pure function of the two.
#[derive(Debug, Clone, Deserialize)]
pub struct ParsedProfile {
    pub name: String,
    pub title: String,
    pub organization: String,
    pub document: String,
    pub version: String,
    /// Absent from reports written before the field existed.
    #[serde(default)]
    pub providers: Vec<Provider>,
    pub promises: Vec<ParsedPromise>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ParsedPromise {
    pub id: String,
    pub section: String,
    pub quote: String,
    #[serde(default)]
    pub references: Vec<crate::profiles::Reference>,
    #[serde(default)]
    pub checks: Vec<String>,
    #[serde(default)]
    pub manual: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl ParsedProfile {
    fn into_profile(self) -> crate::profiles::Profile {
        use crate::profiles::{CheckRef, Profile, Promise, PROFILE_FORMAT};
        Profile {
            format: PROFILE_FORMAT.to_string(),
            name: self.name,
            title: self.title,
            organization: self.organization,
            document: self.document,
            version: self.version,
            providers: self.providers,
            promises: self
                .promises
                .into_iter()
                .map(|p| Promise {
                    id: p.id,
                    section: p.section,
                    quote: p.quote,
                    references: p.references,
                    checks: p
                        .checks
                        .into_iter()
                        .map(|id| CheckRef { id, params: None })
                        .collect(),
                    manual: p.manual,
                    note: p.note,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct ParsedControlRow {
    pub id: String,
    pub name: String,
    pub verdict: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ParsedScan {
    pub format: String,
    pub version: String,
    pub source: Source,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub evaluated_at: DateTime<Utc>,
    pub scope: Vec<Scope>,
    pub checks_run: Vec<String>,
    pub fail_on: Severity,
    pub exit_code: i32,
    #[serde(default)]
    pub framework: crate::frameworks::nprm2025::Framework,
    #[serde(default)]
    pub api_calls: Vec<crate::model::ApiCall>,
    #[serde(default)]
    pub shard: Option<crate::shard::Shard>,
    pub data_scope: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ParsedFinding {
    pub check_id: String,
    pub title: String,
    pub status: Status,
    pub severity: Severity,
    pub provider: Provider,
    pub account: String,
    pub region: String,
    pub resource: ParsedResource,
    pub controls: Vec<ParsedControl>,
    pub evidence: IndexMap<String, serde_json::Value>,
    pub reason: String,
    #[serde(default)]
    pub evidence_ref: Option<String>,
    #[serde(default)]
    pub waiver: Option<crate::waiver::AppliedWaiver>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ParsedResource {
    pub id: String,
    pub kind: ResourceKind,
    pub name: String,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ParsedControl {
    pub id: String,
}

/// Read a JSON v1 document.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    let v: Parsed = serde_json::from_str(text).map_err(|e| {
        let msg = e.to_string();
        ParseError::Json {
            line: e.line(),
            column: e.column(),
            message: msg
                .rfind(" at line ")
                .map(|i| msg[..i].to_string())
                .unwrap_or(msg),
        }
    })?;
    if v.scan.format != FORMAT {
        return Err(ParseError::Format(v.scan.format));
    }
    Ok(v)
}

impl Parsed {
    /// Rebuild the [`Report`] with the metadata of this phiscan's checks: every format can
    /// then be rendered again without rescanning.
    pub fn into_report(self, registry: &[&'static dyn Check]) -> Result<Report, ParseError> {
        let provider = self
            .scan
            .scope
            .first()
            .map_or(Provider::Aws, |s| s.provider);
        let mut checks = Vec::new();
        for id in &self.scan.checks_run {
            let meta = crate::policy::check_meta(registry, id, provider)
                .ok_or_else(|| ParseError::UnknownCheck(id.clone()))?;
            // The severity the scan reported (overridden by its configuration or not).
            let severity = self
                .findings
                .iter()
                .find(|f| &f.check_id == id)
                .map_or(meta.severity, |f| f.severity);
            checks.push(ReportCheck { meta, severity });
        }
        let mut refs = Vec::new();
        let mut findings = Vec::new();
        for f in self.findings {
            if !checks.iter().any(|c| c.meta.id == f.check_id) {
                return Err(ParseError::UnknownCheck(f.check_id));
            }
            refs.push(f.evidence_ref);
            findings.push(Finding {
                check_id: f.check_id,
                status: f.status,
                resource: ResourceRef {
                    provider: f.provider,
                    account: f.account,
                    region: f.region,
                    kind: f.resource.kind,
                    id: f.resource.id,
                    name: f.resource.name,
                    tags: f.resource.tags,
                },
                evidence: f.evidence,
                reason: f.reason,
                waiver: f.waiver,
            });
        }
        let s = self.scan;
        let s_data_scope = s.data_scope.clone();
        let scan = ScanInfo {
            tool: "phiscan",
            version: s.version,
            source: s.source,
            started_at: s.started_at,
            finished_at: s.finished_at,
            evaluated_at: s.evaluated_at,
            scope: s.scope,
            checks_run: checks.iter().map(|c| c.meta.id).collect(),
            fail_on: s.fail_on,
            framework: s.framework,
            api_calls: s.api_calls,
            shard: s.shard,
        };
        let mut report = Report::build(scan, checks, findings);
        for (f, r) in report.findings.iter_mut().zip(refs) {
            f.evidence_ref = r;
        }
        let report = report.with_policy(self.waivers, s_data_scope);
        Ok(match self.profile {
            Some(p) => report.with_profile(p.into_profile()),
            None => report,
        })
    }
}
