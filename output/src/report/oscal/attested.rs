//! OSCAL for the verdicts on attested assets (`--attested`): an observation each, examined
//! by a person rather than tested by phiscan (method `EXAMINE`, the attester as the origin's
//! actor, a party of the metadata), with the document as relevant evidence; and one
//! finding per control they speak to, apart from the observed finding of that control (its
//! title says "(attested)", its props `provenance: ATTESTED`), so an attestation never makes
//! an observed control finding satisfied.

use serde_json::{json, Value};
use uuid::Uuid;

use super::{control_id, one_line, prop, time};
use crate::attested::{AttestedFinding, PROVENANCE};
use crate::check::Status;
use crate::report::Report;

/// The party of an attester: one per distinct attester, its UUID from the name alone, so the
/// same person is the same party in every report.
fn party_uuid(ns: &Uuid, attester: &str) -> String {
    Uuid::new_v5(ns, format!("party|{attester}").as_bytes()).to_string()
}

fn observation_uuid(ns: &Uuid, clock: &str, f: &AttestedFinding) -> String {
    let key = format!(
        "attested-observation|{clock}|{}|{}|{}",
        f.rule.id, f.platform, f.resource_id
    );
    Uuid::new_v5(ns, key.as_bytes()).to_string()
}

fn origins(ns: &Uuid, attesters: &[&str]) -> Value {
    json!([{"actors": attesters
        .iter()
        .map(|a| json!({"type": "party", "actor-uuid": party_uuid(ns, a)}))
        .collect::<Vec<_>>()}])
}

/// The metadata parties: every attester once, in order of first appearance.
pub(super) fn parties(report: &Report, ns: &Uuid) -> Vec<Value> {
    attesters(report.attested.iter())
        .iter()
        .map(|a| json!({"uuid": party_uuid(ns, a), "type": "person", "name": one_line(a)}))
        .collect()
}

fn attesters<'a>(fs: impl Iterator<Item = &'a AttestedFinding>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for f in fs {
        if !out.contains(&f.attestation.attester.as_str()) {
            out.push(&f.attestation.attester);
        }
    }
    out
}

pub(super) fn observations(report: &Report, ns: &Uuid) -> Vec<Value> {
    let clock = time(&report.scan.evaluated_at);
    report
        .attested
        .iter()
        .map(|f| {
            let a = &f.attestation;
            let subject = format!("{}/{}", f.platform, f.resource_id);
            json!({
                "uuid": observation_uuid(ns, &clock, f),
                "title": one_line(&format!("{} on {} (attested)", f.rule.id, f.resource_name)),
                "description": one_line(&f.reason),
                "props": [
                    prop("check-id", f.rule.id),
                    prop("status", f.status.as_str()),
                    prop("severity", f.rule.severity.as_str()),
                    prop("resource-id", &f.resource_id),
                    prop("provenance", PROVENANCE),
                    prop("platform", &f.platform),
                    prop("attester", &a.attester),
                    prop("attested-on", &a.attested_on.to_string()),
                    prop("document", &a.document),
                ],
                "methods": ["EXAMINE"],
                "types": ["finding"],
                "origins": origins(ns, &[&a.attester]),
                "subjects": [{
                    "subject-uuid": Uuid::new_v5(ns, format!("resource|{subject}").as_bytes()).to_string(),
                    "type": "resource",
                    "title": one_line(&format!("{} {} ({})", f.platform, f.kind.as_str(), f.resource_id)),
                    "props": [prop("platform", &f.platform)],
                }],
                "collected": format!("{}T00:00:00Z", a.attested_on),
                "relevant-evidence": [{
                    "description": one_line(&format!("Attested by {} on {} in {}.", a.attester, a.attested_on, a.document)),
                }],
                "remarks": format!("Attested values: {}", super::super::text::attested_evidence(f)),
            })
        })
        .collect()
}

/// One finding per control the attested verdicts speak to, in the order of the control
/// matrix; `id` makes the scan's UUIDs (see the parent module).
pub(super) fn findings(
    report: &Report,
    ns: &Uuid,
    id: &dyn Fn(&str, &str) -> String,
) -> Vec<Value> {
    let clock = time(&report.scan.evaluated_at);
    report
        .controls
        .iter()
        .filter(|row| row.attested.total() > 0)
        .map(|row| {
            let c = row.control;
            let of: Vec<&AttestedFinding> = report
                .attested
                .iter()
                .filter(|f| f.rule.controls.contains(&c))
                .collect();
            let failed = of.iter().any(|f| f.status == Status::Fail);
            let title = format!("45 CFR {} {} (attested)", c.citation(), c.name());
            json!({
                "uuid": id("attested-finding", c.citation()),
                "title": title,
                "description": format!(
                    "Attested assets, not observed by phiscan: {} PASS, {} FAIL. The observed finding of this control, if any, does not include them.",
                    row.attested.pass, row.attested.fail
                ),
                "props": [prop("citation", c.citation()), prop("provenance", PROVENANCE)],
                "origins": origins(ns, &attesters(of.iter().copied())),
                "target": {
                    "type": "objective-id",
                    "target-id": control_id(c),
                    "title": title,
                    "status": {
                        "state": if failed { "not-satisfied" } else { "satisfied" },
                        "reason": if failed { "fail" } else { "pass" },
                    },
                },
                "related-observations": of
                    .iter()
                    .map(|f| json!({"observation-uuid": observation_uuid(ns, &clock, f)}))
                    .collect::<Vec<_>>(),
            })
        })
        .collect()
}
