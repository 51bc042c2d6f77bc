//! Waivers (risk-accepted exceptions) from `phiscan.toml`: what a waiver is, and what became
//! of each one in a scan. Applying them is policy's job ([`crate::policy::apply_waivers`]).

use chrono::NaiveDate;
use globset::GlobMatcher;
use serde::{Deserialize, Serialize};

/// One validated waiver: FAIL findings of `check` on a resource whose id or name matches
/// `resource` become WAIVED until the end of `expires` (UTC).
#[derive(Debug, Clone)]
pub struct Waiver {
    pub check: String,
    /// The glob as written.
    pub resource: String,
    matcher: GlobMatcher,
    pub justification: String,
    pub approver: String,
    /// Last day the waiver applies (inclusive, UTC).
    pub expires: NaiveDate,
}

impl Waiver {
    /// A waiver; `resource` must be a valid glob within [`crate::glob`]'s bounds (`*` also
    /// crosses `/` and `:`).
    pub fn new(
        check: &str,
        resource: &str,
        justification: &str,
        approver: &str,
        expires: NaiveDate,
    ) -> Result<Waiver, crate::glob::GlobError> {
        Ok(Waiver {
            check: check.to_string(),
            resource: resource.to_string(),
            matcher: crate::glob::glob(resource)?.compile_matcher(),
            justification: justification.to_string(),
            approver: approver.to_string(),
            expires,
        })
    }

    /// Whether the waiver covers this check's finding on the resource `id` / `name`.
    pub fn covers(&self, check_id: &str, id: &str, name: &str) -> bool {
        self.check == check_id && (self.matcher.is_match(id) || self.matcher.is_match(name))
    }

    /// Expired once the scan clock's date is past `expires`.
    pub fn expired_at(&self, today: NaiveDate) -> bool {
        today > self.expires
    }

    pub fn applied(&self) -> AppliedWaiver {
        AppliedWaiver {
            resource: self.resource.clone(),
            justification: self.justification.clone(),
            approver: self.approver.clone(),
            expires: self.expires,
        }
    }
}

/// The waiver recorded on a WAIVED finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppliedWaiver {
    /// The resource pattern of the waiver that matched.
    pub resource: String,
    pub justification: String,
    pub approver: String,
    pub expires: NaiveDate,
}

/// What became of one waiver in a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WaiverState {
    /// It turned at least one FAIL into WAIVED.
    Applied,
    /// Past its date: it no longer applies; the findings it would cover stay FAIL.
    Expired,
    /// In force but no FAIL matched it: stale, or a typo in the pattern.
    Unmatched,
}

impl WaiverState {
    pub fn as_str(self) -> &'static str {
        match self {
            WaiverState::Applied => "applied",
            WaiverState::Expired => "expired",
            WaiverState::Unmatched => "unmatched",
        }
    }
}

/// One waiver of the configuration with its outcome; reports list them all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverResult {
    pub check: String,
    pub resource: String,
    pub justification: String,
    pub approver: String,
    pub expires: NaiveDate,
    pub state: WaiverState,
    /// FAIL findings it waived (applied) or would have waived (expired).
    pub findings: usize,
}

impl WaiverResult {
    /// One line for stderr and text reports; `None` for an applied waiver.
    pub fn warning(&self) -> Option<String> {
        match self.state {
            WaiverState::Applied => None,
            WaiverState::Expired => Some(format!(
                "waiver for {} on {:?} expired on {} (approver {}): {} finding(s) stay FAIL",
                self.check, self.resource, self.expires, self.approver, self.findings
            )),
            WaiverState::Unmatched => Some(format!(
                "waiver for {} on {:?} (approver {}, expires {}) matched no failing finding: remove it if the exception is no longer needed",
                self.check, self.resource, self.approver, self.expires
            )),
        }
    }
}
