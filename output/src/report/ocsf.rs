//! OCSF 1.8.0 Compliance Finding events (`class_uid` 2003, category Findings), one per
//! finding, as a JSON array: for security data lakes (Amazon Security Lake, Splunk, ...).
//!
//! Mapping: `compliance.status_id` is Pass (1) for PASS, Fail (3) for FAIL and Warning (2,
//! "did not yield a result due to missing information") for ERROR; NOT_APPLICABLE has no
//! `status_id` and says so in `status`. `compliance.requirements` are the HIPAA citations the
//! check tests; `compliance.control` the first of them. `severity_id` maps info..critical to
//! 1..5. The finding's workflow `status_id` is New (1) for FAIL and ERROR, Suppressed (3) for
//! WAIVED (compliance status Fail, the waiver in `comment` and `unmapped.phiscan_waiver`) and
//! absent otherwise.
//! `time` is the scan clock (ms since the epoch), `finding_info.uid` a stable hash of (check,
//! resource), so a data lake deduplicates repeated scans. phiscan's own fields go in
//! `unmapped`.
//!
//! Verdicts on attested assets (`--attested`) follow the observed events, one event each,
//! and say what they are where a consumer looks first: `metadata.product.feature.name` is
//! `attested assets`, `metadata.labels` holds `provenance:ATTESTED`, `unmapped.phiscan_provenance`
//! is `ATTESTED`; the attester is the actor of the evidence (`evidences[].actor.user.name`),
//! with the date and the document in `finding_info.data_sources` and
//! `unmapped.phiscan_attestation`. They carry no cloud profile or `cloud` object (no cloud
//! API reached them): the platform is the resource's `provider`.

use serde_json::{json, Value};

use super::text::{attested_fingerprint, fingerprint};
use super::Report;
use crate::attested::{AttestedFinding, PROVENANCE};
use crate::check::{Severity, Status};

pub const OCSF_VERSION: &str = "1.8.0";
pub const CLASS_UID: u32 = 2003;
pub const CATEGORY_UID: u32 = 2;
/// Create: every scan reports its findings anew.
pub const ACTIVITY_ID: u32 = 1;

fn severity_id(s: Severity) -> (u32, &'static str) {
    match s {
        Severity::Info => (1, "Informational"),
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}

fn cloud_provider(p: crate::Provider) -> &'static str {
    match p {
        crate::Provider::Aws => "AWS",
        crate::Provider::Gcp => "GCP",
        crate::Provider::Azure => "Azure",
    }
}

/// The fields every event has: the class, the clock, the severity, the message and the
/// product that reported it.
fn envelope(report: &Report, severity: Severity, message: &str, uid: &str) -> Value {
    let s = &report.scan;
    let time = s.evaluated_at.timestamp_millis();
    let (sev_id, sev) = severity_id(severity);
    json!({
        "activity_id": ACTIVITY_ID,
        "activity_name": "Create",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Compliance Finding",
        "type_uid": CLASS_UID * 100 + ACTIVITY_ID,
        "type_name": "Compliance Finding: Create",
        "severity_id": sev_id,
        "severity": sev,
        "time": time,
        "start_time": s.started_at.timestamp_millis(),
        "end_time": s.finished_at.timestamp_millis(),
        "message": message,
        "metadata": {
            "version": OCSF_VERSION,
            "product": {"name": "phiscan", "vendor_name": "phiscan", "version": s.version},
            "uid": uid,
        },
    })
}

/// The `compliance` object of a verdict on controls `controls`.
fn compliance(controls: &[crate::frameworks::hipaa::Hipaa], reason: &str, status: Status) -> Value {
    let citations: Vec<&str> = controls.iter().map(|c| c.citation()).collect();
    let mut compliance = json!({
        "standards": ["HIPAA Security Rule (45 CFR Part 164, Subpart C)"],
        "control": citations.first().copied().unwrap_or_default(),
        "requirements": citations,
        "status_detail": reason,
    });
    let (cstatus_id, cstatus) = match status {
        Status::Pass => (Some(1), "Pass"),
        Status::Error => (Some(2), "Warning"),
        Status::Fail => (Some(3), "Fail"),
        Status::NotApplicable => (None, "Not Applicable"),
        // The control still fails; the finding's workflow status says it is accepted.
        Status::Waived => (Some(3), "Fail"),
    };
    compliance["status"] = json!(cstatus);
    if let Some(id) = cstatus_id {
        compliance["status_id"] = json!(id);
    }
    compliance
}

