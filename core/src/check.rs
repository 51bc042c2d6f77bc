//! The check framework: metadata declared once, pure evaluation over a context, findings
//! built by a builder that refuses nonsense.

use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::frameworks::hipaa::Hipaa;
use crate::model::{Inventory, Provider, Resource, ResourceKind, ResourceRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Pass,
    Fail,
    /// The data the check needs could not be collected; the reason says why.
    Error,
    /// The check does not apply to this resource; the reason says why.
    NotApplicable,
    /// A FAIL covered by a waiver of `phiscan.toml` (the finding's `waiver` says whose and
    /// until when). Never an ERROR: missing data cannot be waived.
    Waived,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Pass,
        Status::Fail,
        Status::Error,
        Status::NotApplicable,
        Status::Waived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Error => "ERROR",
            Status::NotApplicable => "NOT_APPLICABLE",
            Status::Waived => "WAIVED",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How bad a failure of the check is. Ordered: `Info < Low < ... < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything static about a check, declared once with [`declare_check!`](crate::declare_check).
#[derive(Debug)]
pub struct CheckMeta {
    /// Stable kebab-case id; auditors cite it for years.
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub provider: Provider,
    /// The resource kinds the check reads: the planner collects exactly these.
    pub kinds: &'static [ResourceKind],
    pub controls: &'static [Hipaa],
    /// The check's doc comment (Markdown): What it checks / Why it matters / Evidence /
    /// Remediation.
    pub doc: &'static str,
}

/// Sections every check's documentation must have, in this order.
pub const DOC_SECTIONS: [&str; 4] = [
    "What it checks",
    "Why it matters",
    "Evidence",
    "Remediation",
];

impl CheckMeta {
    /// The documentation with the one leading space of each doc-comment line removed.
    pub fn documentation(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string() + "\n"
    }

    /// The body of one `## Section` of the documentation, trimmed; `None` when missing.
    pub fn section(&self, name: &str) -> Option<String> {
        let doc = self.documentation();
        let header = format!("## {name}");
        let mut lines = doc.lines().skip_while(|l| l.trim() != header);
        lines.next()?;
        let body: Vec<&str> = lines.take_while(|l| !l.starts_with("## ")).collect();
        let body = body.join("\n").trim().to_string();
        (!body.is_empty()).then_some(body)
    }

    /// Documentation problems: missing or out-of-order sections. Empty when fine.
    pub fn doc_problems(&self) -> Vec<String> {
        let doc = self.documentation();
        let headers: Vec<&str> = doc
            .lines()
            .filter_map(|l| l.strip_prefix("## "))
            .map(str::trim)
            .collect();
        let mut problems = Vec::new();
        for s in DOC_SECTIONS {
            if self.section(s).is_none() {
                problems.push(format!("{}: section '## {s}' is missing or empty", self.id));
            }
        }
        let order: Vec<&str> = headers
            .iter()
            .copied()
            .filter(|h| DOC_SECTIONS.contains(h))
            .collect();
        if problems.is_empty() && order != DOC_SECTIONS {
            problems.push(format!("{}: sections are out of order: {order:?}", self.id));
        }
        problems
    }
}

