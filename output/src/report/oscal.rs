//! NIST OSCAL 1.2.1 Assessment Results (JSON), for GRC tools that import OSCAL.
//!
//! - One `result` for the scan: `reviewed-controls` lists the HIPAA controls the checks of
//!   this scan test; one `observation` per finding (method `TEST`, the resource as subject,
//!   the bundle's raw evidence as `relevant-evidence` when there is one); one `finding` per
//!   tested control that has findings, `satisfied` only when every finding passed, linked to
//!   its observations.
//! - HIPAA citations are not OSCAL tokens (they start with a digit and hold parentheses), so
//!   control ids are `hipaa-164.312-a-2-iv`; the citation itself is a `citation` prop.
//! - There is no separate assessment plan: `import-ap` points at a back-matter resource that
//!   says so.
//! - Every UUID is a version-5 UUID of what it identifies, so the same inventory and clock
//!   give the same document: an observation is (scan clock, check id, resource id), a
//!   control's finding (scan clock, scopes, control), the result and the document (scan
//!   clock, scopes). Never the list of checks run or a position: selecting one more check,
//!   or adding one to the registry, leaves the UUID of every other observation and control
//!   finding as it was, so a GRC tool that imported one report recognises them in the next.
//! - Verdicts on attested assets (`--attested`) are observations examined by their attester
//!   and control findings of their own, never part of the observed ones (`attested`).

use serde_json::{json, Value};
use uuid::Uuid;

use super::{controls, Report};

mod attested;
use crate::check::Status;
use crate::frameworks::hipaa::{Coverage, Hipaa};

pub const OSCAL_VERSION: &str = "1.2.1";
/// Namespace of phiscan's own props.
pub const NS: &str = "https://example.invalid/phiscan/ns/oscal";
/// UUID namespace of phiscan's OSCAL documents (a v5 UUID of the URL namespace).
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:phiscan:oscal")
}

/// `164.312(a)(2)(iv)` -> `hipaa-164.312-a-2-iv`.
pub fn control_id(c: Hipaa) -> String {
    let mut s = String::from("hipaa-");
    let mut last_dash = true;
    for ch in c.citation().chars() {
        if ch.is_ascii_alphanumeric() || ch == '.' {
            s.push(ch);
            last_dash = false;
        } else if !last_dash {
            s.push('-');
            last_dash = true;
        }
    }
    s.trim_end_matches('-').to_string()
}

fn prop(name: &str, value: &str) -> Value {
    json!({"name": name, "ns": NS, "value": one_line(value)})
}

/// OSCAL strings may not have leading/trailing whitespace, and props are one line.
fn one_line(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() {
        "-".into()
    } else {
        s
    }
}

