//! The report model: the findings after policy, the control matrix and the scan metadata.
//! Every output format (phiscan-output) is a function of [`Report`] alone.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::attested::AttestedFinding;
use crate::check::{CheckMeta, Finding, Severity, Status};
use crate::frameworks::nprm2025::Framework;
use crate::frameworks::ControlRef;
use crate::model::{ApiCall, Inventory, Provider, ResourceRef, Scope};
use crate::policy;
use crate::profiles::{self, Profile, PromiseResult};
use crate::waiver::WaiverResult;

mod matrix;

pub use matrix::{ControlRow, ReadinessRow};

/// Where the inventory came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "type", content = "detail")]
pub enum Source {
    /// The built-in demo estate.
    Demo,
    /// A saved inventory file.
    Inventory(String),
    /// Live collection from a provider.
    Live(Provider),
}

/// Scan metadata, as it appears in every format.
///
/// No wall-clock time: `started_at` / `finished_at` are the inventory's collection times
/// (the scan clock when it has none), so the same inventory and clock give byte-identical
/// reports and evidence bundles. See [`ScanInfo::times`].
#[derive(Debug, Clone, Serialize)]
pub struct ScanInfo {
    pub tool: &'static str,
    /// The phiscan version that made the report (a report re-rendered from an evidence
    /// bundle keeps the bundle's).
    pub version: String,
    pub source: Source,
    /// When collection started.
    pub started_at: DateTime<Utc>,
    /// When collection finished.
    pub finished_at: DateTime<Utc>,
    /// The clock checks measured ages against.
    pub evaluated_at: DateTime<Utc>,
    pub scope: Vec<Scope>,
    pub checks_run: Vec<&'static str>,
    pub fail_on: Severity,
    /// The catalogue readiness is shown against besides the rule in force; absent from JSON
    /// for the rule in force alone.
    #[serde(skip_serializing_if = "Framework::is_current")]
    pub framework: Framework,
    /// The API calls that collected the inventory (live scans, and saved inventories of
    /// live scans); empty for the demo.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub api_calls: Vec<ApiCall>,
    /// Throttling answers among `api_calls`, by service ([`ApiCall::throttled_by_service`]);
    /// absent from JSON when nothing was throttled.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub throttled: BTreeMap<String, u64>,
    /// The part of the targets this scan covered (`--shard I/N`); absent from JSON for a
    /// scan of every target, and from a merged report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<crate::shard::Shard>,
}

impl ScanInfo {
    /// (started_at, finished_at) of a scan of `inv` evaluated at `now`: the inventory's
    /// collection times, falling back to its collection end, then to the scan clock.
    pub fn times(inv: &Inventory, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        let finished = inv.collected_at.unwrap_or(now);
        let started = inv.collection_started_at.unwrap_or(finished).min(finished);
        (started, finished)
    }
}

/// A check that ran, with the severity its failures have in this report: the check's own,
/// or the one `[severity]` of phiscan.toml gave it ([`crate::policy::Policy`]). Formats read
/// `severity`, never `meta.severity`.
#[derive(Debug, Clone, Copy)]
pub struct ReportCheck {
    pub meta: &'static CheckMeta,
    pub severity: Severity,
}

impl ReportCheck {
    /// The check with the severity it declares.
    pub fn declared(meta: &'static CheckMeta) -> ReportCheck {
        ReportCheck {
            meta,
            severity: meta.severity,
        }
    }
}

/// What every finding of one check shows the same way, derived from its metadata once per
/// report and shared by its findings (a check with 100,000 findings parses its
/// documentation once, not 100,000 times).
#[derive(Debug)]
pub struct CheckParts {
    /// The controls the check cites, as formats name them.
    pub controls: Vec<ControlRef>,
    /// The `## Remediation` section of its documentation.
    pub remediation: String,
}

impl CheckParts {
    pub fn of(meta: &CheckMeta) -> CheckParts {
        CheckParts {
            controls: meta.controls.iter().map(|c| c.control_ref()).collect(),
            remediation: meta.section("Remediation").unwrap_or_default(),
        }
    }
}

/// A finding joined with its check's metadata.
#[derive(Debug, Clone)]
pub struct ReportFinding {
    pub meta: &'static CheckMeta,
    /// The effective severity (see [`ReportCheck`]).
    pub severity: Severity,
    /// Shared with every finding of the same check.
    pub parts: Arc<CheckParts>,
    pub finding: Finding,
    /// Path, inside the evidence bundle, of the observed data that decided the finding
    /// (`raw/...json`); set when the report goes into a bundle.
    pub evidence_ref: Option<String>,
}