/// Declares a check type with its metadata; the doc comment becomes the documentation.
///
/// ```ignore
/// declare_check! {
///     /// ## What it checks
///     /// ...
///     pub struct EbsVolumeEncrypted {
///         id: "aws-ebs-volume-encrypted",
///         title: "EBS volumes are encrypted",
///         severity: High,
///         provider: Aws,
///         kinds: [AwsEbsVolume],
///         controls: [EncryptionDecryption],
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_check {
    (
        $(#[doc = $doc:literal])+
        pub struct $name:ident {
            id: $id:literal,
            title: $title:literal,
            severity: $sev:ident,
            provider: $prov:ident,
            kinds: [$($kind:ident),+ $(,)?],
            controls: [$($ctl:ident),+ $(,)?] $(,)?
        }
    ) => {
        $(#[doc = $doc])+
        pub struct $name;

        impl $name {
            pub const META: $crate::CheckMeta = $crate::CheckMeta {
                id: $id,
                title: $title,
                severity: $crate::Severity::$sev,
                provider: $crate::Provider::$prov,
                kinds: &[$($crate::ResourceKind::$kind),+],
                controls: &[$($crate::Hipaa::$ctl),+],
                doc: concat!($($doc, "\n"),+),
            };
        }
    };
}

/// A check: static metadata and a pure evaluation over the inventory.
pub trait Check: Sync + Send {
    fn meta(&self) -> &'static CheckMeta;
    /// Evaluate every resource the check applies to. No I/O, no clock reads: everything
    /// comes from `ctx`. A resource that was evaluated gets exactly one finding.
    fn evaluate(&self, ctx: &Ctx) -> Result<Vec<Finding>, FindingError>;
}

/// What a check may look at: the inventory (typed slices of the kinds it declared), the
/// validated config and the scan's clock.
pub struct Ctx<'a> {
    pub inventory: &'a Inventory,
    pub config: &'a Config,
    /// The scan's clock: ages (backups, certificates) are measured against it.
    pub now: DateTime<Utc>,
    meta: &'static CheckMeta,
}

impl<'a> Ctx<'a> {
    pub fn new(
        meta: &'static CheckMeta,
        inventory: &'a Inventory,
        config: &'a Config,
        now: DateTime<Utc>,
    ) -> Self {
        Ctx {
            inventory,
            config,
            now,
            meta,
        }
    }

    /// The resources of one kind. The kind must be among the check's declared kinds, or the
    /// planner would not have collected it (asserted in tests and debug builds).
    pub fn resources<T: Resource>(&self) -> &'a [T] {
        debug_assert!(
            self.meta.kinds.contains(&T::KIND),
            "check {} reads {:?} without declaring it in `kinds`",
            self.meta.id,
            T::KIND
        );
        T::all(self.inventory)
    }

    pub fn finding(&self, status: Status, resource: &ResourceRef) -> FindingBuilder {
        FindingBuilder::new(self.meta.id, status, resource.clone())
    }
    pub fn pass(&self, resource: &ResourceRef) -> FindingBuilder {
        self.finding(Status::Pass, resource)
    }
    pub fn fail(&self, resource: &ResourceRef) -> FindingBuilder {
        self.finding(Status::Fail, resource)
    }
    pub fn not_applicable(&self, resource: &ResourceRef) -> FindingBuilder {
        self.finding(Status::NotApplicable, resource)
    }
    /// ERROR for one resource whose deciding value was not reported: missing data is never
    /// a PASS, and the exit code marks the scan incomplete.
    pub fn error(&self, resource: &ResourceRef) -> FindingBuilder {
        self.finding(Status::Error, resource)
    }
    /// PASS when `ok`, FAIL otherwise.
    pub fn verdict(&self, ok: bool, resource: &ResourceRef) -> FindingBuilder {
        self.finding(if ok { Status::Pass } else { Status::Fail }, resource)
    }
}

/// One verdict on one resource, with the observed values that decided it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub check_id: String,
    pub status: Status,
    pub resource: ResourceRef,
    /// Observed values, in the order the check recorded them.
    pub evidence: IndexMap<String, serde_json::Value>,
    /// One sentence saying why the status is what it is.
    pub reason: String,
    /// The waiver that turned this FAIL into WAIVED; `None` otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<crate::waiver::AppliedWaiver>,
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
    pub fn new(check_id: &str, status: Status, resource: ResourceRef) -> Self {
        FindingBuilder {
            finding: Finding {
                check_id: check_id.to_string(),
                status,
                resource,
                evidence: IndexMap::new(),
                reason: String::new(),
                waiver: None,
            },
            bad_evidence: None,
        }
    }

    /// Record one observed value.
    pub fn evidence(mut self, key: &str, value: impl Serialize) -> Self {
        match serde_json::to_value(value) {
            Ok(v) => {
                self.finding.evidence.insert(key.to_string(), v);
            }
            Err(e) => self.bad_evidence = Some((key.to_string(), e.to_string())),
        }
        self
    }

    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.finding.reason = reason.into();
        self
    }

    pub fn build(self) -> Result<Finding, FindingError> {
        let f = self.finding;
        let check = f.check_id.clone();
        if f.resource.id.trim().is_empty() {
            return Err(FindingError::NoResourceId { check });
        }
        let resource = f.resource.id.clone();
        if let Some((key, message)) = self.bad_evidence {
            return Err(FindingError::BadEvidence {
                check,
                resource,
                key,
                message,
            });
        }
        if f.evidence.is_empty() {
            return Err(FindingError::NoEvidence { check, resource });
        }
        if f.reason.trim().is_empty() {
            return Err(FindingError::NoReason { check, resource });
        }
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let keys: Vec<&String> = f.evidence.keys().collect();
        assert_eq!(keys, ["z", "a"]);
    }

    #[test]
    fn severity_orders_by_badness() {
        assert!(Severity::Critical > Severity::High && Severity::Low > Severity::Info);
    }
}
