//! JUnit XML (the Ant JUnit report format CI systems read), valid against the widely used
//! windyroad `JUnit.xsd`: one `<testsuite>` per check, one `<testcase>` per check x resource.
//! FAIL is a `<failure>` with the reason (and the evidence and remediation in its text),
//! ERROR (data not collected) an `<error>`, NOT_APPLICABLE `<skipped>`, WAIVED `<skipped>`
//! with the waiver in its message, PASS a bare testcase.
//!
//! Verdicts on attested assets (`--attested`) are one more suite, `attested` (package
//! `phiscan.attested`), after the checks' suites: one testcase per verdict (classname the
//! attested rule), a FAIL's `<failure>` naming the attester, the date and the document;
//! the suite's `provenance` property is `ATTESTED` and its `system-out` lists who attested
//! each verdict, PASS included (a passing testcase has no body to say it in).
//!
//! That XSD allows no attributes on `<testsuites>`, requires `properties`, `system-out` and
//! `system-err` in each suite and a timestamp without time zone (we write the scan clock in
//! UTC). `time` is 0: checks are pure functions, their run time is not evidence.

use super::text::{attested_evidence, xml};
use super::{Counts, Report, ReportFinding};
use crate::attested::{AttestedFinding, PROVENANCE};
use crate::check::Status;

fn testcase(f: &ReportFinding) -> String {
    let r = f.resource();
    let name = if r.name.is_empty() || r.name == r.id {
        r.id.clone()
    } else {
        format!("{} ({})", r.name, r.id)
    };
    let head = format!(
        "    <testcase name=\"{}\" classname=\"{}\" time=\"0\"",
        xml(&name),
        xml(f.meta.id)
    );
    // Plain JSON values: serialization cannot fail.
    let evidence = serde_json::to_string_pretty(&f.finding.evidence).expect("evidence serializes");
    let reason = xml(&f.finding.reason);
    match f.status() {
        Status::Pass => format!("{head}/>\n"),
        Status::NotApplicable => format!("{head}>\n      <skipped message=\"{reason}\"/>\n    </testcase>\n"),
        Status::Fail => {
            let mut body = format!(
                "{}\n\nResource: {}\nAccount: {} {}, region {}\nObserved: {}\n",
                f.finding.reason,
                r.id,
                r.provider,
                r.account,
                r.region,
                evidence
            );
            if let Some(e) = &f.evidence_ref {
                body.push_str(&format!("Evidence: {e}\n"));
            }
            body.push_str(&format!("\nRemediation:\n{}\n", f.remediation()));
            format!(
                "{head}>\n      <failure message=\"{reason}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                f.severity,
                xml(&body)
            )
        }
        Status::Waived => {
            let w = f.finding.waiver.as_ref();
            let msg = format!(
                "WAIVED: {} (approved by {}, until {}). {}",
                w.map_or("", |w| w.justification.as_str()),
                w.map_or("", |w| w.approver.as_str()),
                w.map(|w| w.expires.to_string()).unwrap_or_default(),
                f.finding.reason
            );
            format!(
                "{head}>\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                xml(&msg)
            )
        }
        Status::Error => format!(
            "{head}>\n      <error message=\"{reason}\" type=\"DataNotCollected\">{}</error>\n    </testcase>\n",
            xml(&format!("{}\nObserved: {}\n", f.finding.reason, evidence))
        ),
    }
}

pub fn render(report: &Report) -> String {
    let s = &report.scan;
    let timestamp = s.evaluated_at.format("%Y-%m-%dT%H:%M:%S").to_string();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    for (id, run) in report.checks.iter().enumerate() {
        let meta = run.meta;
        let check = meta.id;
        let findings: Vec<&ReportFinding> = report
            .findings
            .iter()
            .filter(|f| f.meta.id == check)
            .collect();
        let mut c = Counts::default();
        for f in &findings {
            c.add(f.status());
        }
        out.push_str(&format!(
            "  <testsuite name=\"{}\" package=\"phiscan.{}\" id=\"{id}\" timestamp=\"{timestamp}\" hostname=\"localhost\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\">\n    <properties>\n",
            xml(check),
            meta.provider.as_str(),
            c.total(),
            c.fail,
            c.error,
            c.not_applicable + c.waived
        ));
        out.push_str(&format!(
            "      <property name=\"title\" value=\"{}\"/>\n      <property name=\"severity\" value=\"{}\"/>\n",
            xml(meta.title),
            run.severity
        ));
        for ctl in meta.controls {
            out.push_str(&format!(
                "      <property name=\"hipaa\" value=\"45 CFR {} {}\"/>\n",
                xml(ctl.citation()),
                xml(ctl.name())
            ));
        }
        out.push_str("    </properties>\n");
        for f in findings {
            out.push_str(&testcase(f));
        }
        out.push_str("    <system-out/>\n    <system-err/>\n  </testsuite>\n");
    }
    out.push_str(&attested_suite(report, report.checks.len(), &timestamp));
    out.push_str("</testsuites>\n");
    out
}

/// The `attested` suite; empty without attested verdicts. `id` follows the checks' suites.
fn attested_suite(report: &Report, id: usize, timestamp: &str) -> String {
    if report.attested.is_empty() {
        return String::new();
    }
    let c = report.attested_counts();
    let mut out = format!(
        "  <testsuite name=\"attested\" package=\"phiscan.attested\" id=\"{id}\" timestamp=\"{timestamp}\" hostname=\"localhost\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"0\">\n    <properties>\n",
        c.total(),
        c.fail
    );
    out.push_str(&format!(
        "      <property name=\"provenance\" value=\"{PROVENANCE}\"/>\n      <property name=\"title\" value=\"Verdicts on attested assets: values people attest, not observed by phiscan\"/>\n    </properties>\n"
    ));
    for f in &report.attested {
        out.push_str(&attested_testcase(f));
    }
    let by: String = report
        .attested
        .iter()
        .map(|f| {
            format!(
                "{} ({PROVENANCE}) {} {} on {}: {}\n",
                f.status,
                f.rule.id,
                f.resource_id,
                f.platform,
                f.attested_by()
            )
        })
        .collect();
    out.push_str(&format!(
        "    <system-out>{}</system-out>\n    <system-err/>\n  </testsuite>\n",
        xml(&by)
    ));
    out
}

fn attested_testcase(f: &AttestedFinding) -> String {
    let name = if f.resource_name == f.resource_id {
        format!("{} on {}", f.resource_id, f.platform)
    } else {
        format!("{} ({}) on {}", f.resource_name, f.resource_id, f.platform)
    };
    let head = format!(
        "    <testcase name=\"{}\" classname=\"{}\" time=\"0\"",
        xml(&name),
        xml(f.rule.id)
    );
    if f.status != Status::Fail {
        return format!("{head}/>\n");
    }
    let body = format!(
        "{}\n\nResource: {} ({}, {})\nProvenance: {PROVENANCE}, {}\nAttested: {}\n\nRemediation:\n{}\n",
        f.reason,
        f.resource_id,
        f.kind.as_str(),
        f.platform,
        f.attested_by(),
        attested_evidence(f),
        f.rule.remediation
    );
    format!(
        "{head}>\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
        xml(&format!("{} ({PROVENANCE})", f.reason)),
        f.rule.severity,
        xml(&body)
    )
}
