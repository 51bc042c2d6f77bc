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

use serde_json::{json, Value};

use super::text::fingerprint;
use super::Report;
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

pub fn render(report: &Report) -> String {
    let s = &report.scan;
    let time = s.evaluated_at.timestamp_millis();
    let events: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let r = f.resource();
            let (sev_id, sev) = severity_id(f.severity);
            let citations: Vec<&str> = f.meta.controls.iter().map(|c| c.citation()).collect();
            let mut compliance = json!({
                "standards": ["HIPAA Security Rule (45 CFR Part 164, Subpart C)"],
                "control": citations.first().copied().unwrap_or_default(),
                "requirements": citations,
                "status_detail": f.finding.reason,
            });
            let (cstatus_id, cstatus) = match f.status() {
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
            let mut event = json!({
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
                "message": f.finding.reason,
                "metadata": {
                    "version": OCSF_VERSION,
                    "product": {"name": "phiscan", "vendor_name": "phiscan", "version": s.version},
                    "profiles": ["cloud"],
                    "uid": fingerprint(f),
                },
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
    // Plain JSON values: serialization cannot fail.
    serde_json::to_string_pretty(&events).expect("ocsf serializes") + "\n"
}