pub fn render(report: &Report) -> String {
    let s = &report.scan;
    let time = s.evaluated_at.timestamp_millis();
    let mut events: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let r = f.resource();
            let compliance = compliance(f.meta.controls, &f.finding.reason, f.status());
            let mut resource = json!({
                "uid": r.id,
                "name": r.name,
                "type": r.kind.as_str(),
                "region": r.region,
                "cloud_partition": if r.provider == crate::Provider::Aws {
                    r.id.split(':').nth(1).filter(|p| p.starts_with("aws")).unwrap_or("aws")
                } else { "" },
            });
            if resource["cloud_partition"] == "" {
                resource
                    .as_object_mut()
                    .map(|o| o.remove("cloud_partition"));
            }
            if !r.tags.is_empty() {
                resource["labels"] = json!(r
                    .tags
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>());
            }
            let mut event = envelope(report, f.severity, &f.finding.reason, &fingerprint(f));
            event["metadata"]["profiles"] = json!(["cloud"]);
            let more = json!({
                "cloud": {
                    "provider": cloud_provider(r.provider),
                    "region": r.region,
                    "account": {"uid": r.account},
                },
                "finding_info": {
                    "uid": fingerprint(f),
                    "title": f.meta.title,
                    "desc": f.meta.section("What it checks").unwrap_or_default(),
                    "types": ["HIPAA Security Rule"],
                    "created_time": time,
                },
                "compliance": compliance,
                "resources": [resource],
                "remediation": {"desc": f.remediation()},
                "evidences": [{"name": "observed values", "data": f.finding.evidence}],
                "unmapped": {
                    "phiscan_status": f.status(),
                    "phiscan_check_id": f.meta.id,
                },
            });
            merge(&mut event, more);
            if matches!(f.status(), Status::Fail | Status::Error) {
                event["status_id"] = json!(1);
                event["status"] = json!("New");
            }
            if let Some(w) = &f.finding.waiver {
                event["status_id"] = json!(3);
                event["status"] = json!("Suppressed");
                event["comment"] = json!(format!("Waived: {}", w.justification));
                event["unmapped"]["phiscan_waiver"] = json!(w);
            }
            if let Some(e) = &f.evidence_ref {
                event["unmapped"]["phiscan_evidence_ref"] = json!(e);
            }
            event
        })
        .collect();
    events.extend(report.attested.iter().map(|f| attested_event(report, f)));
    // Plain JSON values: serialization cannot fail.
    serde_json::to_string_pretty(&events).expect("ocsf serializes") + "\n"
}

/// Add the members of the object `more` to the object `event`.
fn merge(event: &mut Value, more: Value) {
    if let (Value::Object(e), Value::Object(m)) = (event, more) {
        e.extend(m);
    }
}

fn attested_event(report: &Report, f: &AttestedFinding) -> Value {
    let time = report.scan.evaluated_at.timestamp_millis();
    let a = &f.attestation;
    let uid = attested_fingerprint(f);
    let message = format!("{} ({})", f.reason, f.attested_by());
    let mut event = envelope(report, f.rule.severity, &message, &uid);
    event["metadata"]["product"]["feature"] = json!({"name": "attested assets"});
    event["metadata"]["labels"] = json!([format!("provenance:{PROVENANCE}")]);
    merge(
        &mut event,
        json!({
            "finding_info": {
                "uid": uid,
                "title": f.rule.title,
                "desc": format!("{} Judged on attested values with the decision of {}.", f.rule.title, f.rule.same_as.join(", ")),
                "types": ["HIPAA Security Rule", "Attested assets"],
                "created_time": time,
                "data_sources": [format!("attestation: {}, by {} on {}", a.document, a.attester, a.attested_on)],
            },
            "compliance": compliance(f.rule.controls, &f.reason, f.status),
            "resources": [{
                "uid": f.resource_id,
                "name": f.resource_name,
                "type": f.kind.as_str(),
                "provider": f.platform,
            }],
            "remediation": {"desc": f.rule.remediation},
            "evidences": [{
                "name": "attested values",
                "data": f.evidence,
                "actor": {"user": {"name": a.attester}},
            }],
            "unmapped": {
                "phiscan_status": f.status,
                "phiscan_check_id": f.rule.id,
                "phiscan_provenance": PROVENANCE,
                "phiscan_platform": f.platform,
                "phiscan_attestation": a,
            },
        }),
    );
    if f.status == Status::Fail {
        event["status_id"] = json!(1);
        event["status"] = json!("New");
    }
    event
}
