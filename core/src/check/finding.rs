//! One verdict on one resource ([`Finding`]) and the builder that refuses a finding without a
//! resource id, evidence or reason.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::{Evidence, Status};
use crate::model::ResourceRef;

/// One verdict on one resource, with the observed values that decided it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The check's own `&'static str` (owned only when read back from a report): a report
    /// holds millions of findings and a handful of checks.
    pub check_id: Cow<'static, str>,
    pub status: Status,
    pub resource: ResourceRef,
    /// Observed values, in the order the check recorded them.
    pub evidence: Evidence,
    /// One sentence saying why the status is what it is.
    pub reason: String,
    /// The waiver that turned this FAIL into WAIVED; `None` otherwise. Boxed: few findings
    /// carry one, and inline it would add 80 bytes to each of a report's millions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<Box<crate::waiver::AppliedWaiver>>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FindingError {
    #[error("finding of {check}: resource id is empty")]
    NoResourceId { check: String },
    #[error("finding of {check} on {resource}: no evidence recorded")]
    NoEvidence { check: String, resource: String },
    #[error("finding of {check} on {resource}: no reason given")]
    NoReason { check: String, resource: String },
    #[error("finding of {check} on {resource}: evidence {key:?} is not representable: {message}")]
    BadEvidence {
        check: String,
        resource: String,
        key: String,
        message: String,
    },
}

/// Builds a [`Finding`]; [`build`](FindingBuilder::build) refuses one without a resource id,
/// without evidence or without a reason.
#[must_use]
pub struct FindingBuilder {
    finding: Finding,
    bad_evidence: Option<(String, String)>,
}

impl FindingBuilder {
    pub fn new(
        check_id: impl Into<Cow<'static, str>>,
        status: Status,
        resource: ResourceRef,
    ) -> Self {
        FindingBuilder {
            finding: Finding {
                check_id: check_id.into(),
                status,
                resource,
                evidence: Evidence::new(),
                reason: String::new(),
                waiver: None,
            },
            bad_evidence: None,
        }
    }

    /// Record one observed value. The name is usually the check's own literal, kept as it is.
    pub fn evidence(mut self, key: impl Into<Cow<'static, str>>, value: impl Serialize) -> Self {
        let key = key.into();
        match serde_json::to_value(value) {
            Ok(v) => self.finding.evidence.insert(key, v),
            Err(e) => self.bad_evidence = Some((key.into_owned(), e.to_string())),
        }
        self
    }

    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.finding.reason = reason.into();
        self
    }

    pub fn build(self) -> Result<Finding, FindingError> {
        let mut f = self.finding;
        // A report holds millions of findings: each keeps room for the values it has, not
        // for the ones its map grew towards (a third of a finding's memory otherwise).
        f.evidence.shrink_to_fit();
        // A reason is usually `format!`ed, which sizes its buffer by a guess.
        f.reason.shrink_to_fit();
        // Named only when refused: a report builds millions of findings.
        let check = || f.check_id.to_string();
        let resource = || f.resource.id.clone();
        if f.resource.id.trim().is_empty() {
            return Err(FindingError::NoResourceId { check: check() });
        }
        if let Some((key, message)) = self.bad_evidence {
            return Err(FindingError::BadEvidence {
                check: check(),
                resource: resource(),
                key,
                message,
            });
        }
        if f.evidence.is_empty() {
            return Err(FindingError::NoEvidence {
                check: check(),
                resource: resource(),
            });
        }
        if f.reason.trim().is_empty() {
            return Err(FindingError::NoReason {
                check: check(),
                resource: resource(),
            });
        }
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ResourceKind;

    fn res(id: &str) -> ResourceRef {
        ResourceRef::new(ResourceKind::AwsEbsVolume, "1", "us-east-1", id, "v")
    }

    #[test]
    fn builder_refuses_nonsense() {
        let ok = FindingBuilder::new("c", Status::Pass, res("vol-1"))
            .evidence("encrypted", true)
            .reason("encrypted")
            .build();
        assert!(ok.is_ok());
        let no_id = FindingBuilder::new("c", Status::Pass, res(" "))
            .evidence("encrypted", true)
            .reason("r")
            .build();
        assert!(matches!(no_id, Err(FindingError::NoResourceId { .. })));
        let no_ev = FindingBuilder::new("c", Status::Fail, res("vol-1"))
            .reason("r")
            .build();
        assert!(matches!(no_ev, Err(FindingError::NoEvidence { .. })));
        let no_reason = FindingBuilder::new("c", Status::Fail, res("vol-1"))
            .evidence("encrypted", false)
            .build();
        assert!(matches!(no_reason, Err(FindingError::NoReason { .. })));
    }

    #[test]
    fn evidence_keeps_insertion_order() {
        let f = FindingBuilder::new("c", Status::Pass, res("vol-1"))
            .evidence("z", 1)
            .evidence("a", 2)
            .reason("r")
            .build()
            .unwrap();
        let keys: Vec<&str> = f.evidence.keys().collect();
        assert_eq!(keys, ["z", "a"]);
    }
}
