//! Reading a JSON v1 document back ([`parse`]) and rebuilding the [`Report`] from it
//! ([`Parsed::into_report`]), for `phiscan report`, `diff` and `merge`.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::FORMAT;
use crate::check::{Check, Finding, Severity, Status};
use crate::model::{Provider, ResourceFields, ResourceKind, ResourceRef, Scope, Tags};
use crate::report::{Report, ReportCheck, ScanInfo, Source};

/// Why a JSON v1 document could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("not a phiscan JSON v1 report (scan.format is {}, expected {FORMAT:?})", phiscan_core::quote::quote(.0))]
    Format(String),
    #[error("check {} of the report is unknown to this phiscan {ver}", phiscan_core::quote::quote(.0), ver = env!("CARGO_PKG_VERSION"))]
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
    /// Verdicts on attested assets: the profile's attested platforms are judged from them
    /// again. Absent from reports of scans without `--attested`.
    #[serde(default)]
    pub attested: Vec<ParsedAttested>,
}

/// An attested verdict as read back (`attested[]` of docs/json-v1.md).
#[derive(Debug, Clone, Deserialize)]
pub struct ParsedAttested {
    pub rule: String,
    pub status: crate::Status,
    pub kind: crate::attested::AttestedKind,
    pub platform: String,
    pub resource: ParsedAttestedResource,
    #[serde(default)]
    pub evidence: indexmap::IndexMap<String, serde_json::Value>,
    pub reason: String,
    pub attestation: crate::attested::Attestation,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ParsedAttestedResource {
    pub id: String,
    pub name: String,
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
    /// Absent from reports written before attested assets, and for promises without them.
    #[serde(default)]
    pub attested: Option<crate::profiles::AttestedCoverage>,
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
                    attested: p.attested,
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
    pub evidence: phiscan_core::check::Evidence,
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
            // serde's message may quote a value of the file: escaped, bounded.
            message: phiscan_core::quote::shorten_to(
                msg.rfind(" at line ").map_or(msg.as_str(), |i| &msg[..i]),
                500,
            ),
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
            let Some(check) = checks.iter().find(|c| c.meta.id == f.check_id) else {
                return Err(ParseError::UnknownCheck(f.check_id));
            };
            refs.push(f.evidence_ref);
            findings.push(Finding {
                check_id: check.meta.id.into(),
                status: f.status,
                resource: ResourceRef::from(ResourceFields {
                    provider: f.provider,
                    account: f.account,
                    region: f.region,
                    kind: f.resource.kind,
                    id: f.resource.id,
                    name: f.resource.name,
                    tags: f.resource.tags,
                }),
                evidence: f.evidence,
                reason: f.reason,
                waiver: f.waiver.map(Box::new),
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
            throttled: crate::model::ApiCall::throttled_by_service(&s.api_calls),
            api_calls: s.api_calls,
            shard: s.shard,
        };
        let mut report = Report::build(scan, checks, findings);
        for (f, r) in report.findings.iter_mut().zip(refs) {
            f.evidence_ref = r;
        }
        // A rule this phiscan does not know is refused like an unknown check.
        let attested = self
            .attested
            .into_iter()
            .map(|a| {
                Ok(crate::attested::AttestedFinding {
                    rule: crate::attested::rule(&a.rule)
                        .ok_or_else(|| ParseError::UnknownCheck(a.rule.clone()))?,
                    status: a.status,
                    kind: a.kind,
                    platform: a.platform,
                    resource_id: a.resource.id,
                    resource_name: a.resource.name,
                    evidence: a.evidence,
                    reason: a.reason,
                    attestation: a.attestation,
                })
            })
            .collect::<Result<Vec<_>, ParseError>>()?;
        let report = report
            .with_policy(self.waivers, s_data_scope)
            .with_attested(attested);
        Ok(match self.profile {
            Some(p) => report.with_profile(p.into_profile()),
            None => report,
        })
    }
}
