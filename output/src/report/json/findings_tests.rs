//! The findings writer against serde_json's pretty printer of the whole document.

use std::sync::Arc;

use chrono::NaiveDate;
use phiscan_core::check::Evidence;
use phiscan_core::model::{Provider, ResourceKind, ResourceRef};
use phiscan_core::report::{CheckParts, ReportFinding};
use phiscan_core::waiver::AppliedWaiver;
use phiscan_core::Hipaa;
use phiscan_core::{CheckMeta, Finding, Severity, Status};
use proptest::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};

use super::super::{JsonFinding, JsonResource};
use super::*;

static ENCRYPTED: CheckMeta = CheckMeta {
    id: "t-encrypted",
    title: "Volumes are \"encrypted\" — at rest",
    severity: Severity::High,
    provider: Provider::Aws,
    kinds: &[ResourceKind::AwsEbsVolume],
    controls: &[Hipaa::EncryptionDecryption, Hipaa::TransmissionSecurity],
    doc: " Summary.\n\n ## Remediation\n Run `aws ec2 enable-ebs-encryption-by-default`.\n Then \"copy\" each\tvolume: naïve — ok.\n",
};

static LOGGED: CheckMeta = CheckMeta {
    id: "t-logged",
    title: "Audit logs are kept",
    severity: Severity::Medium,
    provider: Provider::Aws,
    kinds: &[ResourceKind::AwsEbsVolume],
    controls: &[Hipaa::AuditControls],
    // No remediation section: an empty string.
    doc: " Summary only.\n",
};

/// The document with only what the findings array needs around it: a key before and after.
#[derive(Serialize)]
struct Doc<'a> {
    scan: Value,
    findings: Vec<JsonFinding<'a>>,
    controls: Vec<u8>,
}

fn json_finding(f: &ReportFinding) -> JsonFinding<'_> {
    let r = f.resource();
    JsonFinding {
        check_id: f.meta.id,
        title: f.meta.title,
        status: f.status(),
        severity: f.severity,
        provider: r.provider,
        account: &r.account,
        region: &r.region,
        resource: JsonResource {
            id: &r.id,
            kind: r.kind.as_str(),
            name: &r.name,
            tags: &r.tags,
        },
        controls: f.controls(),
        evidence: &f.finding.evidence,
        reason: &f.finding.reason,
        remediation: f.remediation(),
        evidence_ref: f.evidence_ref.as_deref(),
        waiver: f.finding.waiver.as_deref(),
    }
}

/// What `splice` writes for `findings`, and what the pretty printer writes for the document.
fn both(findings: &[ReportFinding]) -> (String, String) {
    let doc = |findings| Doc {
        scan: json!({"format": "phiscan-json/v1", "nested": {"a": [1, 2]}}),
        findings,
        controls: vec![1, 2],
    };
    let head = serde_json::to_string_pretty(&doc(Vec::new())).unwrap();
    let expected =
        serde_json::to_string_pretty(&doc(findings.iter().map(json_finding).collect())).unwrap();
    let mut out = Vec::new();
    splice(head.as_bytes(), findings, &mut out).unwrap();
    (String::from_utf8(out).unwrap(), expected)
}

fn report_finding(
    meta: &'static CheckMeta,
    parts: &Arc<CheckParts>,
    n: usize,
    evidence: Evidence,
    reason: &str,
) -> ReportFinding {
    let mut resource = ResourceRef::new(
        ResourceKind::AwsEbsVolume,
        "111122223333",
        "us-east-1",
        format!("arn:aws:ec2:us-east-1:111122223333:volume/vol-{n:04}"),
        format!("vol \"{n}\""),
    );
    if n.is_multiple_of(3) {
        resource
            .tags
            .insert("data-classification".into(), "phi".into());
        resource.tags.insert("owner".into(), "a\\b\n".into());
    }
    ReportFinding {
        meta,
        severity: meta.severity,
        parts: Arc::clone(parts),
        finding: Finding {
            check_id: meta.id.into(),
            status: [Status::Pass, Status::Fail, Status::Error][n % 3],
            resource,
            evidence,
            reason: reason.to_string(),
            waiver: None,
        },
        evidence_ref: None,
    }
}

/// Findings of two checks, interleaved, with every kind of evidence value, tags or none,
/// an evidence path and a waiver.
fn findings(count: usize) -> Vec<ReportFinding> {
    let parts = [
        Arc::new(CheckParts::of(&ENCRYPTED)),
        Arc::new(CheckParts::of(&LOGGED)),
    ];
    (0..count)
        .map(|n| {
            let (meta, parts) = if n.is_multiple_of(2) {
                (&ENCRYPTED, &parts[0])
            } else {
                (&LOGGED, &parts[1])
            };
            let evidence: Evidence = [
                ("encrypted", json!(n.is_multiple_of(2))),
                ("size_gib", json!(n)),
                ("ratio", json!(0.25 + n as f64)),
                ("key", Value::Null),
                ("empty_list", json!([])),
                ("empty_map", json!({})),
                (
                    "statements",
                    json!([{"Effect": "Allow", "Action": ["s3:Get*", "kms:\"x\""],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]),
                ),
                ("text", json!("tab\tnew\nline \u{1F512} é \u{7}")),
            ]
            .into_iter()
            .take(1 + n % 8)
            .collect();
            let mut f = report_finding(meta, parts, n, evidence, "Because \"it\" is\nso.");
            if n % 5 == 1 {
                f.evidence_ref = Some(format!("raw/aws/111122223333/us-east-1/{n}.json"));
            }
            if n % 7 == 2 {
                f.finding.status = Status::Waived;
                f.finding.waiver = Some(Box::new(AppliedWaiver {
                    resource: "arn:aws:ec2:*:*:volume/*".into(),
                    justification: "Migrating \"soon\"".into(),
                    approver: "ciso@example.org".into(),
                    expires: NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(),
                }));
            }
            f
        })
        .collect()
}

#[test]
fn one_finding_of_each_shape_is_written_as_the_pretty_printer_writes_it() {
    for n in 1..=16 {
        let (written, expected) = both(&findings(n));
        assert_eq!(written, expected, "{n} findings");
    }
}

#[test]
fn findings_across_pieces_and_windows_are_written_in_order() {
    // More than one piece per core and more than one window of pieces.
    let count = PIECE * rayon::current_num_threads() * 2 + PIECE + 7;
    let (written, expected) = both(&findings(count));
    assert!(written == expected, "the two documents differ");
}

#[test]
fn no_findings_leave_the_document_as_it_is() {
    let (written, expected) = both(&[]);
    assert_eq!(written, expected);
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(any::<String>(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_evidence_and_reason_are_written_as_the_pretty_printer_writes_them(
        values in prop::collection::vec(json_value(), 1..4),
        reason in any::<String>(),
    ) {
        let parts = Arc::new(CheckParts::of(&ENCRYPTED));
        let evidence: Evidence = ["a", "b", "c", "d"].into_iter().zip(values).collect();
        let f = report_finding(&ENCRYPTED, &parts, 3, evidence, &reason);
        let (written, expected) = both(&[f]);
        prop_assert_eq!(written, expected);
    }
}
