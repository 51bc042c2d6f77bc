//! SARIF 2.1.0 (OASIS), for code-scanning dashboards and SARIF viewers.
//!
//! - One rule per check that ran, with the check's documentation as help text (Markdown and
//!   plain), its HIPAA citations as tags and a `security-severity` score.
//! - One result per finding. The resource is a logical location (`kind: "resource"`, its
//!   canonical id as `fullyQualifiedName`): cloud resources have no file to point at.
//! - `kind`/`level`: FAIL is `fail` with a level from the check's severity (critical/high ->
//!   `error`, medium -> `warning`, low/info -> `note`); PASS is `pass`; NOT_APPLICABLE is
//!   `notApplicable`; ERROR (data not collected) is `open` ("could not determine") and is also
//!   a tool-execution notification at level `error`, with `executionSuccessful: false`, so a
//!   partial scan is visible. The spec requires level `none` for non-`fail` kinds.
//! - `partialFingerprints` carry a stable hash of (check, resource) so dashboards track a
//!   finding across scans.
//! - Verdicts on attested assets (`--attested`) are a second run of their own (automation id
//!   `phiscan/hipaa-attested/<clock>`): one rule per attested rule, one result per verdict
//!   with `properties.provenance = "ATTESTED"`, the platform, the attester, the date and the
//!   document. The observed run's results and `properties.counts` never include them, so a
//!   dashboard counting the observed run counts observations only.

use serde_json::{json, Value};

use super::text::{attested_fingerprint, fingerprint};
use super::Report;
use crate::attested::{AttestedFinding, PROVENANCE, RULES};
use crate::check::{Severity, Status};

pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's convention: a CVSS-like score as a string.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn kind(status: Status) -> &'static str {
    match status {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Error => "open",
        Status::NotApplicable => "notApplicable",
        // Still a failure; the result's `suppressions` say it is accepted.
        Status::Waived => "fail",
    }
}

