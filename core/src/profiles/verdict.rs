//! A profile's promises judged over a scan's findings: one [`PromiseVerdict`] each.

use std::borrow::Borrow;
use std::collections::BTreeSet;

use serde::Serialize;

use super::{platforms, PlatformResult, PlatformVerdict, Profile, Promise};
use crate::check::{Finding, Status};

/// A promise's verdict over a scan's findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PromiseVerdict {
    /// Every finding of its checks passed.
    Holds,
    /// Every finding of its checks passed, and on the platforms no API reaches every
    /// attested verdict passed: part of the promise rests on attestation alone.
    HoldsAttested,
    /// At least one finding failed.
    Broken,
    /// Data was missing (ERROR) or no resource was evaluated: the promise is not proven.
    NotVerified,
    /// No API can verify it; attested by people.
    Manual,
}

impl PromiseVerdict {
    pub fn label(self) -> &'static str {
        match self {
            PromiseVerdict::Holds => "holds",
            PromiseVerdict::HoldsAttested => "holds (attested)",
            PromiseVerdict::Broken => "broken",
            PromiseVerdict::NotVerified => "could not be verified",
            PromiseVerdict::Manual => "manual",
        }
    }
}

/// One promise with its verdict and the findings behind it.
#[derive(Debug, Clone)]
pub struct PromiseResult {
    pub promise: Promise,
    pub verdict: PromiseVerdict,
    pub pass: usize,
    pub fail: usize,
    pub error: usize,
    pub not_applicable: usize,
    /// FAILs covered by a waiver: the risk is accepted, the promise is still not kept.
    pub waived: usize,
    /// Indices into the findings given to [`evaluate`] of the FAIL, WAIVED and ERROR findings.
    pub failing: Vec<usize>,
    /// The platforms of `promise.attested`, each with its verdict from attested assets.
    pub platforms: Vec<PlatformResult>,
}

/// Verdict per promise. A promise holds only when its checks produced at least one PASS
/// and nothing failed or errored: a promise nobody could test is not kept, it is unverified.
pub fn evaluate<F: Borrow<Finding>>(profile: &Profile, findings: &[F]) -> Vec<PromiseResult> {
    evaluate_with(profile, findings, &[])
}

/// [`evaluate`] with attested verdicts for the platforms no API reaches: a failed one breaks
/// the promise; "holds (attested)" when it holds and every such platform holds by attestation.
/// A platform without attestation is listed as not verified ([`PromiseResult::platforms`]).
pub fn evaluate_with<F: Borrow<Finding>>(
    profile: &Profile,
    findings: &[F],
    attested: &[crate::attested::AttestedFinding],
) -> Vec<PromiseResult> {
    profile
        .promises
        .iter()
        .map(|p| {
            let ids: BTreeSet<&str> = p.checks.iter().map(|c| c.id.as_str()).collect();
            let (mut pass, mut fail, mut error, mut na, mut waived) = (0, 0, 0, 0, 0);
            let mut failing = Vec::new();
            for (i, f) in findings.iter().enumerate() {
                let f = f.borrow();
                if !ids.contains(f.check_id.as_ref()) {
                    continue;
                }
                match f.status {
                    Status::Pass => pass += 1,
                    Status::Fail => {
                        fail += 1;
                        failing.push(i);
                    }
                    Status::Error => {
                        error += 1;
                        failing.push(i);
                    }
                    Status::NotApplicable => na += 1,
                    Status::Waived => {
                        waived += 1;
                        failing.push(i);
                    }
                }
            }
            let platforms = platforms::evaluate(p.attested.as_ref(), attested);
            let is = |v: PlatformVerdict| platforms.iter().any(|x| x.verdict == v);
            let verdict = if p.manual.is_some() {
                PromiseVerdict::Manual
            } else if fail > 0 || waived > 0 || is(PlatformVerdict::BrokenAttested) {
                PromiseVerdict::Broken
            } else if error > 0 || pass == 0 {
                PromiseVerdict::NotVerified
            } else if !platforms.is_empty()
                && platforms
                    .iter()
                    .all(|x| x.verdict == PlatformVerdict::HoldsAttested)
            {
                PromiseVerdict::HoldsAttested
            } else {
                PromiseVerdict::Holds
            };
            PromiseResult {
                promise: p.clone(),
                verdict,
                pass,
                fail,
                error,
                not_applicable: na,
                waived,
                failing,
                platforms,
            }
        })
        .collect()
}