/// A report's findings are read as the findings they join (policy profiles judge either).
impl std::borrow::Borrow<Finding> for ReportFinding {
    fn borrow(&self) -> &Finding {
        &self.finding
    }
}

impl ReportFinding {
    pub fn status(&self) -> Status {
        self.finding.status
    }
    pub fn resource(&self) -> &ResourceRef {
        &self.finding.resource
    }
    pub fn controls(&self) -> &[ControlRef] {
        &self.parts.controls
    }
    pub fn remediation(&self) -> &str {
        &self.parts.remediation
    }
}

/// Per-status counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    #[serde(rename = "PASS")]
    pub pass: usize,
    #[serde(rename = "FAIL")]
    pub fail: usize,
    #[serde(rename = "ERROR")]
    pub error: usize,
    #[serde(rename = "NOT_APPLICABLE")]
    pub not_applicable: usize,
    /// FAILs turned WAIVED by a waiver; present when non-zero (JSON v1 is additive).
    #[serde(rename = "WAIVED", skip_serializing_if = "is_zero")]
    pub waived: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Counts {
    pub fn add(&mut self, s: Status) {
        match s {
            Status::Pass => self.pass += 1,
            Status::Fail => self.fail += 1,
            Status::Error => self.error += 1,
            Status::NotApplicable => self.not_applicable += 1,
            Status::Waived => self.waived += 1,
        }
    }
    pub fn total(&self) -> usize {
        self.pass + self.fail + self.error + self.not_applicable + self.waived
    }
    /// Add another set of counts to these.
    pub fn extend(&mut self, other: &Counts) {
        self.pass += other.pass;
        self.fail += other.fail;
        self.error += other.error;
        self.not_applicable += other.not_applicable;
        self.waived += other.waived;
    }
}

#[derive(Debug, Clone)]
pub struct Report {
    pub scan: ScanInfo,
    /// The checks that ran, in `scan.checks_run` order (also those without findings).
    pub checks: Vec<ReportCheck>,
    pub findings: Vec<ReportFinding>,
    pub controls: Vec<ControlRow>,
    /// Readiness for the 2025 proposed rule, one row per proposed standard, when
    /// `scan.framework` asks for it; empty otherwise.
    pub readiness: Vec<ReadinessRow>,
    pub counts: Counts,
    pub exit_code: i32,
    /// Per-promise verdicts when the scan ran with a policy profile.
    pub profile: Option<ProfileReport>,
    /// Every waiver of the configuration whose check ran, with what became of it (applied,
    /// expired, unmatched); empty without waivers.
    pub waivers: Vec<WaiverResult>,
    /// The data-classification scope the scan was limited to (`key=value,...`).
    pub scope: Option<String>,
    /// Verdicts on attested assets (`--attested FILE`), never part of `findings`, `counts`
    /// or the exit code; empty without an attested file.
    pub attested: Vec<AttestedFinding>,
}

/// A policy profile's promises with their verdicts over this report's findings.
#[derive(Debug, Clone)]
pub struct ProfileReport {
    pub profile: Profile,
    /// `failing` indices point into [`Report::findings`].
    pub results: Vec<PromiseResult>,
}

