//! The platforms a promise covers beyond the clouds' APIs (Rackspace, SoftLayer,
//! on-premises): judged only from attested assets (`crate::attested`), each listed with its
//! own verdict so that a platform nobody attested is shown, never dropped.

use serde::{Deserialize, Serialize};

use crate::attested::{self, AttestedFinding};
use crate::check::Status;

/// `attested = { platforms = [...], rules = [...] }` of a promise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttestedCoverage {
    /// The platforms of the promise no collector reaches, as attested files name them.
    pub platforms: Vec<String>,
    /// The attested rules (`attested-disk-encrypted`, ...) that verify the promise there.
    pub rules: Vec<String>,
}

impl AttestedCoverage {
    /// Problems with the coverage, for [`super::Profile::validate`].
    pub(super) fn problems(&self, at: &str) -> Vec<String> {
        let mut out = Vec::new();
        if self.platforms.is_empty() || self.rules.is_empty() {
            out.push(format!("{at}: `attested` needs platforms and rules"));
        }
        if self.platforms.iter().any(|p| p.trim().is_empty()) {
            out.push(format!("{at}: `attested` names an empty platform"));
        }
        for r in &self.rules {
            if attested::rule(r).is_none() {
                out.push(format!(
                    "{at}: unknown attested rule {r:?} ({})",
                    attested::RULES
                        .iter()
                        .map(|r| r.id)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        out
    }
}

/// A platform's verdict within a promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlatformVerdict {
    /// Every attested verdict on it passed.
    HoldsAttested,
    /// An attested verdict on it failed.
    BrokenAttested,
    /// No attested entry of the promise's rules on it.
    NotVerified,
}

impl PlatformVerdict {
    pub fn label(self) -> &'static str {
        match self {
            PlatformVerdict::HoldsAttested => "holds (attested)",
            PlatformVerdict::BrokenAttested => "broken (attested)",
            PlatformVerdict::NotVerified => "not verified: no API and no attestation",
        }
    }
}

/// One platform of a promise with its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformResult {
    pub platform: String,
    pub verdict: PlatformVerdict,
    pub pass: usize,
    pub fail: usize,
    /// Indices into the attested findings of the FAILs.
    pub failing: Vec<usize>,
}

/// The verdict of each platform of `coverage` over the attested findings.
pub fn evaluate(
    coverage: Option<&AttestedCoverage>,
    attested: &[AttestedFinding],
) -> Vec<PlatformResult> {
    let Some(c) = coverage else {
        return Vec::new();
    };
    c.platforms
        .iter()
        .map(|platform| {
            let (mut pass, mut fail, mut failing) = (0, 0, Vec::new());
            for (i, f) in attested.iter().enumerate() {
                if &f.platform != platform || !c.rules.iter().any(|r| r == f.rule.id) {
                    continue;
                }
                match f.status {
                    Status::Pass => pass += 1,
                    _ => {
                        fail += 1;
                        failing.push(i);
                    }
                }
            }
            let verdict = if fail > 0 {
                PlatformVerdict::BrokenAttested
            } else if pass > 0 {
                PlatformVerdict::HoldsAttested
            } else {
                PlatformVerdict::NotVerified
            };
            PlatformResult {
                platform: platform.clone(),
                verdict,
                pass,
                fail,
                failing,
            }
        })
        .collect()
}
