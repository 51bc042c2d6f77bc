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
//!
//! Verdicts on attested assets (`--attested`) follow, when the scan has an AWS account:
//! Security Hub files every finding under one, and an asset on Rackspace or SoftLayer has
//! none of its own, so they go to the scan's first AWS account (the one whose Security Hub
//! the report is for), region us-east-1; without an AWS account there are none, as for GCP
//! and Azure findings. `ProductFields` say `phiscan/provenance: ATTESTED` with the platform,
//! attester, date and document; the resource is `Other` with the id `<platform>/<id>`;
//! `FirstObservedAt`/`LastObservedAt` are the attestation's date (phiscan observed nothing).

use chrono::SecondsFormat;
use serde_json::{json, Map, Value};

use super::text::{attested_fingerprint, fingerprint};
use super::{Report, ReportFinding};
use crate::attested::{AttestedFinding, PROVENANCE};
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
    let mut findings: Vec<Value> = report
        .findings
        .iter()
        .filter(|f| f.resource().provider == crate::Provider::Aws)
        .map(|f| finding(f, &at, &report.scan.version))
        .collect();
    let aws_account = report
        .scan
        .scope
        .iter()
        .find(|sc| sc.provider == crate::Provider::Aws);
    if let Some(account) = aws_account {
        findings.extend(
            report
                .attested
                .iter()
                .map(|f| attested(f, &account.account, &at, &report.scan.version)),
        );
    }
    // Plain JSON values: serialization cannot fail.
    serde_json::to_string_pretty(&findings).expect("asff serializes") + "\n"
}

/// What every finding fills, observed or attested.
struct Shape<'a> {
    id: String,
    generator: &'a str,
    account: &'a str,
    region: &'a str,
    partition: &'a str,
    /// When phiscan observed it (the scan clock), or when it was attested.
    observed: &'a str,
    status: Status,
    severity: Severity,
    title: &'a str,
    description: &'a str,
    remediation: &'a str,
    controls: &'a [crate::frameworks::hipaa::Hipaa],
    product_fields: Value,
    resource: Value,
}

fn shape(s: Shape, at: &str) -> Value {
    let compliance = match s.status {
        Status::Pass => "PASSED",
        Status::Fail | Status::Waived => "FAILED",
        Status::Error => "WARNING",
        Status::NotApplicable => "NOT_AVAILABLE",
    };
    let (severity, workflow) = match s.status {
        Status::Fail | Status::Error => (label(s.severity), "NEW"),
        Status::Waived => (label(s.severity), "SUPPRESSED"),
        Status::Pass | Status::NotApplicable => ("INFORMATIONAL", "RESOLVED"),
    };
    let requirements: Vec<String> = s
        .controls
        .iter()
        .map(|c| format!("HIPAA {}", c.citation()))
        .collect();
    json!({
        "SchemaVersion": SCHEMA_VERSION,
        "Id": s.id,
        "ProductArn": format!(
            "arn:{}:securityhub:{}:{account}:product/{account}/default",
            s.partition,
            s.region,
            account = s.account
        ),
        "ProductName": "phiscan",
        "CompanyName": "phiscan",
        "GeneratorId": s.generator,
        "AwsAccountId": s.account,
        "Region": s.region,
        "Types": [FINDING_TYPE],
        "CreatedAt": at,
        "UpdatedAt": at,
        "FirstObservedAt": s.observed,
        "LastObservedAt": s.observed,
        "Severity": {"Label": severity, "Original": s.severity},
        "Title": clip(s.title, TITLE_MAX),
        "Description": clip(s.description, DESCRIPTION_MAX),
        "Remediation": {"Recommendation": {"Text": clip(s.remediation, REMEDIATION_MAX)}},
        "ProductFields": s.product_fields,
        "Resources": [s.resource],
        "Compliance": {"Status": compliance, "RelatedRequirements": requirements},
        "Workflow": {"Status": workflow},
        "RecordState": "ACTIVE",
    })
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
    let mut out = shape(
        Shape {
            id: format!("phiscan/{}/{}", f.meta.id, fingerprint(f)),
            generator: f.meta.id,
            account: &r.account,
            region,
            partition,
            observed: at,
            status,
            severity: f.severity,
            title: f.meta.title,
            description: &f.finding.reason,
            remediation: f.remediation(),
            controls: f.meta.controls,
            product_fields,
            resource,
        },
        at,
    );
    if let Some(w) = &f.finding.waiver {
        out["Note"] = json!({
            "Text": clip(&format!("Waived: {}", w.justification), NOTE_MAX),
            "UpdatedBy": clip(&w.approver, NOTE_MAX),
            "UpdatedAt": at,
        });
    }
    out
}

/// A verdict on an attested asset, filed under `account` (see the module doc).
fn attested(f: &AttestedFinding, account: &str, at: &str, version: &str) -> Value {
    let a = &f.attestation;
    let observed = format!("{}T00:00:00.000Z", a.attested_on);
    let resource = json!({
        "Type": "Other",
        "Id": format!("{}/{}", f.platform, f.resource_id),
        "Partition": "aws",
        "Region": GLOBAL_REGION,
        "Details": {"Other": {
            "phiscan/kind": f.kind.as_str(),
            "phiscan/name": f.resource_name,
            "phiscan/platform": f.platform,
        }},
    });
    let product_fields = json!({
        "phiscan/check_id": f.rule.id,
        "phiscan/status": f.status,
        "phiscan/version": version,
        "phiscan/provenance": PROVENANCE,
        "phiscan/platform": clip(&f.platform, PRODUCT_FIELD_MAX),
        "phiscan/attester": clip(&a.attester, PRODUCT_FIELD_MAX),
        "phiscan/attested_on": a.attested_on.to_string(),
        "phiscan/document": clip(&a.document, PRODUCT_FIELD_MAX),
    });
    shape(
        Shape {
            id: format!("phiscan/{}/{}", f.rule.id, attested_fingerprint(f)),
            generator: f.rule.id,
            account,
            region: GLOBAL_REGION,
            partition: "aws",
            observed: &observed,
            status: f.status,
            severity: f.rule.severity,
            title: f.rule.title,
            description: &format!("{} {PROVENANCE}: {}.", f.reason, f.attested_by()),
            remediation: f.rule.remediation,
            controls: f.rule.controls,
            product_fields,
            resource,
        },
        at,
    )
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