/// The report's findings: each finding with its check, in the same order; findings of no
/// check in `check_of` are left out.
///
/// Moved from the back, the findings' vector giving back its room as the report's fills:
/// at a million findings each vector is a hundred MB or more, and the two are never both
/// whole. The report's is sized up front (grown by doubling, it would reach twice its size).
fn join(
    mut findings: Vec<Finding>,
    check_of: impl Fn(&Finding) -> Option<(&'static CheckMeta, Severity, Arc<CheckParts>)>,
) -> Vec<ReportFinding> {
    let mut joined: Vec<ReportFinding> = Vec::with_capacity(findings.len());
    while let Some(f) = findings.pop() {
        if let Some((meta, severity, parts)) = check_of(&f) {
            joined.push(ReportFinding {
                meta,
                severity,
                parts,
                finding: f,
                evidence_ref: None,
            });
        }
        // An eighth at a time: a few dozen reallocations for a million findings.
        if findings.capacity() > 4096 && findings.len() < findings.capacity() / 8 * 7 {
            findings.shrink_to_fit();
        }
    }
    joined.reverse();
    joined
}

impl Report {
    /// Join findings (waivers already applied) with the checks that ran, build the control
    /// matrix and compute the exit code ([`policy::exit_code`]) from the effective
    /// severities.
    pub fn build(scan: ScanInfo, checks: Vec<ReportCheck>, findings: Vec<Finding>) -> Report {
        let by_id: BTreeMap<&str, (ReportCheck, Arc<CheckParts>)> = checks
            .iter()
            .map(|c| (c.meta.id, (*c, Arc::new(CheckParts::of(c.meta)))))
            .collect();
        let findings = join(findings, |f| {
            let (check, parts) = by_id.get(f.check_id.as_ref())?;
            Some((check.meta, check.severity, Arc::clone(parts)))
        });
        let mut counts = Counts::default();
        // Each finding counted once, per check; the matrix rows add up these counts.
        let mut per_check: BTreeMap<&str, Counts> = BTreeMap::new();
        for f in &findings {
            counts.add(f.status());
            per_check.entry(f.meta.id).or_default().add(f.status());
        }
        let (controls, readiness) = matrix::rows(&checks, &per_check, scan.framework);
        let exit_code = policy::exit_code(
            findings.iter().map(|f| (f.status(), f.severity)),
            scan.fail_on,
        );
        Report {
            checks,
            scan,
            findings,
            controls,
            readiness,
            counts,
            exit_code,
            profile: None,
            waivers: Vec::new(),
            scope: None,
            attested: Vec::new(),
        }
    }

    /// Attach the waivers' outcomes and the scope (findings were waived before `build`).
    pub fn with_policy(mut self, waivers: Vec<WaiverResult>, scope: Option<String>) -> Report {
        self.waivers = waivers;
        self.scope = scope;
        self
    }

    /// Warnings about waivers that need attention (expired, unmatched), one line each.
    pub fn waiver_warnings(&self) -> Vec<String> {
        self.waivers.iter().filter_map(|w| w.warning()).collect()
    }

    /// Attach a policy profile: one verdict per promise over this report's findings.
    pub fn with_profile(mut self, profile: Profile) -> Report {
        let results = profiles::evaluate_with(&profile, &self.findings, &self.attested);
        self.profile = Some(ProfileReport { profile, results });
        self
    }

    /// Attach the verdicts on attested assets: the control matrix counts them apart, and the
    /// policy profile (attached before or after) judges its attested platforms with them.
    pub fn with_attested(mut self, attested: Vec<AttestedFinding>) -> Report {
        for row in &mut self.controls {
            row.attested = Counts::default();
            for f in attested
                .iter()
                .filter(|f| f.rule.controls.contains(&row.control))
            {
                row.attested.add(f.status);
            }
        }
        self.attested = attested;
        match self.profile.take() {
            Some(p) => self.with_profile(p.profile),
            None => self,
        }
    }

    /// Per-status counts of the attested verdicts.
    pub fn attested_counts(&self) -> Counts {
        let mut c = Counts::default();
        for f in &self.attested {
            c.add(f.status);
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FindingBuilder;
    use crate::model::ResourceKind;

    fn finding(check: &'static str, n: usize) -> Finding {
        let r = ResourceRef::new(ResourceKind::AwsEbsVolume, "1", "r", format!("v-{n}"), "v");
        FindingBuilder::new(check, Status::Pass, r)
            .evidence("n", n)
            .reason("r")
            .build()
            .unwrap()
    }

    /// Enough findings for the findings' vector to give back room many times over.
    #[test]
    fn join_keeps_the_order_and_leaves_out_findings_of_unknown_checks() {
        static META: CheckMeta = CheckMeta {
            id: "t-known",
            title: "t",
            severity: Severity::Low,
            provider: Provider::Aws,
            kinds: &[ResourceKind::AwsEbsVolume],
            controls: &[],
            doc: "",
        };
        let parts = Arc::new(CheckParts::of(&META));
        let findings: Vec<Finding> = (0usize..20_000)
            .map(|n| {
                finding(
                    if n.is_multiple_of(3) {
                        "t-unknown"
                    } else {
                        "t-known"
                    },
                    n,
                )
            })
            .collect();
        let joined = join(findings, |f| {
            (f.check_id == "t-known").then(|| (&META, META.severity, Arc::clone(&parts)))
        });
        let kept: Vec<usize> = joined
            .iter()
            .map(|f| f.finding.evidence["n"].as_u64().unwrap() as usize)
            .collect();
        let expected: Vec<usize> = (0usize..20_000).filter(|n| !n.is_multiple_of(3)).collect();
        assert_eq!(kept, expected);
        assert!(joined.iter().all(|f| f.meta.id == "t-known"));
    }
}