fn time(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// An observation's UUID: check `check` on resource `resource` in the scan evaluated at
/// `clock`. Resource ids are globally unique (ARN, full resource name, ARM id), so no scope
/// is needed to tell two observations apart.
fn observation_uuid(ns: &Uuid, clock: &str, check: &str, resource: &str) -> String {
    Uuid::new_v5(
        ns,
        format!("observation|{clock}|{check}|{resource}").as_bytes(),
    )
    .to_string()
}

pub fn render(report: &Report) -> String {
    let s = &report.scan;
    let ns = namespace();
    let scopes: Vec<String> = s
        .scope
        .iter()
        .map(|sc| format!("{}/{}", sc.provider, sc.account))
        .collect();
    let clock = time(&s.evaluated_at);
    // The scan is its clock and its scopes; never the checks it ran (see the module doc).
    let scan = format!("{clock}|{}", scopes.join(","));
    let id = |kind: &str, key: &str| {
        Uuid::new_v5(&ns, format!("{kind}|{scan}|{key}").as_bytes()).to_string()
    };

    let observation_ids: Vec<String> = report
        .findings
        .iter()
        .map(|f| observation_uuid(&ns, &clock, f.meta.id, &f.resource().id))
        .collect();
    let mut observations: Vec<Value> = report
        .findings
        .iter()
        .zip(&observation_ids)
        .map(|(f, uuid)| {
            let r = f.resource();
            let mut o = json!({
                "uuid": uuid,
                "title": format!("{} on {}", f.meta.id, r.name),
                "description": f.finding.reason,
                "props": [
                    prop("check-id", f.meta.id),
                    prop("status", f.status().as_str()),
                    prop("severity", f.severity.as_str()),
                    prop("resource-id", &r.id),
                ],
                "methods": ["TEST"],
                "types": ["finding"],
                "subjects": [{
                    "subject-uuid": Uuid::new_v5(&ns, format!("resource|{}", r.id).as_bytes()).to_string(),
                    "type": "resource",
                    "title": one_line(&format!("{} {} ({})", r.provider, r.kind.as_str(), r.id)),
                    "props": [prop("provider", r.provider.as_str()), prop("account", &r.account), prop("region", &r.region)],
                }],
                "collected": time(&s.finished_at),
                "remarks": format!("Observed values: {}", serde_json::to_string(&f.finding.evidence).expect("evidence serializes")),
            });
            if let Some(w) = &f.finding.waiver {
                o["props"].as_array_mut().expect("props is an array").extend([
                    prop("waiver-justification", &w.justification),
                    prop("waiver-approver", &w.approver),
                    prop("waiver-expires", &w.expires.to_string()),
                ]);
            }
            if let Some(e) = &f.evidence_ref {
                o["relevant-evidence"] = json!([{"href": e, "description": "The resource's inventory record in the phiscan evidence bundle (redacted)."}]);
            }
            o
        })
        .collect();

    let tested: Vec<&super::ControlRow> = report
        .controls
        .iter()
        .filter(|r| r.control.coverage() == Coverage::Tested && !r.checks.is_empty())
        .collect();
    let mut findings: Vec<Value> = tested
        .iter()
        .filter(|r| r.counts.total() > 0)
        .map(|row| {
            let related: Vec<Value> = controls::findings_of(report, row)
                .iter()
                .map(|(i, _)| json!({"observation-uuid": observation_ids[*i]}))
                .collect();
            // A waiver accepts the risk; it does not satisfy the control.
            let satisfied =
                row.counts.fail == 0 && row.counts.waived == 0 && row.counts.error == 0;
            let reason = if row.counts.fail > 0 || row.counts.waived > 0 {
                "fail"
            } else if row.counts.error > 0 {
                "other"
            } else {
                "pass"
            };
            let c = row.control;
            json!({
                "uuid": id("finding", c.citation()),
                "title": format!("45 CFR {} {}", c.citation(), c.name()),
                "description": controls::reason(row),
                "props": [prop("citation", c.citation()), prop("verdict", row.verdict())],
                "target": {
                    "type": "objective-id",
                    "target-id": control_id(c),
                    "title": format!("45 CFR {} {}", c.citation(), c.name()),
                    "status": {"state": if satisfied { "satisfied" } else { "not-satisfied" }, "reason": reason},
                },
                "related-observations": related,
            })
        })
        .collect();
    let errors = report.findings.iter().any(|f| f.status() == Status::Error);

    let plan = id("resource", "assessment-plan");
    let mut result = json!({
        "uuid": id("result", ""),
        "title": "phiscan scan of the ePHI estate against the HIPAA Security Rule",
        "description": format!(
            "Automated, read-only test of cloud resource configuration in {}. {} findings: {} pass, {} fail, {} error, {} not applicable.{}",
            scopes.join(", "),
            report.counts.total(), report.counts.pass, report.counts.fail, report.counts.error, report.counts.not_applicable,
            if errors { " Some data could not be collected: the assessment is incomplete." } else { "" }
        ),
        "start": time(&s.started_at),
        "end": time(&s.finished_at),
        "props": [prop("evaluated-at", &time(&s.evaluated_at)), prop("exit-code", &report.exit_code.to_string())],
        "reviewed-controls": {
            "control-selections": [{
                "include-controls": tested.iter().map(|r| json!({"control-id": control_id(r.control)})).collect::<Vec<_>>(),
            }],
        },
    });
    observations.extend(attested::observations(report, &ns));
    findings.extend(attested::findings(report, &ns, &id));
    if !observations.is_empty() {
        result["observations"] = Value::Array(observations);
    }
    if !findings.is_empty() {
        result["findings"] = Value::Array(findings);
    }
    let mut doc = json!({
        "assessment-results": {
            "uuid": id("assessment-results", ""),
            "metadata": {
                "title": "phiscan HIPAA Security Rule assessment results",
                "last-modified": time(&s.evaluated_at),
                "version": s.version,
                "oscal-version": OSCAL_VERSION,
                "props": [prop("tool", "phiscan")],
            },
            "import-ap": {"href": format!("#{plan}"), "remarks": "phiscan has no separate assessment plan: the plan is its check catalogue, see the back-matter resource."},
            "results": [result],
            "back-matter": {"resources": [{
                "uuid": plan,
                "title": "phiscan check catalogue",
                "description": format!("The checks run ({}), each documented by `phiscan checks show <id>`, and the HIPAA controls they test (`phiscan controls`).", s.checks_run.join(", ")),
            }]},
        }
    });
    let parties = attested::parties(report, &ns);
    if !parties.is_empty() {
        doc["assessment-results"]["metadata"]["parties"] = Value::Array(parties);
    }
    // Plain JSON values: serialization cannot fail.
    serde_json::to_string_pretty(&doc).expect("oscal serializes") + "\n"
}
