//! Reports: the findings after policy, the control matrix and the scan metadata. Every
//! output format is a function of [`Report`] alone, one module per format.

pub mod json;
pub mod table;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::check::{Check, CheckMeta, Finding, Severity, Status};
use crate::frameworks::hipaa::{Coverage, Hipaa};
use crate::frameworks::ControlRef;
use crate::model::{ApiCall, Provider, ResourceRef, Scope};
use crate::policy;

/// Where the inventory came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
pub struct ScanInfo {
    pub tool: &'static str,
    pub version: &'static str,
    pub source: Source,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// The clock checks measured ages against.
    pub evaluated_at: DateTime<Utc>,
    pub scope: Vec<Scope>,
    pub checks_run: Vec<&'static str>,
    pub fail_on: Severity,
    /// The API calls that collected the inventory (live scans, and saved inventories of
    /// live scans); empty for the demo.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub api_calls: Vec<ApiCall>,
}

/// A finding joined with its check's metadata.
#[derive(Debug, Clone)]
pub struct ReportFinding {
    pub meta: &'static CheckMeta,
    pub finding: Finding,
}

impl ReportFinding {
    pub fn status(&self) -> Status {
        self.finding.status
    }
    pub fn resource(&self) -> &ResourceRef {
        &self.finding.resource
    }
    pub fn controls(&self) -> Vec<ControlRef> {
        self.meta.controls.iter().map(|c| c.control_ref()).collect()
    }
    pub fn remediation(&self) -> String {
        self.meta.section("Remediation").unwrap_or_default()
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
}

impl Counts {
    pub fn add(&mut self, s: Status) {
        match s {
            Status::Pass => self.pass += 1,
            Status::Fail => self.fail += 1,
            Status::Error => self.error += 1,
            Status::NotApplicable => self.not_applicable += 1,
        }
    }
    pub fn total(&self) -> usize {
        self.pass + self.fail + self.error + self.not_applicable
    }
}

/// One row of the control matrix.
#[derive(Debug, Clone)]
pub struct ControlRow {
    pub control: Hipaa,
    /// Checks of this scan that cite the control.
    pub checks: Vec<&'static str>,
    pub counts: Counts,
}

impl ControlRow {
    /// `fail` if any finding failed, `error` if data is missing, `pass` if all passed,
    /// `not-evaluated` when no finding cites it; inherited/organizational otherwise.
    pub fn verdict(&self) -> &'static str {
        match self.control.coverage() {
            Coverage::Inherited(_) => "inherited",
            Coverage::Organizational(_) => "organizational",
            Coverage::Tested if self.counts.fail > 0 => "fail",
            Coverage::Tested if self.counts.error > 0 => "error",
            Coverage::Tested if self.counts.pass > 0 => "pass",
            Coverage::Tested => "not-evaluated",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Report {
    pub scan: ScanInfo,
    pub findings: Vec<ReportFinding>,
    pub controls: Vec<ControlRow>,
    pub counts: Counts,
    pub exit_code: i32,
}

impl Report {
    /// Join findings with the metadata of the checks that ran, build the control matrix
    /// and apply policy.
    pub fn build(scan: ScanInfo, checks: &[&'static dyn Check], findings: Vec<Finding>) -> Report {
        let metas: BTreeMap<&str, &'static CheckMeta> =
            checks.iter().map(|c| (c.meta().id, c.meta())).collect();
        let findings: Vec<ReportFinding> = findings
            .into_iter()
            .filter_map(|f| {
                let meta = metas.get(f.check_id.as_str()).copied()?;
                Some(ReportFinding { meta, finding: f })
            })
            .collect();
        let mut counts = Counts::default();
        for f in &findings {
            counts.add(f.status());
        }
        let controls = Hipaa::ALL
            .iter()
            .map(|&control| {
                let cited: Vec<&'static str> = checks
                    .iter()
                    .map(|c| c.meta())
                    .filter(|m| m.controls.contains(&control))
                    .map(|m| m.id)
                    .collect();
                let mut counts = Counts::default();
                for f in findings.iter().filter(|f| cited.contains(&f.meta.id)) {
                    counts.add(f.status());
                }
                ControlRow {
                    control,
                    checks: cited,
                    counts,
                }
            })
            .collect();
        let exit_code = policy::exit_code(
            findings.iter().map(|f| (f.status(), f.meta.severity)),
            scan.fail_on,
        );
        Report {
            scan,
            findings,
            controls,
            counts,
            exit_code,
        }
    }
}
