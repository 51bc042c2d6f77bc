//! HTML: one self-contained page for people. Summary charts (inline SVG) per HIPAA control and
//! per provider, a filterable findings table (a few lines of inline JavaScript) and the control
//! matrix. No external resource of any kind: no stylesheet, font, script or image is fetched,
//! and no external URL appears in the file (`://` in text is written as `&#58;//`), so the page
//! opens the same on an air-gapped auditor's laptop.

use std::collections::BTreeMap;

use super::text::{status_label, xml};
use super::{Counts, Report, Source};
use crate::frameworks::hipaa::Coverage;

mod assets;
mod attested;
mod chart;
mod sections;

use assets::{SCRIPT, STYLE};
use chart::{bar_chart, legend};
use sections::{promises, readiness, waivers};

/// `<!DOCTYPE html>` up to and including `<body>`, with the shared inline style.
pub fn page_head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        xml(title)
    )
}

pub fn render(report: &Report) -> String {
    let s = &report.scan;
    let mut out = page_head("phiscan HIPAA report");
    let source = match &s.source {
        Source::Demo => "built-in demo estate".to_string(),
        Source::Inventory(p) => format!("inventory {p}"),
        Source::Live(p) => format!("live {p} scan"),
    };
    let time =
        |t: &chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    out.push_str(&format!(
        "<h1>phiscan HIPAA Security Rule report</h1>\n<p>phiscan {} — {} — collected {} to {}, evaluated at {} — exit code {}</p>\n<ul>\n",
        xml(&s.version),
        xml(&source),
        time(&s.started_at),
        time(&s.finished_at),
        time(&s.evaluated_at),
        report.exit_code
    ));
    for scope in &s.scope {
        out.push_str(&format!(
            "<li>{} {} <code>{}</code>{}{}</li>\n",
            scope.provider,
            scope.provider.scope_noun(),
            xml(&scope.account),
            scope
                .name
                .as_deref()
                .map(|n| format!(" ({})", xml(n)))
                .unwrap_or_default(),
            if scope.regions.is_empty() {
                String::new()
            } else {
                format!(": {}", xml(&scope.regions.join(", ")))
            }
        ));
    }
    out.push_str("</ul>\n<div class=\"cards\">");
    let c = &report.counts;
    for (label, n, cls) in [
        ("findings", c.total(), ""),
        ("pass", c.pass, "pass"),
        ("fail", c.fail, "fail"),
        ("error", c.error, "error"),
        ("not applicable", c.not_applicable, "not-applicable"),
        ("waived", c.waived, "waived"),
    ] {
        out.push_str(&format!(
            "<div class=\"card {cls}\"><b>{n}</b>{label}</div>"
        ));
    }
    out.push_str("</div>\n");

    // Charts.
    let per_control: Vec<(String, Counts)> = report
        .controls
        .iter()
        .filter(|r| r.control.coverage() == Coverage::Tested && r.counts.total() > 0)
        .map(|r| (r.control.citation().to_string(), r.counts.clone()))
        .collect();
    let mut per_provider: BTreeMap<crate::Provider, Counts> = BTreeMap::new();
    for f in &report.findings {
        per_provider
            .entry(f.resource().provider)
            .or_default()
            .add(f.status());
    }
    let per_provider: Vec<(String, Counts)> = per_provider
        .into_iter()
        .map(|(p, c)| (p.to_string(), c))
        .collect();
    out.push_str("<h2>Summary</h2>\n");
    out.push_str(&legend());
    out.push_str("<div class=\"charts\">\n");
    out.push_str(&bar_chart(
        "chart-controls",
        "Findings per tested HIPAA control",
        &per_control,
    ));
    out.push_str(&bar_chart(
        "chart-providers",
        "Findings per provider",
        &per_provider,
    ));
    out.push_str("</div>\n");
    if let Some(pr) = &report.profile {
        out.push_str(&promises(report, pr));
    }

    // Findings.
    out.push_str(&format!(
        "<h2>Findings</h2>\n<div class=\"filters\"><input id=\"filter-text\" type=\"search\" placeholder=\"Filter: check, resource, reason…\" aria-label=\"Filter findings\"><select id=\"filter-status\" aria-label=\"Status\"><option value=\"\">every status</option><option value=\"fail\">FAIL</option><option value=\"error\">ERROR</option><option value=\"pass\">PASS</option><option value=\"not-applicable\">NOT_APPLICABLE</option><option value=\"waived\">WAIVED</option></select><select id=\"filter-provider\" aria-label=\"Provider\"><option value=\"\">every provider</option><option value=\"aws\">aws</option><option value=\"gcp\">gcp</option><option value=\"azure\">azure</option></select><span><span id=\"shown-count\">{}</span> of {} shown</span></div>\n",
        report.findings.len(),
        report.findings.len()
    ));
    out.push_str("<table id=\"findings\">\n<thead><tr><th>Status</th><th>Severity</th><th>Check</th><th>Provider</th><th>Account</th><th>Region</th><th>Resource</th><th>Controls</th><th>Reason</th><th>Evidence</th></tr></thead>\n<tbody>\n");
    for (i, f) in report.findings.iter().enumerate() {
        let r = f.resource();
        let status = status_label(f.status());
        let controls = f
            .meta
            .controls
            .iter()
            .map(|c| {
                format!(
                    "<a href=\"#control-{}\">{}</a>",
                    super::controls::anchor(c.citation()),
                    xml(c.citation())
                )
            })
            .collect::<Vec<_>>()
            .join(" ");
        // Plain JSON values: serialization cannot fail.
        let evidence =
            serde_json::to_string_pretty(&f.finding.evidence).expect("evidence serializes");
        let reference = f
            .evidence_ref
            .as_deref()
            .map(|r| format!("<br><a href=\"{0}\">{0}</a>", xml(r)))
            .unwrap_or_default();
        let waiver = f
            .finding
            .waiver
            .as_ref()
            .map(|w| {
                format!(
                    "<br><small class=\"waiver\">Waived: {} (approved by {}, until {})</small>",
                    xml(&w.justification),
                    xml(&w.approver),
                    w.expires
                )
            })
            .unwrap_or_default();
        out.push_str(&format!(
            "<tr class=\"finding\" id=\"finding-{i}\" data-status=\"{status}\" data-provider=\"{prov}\"><td><span class=\"badge {status}\">{label}</span></td><td>{sev}</td><td><code>{check}</code><br>{title}</td><td>{prov}</td><td><code>{acct}</code></td><td>{region}</td><td>{name}<br><code>{id}</code></td><td>{controls}</td><td>{reason}{waiver}</td><td><details><summary>observed</summary><pre>{evidence}</pre>{reference}</details></td></tr>\n",
            label = f.status(),
            sev = f.severity,
            check = xml(f.meta.id),
            title = xml(f.meta.title),
            prov = r.provider,
            acct = xml(&r.account),
            region = xml(&r.region),
            name = xml(&r.name),
            id = xml(&r.id),
            reason = xml(&f.finding.reason),
            evidence = xml(&evidence),
        ));
    }
    out.push_str("</tbody>\n</table>\n");
    out.push_str(&attested::section(report));
    if !report.waivers.is_empty() {
        out.push_str(&waivers(report));
    }

    out.push_str("<h2>HIPAA Security Rule control matrix</h2>\n");
    out.push_str(&super::controls::html_table(report, false));
    if !report.readiness.is_empty() {
        out.push_str(&readiness(report));
    }
    out.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    out
}
