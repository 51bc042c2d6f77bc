//! The control matrix and the 2025 NPRM readiness rows: which checks of a scan cite each
//! control or proposed standard, and what their findings add up to.

use std::collections::{BTreeMap, BTreeSet};

use super::{Counts, ReportCheck};
use crate::frameworks::hipaa::{Coverage, Hipaa};
use crate::frameworks::nprm2025::{Framework, Nprm2025};

/// One row of the control matrix.
#[derive(Debug, Clone)]
pub struct ControlRow {
    pub control: Hipaa,
    /// Checks of this scan that cite the control.
    pub checks: Vec<&'static str>,
    pub counts: Counts,
    /// Verdicts of attested assets on the control, apart from the observed `counts`.
    pub attested: Counts,
}

impl ControlRow {
    /// `fail` if any finding failed, `error` if data is missing, `pass` if all passed,
    /// `not-evaluated` when no finding cites it; inherited/organizational otherwise. Attested
    /// verdicts only speak where the observed ones say nothing worse: `fail (attested)` when
    /// an attested asset fails a control that observed findings pass or do not evaluate,
    /// `pass (attested)` when attestation is all there is.
    pub fn verdict(&self) -> &'static str {
        let observed = coverage_verdict(self.control.coverage(), &self.counts);
        match observed {
            "pass" | "not-evaluated" if self.attested.fail > 0 => "fail (attested)",
            "not-evaluated" if self.attested.pass > 0 => "pass (attested)",
            v => v,
        }
    }
}

/// One proposed standard of the 2025 NPRM with the findings of the checks mapped to it.
#[derive(Debug, Clone)]
pub struct ReadinessRow {
    pub requirement: Nprm2025,
    pub checks: Vec<&'static str>,
    pub counts: Counts,
}

impl ReadinessRow {
    /// Same rule as [`ControlRow::verdict`].
    pub fn verdict(&self) -> &'static str {
        coverage_verdict(self.requirement.coverage(), &self.counts)
    }
}

/// A control's verdict from its coverage and the counts of the findings that cite it.
fn coverage_verdict(coverage: Coverage, counts: &Counts) -> &'static str {
    match coverage {
        Coverage::Inherited(_) => "inherited",
        Coverage::Organizational(_) => "organizational",
        // A waived failure is an accepted risk, not a satisfied control.
        Coverage::Tested if counts.fail > 0 || counts.waived > 0 => "fail",
        Coverage::Tested if counts.error > 0 => "error",
        Coverage::Tested if counts.pass > 0 => "pass",
        Coverage::Tested => "not-evaluated",
    }
}

/// The control rows and, when `framework` asks for them, the readiness rows, from the
/// per-check counts (each finding counted once, per check; a row adds up its checks' counts,
/// where a pass over every finding per control would cost controls x findings).
pub(super) fn rows(
    checks: &[ReportCheck],
    per_check: &BTreeMap<&str, Counts>,
    framework: Framework,
) -> (Vec<ControlRow>, Vec<ReadinessRow>) {
    let cited_counts = |cited: &[&'static str]| {
        let mut c = Counts::default();
        let mut seen = BTreeSet::new();
        for id in cited.iter().filter(|id| seen.insert(**id)) {
            if let Some(n) = per_check.get(id) {
                c.extend(n);
            }
        }
        c
    };
    let controls = Hipaa::ALL
        .iter()
        .map(|&control| {
            let cited: Vec<&'static str> = checks
                .iter()
                .map(|c| c.meta)
                .filter(|m| m.controls.contains(&control))
                .map(|m| m.id)
                .collect();
            ControlRow {
                control,
                counts: cited_counts(&cited),
                checks: cited,
                attested: Counts::default(),
            }
        })
        .collect();
    let readiness = match framework {
        Framework::Hipaa => Vec::new(),
        Framework::HipaaNprm2025 => Nprm2025::ALL
            .iter()
            .map(|&requirement| {
                let cited: Vec<&'static str> = checks
                    .iter()
                    .map(|c| c.meta)
                    .filter(|m| Nprm2025::for_controls(m.controls).contains(&requirement))
                    .map(|m| m.id)
                    .collect();
                ReadinessRow {
                    requirement,
                    counts: cited_counts(&cited),
                    checks: cited,
                }
            })
            .collect(),
    };
    (controls, readiness)
}
