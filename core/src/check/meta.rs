//! What is static about a check: [`CheckMeta`], declared once with
//! [`declare_check!`](crate::declare_check), and the documentation sections it must have.

use super::Severity;
use crate::frameworks::hipaa::Hipaa;
use crate::model::{Provider, ResourceKind};

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
