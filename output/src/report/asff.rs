//! AWS Security Finding Format (ASFF, schema 2018-10-08): the `Findings` of a Security Hub
//! `BatchImportFindings` call, as a JSON array (what `aws securityhub batch-import-findings
//! --findings file://report.asff.json` takes; the API takes at most 100 per call).
//!
//! Which findings: those about AWS resources only. ASFF requires the 12-digit AWS account a
//! finding belongs to, and Security Hub files it under that account and region; a GCP
//! project or Azure subscription has neither, and inventing one would file it under an
//! account it says nothing about. An all-GCP or all-Azure scan renders `[]`.
//!
//! Mapping: `ProductArn` is the custom-integration product of the finding's own account and
//! region (`arn:<partition>:securityhub:<region>:<account>:product/<account>/default`);
//! account-wide resources (region `global`) go to us-east-1. `Id` is derived from (check,
//! resource), so a re-import updates the finding instead of adding a copy; `GeneratorId` is
//! the check id. `Compliance.Status`: PASS PASSED, FAIL and WAIVED FAILED, ERROR WARNING
//! ("some information is missing": the check could not be decided), NOT_APPLICABLE
//! NOT_AVAILABLE (Security Hub's status for a NOT_APPLICABLE evaluation);
//! `RelatedRequirements` the HIPAA citations. `Severity.Label` is the check's severity for
//! FAIL, WAIVED and ERROR and INFORMATIONAL otherwise, as Security Hub labels passed
//! controls (`Severity.Original` keeps phiscan's). `Workflow.Status`: NEW for FAIL and ERROR,
//! SUPPRESSED for WAIVED (the justification in `Note`), RESOLVED otherwise. Texts are cut to
//! ASFF's length limits. The scan clock dates every finding.

use chrono::SecondsFormat;
use serde_json::{json, Map, Value};

use super::text::fingerprint;
use super::{Report, ReportFinding};
use crate::check::{Severity, Status};

pub const SCHEMA_VERSION: &str = "2018-10-08";
/// The region of account-wide (`global`) resources.
pub const GLOBAL_REGION: &str = "us-east-1";
/// The finding type of the ASFF taxonomy (namespace/category/classifier).
pub const FINDING_TYPE: &str =
    "Software and Configuration Checks/Industry and Regulatory Standards/HIPAA Controls";

/// ASFF's length limits (characters) of the fields phiscan fills with free text.
const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 1024;
const REMEDIATION_MAX: usize = 512;
const NOTE_MAX: usize = 512;
const PRODUCT_FIELD_MAX: usize = 1024;

fn label(s: Severity) -> &'static str {
    match s {
        Severity::Info => "INFORMATIONAL",
        Severity::Low => "LOW",
        Severity::Medium => "MEDIUM",
        Severity::High => "HIGH",
        Severity::Critical => "CRITICAL",
    }
}

/// `text` cut to `max` characters, an ellipsis marking the cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// The partition of an ARN (`aws`, `aws-us-gov`, `aws-cn`); `aws` when the id is no ARN.
fn partition(id: &str) -> &str {
    id.split(':')
        .nth(1)
        .filter(|p| id.starts_with("arn:") && p.starts_with("aws"))
        .unwrap_or("aws")
}

pub fn render(report: &Report) -> String {
    let at = report
        .scan
        .evaluated_at
        .to_rfc3339_opts(SecondsFormat::Millis, true);
    let findings: Vec<Value> = report
        .findings
        .iter()
        .filter(|f| f.resource().provider == crate::Provider::Aws)
        .map(|f| finding(f, &at, &report.scan.version))
        .collect();
    // Plain JSON values: serialization cannot fail.
    serde_json::to_string_pretty(&findings).expect("asff serializes") + "\n"
}

fn finding(f: &ReportFinding, at: &str, version: &str) -> Value {
    let r = f.resource();
    let partition = partition(&r.id);
    let region = if r.region == "global" || r.region.is_empty() {
        GLOBAL_REGION
    } else {
        r.region.as_str()
    };
    let status = f.status();
    let compliance = match status {
        Status::Pass => "PASSED",
        Status::Fail | Status::Waived => "FAILED",
        Status::Error => "WARNING",
        Status::NotApplicable => "NOT_AVAILABLE",
    };
    let (severity, workflow) = match status {
        Status::Fail | Status::Error => (label(f.severity), "NEW"),
        Status::Waived => (label(f.severity), "SUPPRESSED"),
        Status::Pass | Status::NotApplicable => ("INFORMATIONAL", "RESOLVED"),
    };
    let requirements: Vec<String> = f
        .meta
        .controls
        .iter()
        .map(|c| format!("HIPAA {}", c.citation()))
        .collect();
    let mut resource = json!({
        "Type": "Other",
        "Id": r.id,
        "Partition": partition,
        "Region": region,
        "Details": {"Other": {"phiscan/kind": r.kind.as_str(), "phiscan/name": r.name}},
    });
    if !r.tags.is_empty() {
        let tags: Map<String, Value> = r
            .tags
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        resource["Tags"] = Value::Object(tags);
    }
    let mut product_fields = json!({
        "phiscan/check_id": f.meta.id,
        "phiscan/status": status,
        "phiscan/version": version,
    });
    if let Some(e) = &f.evidence_ref {
        product_fields["phiscan/evidence_ref"] = json!(clip(e, PRODUCT_FIELD_MAX));
    }
    let mut out = json!({
        "SchemaVersion": SCHEMA_VERSION,
        "Id": format!("phiscan/{}/{}", f.meta.id, fingerprint(f)),
        "ProductArn": format!(
            "arn:{partition}:securityhub:{region}:{account}:product/{account}/default",
            account = r.account
        ),
        "ProductName": "phiscan",
        "CompanyName": "phiscan",
        "GeneratorId": f.meta.id,
        "AwsAccountId": r.account,
        "Region": region,
        "Types": [FINDING_TYPE],
        "CreatedAt": at,
        "UpdatedAt": at,
        "FirstObservedAt": at,
        "LastObservedAt": at,
        "Severity": {"Label": severity, "Original": f.severity},
        "Title": clip(f.meta.title, TITLE_MAX),
        "Description": clip(&f.finding.reason, DESCRIPTION_MAX),
        "Remediation": {"Recommendation": {"Text": clip(f.remediation(), REMEDIATION_MAX)}},
        "ProductFields": product_fields,
        "Resources": [resource],
        "Compliance": {"Status": compliance, "RelatedRequirements": requirements},
        "Workflow": {"Status": workflow},
        "RecordState": "ACTIVE",
    });
    if let Some(w) = &f.finding.waiver {
        out["Note"] = json!({
            "Text": clip(&format!("Waived: {}", w.justification), NOTE_MAX),
            "UpdatedBy": clip(&w.approver, NOTE_MAX),
            "UpdatedAt": at,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_keeps_short_texts_and_cuts_long_ones_on_characters() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "ab…");
        assert_eq!(clip("ééééé", 4).chars().count(), 4);
    }

    #[test]
    fn partition_comes_from_the_arn() {
        assert_eq!(partition("arn:aws-us-gov:s3:::b"), "aws-us-gov");
        assert_eq!(partition("arn:aws:s3:::b"), "aws");
        assert_eq!(partition("i-0123"), "aws");
    }
}