/// `aws-ebs-volume-encrypted` -> `AwsEbsVolumeEncrypted` (SARIF's rule `name`).
fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn time(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn render(report: &Report) -> String {
    let s = &report.scan;
    // Every check that ran is a rule, also those without findings.
    let mut ran = report.checks.clone();
    ran.sort_by_key(|c| c.meta.id);
    let rules: Vec<Value> = ran
        .iter()
        .map(|run| {
            let (m, severity) = (run.meta, run.severity);
            let doc = m.documentation();
            json!({
                "id": m.id,
                "name": pascal(m.id),
                "shortDescription": {"text": m.title},
                "fullDescription": {"text": m.section("What it checks").unwrap_or_else(|| m.title.to_string())},
                "help": {"text": doc, "markdown": doc},
                "defaultConfiguration": {"level": level(severity)},
                "properties": {
                    "tags": std::iter::once("hipaa".to_string())
                        .chain(m.controls.iter().map(|c| format!("45 CFR {}", c.citation())))
                        .collect::<Vec<_>>(),
                    "security-severity": security_severity(severity),
                    "problem.severity": match severity {
                        Severity::Critical | Severity::High => "error",
                        Severity::Medium => "warning",
                        _ => "recommendation",
                    },
                    "provider": m.provider,
                }
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let r = f.resource();
            let status = f.status();
            let mut result = json!({
                "ruleId": f.meta.id,
                "ruleIndex": ran.iter().position(|c| c.meta.id == f.meta.id).unwrap_or(0),
                "kind": kind(status),
                "level": if matches!(status, Status::Fail | Status::Waived) { level(f.severity) } else { "none" },
                "message": {"text": f.finding.reason},
                "locations": [{
                    "logicalLocations": [{
                        "name": if r.name.is_empty() { r.id.as_str() } else { r.name.as_str() },
                        "fullyQualifiedName": r.id,
                        "kind": "resource",
                    }],
                    "message": {"text": format!("{} {} {} in {} {}, {}", r.provider, r.kind.as_str(), r.name, r.provider.scope_noun(), r.account, r.region)},
                }],
                "partialFingerprints": {"phiscanFinding/v1": fingerprint(f)},
                "properties": {
                    "status": status,
                    "severity": f.severity,
                    "provider": r.provider,
                    "account": r.account,
                    "region": r.region,
                    "resourceKind": r.kind.as_str(),
                    "controls": f.meta.controls.iter().map(|c| c.citation()).collect::<Vec<_>>(),
                    "evidence": f.finding.evidence,
                },
            });
            if let Some(e) = &f.evidence_ref {
                result["properties"]["evidenceRef"] = json!(e);
            }
            if let Some(w) = &f.finding.waiver {
                // SARIF 2.1.0 §3.35: an external, accepted suppression hides the result from
                // code-scanning alerts while keeping it in the log.
                result["suppressions"] = json!([{
                    "kind": "external",
                    "status": "accepted",
                    "justification": w.justification,
                    "properties": {"approver": w.approver, "expires": w.expires, "resource": w.resource},
                }]);
            }
            result
        })
        .collect();
    let notifications: Vec<Value> = report
        .findings
        .iter()
        .filter(|f| f.status() == Status::Error)
        .map(|f| {
            json!({
                "level": "error",
                "message": {"text": f.finding.reason},
                "associatedRule": {"id": f.meta.id},
                "locations": [{"logicalLocations": [{"fullyQualifiedName": f.resource().id, "kind": "resource"}]}],
            })
        })
        .collect();
    let mut invocation = json!({
        "executionSuccessful": report.counts.error == 0,
        "startTimeUtc": time(&s.started_at),
        "endTimeUtc": time(&s.finished_at),
        "exitCode": report.exit_code,
        "properties": {"evaluatedAt": time(&s.evaluated_at), "failOn": s.fail_on},
    });
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notifications);
    }
    let mut runs = vec![json!({
            "tool": {"driver": {
                "name": "phiscan",
                "version": s.version,
                "semanticVersion": s.version,
                "rules": rules,
            }},
            "automationDetails": {"id": format!("phiscan/hipaa/{}", time(&s.evaluated_at))},
            "invocations": [invocation],
            "results": results,
            "columnKind": "unicodeCodePoints",
            "properties": {
                "scope": s.scope,
                "counts": report.counts,
            },
    })];
    runs.extend(attested_run(report));
    let doc = json!({"$schema": SCHEMA_URI, "version": "2.1.0", "runs": runs});
    // Plain JSON values: serialization cannot fail.
    serde_json::to_string_pretty(&doc).expect("sarif serializes") + "\n"
}

/// The run of the verdicts on attested assets; none without them. Its rules are the attested
/// rules that have a verdict, in [`RULES`] order.
fn attested_run(report: &Report) -> Option<Value> {
    if report.attested.is_empty() {
        return None;
    }
    let s = &report.scan;
    let rules: Vec<_> = RULES
        .iter()
        .filter(|r| report.attested.iter().any(|f| f.rule.id == r.id))
        .collect();
    let rule_values: Vec<Value> = rules
        .iter()
        .map(|r| {
            let what = format!(
                "{} Judged on values people attest, with the decision of {}.",
                r.title,
                r.same_as.join(", ")
            );
            json!({
                "id": r.id,
                "name": pascal(r.id),
                "shortDescription": {"text": r.title},
                "fullDescription": {"text": what},
                "help": {"text": r.remediation},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {
                    "tags": std::iter::once("hipaa".to_string())
                        .chain(std::iter::once("attested".to_string()))
                        .chain(r.controls.iter().map(|c| format!("45 CFR {}", c.citation())))
                        .collect::<Vec<_>>(),
                    "security-severity": security_severity(r.severity),
                    "provenance": PROVENANCE,
                },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .attested
        .iter()
        .map(|f| attested_result(f, rules.iter().position(|r| r.id == f.rule.id)))
        .collect();
    Some(json!({
        "tool": {"driver": {
            "name": "phiscan",
            "version": s.version,
            "semanticVersion": s.version,
            "rules": rule_values,
        }},
        "automationDetails": {
            "id": format!("phiscan/hipaa-attested/{}", time(&s.evaluated_at)),
            "description": {"text": "Verdicts on attested assets: values people attest for platforms no API reaches, not observed by phiscan and not counted with the observed run."},
        },
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {"provenance": PROVENANCE, "counts": report.attested_counts()},
    }))
}

fn attested_result(f: &AttestedFinding, rule_index: Option<usize>) -> Value {
    let a = &f.attestation;
    json!({
        "ruleId": f.rule.id,
        "ruleIndex": rule_index.unwrap_or(0),
        "kind": kind(f.status),
        "level": if f.status == Status::Fail { level(f.rule.severity) } else { "none" },
        "message": {"text": format!("{} ({})", f.reason, f.attested_by())},
        "locations": [{
            "logicalLocations": [{
                "name": f.resource_name,
                "fullyQualifiedName": format!("{}/{}", f.platform, f.resource_id),
                "kind": "resource",
            }],
            "message": {"text": format!("{} {} {} (attested, not observed)", f.platform, f.kind.as_str(), f.resource_name)},
        }],
        "partialFingerprints": {"phiscanAttested/v1": attested_fingerprint(f)},
        "properties": {
            "provenance": PROVENANCE,
            "status": f.status,
            "severity": f.rule.severity,
            "platform": f.platform,
            "resourceKind": f.kind.as_str(),
            "controls": f.rule.controls.iter().map(|c| c.citation()).collect::<Vec<_>>(),
            "evidence": f.evidence,
            "attester": a.attester,
            "attestedOn": a.attested_on,
            "document": a.document,
        },
    })
}
